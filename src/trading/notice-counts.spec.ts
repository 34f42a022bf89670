import { ANNOUNCEMENT_TYPES } from './notice-query.service.js';
import {
  countKey,
  countRanges,
  dateRanges,
  noticeCountKeys,
  openCountChange,
  openCountKeys,
  openRanges,
} from './notice-counts.js';

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

  it('"open now": an announcement counts at its deadline day; a publication changes its project by the difference', () => {
    const tender = { category: 'water', type: 'tender', regionCode: '210211' };
    // 09:30 on the 22nd in China.
    const keys = openCountKeys(tender, new Date('2026-12-22T01:30:00Z'));
    expect(keys).toHaveLength(2 * 2 * 4);
    expect(keys).toEqual(expect.arrayContaining(['o=2026-12-22', 'c=water|t=tender|r=210211|o=2026-12-22']));
    const at = (iso: string) => new Date(iso);
    const state = (bidDeadline: Date | null, terminated = false, announcements = [tender]) => ({
      announcements,
      bidDeadline,
      terminated,
    });
    // A correction moves the deadline: one off the old day, one on the new.
    const moved = openCountChange(state(at('2026-12-10T01:30:00Z')), state(at('2026-12-22T01:30:00Z')), '2026-11-25');
    expect(moved.get('o=2026-12-10')).toBe(-1);
    expect(moved.get('c=water|r=2102|o=2026-12-22')).toBe(1);
    expect(moved.size).toBe(32);
    // Nothing changes: nothing written.
    expect(
      openCountChange(state(at('2026-12-10T01:30:00Z')), state(at('2026-12-10T01:30:00Z')), '2026-11-25').size,
    ).toBe(0);
    // Termination and withdrawal take it off; a new announcement adds itself.
    expect([
      ...openCountChange(
        state(at('2026-12-10T01:30:00Z')),
        state(at('2026-12-10T01:30:00Z'), true),
        '2026-11-25',
      ).values(),
    ]).toEqual(Array(16).fill(-1));
    expect(
      openCountChange(
        state(at('2026-12-10T01:30:00Z')),
        state(at('2026-12-10T01:30:00Z'), false, []),
        '2026-11-25',
      ).get('o=2026-12-10'),
    ).toBe(-1);
    expect(
      openCountChange(state(null), state(at('2026-12-10T01:30:00Z')), '2026-11-25').get('t=tender|o=2026-12-10'),
    ).toBe(1);
    // Days before the change's own day are never read again: left alone (a backdated import adds nothing).
    expect(openCountChange(state(null), state(at('2025-03-01T01:30:00Z')), '2026-11-25').size).toBe(0);
    expect(
      openCountChange(state(at('2026-11-20T01:30:00Z')), state(at('2026-12-01T01:30:00Z')), '2026-11-25').get(
        'o=2026-11-20',
      ),
    ).toBeUndefined();
  });

  it('"open now" sums the deadline days after today; keywords and publication dates are not kept', () => {
    expect(openRanges({ sort: 'published', open: true }, ANNOUNCEMENT_TYPES, '2026-11-25')).toEqual([
      ['o=2026-11-26', 'o=9999-12-31'],
    ]);
    expect(
      openRanges(
        { sort: 'deadline', open: true, category: 'water', region: '210200' },
        ANNOUNCEMENT_TYPES,
        '2026-11-30',
      ),
    ).toEqual([['c=water|r=2102|o=2026-12-01', 'c=water|r=2102|o=9999-12-31']]);
    expect(openRanges({ sort: 'published', open: true, type: 'result' }, ANNOUNCEMENT_TYPES, '2026-11-25')).toEqual([]);
    for (const unkept of [{ open: false }, { q: '道路' }, { from: '2026-01-01' }])
      expect(
        openRanges({ sort: 'published', open: true, ...unkept }, ANNOUNCEMENT_TYPES, '2026-11-25'),
      ).toBeUndefined();
  });
});
