import { AppError, FieldError } from '../http/app-error.js';
import { CATEGORIES, isValidRegionCode, NOTICE_TYPES, regionPrefix } from './domain/catalog.js';
import { isValidChinaDate } from './domain/china-time.js';

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

export function parseNoticeFilter(query: Record<string, unknown>, extraParams: readonly string[] = []): NoticeFilter {
  const errors: FieldError[] = [];
  const allowed = new Set<string>([...FILTER_PARAMS, ...extraParams]);
  for (const key of Object.keys(query)) if (!allowed.has(key)) errors.push({ field: key, message: `未知的参数“${key}”` });
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
  if (category !== undefined) {
    if (CATEGORIES.some((c) => c.slug === category)) filter.category = category;
    else errors.push({ field: 'category', message: `未知的交易类别“${category}”，可选：${CATEGORIES.map((c) => c.slug).join('、')}` });
  }
  const type = one('type');
  if (type !== undefined) {
    if (NOTICE_TYPES.some((t) => t.slug === type)) filter.type = type;
    else errors.push({ field: 'type', message: `未知的公告类型“${type}”，可选：${NOTICE_TYPES.map((t) => t.slug).join('、')}` });
  }
  const region = one('region');
  if (region !== undefined) {
    if (isValidRegionCode(region)) filter.region = region;
    else errors.push({ field: 'region', message: `行政区划代码“${region}”不正确，应为 6 位数字（GB/T 2260）` });
  }
  for (const name of ['from', 'to'] as const) {
    const v = one(name);
    if (v === undefined) continue;
    if (isValidChinaDate(v)) filter[name] = v;
    else errors.push({ field: name, message: `日期“${v}”不正确，应为 YYYY-MM-DD` });
  }
  if (filter.from && filter.to && filter.from > filter.to) errors.push({ field: 'to', message: '结束日期不能早于开始日期' });
  const q = one('q');
  if (q !== undefined) {
    if (q.length > 50) errors.push({ field: 'q', message: '关键词不能超过 50 个字符' });
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

export const regionLikePattern = (code: string) => `${regionPrefix(code)}%`;

/** The filter as query-string pairs, for links that keep it (paging, feeds, CSV). */
export function filterToQuery(f: NoticeFilter): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ['category', 'type', 'region', 'from', 'to', 'q'] as const) if (f[k]) out[k] = f[k]!;
  if (f.open) out.open = '1';
  if (f.sort !== 'published') out.sort = f.sort;
  return out;
}
