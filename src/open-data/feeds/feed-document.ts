import { HTML_ESCAPES } from '../../http/html.js';
import { categoryBySlug, noticeTypeBySlug, regionName } from '../../domain/catalog.js';
import { chinaDateTimeIso } from '../../domain/china-time.js';
import type { NoticeFilter } from '../../trading/notice-filter.js';
import type { Notice } from '../../trading/notice.entity.js';
import { noticePageUrl, type PublicLinks } from '../public-json.js';

export const FEED_ITEMS = 50;
/** An entry's summary: the body's first this many characters (UTF-16 units, as before), then "…". */
export const SUMMARY_CHARS = 500;

/** What an entry prints of a notice, and its version (feedVersionOf): the feed reads these columns alone. */
export const FEED_COLUMNS = ['type', 'category', 'title', 'body', 'publishedAt', 'logSeq'] as const;
export type FeedNotice = Pick<Notice, 'id' | (typeof FEED_COLUMNS)[number]>;

const pad = (n: number) => String(n).padStart(2, '0');
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** An RSS (RFC 822) date in China Standard Time with its offset: "Thu, 26 Nov 2026 00:30:05 +0800". */
export function rssDate(d: Date): string {
  const t = new Date(d.getTime() + 8 * 3600_000);
  return `${DAYS[t.getUTCDay()]}, ${pad(t.getUTCDate())} ${MONTHS[t.getUTCMonth()]} ${t.getUTCFullYear()} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())} +0800`;
}

/** The feed's title names its filter: "政府采购 · 中山区 · 公告". */
export function feedTitle(filter: NoticeFilter, site: string): string {
  const parts = [
    filter.category && categoryBySlug(filter.category)?.name,
    filter.type && noticeTypeBySlug(filter.type)?.name,
    filter.region && (regionName(filter.region) ?? filter.region),
    filter.q && `“${filter.q}”`,
    filter.open && '正在报名',
  ].filter(Boolean);
  return `${site} · ${parts.length ? parts.join(' · ') : '全部公告'}`;
}

/** One feed, before it is written as RSS or Atom. Every string is plain text as staff typed it. */
export interface FeedDocument {
  title: string;
  description: string;
  /** The /notices page of the filter. */
  link: string;
  rssUrl: string;
  atomUrl: string;
  updated: Date;
  publisher: string;
  baseUrl: string;
  entries: FeedEntry[];
}

export interface FeedEntry {
  title: string;
  url: string;
  published: Date;
  summary: string;
  categories: { label: string; term: string; domain: string }[];
}

/** The newest notices of a filter as a feed: one entry per notice, correction and withdrawal. */
export function buildFeed(
  notices: FeedNotice[],
  filter: NoticeFilter,
  query: string,
  links: PublicLinks,
  publisher: string,
): FeedDocument {
  const suffix = query ? `?${query}` : '';
  return {
    title: feedTitle(filter, publisher),
    description: '交易公告、更正公告、开标记录、结果公示、合同与撤回声明，按发布时间倒序',
    link: `${links.baseUrl}/notices${suffix}`,
    rssUrl: `${links.baseUrl}/feeds/notices.rss${suffix}`,
    atomUrl: `${links.baseUrl}/feeds/notices.atom${suffix}`,
    updated: notices[0]?.publishedAt ?? new Date(0),
    publisher,
    baseUrl: links.baseUrl,
    entries: notices.map((n) => {
      const type = noticeTypeBySlug(n.type);
      return {
        title: `【${type?.name ?? n.type}】${n.title}`,
        url: noticePageUrl(links, n.id),
        published: n.publishedAt!,
        summary: n.body.length > SUMMARY_CHARS ? `${n.body.slice(0, SUMMARY_CHARS)}…` : n.body,
        categories: [
          {
            label: categoryBySlug(n.category)?.name ?? n.category,
            term: n.category,
            domain: `${links.baseUrl}/notices?category=${n.category}`,
          },
          { label: type?.name ?? n.type, term: n.type, domain: `${links.baseUrl}/notices?type=${n.type}` },
        ],
      };
    }),
  };
}

// ---- writing ------------------------------------------------------------------------------------------------
// Readers render RSS titles and descriptions as HTML, so there every value is HTML-escaped before it is
// XML-escaped: a reader shows "<script>" typed into a notice as those characters, never as markup. Atom says what
// it holds: its titles and summaries are type="text", XML-escaped once.

