import { AppError } from '../http/app-error.js';
import { KEYWORD_PATTERN, keywordProblem, parseNoticeFilter, shown, unknownParam } from './notice-filter.js';

/** Keywords a person types to find a notice: all valid, kept as typed (trimmed). */
const VALID = [
  '道路',
  '道路 绿化',
  '中铁九局集团（大连）',
  '中铁九局集团(大连)',
  '“红旗西路”、‘改造’，施工。',
  'E21020000012345',
  'e2102000001',
  'A-1 标段',
  '2026-11-25',
  'UNION SELECT',
  'select * from notice',
  '1=1',
  '100%',
  'a_b',
  'R&D',
  '#3 / 4*5',
  '；全角分号 ＜全角＞',
  '—— 破折号',
  '道'.repeat(50),
];

/** [keyword, the first refused thing in it, which the message names] */
const INVALID: [string, string][] = [
  ["' OR 1=1 --", "“'”"],
  ['OR 1=1 --', '“--”'],
  ["' OR '1'='1", "“'”"],
  ['1; DROP TABLE notice', '“;”'],
  ['/* x */', '“/*”'],
  ['x */', '“*/”'],
  ['道路--', '“--”'],
  ['<script>alert(1)</script>', '“<”'],
  ['"><img src=x onerror=alert(1)>', '“"”'],
  ['道路"', '“"”'],
  ['`id`', '“`”'],
  ['c\\d', '“\\”'],
  ['道路\u0000', '控制字符 U+0000'],
  ['道\n路', '控制字符 U+000A'],
  ['道\t路', '控制字符 U+0009'],
  ['道\u007F', '控制字符 U+007F'],
  ['道\u0085', '控制字符 U+0085'],
];

const refusal = (query: Record<string, unknown>): AppError => {
  try {
    parseNoticeFilter(query);
  } catch (e) {
    return e as AppError;
  }
  throw new Error(`accepted ${JSON.stringify(query)}`);
};

describe('keyword (q)', () => {
  const pattern = new RegExp(KEYWORD_PATTERN);

  it.each(VALID)('accepts %p', (q) => {
    expect(keywordProblem(q)).toBeUndefined();
    expect(parseNoticeFilter({ q: ` ${q} ` }).q).toBe(q);
    expect(pattern.test(q)).toBe(true);
  });

  it.each(INVALID)('refuses %p, naming q and %s, without echoing the value', (q, what) => {
    const e = refusal({ q });
    expect(e.code).toBe('filter.invalid');
    expect(e.fields).toEqual([{ field: 'q', message: expect.stringContaining(`关键词 q 不能包含${what}`) }]);
    expect(e.message).toContain('不允许 < > ; \' " ` \\ 字符、SQL 注释符 -- /* */ 和控制字符');
    expect(e.message).not.toContain(q);
    expect(pattern.test(q)).toBe(false);
  });

  it('refuses more than 50 characters, in the documented pattern as in the parser', () => {
    expect(refusal({ q: '道'.repeat(51) }).message).toBe('关键词不能超过 50 个字符');
    expect(keywordProblem('道'.repeat(51))).toBeDefined();
  });

  it('treats an empty or blank q as no keyword', () => {
    expect(parseNoticeFilter({ q: '' }).q).toBeUndefined();
    expect(parseNoticeFilter({ q: '   ' }).q).toBeUndefined();
  });
});

describe('values quoted back in messages', () => {
  it.each([
    ['fishing', '“fishing”'],
    ['<script>', ''],
    ["x' OR 1=1", ''],
    ['a'.repeat(51), ''],
  ])('shows %p as %p', (value, text) => {
    expect(shown(value)).toBe(text);
  });

  it.each([
    [{ category: '<script>alert(1)</script>' }, '未知的交易类别，可选：'],
    [{ type: '"><img src=x>' }, '未知的公告类型，可选：'],
    [{ region: "210200'--" }, '行政区划代码不正确'],
    [{ from: '2026-01-01;' }, '日期不正确'],
    [{ '<b>x</b>': '1' }, '未知的参数'],
  ])('names the parameter but not a harmful value: %p', (query, message) => {
    const e = refusal(query);
    expect(e.message).toContain(message);
    expect(e.message).not.toMatch(/<script|<img|<b>|'--|;$/);
  });

  it('names a harmless unknown parameter, and keeps a harmful name out of the field too', () => {
    expect(unknownParam('colour')).toEqual({ field: 'colour', message: '未知的参数“colour”' });
    expect(unknownParam('<b>')).toEqual({ field: '(unknown)', message: '未知的参数' });
  });
});
