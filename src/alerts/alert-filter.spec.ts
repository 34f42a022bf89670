import {
  NO_WORD,
  wordKey,
  filterInWords,
  matchKey,
  noticeMatchKeys,
  normaliseEmail,
  parseSavedFilter,
  savedQuery,
} from './alert-filter.js';

describe('alert filters', () => {
  it.each([
    [{}, '*|*|*'],
    [{ category: 'procurement' }, 'procurement|*|*'],
    [{ type: 'tender', region: '210200' }, '*|tender|2102'],
    [{ region: '210213', q: '道路' }, '*|*|210213'],
    [{ region: '210000' }, '*|*|21'],
  ])('%j is indexed as %s', (query, key) => {
    expect(matchKey(parseSavedFilter(query))).toBe(key);
  });

  it('offers a notice the keys of every alert that can match it, and only those', () => {
    const keys = noticeMatchKeys({ category: 'construction', type: 'tender', regionCode: '210213' });
    expect(keys).toHaveLength(16);
    for (const q of [
      {},
      { category: 'construction' },
      { type: 'tender', region: '210200' },
      { region: '210213' },
      { region: '210000' },
    ])
      expect(keys).toContain(matchKey(parseSavedFilter(q)));
    for (const q of [{ category: 'land-mining' }, { region: '210202' }, { type: 'result' }, { region: '220000' }])
      expect(keys).not.toContain(matchKey(parseSavedFilter(q)));
  });

  it.each([
    [{}, null],
    [{ q: '道路' }, '道路'],
    // A word of three or four characters is its own (phrase) key.
    [{ q: '道路改造' }, '道路改造'],
    // A longer one: one of its four-character windows (without counts, the first in code-point order).
    [{ q: '道路改造工程' }, '改造工程'],
    [{ q: '医用 E2102000001' }, '02000001'],
    [{ q: '（）' }, NO_WORD],
  ])('indexes the keyword of %j by a key every matching text holds: %s', (query, key) => {
    expect(wordKey(parseSavedFilter(query))).toBe(key);
  });

  it('prefers the key fewest notices hold', () => {
    const f = parseSavedFilter({ q: '道路改造工程' });
    expect(
      wordKey(
        f,
        new Map([
          ['道路改造', 900],
          ['路改造工', 3],
          ['改造工程', 400],
        ]),
      ),
    ).toBe('路改造工');
  });

  it('keeps the filters and q as chosen, without the order', () => {
    const f = parseSavedFilter({
      category: 'construction',
      q: '道路',
      open: '1',
      sort: 'deadline',
      from: '2026-01-01',
    });
    expect(savedQuery(f)).toEqual({ category: 'construction', q: '道路', open: '1', from: '2026-01-01' });
    expect(filterInWords(f)).toEqual([
      '交易类别：工程建设招投标',
      '关键词：“道路”',
      '发布日期：2026-01-01 起',
      '只看正在招标（匹配时投标截止时间未过）',
    ]);
  });

  it.each(['a@b.cn', 'Zhang.San+alerts@Example.COM'])('accepts %s', (email) => {
    expect(normaliseEmail(email)).toMatch(/@[a-z.]+$/);
  });

  it.each([
    '',
    'no-at',
    'a@b',
    'a@@b.cn',
    '.a@b.cn',
    'a..b@c.cn',
    'a b@c.cn',
    `${'x'.repeat(250)}@b.cn`,
    'a@b.cn\r\nBcc: c@d.cn',
    '张三@例子.中国',
  ])('refuses %j', (email) => {
    expect(() => normaliseEmail(email)).toThrow();
  });
});
