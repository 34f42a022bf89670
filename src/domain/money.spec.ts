import { DomainError } from './errors.js';
import {
  AmountUnit,
  displayAmount,
  displayPrice,
  formatAmountIn,
  formatYuan,
  parseAmount,
  parsePrice,
} from './money.js';

describe('parseAmount', () => {
  it.each<[string, AmountUnit, bigint]>([
    ['0', '元', 0n],
    ['0.01', '元', 1n],
    ['1200', '元', 120000n],
    ['1200.5', '元', 120050n],
    ['1234567.89', '元', 123456789n],
    ['0', '万元', 0n],
    ['1', '万元', 1_000_000n],
    ['1.2345', '万元', 1_234_500n],
    ['0.000001', '万元', 1n],
    ['1234567.89', '万元', 1_234_567_890_000n],
    ['1000000000000000', '元', 10n ** 17n], // the cap itself
    ['100000000000', '万元', 10n ** 17n],
    ['0.1', '元', 10n], // exact where 0.1 + 0.2 in floats is not
  ])('%s %s → %s fen', (value, unit, fen) => {
    expect(parseAmount(value, unit)).toBe(fen);
  });

  it.each<[unknown, string]>([
    ['', '元'],
    ['-1', '元'],
    ['+1', '元'],
    ['1e5', '元'],
    ['abc', '元'],
    ['NaN', '元'],
    ['Infinity', '元'],
    ['1.234', '元'],
    ['1.0000001', '万元'],
    ['1,000', '元'],
    ['1.', '元'],
    ['.5', '元'],
    [' 1', '元'],
    ['1 000', '元'],
    ['１２', '元'], // full-width digits
    ['1000000000000000.01', '元'], // above the cap
    ['100000000000.000001', '万元'],
    [12, '元'],
    ['12', '美元'],
  ])('rejects %j %s', (value, unit) => {
    expect(() => parseAmount(value as string, unit as AmountUnit)).toThrow(
      expect.objectContaining({ code: 'amount.invalid', message: expect.stringMatching(/^金额/) }),
    );
  });
});

describe('formatYuan', () => {
  it.each([
    [123456789n, '1234567.89'],
    [-120000n, '-1200.00'],
    [0n, '0.00'],
    [1n, '0.01'],
    [-5n, '-0.05'],
    [10n ** 17n, '1000000000000000.00'],
  ])('%s fen → %s', (fen, text) => {
    expect(formatYuan(fen)).toBe(text);
  });
});

describe('formatAmountIn / displayAmount', () => {
  it.each<[bigint, AmountUnit, string, string]>([
    [1_234_567_890_000n, '万元', '1234567.89', '1,234,567.89万元'],
    [1_234_500n, '万元', '1.2345', '1.2345万元'],
    [1_234_567n, '万元', '1.234567', '1.234567万元'],
    [123_456_700n, '万元', '123.4567', '123.4567万元'],
    [10_000_000n, '万元', '10', '10万元'],
    [0n, '万元', '0', '0万元'],
    [-1_500_000n, '万元', '-1.5', '-1.5万元'],
    [123456789n, '元', '1234567.89', '1,234,567.89元'],
    [100000n, '元', '1000.00', '1,000.00元'],
    [99999n, '元', '999.99', '999.99元'],
    [0n, '元', '0.00', '0.00元'],
    [-123456789n, '元', '-1234567.89', '-1,234,567.89元'],
  ])('%s fen in %s → %s / %s', (fen, unit, plain, shown) => {
    expect(formatAmountIn(fen, unit)).toBe(plain);
    expect(displayAmount(fen, unit)).toBe(shown);
  });

  it('round-trips every amount it parses', () => {
    for (const [value, unit] of [
      ['1234567.89', '万元'],
      ['0.000001', '万元'],
      ['1200.50', '元'],
    ] as [string, AmountUnit][]) {
      expect(parseAmount(formatAmountIn(parseAmount(value, unit), unit), unit)).toBe(parseAmount(value, unit));
    }
  });
});

describe('parsePrice / displayPrice', () => {
  it.each([
    [{ form: 'amount', value: '1234567.89', unit: '元' }, { value: '1234567.89', fen: 123456789n }, '1,234,567.89元'],
    [{ form: 'amount', value: '1200', unit: '元' }, { value: '1200.00', fen: 120000n }, '1,200.00元'],
    [{ form: 'amount', value: '123.4567', unit: '万元' }, { value: '123.4567', fen: 123_456_700n }, '123.4567万元'],
    [{ form: 'unit-price', value: '35.5', unit: '元' }, { value: '35.50', fen: 3550n }, '单价 35.50元'],
    [{ form: 'down-rate', value: '5.5', unit: '%' }, { value: '5.5' }, '下浮率 5.5%'],
    [{ form: 'down-rate', value: '05.5000', unit: '%' }, { value: '5.5' }, '下浮率 5.5%'],
    [{ form: 'fee-rate', value: '0.8125', unit: '%' }, { value: '0.8125' }, '费率 0.8125%'],
    [{ form: 'discount', value: '95', unit: '%' }, { value: '95' }, '折扣率 95%'],
    [{ form: 'discount', value: '100.00', unit: '%' }, { value: '100' }, '折扣率 100%'],
    [{ form: 'down-rate', value: '0', unit: '%' }, { value: '0' }, '下浮率 0%'],
  ])('%j', (input, expected, shown) => {
    const price = parsePrice(input);
    expect(price).toEqual({ form: input.form, unit: input.unit, ...expected });
    expect(displayPrice(price)).toBe(shown);
  });

  it.each([
    [{ form: 'bribe', value: '1', unit: '元' }, '报价形式不正确'],
    [{ form: 'amount', value: '1', unit: '%' }, '报价金额的单位应为元或万元'],
    [{ form: 'unit-price', value: '1', unit: '美元' }, '单价的单位应为元或万元'],
    [{ form: 'amount', value: '1.234', unit: '元' }, '报价金额格式不正确'],
    [{ form: 'amount', value: '-5', unit: '万元' }, '报价金额格式不正确'],
    [{ form: 'down-rate', value: '5', unit: '元' }, '下浮率的单位应为%'],
    [{ form: 'down-rate', value: '100.01', unit: '%' }, '下浮率应为0到100之间'],
    [{ form: 'fee-rate', value: '101', unit: '%' }, '费率应为0到100之间'],
    [{ form: 'discount', value: '-1', unit: '%' }, '折扣率应为0到100之间'],
    [{ form: 'discount', value: '9.12345', unit: '%' }, '折扣率应为0到100之间'],
    [{ form: 'discount', value: '', unit: '%' }, '折扣率应为0到100之间'],
    [{ form: 'discount', value: '1e1', unit: '%' }, '折扣率应为0到100之间'],
  ])('rejects %j', (input, message) => {
    expect(() => parsePrice(input)).toThrow(DomainError);
    expect(() => parsePrice(input)).toThrow(
      expect.objectContaining({ code: 'price.invalid', message: expect.stringContaining(message) }),
    );
  });
});
