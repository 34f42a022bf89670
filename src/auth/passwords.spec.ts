import { hashPassword, passwordProblem, verifyPassword } from './passwords.js';

describe('password policy', () => {
  it.each([
    ['short', '密码至少需要 10 个字符'],
    ['aaaaaaaaaaaa', '密码过于简单，请混用不同的字符'],
    ['zhangsan01', '密码不能与用户名相同'],
    ['x'.repeat(201), '密码不能超过 200 个字符'],
    [42, '必须是文本'],
    ['交易中心密码很安全的', null],
    ['correct horse battery', null],
  ])('%p → %p', (password, problem) => {
    expect(passwordProblem(password, 'zhangsan01')).toBe(problem);
  });
});

describe('argon2id hashing', () => {
  it('verifies the right password only and never throws on a broken hash', async () => {
    const h = await hashPassword('correct horse battery');
    expect(h).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(h, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(h, 'wrong horse battery')).toBe(false);
    expect(await verifyPassword('not a hash', 'x')).toBe(false);
  });
});
