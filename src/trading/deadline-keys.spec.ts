import { REGIONS } from '../domain/catalog.js';
import { deadlineKeyOf, deadlineKeys } from './deadline-keys.js';

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
