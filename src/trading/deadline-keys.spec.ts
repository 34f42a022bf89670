import { REGIONS } from '../domain/catalog.js';
import { chinaDayEnd, chinaDayStart } from '../domain/china-time.js';
import { deadlineKeyOf, deadlineKeys, rangeOfMonths } from './deadline-keys.js';

describe('deadline keys', () => {
  const notice = { category: 'municipal', type: 'tender', regionCode: '210202' };

  it('are the filter keys of a region or a type, with the category or not; never the category alone', () => {
    expect(deadlineKeys(notice).sort()).toEqual(
      [
        '@21',
        '&j21',
        '@2102',
        '&j2102',
        '@210202',
        '&j210202',
        '$A21',
        'Aj21',
        '$A2102',
        'Aj2102',
        '$A210202',
        'Aj210202',
        '$A',
        'Aj',
      ].sort(),
    );
  });

  it("a filter's key is one its notices hold, and no notice outside it holds", () => {
    const filters = [
      { region: '210202' },
      { region: '210200' },
      { region: '210000', category: 'municipal' },
      { region: '210202', category: 'water' },
    ];
    for (const type of [undefined, 'tender', 'procurement']) {
      for (const f of filters) {
        const key = deadlineKeyOf(f, type)!;
        const prefix = f.region.replace(/(00)+$/, '');
        for (const r of REGIONS.filter((r) => r.code.startsWith('21')).slice(0, 40)) {
          for (const n of [
            { ...notice, regionCode: r.code },
            { category: 'water', type: 'procurement', regionCode: r.code },
          ]) {
            const matches =
              n.regionCode.startsWith(prefix) &&
              (!f.category || f.category === n.category) &&
              (!type || type === n.type);
            expect({ f, type, n, holds: deadlineKeys(n).includes(key) }).toEqual({ f, type, n, holds: matches });
          }
        }
      }
    }
    expect(deadlineKeyOf({ category: 'water' }, 'tender')).toBe('Ah');
    expect(deadlineKeyOf({}, 'tender')).toBe('$A');
    // A category alone and no filter read their deadline indexes.
    expect(deadlineKeyOf({ category: 'water' }, undefined)).toBeUndefined();
    expect(deadlineKeyOf({}, undefined)).toBeUndefined();
  });
});

describe('the deadlines of announcements published within dates', () => {
  const DAY = 86_400;
  const from = chinaDayStart('2026-03-10');
  const to = chinaDayEnd('2026-04-20');

  it("lie within the dates moved by their months' leads", () => {
    const range = rangeOfMonths(
      [
        { month: '2026-03', minLeadS: 20 * DAY, maxLeadS: 30 * DAY },
        { month: '2026-04', minLeadS: 25 * DAY, maxLeadS: 40 * DAY },
      ],
      from,
      to,
    )!;
    // The least: published on the first date with March's least lead; the greatest: on the last with April's.
    expect(range.from).toEqual(new Date(from.getTime() + 20 * DAY * 1000));
    expect(range.to).toEqual(new Date(to.getTime() + 40 * DAY * 1000));
  });

  it("a month's far deadline widens only what its own month can reach", () => {
    const range = rangeOfMonths(
      [
        { month: '2026-03', minLeadS: 20 * DAY, maxLeadS: 365 * DAY },
        { month: '2026-04', minLeadS: 25 * DAY, maxLeadS: 30 * DAY },
      ],
      undefined,
      to,
    )!;
    // March's year-long lead counts from March's last instant (2026-03-31 24:00 China time), not from the last date.
    expect(range.to).toEqual(new Date(chinaDayStart('2026-04-01').getTime() - 1 + 365 * DAY * 1000));
    expect(range.from).toBeUndefined();
    // A month whose least lead is negative (a deadline before publication, imported) starts the walk before it.
    expect(rangeOfMonths([{ month: '2026-03', minLeadS: -2 * DAY, maxLeadS: DAY }], from)!.from).toEqual(
      new Date(from.getTime() - 2 * DAY * 1000),
    );
  });

  it('is nothing when no announcement was published then', () => {
    expect(rangeOfMonths([], from, to)).toBeNull();
  });
});
