import { AppError, FieldError } from '../http/app-error.js';
import { CATEGORIES, isValidRegionCode, NOTICE_TYPES, regionPrefix } from '../domain/catalog.js';
import { isValidChinaDate } from '../domain/china-time.js';

/**
 * The public list filters (a contract: /notices, the feeds, the exports and /api/v1/notices take the same
 * ones). Unknown parameters and bad values are refused with a message naming them, never ignored.
 */
export interface NoticeFilter {
  category?: string;
  type?: string;
  /** GB/T 2260 code: matches itself and every code under it. */
  region?: string;
  /** Inclusive China Standard Time dates of publication. */
  from?: string;
  to?: string;
  q?: string;
  /** Only announcements whose effective bid deadline has not passed. */
  open?: boolean;
  sort: 'published' | 'deadline';
  /** Internal, never from a query string: restricts to these types (the bid and award exports). */
  types?: readonly string[];
}

export const FILTER_PARAMS = ['category', 'type', 'region', 'from', 'to', 'q', 'open', 'sort'] as const;

/**
 * What a keyword (`q`) is, in one place: search text of at most 50 characters without the characters and
 * sequences that only markup, SQL statements and quoting use. Such a `q` is refused (400, the message names
 * `q` and what it may not hold, never the value) rather than searched for: a search is parameterised anyway, so
 * this protects what the value flows into next (pages, feed titles, file names, logs, other platforms' tools),
 * and a person looking for a notice never needs these. Chinese text and full-width punctuation（“”‘’（）、，。）,
 * ASCII parentheses, hyphens, spaces, letters, digits and project codes stay valid; words such as "UNION
 * SELECT" are text like any other.
 */
export const KEYWORD = {
  maxLength: 50,
  /** Markup (< >), statement and quoting characters. */
  characters: ['<', '>', ';', "'", '"', '`', '\\'],
  /** SQL comment markers. */
  sequences: ['--', '/*', '*/'],
} as const;

/** Control characters (C0, DEL and C1) as a class range in escapes: one source for the parser and the documented pattern. */
const CONTROL_RANGE = '\\u0000-\\u001F\\u007F-\\u009F';
const CONTROL = new RegExp(`[${CONTROL_RANGE}]`);

/** The rule in words, for messages and documentation. */
export const KEYWORD_REFUSED = `${KEYWORD.characters.join(' ')} 字符、SQL 注释符 ${KEYWORD.sequences.join(' ')} 和控制字符`;
export const KEYWORD_RULE = `最多 ${KEYWORD.maxLength} 个字符，不能包含 ${KEYWORD_REFUSED}`;

const classEscape = (c: string) => c.replace(/[\\\]^-]/g, '\\$&');
const sequenceEscape = (s: string) => s.replace(/[*/\\]/g, '\\$&');

/** The rule as an ECMA-262 pattern (OpenAPI `pattern`); `keywordProblem` is its implementation. */
export const KEYWORD_PATTERN = `^(?!.*(?:${KEYWORD.sequences.map(sequenceEscape).join('|')}))[^${KEYWORD.characters.map(classEscape).join('')}${CONTROL_RANGE}]*$`;

/** Why `q` is not a valid keyword (a message naming `q`), or undefined when it is one. */
export function keywordProblem(q: string): string | undefined {
  if (q.length > KEYWORD.maxLength) return `关键词不能超过 ${KEYWORD.maxLength} 个字符`;
  // The first refused thing in the value, named by itself (from the fixed list) or by its code point.
  let first: { at: number; what: string } | undefined;
  for (const x of [...KEYWORD.sequences, ...KEYWORD.characters]) {
    const at = q.indexOf(x);
    if (at >= 0 && (!first || at < first.at)) first = { at, what: `“${x}”` };
  }
  const control = CONTROL.exec(q);
  if (control && (!first || control.index < first.at))
    first = {
      at: control.index,
      what: `控制字符 U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`,
    };
  return first && `关键词 q 不能包含${first.what}：关键词中不允许 ${KEYWORD_REFUSED}`;
}

/** A value quoted back in a message when it is harmless text; anything that is not a valid keyword is left out. */
export const shown = (value: string) => (keywordProblem(value) === undefined ? `“${value}”` : '');

