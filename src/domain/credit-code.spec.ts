import { creditCodeCheckChar, isValidCreditCode, makeCreditCode } from './credit-code.js';
import { DomainError } from './errors.js';

describe('isValidCreditCode', () => {
  it.each([
    ['91350100M000100Y43', true],
    ['91110000802100433B', true],
    ['91350100M000100Y44', false], // wrong check character
    ['91110000802100433C', false],
    ['91350100m000100Y43', false], // lowercase
    ['91110000802100433b', false],
    ['9135010OM00100Y43X', false], // O
    ['9I350100M000100Y43', false], // I
    ['91350100M000100S43', false], // S
    ['91350100V000100Y43', false], // V
    ['91350100M000100Z43', false], // Z
    ['91350100M000100Y4', false], // 17 characters
    ['91350100M000100Y433', false], // 19 characters
    ['', false],
    [' 91350100M000100Y4', false],
  ])('%j → %s', (code, valid) => {
    expect(isValidCreditCode(code)).toBe(valid);
  });
});

describe('creditCodeCheckChar / makeCreditCode', () => {
  it.each([
    ['91350100M000100Y4', '3'],
    ['91110000802100433', 'B'],
  ])('%s → %s', (first17, check) => {
    expect(creditCodeCheckChar(first17)).toBe(check);
    expect(makeCreditCode(first17)).toBe(first17 + check);
    expect(isValidCreditCode(makeCreditCode(first17))).toBe(true);
  });

  it('produces 0 when the weighted sum is a multiple of 31', () => {
    expect(creditCodeCheckChar('00000000000000000')).toBe('0');
  });

  it.each([['9135010'], ['91350100M000100Y4X'], ['91350100M000100O4'], ['91350100m000100Y4']])(
    'rejects %j',
    (first17) => {
      expect(() => creditCodeCheckChar(first17)).toThrow(DomainError);
    },
  );
});
