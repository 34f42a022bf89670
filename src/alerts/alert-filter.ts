import { createHash, randomBytes } from 'node:crypto';
import { categoryBySlug, noticeTypeBySlug, regionName, regionPrefix } from '../domain/catalog.js';
import { AppError } from '../http/app-error.js';
import { filterToQuery, parseNoticeFilter, type NoticeFilter } from '../trading/notice-filter.js';
import { parseSearchQuery } from '../trading/search-grams.js';

/**
 * What an alert saves and how it is indexed: plain functions, no framework or database (tested in the spec).
 * An alert keeps the /notices filters and `q` exactly as chosen (the same parser refuses the same values); the
 * order does not matter to an alert, so `sort` is dropped.
 */
export function parseSavedFilter(query: Record<string, unknown>): NoticeFilter {
  const filter = parseNoticeFilter(query);
  return { ...filter, sort: 'published' };
}

/** The saved form: the filter's query-string pairs (what /notices?… would carry), without the order. */
export function savedQuery(filter: NoticeFilter): Record<string, string> {
  const query = filterToQuery(filter);
  delete query.sort;
  return query;
}

export function filterOfSaved(json: string): NoticeFilter {
  return parseSavedFilter(JSON.parse(json) as Record<string, unknown>);
}

const ANY = '*';

/**
 * The alert's index key: its category, type and region prefix, `*` where it has none. A notice can match only
 * alerts whose key is one of `noticeMatchKeys(notice)`: 2 × 2 × 4 keys, whatever the number of alerts.
 */
export function matchKey(filter: NoticeFilter): string {
  return [filter.category ?? ANY, filter.type ?? ANY, filter.region ? regionPrefix(filter.region) : ANY].join('|');
}

/** A word key no notice holds: a keyword of punctuation only, which the list never matches either. */
export const NO_WORD = '\u0000';

/** The search keys of an alert's keyword: every text it matches holds all of them (none without `q`). */
export function keywordKeys(filter: NoticeFilter): string[] {
  return filter.q ? [...new Set(parseSearchQuery(filter.q).flatMap((t) => t.grams))] : [];
}

/**
 * The alert's word key: one search key that every notice its keyword matches must hold (a term's keys are in
 * every text containing it) — the one fewest notices hold (`counts`, the search's own, when given), then the
 * longest. Null without a keyword; NO_WORD for a keyword of punctuation only.
 */
export function wordKey(filter: NoticeFilter, counts: ReadonlyMap<string, number> = new Map()): string | null {
  if (!filter.q) return null;
  const grams = keywordKeys(filter);
  if (!grams.length) return NO_WORD;
  const count = (g: string) => counts.get(g) ?? 0;
  const better = (g: string, best: string) =>
    count(g) !== count(best)
      ? count(g) < count(best)
      : [...g].length !== [...best].length
        ? [...g].length > [...best].length
        : g < best;
  return grams.reduce((best, g) => (better(g, best) ? g : best));
}

/** Every index key of an alert that could match a notice of this category, type and region code. */
export function noticeMatchKeys(n: { category: string; type: string; regionCode: string }): string[] {
  // A region filter matches its prefix and every code under it (regionLikePattern): the notice's own prefixes.
  const regions = [ANY, n.regionCode.slice(0, 2), n.regionCode.slice(0, 4), n.regionCode];
  const keys: string[] = [];
  for (const c of [ANY, n.category])
    for (const t of [ANY, n.type]) for (const r of regions) keys.push(`${c}|${t}|${r}`);
  return [...new Set(keys)];
}

/** The filter in words, for the sign-up form, the manage page and the mails: "交易类别：政府采购；地区：中山区". */
export function filterInWords(filter: NoticeFilter): string[] {
  const words: string[] = [];
  if (filter.category) words.push(`交易类别：${categoryBySlug(filter.category)?.name ?? filter.category}`);
  if (filter.type) words.push(`公告类型：${noticeTypeBySlug(filter.type)?.name ?? filter.type}`);
  if (filter.region) words.push(`地区：${regionName(filter.region) ?? filter.region}（${filter.region} 及下级地区）`);
  if (filter.q) words.push(`关键词：“${filter.q}”`);
  if (filter.from && filter.to) words.push(`发布日期：${filter.from} 至 ${filter.to}`);
  else if (filter.from) words.push(`发布日期：${filter.from} 起`);
  else if (filter.to) words.push(`发布日期：${filter.to} 及以前`);
  if (filter.open) words.push('只看正在招标（匹配时投标截止时间未过）');
  return words.length ? words : ['全部公告（未选择筛选条件）'];
}

/** A short name of the filter for mail subjects and feed titles. */
export function filterTitle(filter: NoticeFilter): string {
  const parts = [
    filter.category && categoryBySlug(filter.category)?.name,
    filter.type && noticeTypeBySlug(filter.type)?.name,
    filter.region && (regionName(filter.region) ?? filter.region),
    filter.q && `“${filter.q}”`,
  ].filter(Boolean);
  return parts.length ? parts.join(' · ') : '全部公告';
}

/**
 * An e-mail address as accepted for an alert: one address of printable ASCII (local part and a domain with a
 * dot), at most 254 characters, lower-cased domain. Anything else is refused with a message, never stored.
 */
export function normaliseEmail(raw: unknown): string {
  const bad = (message: string) => new AppError('validation.failed', message, [{ field: 'email', message }]);
  if (typeof raw !== 'string') throw bad('请填写一个电子邮件地址');
  const value = raw.trim();
  if (!value) throw bad('请填写电子邮件地址');
  if (value.length > 254) throw bad('电子邮件地址过长（最多 254 个字符）');
  const m =
    /^([A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64})@([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+)$/.exec(
      value,
    );
  if (!m || m[1].startsWith('.') || m[1].endsWith('.') || m[1].includes('..'))
    throw bad('电子邮件地址格式不正确，例如 name@example.cn');
  return `${m[1]}@${m[2].toLowerCase()}`;
}

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The key an address is counted by (its lower-cased sha256): the address itself is never compared in SQL. */
export const emailHash = (email: string) => sha256(`alert-email:${email.toLowerCase()}`);

/** A new token: 32 random bytes, base64url (43 characters). Only its sha256 is stored. */
export const newToken = () => randomBytes(32).toString('base64url');

export const tokenHash = (token: string) => sha256(`alert-token:${token}`);

/** Whether a path segment can be a token at all: anything else is refused before the database is asked. */
export const isTokenShaped = (token: string) => /^[A-Za-z0-9_-]{43}$/.test(token);
