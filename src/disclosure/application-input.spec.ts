import { isValidResidentId, parseApplication, parseRegistration } from './application-input.js';

const PERSON = {
  applicantType: 'natural-person',
  name: '张三',
  idType: 'resident-id',
  idNumber: '11010519491231002X',
  phone: '0411-88886666',
  description: '2026 年政府采购项目中止公告清单',
  deliveryForm: 'electronic',
  deliveryChannel: 'email',
  email: 'a@example.cn',
};
const messages = (body: Record<string, unknown>) => parseApplication(body).errors.map((e) => `${e.field} ${e.message}`);

describe('parseApplication (art. 29)', () => {
  it('accepts a natural person with a valid resident ID and an organisation with a valid credit code', () => {
    expect(parseApplication(PERSON).value?.personal).toMatchObject({ name: '张三', idNumber: '11010519491231002X' });
    const org = parseApplication({
      ...PERSON,
      applicantType: 'legal-service-body',
      creditCode: '91350100m000100y43',
      idNumber: '',
    });
    expect(org.errors).toEqual([]);
    expect(org.value?.personal).toMatchObject({ creditCode: '91350100M000100Y43', idNumber: null });
  });

  it.each([
    [{ applicantType: 'company' }, 'applicantType 申请人类型：应为'],
    [{ name: '  ' }, 'name 申请人姓名或名称：不能为空'],
    [{ idNumber: '110105194912310021' }, 'idNumber 身份证件号码：不是有效的居民身份证号码'],
    [{ idNumber: '' }, 'idNumber 身份证件号码：自然人申请时必填'],
    [
      { applicantType: 'commercial-enterprise', creditCode: '' },
      'creditCode 统一社会信用代码：法人或其他组织申请时必填',
    ],
    [{ phone: '', email: '', deliveryChannel: 'collect' }, 'phone 联系电话：联系电话和电子邮箱至少填写一项'],
    [{ email: '' }, 'email 电子邮箱：选择电子邮件时必填'],
    [{ deliveryChannel: 'post' }, 'address 通信地址：选择邮寄时必填'],
    [{ deliveryForm: 'paper' }, 'deliveryChannel 获取信息的方式：纸质载体不能以电子邮件方式提供'],
    [{ description: '信息' }, 'description 所需政府信息的内容描述：请写明'],
    [{ description: '长'.repeat(2001) }, 'description 所需政府信息的内容描述：不能超过 2000 个字'],
  ])('refuses %j: %s', (change, message) => {
    expect(messages({ ...PERSON, ...change }).join('\n')).toContain(message);
  });

  it('takes the date of receipt for a registration and refuses the online channel and future dates', () => {
    expect(parseRegistration({ ...PERSON, channel: 'post', receivedOn: '2026-11-24' }, '2026-11-25').errors).toEqual(
      [],
    );
    const bad = parseRegistration({ ...PERSON, channel: 'online', receivedOn: '2026-11-26' }, '2026-11-25');
    expect(bad.errors.map((e) => e.field)).toEqual(['channel', 'receivedOn']);
  });

  it('checks resident ID numbers by GB 11643', () => {
    expect(isValidResidentId('11010519491231002X')).toBe(true);
    expect(isValidResidentId('110105194912310021')).toBe(false);
    expect(isValidResidentId('11010519491231002')).toBe(false);
  });
});
