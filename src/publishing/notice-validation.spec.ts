import { zeroAmounts } from './notice-validation.js';

const amount = (yuan: string) => ({ value: yuan, unit: '元', yuan });

describe('amounts that must be above zero', () => {
  it.each([
    ['a zero budget', { budget: amount('0.00') }, ['details.budget.value']],
    ['a zero price ceiling', { maxPrice: amount('0.00') }, ['details.maxPrice.value']],
    ['a zero control price', { controlPrice: amount('0.00') }, ['details.controlPrice.value']],
    ['a zero reserve price', { reservePrice: amount('0.00') }, ['details.reservePrice.value']],
    ['a zero bidding step', { increment: amount('0.00') }, ['details.increment.value']],
    ["a correction's zero budget", { changes: { budget: amount('0.00') } }, ['details.changes.budget.value']],
    ['one fen of budget', { budget: amount('0.01') }, []],
    ['a zero deposit (none required)', { deposit: amount('0.00') }, []],
    ['a zero deal price', { dealPrice: amount('0.00') }, []],
    ['a zero final auction price', { finalPrice: amount('0.00') }, []],
    ['a zero contract sum', { amount: amount('0.00') }, []],
    ['a zero winning bid', { winners: [{ price: { form: 'amount', value: '0.00', unit: '元', yuan: '0.00' } }] }, []],
    ['a zero bid', { bids: [{ price: { form: 'amount', value: '0', unit: '元', yuan: '0.00' } }] }, []],
  ])('%s', (_case, details, fields) => {
    expect(zeroAmounts(details).map((e) => e.field)).toEqual(fields);
  });

  it('names the amount in Chinese', () => {
    expect(zeroAmounts({ controlPrice: amount('0.00') })).toEqual([
      { field: 'details.controlPrice.value', message: '最高投标限价（招标控制价）应大于 0' },
    ]);
  });
});
