import { registerDecorator, ValidationOptions } from 'class-validator';
import { isValidChinaDate, parseDateTimeInput } from '../domain/china-time.js';
import { isValidCreditCode } from '../domain/credit-code.js';
import { isValidRegionCode } from '../domain/catalog.js';

/** class-validator decorators for the trade's formats, with Chinese messages. */
function simple(name: string, message: string, test: (v: unknown) => boolean) {
  return (options?: ValidationOptions): PropertyDecorator =>
    (target, propertyName) =>
      registerDecorator({
        name,
        target: target.constructor,
        propertyName: propertyName as string,
        options: { message, ...options },
        validator: { validate: test },
      });
}

export const IsCreditCode = simple(
  'isCreditCode',
  '不是有效的统一社会信用代码（18 位，校验位按 GB 32100-2015 计算）',
  (v) => typeof v === 'string' && isValidCreditCode(v),
);

export const IsDateTimeInput = simple(
  'isDateTimeInput',
  '时间格式不正确，应为 2026-11-25 09:30（北京时间）或带时区的 ISO 8601 时间',
  (v) => {
    if (typeof v !== 'string') return false;
    try {
      parseDateTimeInput(v);
      return true;
    } catch {
      return false;
    }
  },
);

export const IsChinaDate = simple(
  'isChinaDate',
  '日期格式不正确，应为 YYYY-MM-DD',
  (v) => typeof v === 'string' && isValidChinaDate(v),
);

export const IsRegionCode = simple(
  'isRegionCode',
  '行政区划代码应为 6 位数字（GB/T 2260）',
  (v) => typeof v === 'string' && isValidRegionCode(v),
);

/** Codes that end up in URLs and upstream keys: letters, digits, hyphens. */
export const IsCode = simple(
  'isCode',
  '只能包含字母、数字和连字符（-），长度 2 到 64',
  (v) => typeof v === 'string' && /^[A-Za-z0-9][A-Za-z0-9-]{1,63}$/.test(v),
);

export const IsDecimalString = simple(
  'isDecimalString',
  '应为不带正负号和千分位的数字，如 1234.56',
  (v) => typeof v === 'string' && /^\d{1,18}(\.\d{1,6})?$/.test(v),
);
