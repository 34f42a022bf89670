import { percent, percentChange, transactionAmountFen } from './figures.js';

const amount = (yuan: string) => ({ form: 'amount', value: yuan, unit: '元', yuan });
const rate = { form: 'down-rate', value: '3.5', unit: '%' };

describe('percent and percentChange', () => {
  it.each([
    [1n, 3n, '33.3'],
    [2n, 3n, '66.7'],
    [1n, 8n, '12.5'],
    [1n, 16n, '6.3'],
    [-1n, 16n, '-6.3'],
    [0n, 5n, '0.0'],
    [918000n, 13568000n, '6.8'],
    [5n, 4n, '125.0'],
    [1n, 0n, null],
  ])('%s of %s is %s', (part, whole, expected) => expect(percent(part, whole)).toBe(expected));

  it.each([
    [14715n, 12397n, '18.7'],
    [1n, 13n, '-92.3'],
    [0n, 4n, '-100.0'],
    [4n, 4n, '0.0'],
    [3n, 0n, null],
    [0n, 0n, null],
  ])('%s after %s is a change of %s%%', (current, previous, expected) =>
    expect(percentChange(current, previous)).toBe(expected),
  );
});

describe('transactionAmountFen', () => {
  const result = (...winners: object[]) => ({ type: 'result', details: { decisionDate: '2026-01-05', winners } });
  it.each([
    ['one winner', [result({ price: amount('100.00') })], 10000n],
    [
      'a winner per lot, summed',
      [result({ lotCode: 'A', price: amount('1.00') }, { lotCode: 'B', price: amount('2.50') })],
      350n,
    ],
    [
      'a later result replaces the lot it names',
      [
        result({ lotCode: 'A', price: amount('1.00') }),
        result({ lotCode: 'A', price: amount('0.90') }),
        result({ lotCode: 'B', price: amount('2.00') }),
      ],
      290n,
    ],
    [
      'a rate falls back to the contracts',
      [result({ price: rate }), { type: 'contract', details: { amount: amount('9.65') } }],
      965n,
    ],
    ['a rate without a contract is unknown', [result({ price: rate })], null],
    ['a deal price', [{ type: 'deal', details: { dealPrice: amount('2500.00') } }], 250000n],
    [
      'only a contract',
      [
        { type: 'contract', details: { amount: amount('1.00') } },
        { type: 'contract', details: { amount: amount('2.00') } },
      ],
      300n,
    ],
    ['nothing', [], null],
  ])('%s', (_name, completions, expected) => expect(transactionAmountFen(completions)).toBe(expected));
});
