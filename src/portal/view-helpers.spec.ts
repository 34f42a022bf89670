import { formatAmount, formatDate, formatMoney, formatPrice, formatTime, highlightHtml } from './view-helpers.js';

describe('view helpers', () => {
  it.each([
    [new Date('2026-11-25T01:30:00Z'), '2026-11-25 09:30（北京时间）'],
    ['2026-12-22T09:30:00+08:00', '2026-12-22 09:30（北京时间）'],
    ['2026-12-31T23:59:00+08:00', '2026-12-31 23:59（北京时间）'],
    [null, ''],
    ['not a time', ''],
  ])('formats the time %p as %p', (value, shown) => expect(formatTime(value)).toBe(shown));

  it('keeps business dates and converts instants to China dates', () => {
    expect(formatDate('2026-12-23')).toBe('2026-12-23');
    expect(formatDate(new Date('2026-12-22T16:30:00Z'))).toBe('2026-12-23');
  });

  // The money rule (README, "Money on pages"): exact, in 元, thousands separators, always two decimals.
  it.each([
    [0n, '0.00元'],
    [1n, '0.01元'],
    [99n, '0.99元'],
    [100n, '1.00元'],
    [123_456n, '1,234.56元'],
    [99_999_999n, '999,999.99元'],
    [100_000_000n, '1,000,000.00元'],
    [1_180_500_000n, '11,805,000.00元'],
    [1_190_000_010n, '11,900,000.10元'],
    [4_670_000_000_000n, '46,700,000,000.00元'],
    [-91_800_000n, '-918,000.00元'],
    [-10_000_000n, '-100,000.00元'],
  ])('shows %p fen as %p', (fen, shown) => expect(formatMoney(fen)).toBe(shown));

  it.each([
    [{ value: '1200', unit: '万元', yuan: '12000000.00' }, '12,000,000.00元'],
    [{ value: '356.8', unit: '万元', yuan: '3568000.00' }, '3,568,000.00元'],
    [{ value: '1234.567891', unit: '万元', yuan: '12345678.91' }, '12,345,678.91元'],
    [{ value: '3400000', unit: '元', yuan: '3400000.00' }, '3,400,000.00元'],
    [{ value: '0.01', unit: '元', yuan: '0.01' }, '0.01元'],
    [undefined, ''],
  ])('shows the stored amount %p by the money rule', (amount, shown) => expect(formatAmount(amount)).toBe(shown));

  it.each([
    [{ form: 'amount', value: '1150.5', unit: '万元', yuan: '11505000.00' }, '11,505,000.00元'],
    [{ form: 'amount', value: '11805000', unit: '元', yuan: '11805000.00' }, '11,805,000.00元'],
    [{ form: 'down-rate', value: '3.5', unit: '%' }, '下浮率 3.5%'],
    [{ form: 'fee-rate', value: '1.25', unit: '%' }, '费率 1.25%'],
    [{ form: 'unit-price', value: '12.5', unit: '元', yuan: '12.50' }, '单价 12.50元'],
    [{ form: 'unit-price', value: '1.5', unit: '万元', yuan: '15000.00' }, '单价 15,000.00元'],
  ])('formats the stored price %p', (price, shown) => expect(formatPrice(price)).toBe(shown));

  it('escapes the text first, then marks every occurrence of every term', () => {
    expect(highlightHtml('红旗西路道路改造工程<绿化>', '道路 绿化')).toBe(
      '红旗西路<mark>道路</mark>改造工程&lt;<mark>绿化</mark>&gt;',
    );
    expect(highlightHtml('道路与道路', '道路')).toBe('<mark>道路</mark>与<mark>道路</mark>');
    expect(highlightHtml('Road E2102 road', 'ROAD')).toBe('<mark>Road</mark> E2102 <mark>road</mark>');
  });

  it('never lets a term match inside an entity or inject markup', () => {
    expect(highlightHtml('A&B <b>', 'amp')).toBe('A&amp;B &lt;b&gt;');
    expect(highlightHtml('a<b>c', '<b>')).toBe('a<mark>&lt;b&gt;</mark>c');
    expect(highlightHtml('价格(元)', '(元)')).toBe('价格<mark>(元)</mark>');
    expect(highlightHtml('text', undefined)).toBe('text');
  });
});