/** Anything outside XML 1.0's Char production (tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD, beyond U+FFFF). */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
/**
 * What could be outside it, a UTF-16 unit at a time: the same plus every surrogate. Most text has none of these,
 * and this test is a few times faster than NOT_XML's code-point matching on long Chinese text.
 */
const MAYBE_NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD]/;
const xmlChars = (s: string) => (MAYBE_NOT_XML.test(s) ? s.replace(NOT_XML, '') : s);
const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const escapeXml = (s: string) => s.replace(/[&<>"]/g, (c) => XML_ESCAPES[c]);
/** Text as XML character data or an attribute's value. */
export const xml = (s: string) => escapeXml(xmlChars(s));
/** Each character HTML escapes, escaped for HTML and then for XML ("<" is "&amp;lt;"): both in one pass. */
const HTML_IN_XML: Record<string, string> = Object.fromEntries(
  Object.entries(HTML_ESCAPES).map(([c, html]) => [c, escapeXml(html)]),
);
const HTML_SPECIAL = new RegExp(`[${Object.keys(HTML_ESCAPES).join('')}]`, 'g');
/** Text for an element a reader treats as HTML: xml(escapeHtml(s)), in one pass over the text. */
export const asHtml = (s: string) => xmlChars(s).replace(HTML_SPECIAL, (c) => HTML_IN_XML[c]);
/** Atom (RFC 3339) dates carry +08:00 like every machine format of the portal. */
const atomDate = chinaDateTimeIso;

/** RSS 2.0. */
export function rss2(feed: FeedDocument): string {
  const items = feed.entries.map((e) =>
    [
      '    <item>',
      `      <title>${asHtml(e.title)}</title>`,
      `      <link>${xml(e.url)}</link>`,
      `      <guid isPermaLink="false">${xml(e.url)}</guid>`,
      `      <pubDate>${rssDate(e.published)}</pubDate>`,
      `      <description>${asHtml(e.summary)}</description>`,
      ...e.categories.map((c) => `      <category domain="${xml(c.domain)}">${xml(c.label)}</category>`),
      '    </item>',
    ].join('\n'),
  );
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
    '  <channel>',
    `    <title>${asHtml(feed.title)}</title>`,
    `    <link>${xml(feed.link)}</link>`,
    `    <description>${asHtml(feed.description)}</description>`,
    `    <lastBuildDate>${rssDate(feed.updated)}</lastBuildDate>`,
    '    <docs>https://www.rssboard.org/rss-specification</docs>',
    `    <generator>${xml(feed.publisher)}</generator>`,
    '    <language>zh-CN</language>',
    `    <copyright>${xml(feed.publisher)}</copyright>`,
    `    <atom:link href="${xml(feed.rssUrl)}" rel="self" type="application/rss+xml"/>`,
    ...items,
    '  </channel>',
    '</rss>',
    '',
  ].join('\n');
}

/** Atom 1.0 (RFC 4287). */
export function atom1(feed: FeedDocument): string {
  const entries = feed.entries.map((e) =>
    [
      '  <entry>',
      `    <title type="text">${xml(e.title)}</title>`,
      `    <id>${xml(e.url)}</id>`,
      `    <link href="${xml(e.url)}"/>`,
      `    <updated>${atomDate(e.published)}</updated>`,
      `    <published>${atomDate(e.published)}</published>`,
      `    <summary type="text">${xml(e.summary)}</summary>`,
      `    <author><name>${xml(feed.publisher)}</name></author>`,
      ...e.categories.map(
        (c) => `    <category label="${xml(c.label)}" term="${xml(c.term)}" scheme="${xml(c.domain)}"/>`,
      ),
      '  </entry>',
    ].join('\n'),
  );
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
    `  <id>${xml(feed.atomUrl)}</id>`,
    `  <title type="text">${xml(feed.title)}</title>`,
    `  <subtitle type="text">${xml(feed.description)}</subtitle>`,
    `  <updated>${atomDate(feed.updated)}</updated>`,
    `  <generator>${xml(feed.publisher)}</generator>`,
    `  <author><name>${xml(feed.publisher)}</name><uri>${xml(feed.baseUrl)}</uri></author>`,
    `  <link rel="alternate" type="text/html" href="${xml(feed.link)}"/>`,
    `  <link rel="self" type="application/atom+xml" href="${xml(feed.atomUrl)}"/>`,
    `  <rights type="text">${xml(feed.publisher)}</rights>`,
    ...entries,
    '</feed>',
    '',
  ].join('\n');
}
