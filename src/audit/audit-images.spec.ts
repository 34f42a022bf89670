import { auditImage, auditImageOf } from './audit-images.js';

describe('auditImage', () => {
  it('keeps data, drops secrets at any depth, and serialises dates and bigints', () => {
    const image = auditImage({
      id: 7,
      username: 'li',
      passwordHash: '$argon2id$...',
      password_hash: 'x',
      nested: {
        keyHash: 'abc',
        key: 'ggzy_secret',
        csrfToken: 't',
        contentHash: 'keep-me',
        priceFen: 12345678901234567890n,
      },
      at: new Date('2025-01-02T03:04:05.006Z'),
      list: [{ token: 'x', n: 1 }],
      subscriber: { id: 3, email: 'zhang@example.cn', email_hash: 'abc', linkToken: 't' },
      gone: undefined,
    });
    expect(image).toEqual({
      id: 7,
      username: 'li',
      nested: { contentHash: 'keep-me', priceFen: '12345678901234567890' },
      at: '2025-01-02T03:04:05.006Z',
      list: [{ n: 1 }],
      subscriber: { id: 3 },
    });
  });

  it('maps null and undefined to null', () => {
    expect(auditImage(undefined)).toBeNull();
    expect(auditImage(null)).toBeNull();
  });

  it('leaves out what identifies a disclosure applicant, whatever the row passed', () => {
    const row = {
      trackingNo: 'YSQ2026-000123',
      status: 'answered',
      personal: 'k.sealed',
      name: '张三',
      idNumber: '11010519491231002X',
      phone: '0411-1',
      description: '所需信息',
      reply_text: '答复',
      codeHash: 'abc',
      outcome: 'disclosed',
    };
    expect(auditImageOf('disclosure-request', row)).toEqual({
      trackingNo: 'YSQ2026-000123',
      status: 'answered',
      outcome: 'disclosed',
    });
    expect(auditImageOf('disclosure-file', { id: 1, fileName: '身份证.png', data: Buffer.alloc(3) })).toEqual({
      id: 1,
    });
    // Other entity types keep such fields (a notice has a description).
    expect(auditImageOf('notice', { description: 'x' })).toEqual({ description: 'x' });
  });
});