/**
 * The checks /notices shares with other lists that take its filters (the integrity flags): each returns the
 * value when valid, else adds the error (the wording every list uses) and returns undefined.
 */
export const sharedFilterChecks = {
  category(value: string, errors: FieldError[]): string | undefined {
    if (CATEGORIES.some((c) => c.slug === value)) return value;
    errors.push({
      field: 'category',
      message: `未知的交易类别${shown(value)}，可选：${CATEGORIES.map((c) => c.slug).join('、')}`,
    });
    return undefined;
  },
  region(value: string, errors: FieldError[]): string | undefined {
    if (isValidRegionCode(value)) return value;
    errors.push({ field: 'region', message: `行政区划代码${shown(value)}不正确，应为 6 位数字（GB/T 2260）` });
    return undefined;
  },
  /** Both dates, each a real China date, the end not before the start. */
  dates(values: { from?: string; to?: string }, into: { from?: string; to?: string }, errors: FieldError[]): void {
    for (const name of ['from', 'to'] as const) {
      const v = values[name];
      if (v === undefined) continue;
      if (isValidChinaDate(v)) into[name] = v;
      else errors.push({ field: name, message: `日期${shown(v)}不正确，应为 YYYY-MM-DD` });
    }
    if (into.from && into.to && into.from > into.to) errors.push({ field: 'to', message: '结束日期不能早于开始日期' });
  },
};

export function parseNoticeFilter(query: Record<string, unknown>, extraParams: readonly string[] = []): NoticeFilter {
  const errors: FieldError[] = [];
  const allowed = new Set<string>([...FILTER_PARAMS, ...extraParams]);
  for (const key of Object.keys(query)) if (!allowed.has(key)) errors.push(unknownParam(key));
  const one = (name: string): string | undefined => {
    const v = query[name];
    if (v === undefined || v === '') return undefined;
    if (typeof v !== 'string') {
      errors.push({ field: name, message: '只能出现一次' });
      return undefined;
    }
    return v.trim() === '' ? undefined : v.trim();
  };
  const filter: NoticeFilter = { sort: 'published' };

  const category = one('category');
  if (category !== undefined) filter.category = sharedFilterChecks.category(category, errors);
  const type = one('type');
  if (type !== undefined) {
    if (NOTICE_TYPES.some((t) => t.slug === type)) filter.type = type;
    else
      errors.push({
        field: 'type',
        message: `未知的公告类型${shown(type)}，可选：${NOTICE_TYPES.map((t) => t.slug).join('、')}`,
      });
  }
  const region = one('region');
  if (region !== undefined) filter.region = sharedFilterChecks.region(region, errors);
  sharedFilterChecks.dates({ from: one('from'), to: one('to') }, filter, errors);
  const q = one('q');
  if (q !== undefined) {
    const problem = keywordProblem(q);
    if (problem) errors.push({ field: 'q', message: problem });
    else filter.q = q;
  }
  const open = one('open');
  if (open !== undefined) {
    if (['1', 'true', 'on'].includes(open)) filter.open = true;
    else if (!['0', 'false'].includes(open)) errors.push({ field: 'open', message: '“open”应为 1 或 0' });
  }
  const sort = one('sort');
  if (sort !== undefined) {
    if (sort === 'published' || sort === 'deadline') filter.sort = sort;
    else errors.push({ field: 'sort', message: '排序方式应为 published（发布时间）或 deadline（截止时间）' });
  }
  if (errors.length) throw new AppError('filter.invalid', errors.map((e) => e.message).join('；'), errors);
  return filter;
}

/** An unknown parameter, named when its name is harmless text. */
export function unknownParam(key: string): FieldError {
  const name = shown(key);
  return { field: name ? key : '(unknown)', message: `未知的参数${name}` };
}

export const regionLikePattern = (code: string) => `${regionPrefix(code)}%`;

/** The filter as query-string pairs, for links that keep it (paging, feeds, CSV). */
export function filterToQuery(f: NoticeFilter): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ['category', 'type', 'region', 'from', 'to', 'q'] as const) if (f[k]) out[k] = f[k]!;
  if (f.open) out.open = '1';
  if (f.sort !== 'published') out.sort = f.sort;
  return out;
}
