import { DomainError } from './errors.js';

/** GB 32100-2015: digits and capitals without I, O, S, V, Z. */
export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function creditCodeCheckChar(first17: string): string {
  if (first17.length !== 17) {
    throw new DomainError('credit-code.invalid', '统一社会信用代码本体应为17位', { value: first17 });
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const index = CREDIT_CODE_ALPHABET.indexOf(first17[i]);
    if (index < 0) {
      throw new DomainError('credit-code.invalid', `统一社会信用代码第${i + 1}位字符“${first17[i]}”不合法`, {
        value: first17,
      });
    }
    sum += index * WEIGHTS[i];
  }
  return CREDIT_CODE_ALPHABET[(31 - (sum % 31)) % 31];
}

export function isValidCreditCode(code: string): boolean {
  if (typeof code !== 'string' || code.length !== 18) return false;
  if ([...code].some((ch) => !CREDIT_CODE_ALPHABET.includes(ch))) return false;
  return creditCodeCheckChar(code.slice(0, 17)) === code[17];
}

export function makeCreditCode(first17: string): string {
  return first17 + creditCodeCheckChar(first17);
}
