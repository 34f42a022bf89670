import { isValidCreditCode } from '../domain/credit-code.js';
import { isValidChinaDate } from '../domain/china-time.js';
import {
  APPLICANT_TYPES,
  DELIVERY_CHANNELS,
  DELIVERY_FORMS,
  ID_DOCUMENT_TYPES,
  isOrganisation,
  labelOf,
  RECEIPT_CHANNELS,
  type ApplicantType,
  type DeliveryChannel,
  type DeliveryForm,
  type IdDocumentType,
  type ReceiptChannel,
} from '../domain/disclosure.js';
import type { FieldError } from '../http/app-error.js';
import { field } from '../http/form-input.js';

/** What identifies an applicant: kept only encrypted (DisclosureRequest.personal). */
export interface PersonalData {
  name: string;
  creditCode: string | null;
  idType: IdDocumentType | null;
  idNumber: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
}

export interface Application {
  applicantType: ApplicantType;
  personal: PersonalData;
  description: string;
  purpose: string | null;
  deliveryForm: DeliveryForm;
  deliveryChannel: DeliveryChannel;
}

/** The Chinese name of each field, as the form and its error messages show it. */
export const FIELD_LABELS: Record<string, string> = {
  applicantType: '申请人类型',
  name: '申请人姓名或名称',
  creditCode: '统一社会信用代码',
  idType: '身份证件类型',
  idNumber: '身份证件号码',
  phone: '联系电话',
  email: '电子邮箱',
  address: '通信地址',
  description: '所需政府信息的内容描述',
  purpose: '用途',
  deliveryForm: '获取信息的载体形式',
  deliveryChannel: '获取信息的方式',
  file: '身份证明文件',
  channel: '收到申请的渠道',
  receivedOn: '收到申请之日',
};

const text = (body: Record<string, unknown>, name: string): string => field(body, name).replace(/\r\n?/g, '\n').trim();

/** GB 11643-1999: 17 digits and a check character (0–9 or X). */
export function isValidResidentId(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((s, w, i) => s + w * Number(id[i]), 0);
  return '10X98765432'[sum % 11] === id[17];
}

const oneLine = /^[^\p{Cc}]*$/u;

/**
 * Checks an application as the form sends it (art. 29: who applies, with proof of identity and contact; what
 * information, described so it can be found; the form and channel of delivery). Every problem is named by its
 * field, in Chinese.
 */
export function parseApplication(body: Record<string, unknown>): { value?: Application; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const fail = (field: string, message: string) =>
    errors.push({ field, message: `${FIELD_LABELS[field]}：${message}` });
  const pick = <T extends string>(field: string, list: readonly { code: string; label: string }[]): T | null => {
    const v = text(body, field);
    if (!v) fail(field, '请选择');
    else if (!list.some((x) => x.code === v)) fail(field, `应为 ${list.map((x) => x.label).join('、')} 之一`);
    else return v as T;
    return null;
  };
  const bounded = (field: string, max: number, required: boolean): string | null => {
    const v = text(body, field);
    if (!v) {
      if (required) fail(field, '不能为空');
      return null;
    }
    if ([...v].length > max) fail(field, `不能超过 ${max} 个字`);
    return v;
  };

  const applicantType = pick<ApplicantType>('applicantType', APPLICANT_TYPES);
  const name = bounded('name', 100, true);
  if (name && !oneLine.test(name)) fail('name', '不能包含换行等控制字符');
  let creditCode: string | null = null;
  let idType: IdDocumentType | null = null;
  let idNumber: string | null = null;
  if (applicantType && isOrganisation(applicantType)) {
    creditCode = text(body, 'creditCode').toUpperCase() || null;
    if (!creditCode) fail('creditCode', '法人或其他组织申请时必填');
    else if (!isValidCreditCode(creditCode))
      fail('creditCode', '不是有效的统一社会信用代码（18 位，校验位按 GB 32100-2015 计算）');
  } else if (applicantType) {
    idType = pick<IdDocumentType>('idType', ID_DOCUMENT_TYPES);
    idNumber = text(body, 'idNumber').toUpperCase() || null;
    if (!idNumber) fail('idNumber', '自然人申请时必填（条例第二十九条：身份证明）');
    else if (idType === 'resident-id' && !isValidResidentId(idNumber))
      fail('idNumber', '不是有效的居民身份证号码（18 位，末位为校验码）');
    else if (!/^[A-Z0-9()（）-]{5,30}$/.test(idNumber)) fail('idNumber', '应为 5 到 30 位字母或数字');
  }
  const phone = bounded('phone', 30, false);
  if (phone && !/^[0-9+()（）\- ]{7,30}$/.test(phone)) fail('phone', '应为 7 到 30 位数字（可含 +、-、括号）');
  const email = bounded('email', 254, false);
  if (email && !/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(email)) fail('email', '格式不正确');
  const address = bounded('address', 200, false);
  if (address && !oneLine.test(address)) fail('address', '请写在一行内');
  if (!phone && !email && !errors.some((e) => e.field === 'phone' || e.field === 'email'))
    fail('phone', '联系电话和电子邮箱至少填写一项（条例第二十九条：联系方式）');
  const description = bounded('description', 2000, true);
  if (description && [...description].length < 5)
    fail('description', '请写明所需信息的名称、文号或便于查询的其他特征（至少 5 个字）');
  const purpose = bounded('purpose', 500, false);
  const deliveryForm = pick<DeliveryForm>('deliveryForm', DELIVERY_FORMS);
  const deliveryChannel = pick<DeliveryChannel>('deliveryChannel', DELIVERY_CHANNELS);
  if (deliveryChannel === 'post' && !address) fail('address', '选择邮寄时必填');
  if (deliveryChannel === 'email' && !email) fail('email', '选择电子邮件时必填');
  if (deliveryChannel === 'email' && deliveryForm === 'paper')
    fail('deliveryChannel', '纸质载体不能以电子邮件方式提供，请改选邮寄或当面领取');
  if (errors.length) return { errors };
  return {
    errors,
    value: {
      applicantType: applicantType!,
      personal: { name: name!, creditCode, idType, idNumber, phone, email, address },
      description: description!,
      purpose,
      deliveryForm: deliveryForm!,
      deliveryChannel: deliveryChannel!,
    },
  };
}

/** Staff registering a request received by letter, fax or in person: its channel and date of receipt too. */
export function parseRegistration(
  body: Record<string, unknown>,
  today: string,
): { value?: Application & { channel: ReceiptChannel; receivedOn: string }; errors: FieldError[] } {
  const { value, errors } = parseApplication(body);
  const channel = text(body, 'channel');
  const offline = RECEIPT_CHANNELS.filter((c) => c.code !== 'online');
  if (!offline.some((c) => c.code === channel))
    errors.push({
      field: 'channel',
      message: `${FIELD_LABELS.channel}：应为 ${offline.map((c) => c.label).join('、')} 之一（网上申请由申请人在门户提交）`,
    });
  const receivedOn = text(body, 'receivedOn');
  if (!isValidChinaDate(receivedOn))
    errors.push({ field: 'receivedOn', message: `${FIELD_LABELS.receivedOn}：应为 YYYY-MM-DD 日期` });
  else if (receivedOn > today)
    errors.push({ field: 'receivedOn', message: `${FIELD_LABELS.receivedOn}：不能晚于今天 ${today}` });
  if (errors.length || !value) return { errors };
  return { errors, value: { ...value, channel: channel as ReceiptChannel, receivedOn } };
}

export const channelLabel = (code: string) => labelOf(RECEIPT_CHANNELS, code);
