import { ANNOUNCEMENT_TYPES } from './notice-query.service.js';
import { countKey, countRanges, dateRanges, noticeCountKeys } from './notice-counts.js';

describe('notice counts', () => {
  it('a notice adds one to every combination of category, type and region prefix, each also by day and month', () => {
    const keys = noticeCountKeys({
      category: 'municipal',
      type: 'tender',
      regionCode: '210211',
      publishedAt: new Date('2026-11-24T17:00:00Z'),
    });
    expect(keys).toHaveLength(2 * 2 * 4 * 3);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual(
      expect.arrayContaining([
        '*',
        'c=municipal',
        't=tender',
        'r=21',
        'r=2102',
        'r=210211',
        'c=municipal|r=210211',
        'c=municipal|t=tender|r=2102',
      ]),
    );
    // 01:00 on the 25th in China.
    expect(keys).toEqual(
      expect.arrayContaining([
        'd=2026-11-25',
        'm=2026-11',
        't=tender|d=2026-11-25',
        't=tender|m=2026-11',
        'c=municipal|d=2026-11-25',
        'r=2102|m=2026-11',
        'c=municipal|t=tender|r=210211|d=2026-11-25',
        'c=municipal|r=21|m=2026-11',
      ]),
    );
    // A city-level code has no county prefix: its keys are not repeated.
    const city = noticeCountKeys({
      category: 'water',
      type: 'result',
      regionCode: '2102',
      publishedAt: new Date('2026-11-24T17:00:00Z'),
    });
    expect(city).toHaveLength(2 * 2 * 3 * 3);
    expect(new Set(city).size).toBe(city.length);
  });

  it.each([
    ['one day', '2026-03-10', '2026-03-10', [['d=2026-03-10', 'd=2026-03-10']]],
    ['within a month', '2026-03-10', '2026-03-20', [['d=2026-03-10', 'd=2026-03-20']]],
    ['a whole month', '2026-02-01', '2026-02-28', [['m=2026-02', 'm=2026-02']]],
    [
      'across months',
      '2025-02-14',
      '2026-05-03',
      [
        ['d=2025-02-14', 'd=2025-02-28'],
        ['m=2025-03', 'm=2026-04'],
        ['d=2026-05-01', 'd=2026-05-03'],
      ],
    ],
    [
      'two partial months',
      '2026-03-30',
      '2026-04-02',
      [
        ['d=2026-03-30', 'd=2026-03-31'],
        ['d=2026-04-01', 'd=2026-04-02'],
      ],
    ],
    ['open start', undefined, '2025-06-30', [['m=0000-01', 'm=2025-06']]],
    ['open end', '2026-01-01', undefined, [['m=2026-01', 'm=9999-12']]],
  ])('a date range sums few rows: %s', (_name, from, to, ranges) => {
    expect(dateRanges('', from, to)).toEqual(ranges);
  });

  it('answers the kept filters and leaves the rest to a capped count', () => {
    const key = (k: string): [string, string] => [k, k];
    expect(countRanges({ sort: 'published' }, ANNOUNCEMENT_TYPES)).toEqual([key('*')]);
    expect(countRanges({ sort: 'published', category: 'water', region: '210200' }, ANNOUNCEMENT_TYPES)).toEqual([
      key('c=water|r=2102'),
    ]);
    expect(countRanges({ sort: 'deadline', region: '210211' }, ANNOUNCEMENT_TYPES)).toEqual(
      ANNOUNCEMENT_TYPES.map((t) => key(countKey({ type: t, region: '210211' }))),
    );
    expect(countRanges({ sort: 'deadline', type: 'result' }, ANNOUNCEMENT_TYPES)).toEqual([]);
    expect(
      countRanges({ sort: 'published', types: ['result', 'deal'], from: '2026-01-01' }, ANNOUNCEMENT_TYPES),
    ).toEqual([
      ['t=result|m=2026-01', 't=result|m=9999-12'],
      ['t=deal|m=2026-01', 't=deal|m=9999-12'],
    ]);
    // Dates with a category, a region or both sum the days and months of that combination.
    expect(
      countRanges({ sort: 'published', category: 'water', from: '2026-03-10', to: '2026-03-20' }, ANNOUNCEMENT_TYPES),
    ).toEqual([['c=water|d=2026-03-10', 'c=water|d=2026-03-20']]);
    expect(
      countRanges(
        { sort: 'published', category: 'water', type: 'tender', region: '210211', to: '2025-06-30' },
        ANNOUNCEMENT_TYPES,
      ),
    ).toEqual([['c=water|t=tender|r=210211|m=0000-01', 'c=water|t=tender|r=210211|m=2025-06']]);
    expect(countRanges({ sort: 'deadline', region: '210200', from: '2026-01-01' }, ANNOUNCEMENT_TYPES)).toEqual(
      ANNOUNCEMENT_TYPES.map((t) => [`t=${t}|r=2102|m=2026-01`, `t=${t}|r=2102|m=9999-12`]),
    );
    for (const unkept of [{ q: '道路' }, { open: true }, { category: 'water', open: true, from: '2026-01-01' }]) {
      expect(countRanges({ sort: 'published', ...unkept }, ANNOUNCEMENT_TYPES)).toBeUndefined();
    }
  });
});
