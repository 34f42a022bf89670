import { Feed } from 'feed';
import { categoryBySlug, noticeTypeBySlug, regionName } from '../../domain/catalog.js';
import { chinaDateTimeIso } from '../../domain/china-time.js';
import type { NoticeFilter } from '../../trading/notice-filter.js';
import type { Notice } from '../../trading/notice.entity.js';
import { noticePageUrl, type PublicLinks } from '../public-json.js';

export const FEED_ITEMS = 50;

const pad = (n: number) => String(n).padStart(2, '0');
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A Date that prints itself in China Standard Time with its offset. The feed library writes RSS dates with
 * toUTCString() and Atom dates with toISOString(); through this class every feed timestamp carries +08:00
 * (RFC 822 "+0800" in RSS, RFC 3339 "+08:00" in Atom), as every machine format of the portal does.
 */
export class ChinaTimeDate extends Date {
  override toUTCString(): string {
    const t = new Date(this.getTime() + 8 * 3600_000);
    return `${DAYS[t.getUTCDay()]}, ${pad(t.getUTCDate())} ${MONTHS[t.getUTCMonth()]} ${t.getUTCFullYear()} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())} +0800`;
  }
  override toISOString(): string {
    return chinaDateTimeIso(new Date(this.getTime()));
  }
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

/** RSS 2.0 and Atom 1.0 of the newest notices of a filter: one item per notice, correction and withdrawal. */
export function buildFeed(notices: Notice[], filter: NoticeFilter, query: string, links: PublicLinks, publisher: string): Feed {
  const suffix = query ? `?${query}` : '';
  const updated = notices[0]?.publishedAt ?? new Date(0);
  const feed = new Feed({
    title: feedTitle(filter, publisher),
    description: '交易公告、更正公告、开标记录、结果公示、合同与撤回声明，按发布时间倒序',
    id: `${links.baseUrl}/feeds/notices.atom${suffix}`,
    link: `${links.baseUrl}/notices${suffix}`,
    language: 'zh-CN',
    updated: new ChinaTimeDate(updated.getTime()),
    generator: publisher,
    copyright: publisher,
    author: { name: publisher, link: links.baseUrl },
    feedLinks: { rss: `${links.baseUrl}/feeds/notices.rss${suffix}`, atom: `${links.baseUrl}/feeds/notices.atom${suffix}` },
  });
  for (const n of notices) {
    const type = noticeTypeBySlug(n.type);
    const url = noticePageUrl(links, n.id);
    const date = new ChinaTimeDate(n.publishedAt!.getTime());
    feed.addItem({
      title: `【${type?.name ?? n.type}】${n.title}`,
      id: url,
      link: url,
      date,
      published: date,
      description: n.body.length > 500 ? `${n.body.slice(0, 500)}…` : n.body,
      category: [
        { name: categoryBySlug(n.category)?.name ?? n.category, term: n.category, domain: `${links.baseUrl}/notices?category=${n.category}` },
        { name: type?.name ?? n.type, term: n.type, domain: `${links.baseUrl}/notices?type=${n.type}` },
      ],
      author: [{ name: publisher }],
    });
  }
  return feed;
}
