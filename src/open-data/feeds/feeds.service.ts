import { Injectable } from '@nestjs/common';
import { filterToQuery, parseNoticeFilter, type NoticeFilter } from '../../trading/notice-filter.js';
import { NoticeQueryService } from '../../trading/notice-query.service.js';
import { weakEtag } from '../../http/conditional.js';
import { OpenDataReadService } from '../open-data-read.service.js';
import { atom1, buildFeed, FEED_ITEMS, rss2 } from './feed-document.js';

/** RSS and Atom of the public notice list, with validators cheap enough to answer 304 before building. */
@Injectable()
export class FeedsService {
  constructor(private readonly query: NoticeQueryService, private readonly read: OpenDataReadService) {}

  parse(rawQuery: Record<string, unknown>): NoticeFilter {
    // A feed is always newest first; `sort` is accepted so a /notices URL's query works unchanged.
    return { ...parseNoticeFilter(rawQuery), sort: 'published' };
  }

  /**
   * Items never change once published, so the feed of a filter changes only when a matching notice is
   * published (its log seq) or, under "open", when one drops out (the count). Last-Modified is the newest
   * publication; it is left out under "open", whose content also changes as deadlines pass.
   */
  async validators(filter: NoticeFilter, format: string): Promise<{ etag: string; lastModified: Date | null }> {
    const row = await this.query.filtered(filter).select('MAX(n.log_seq)', 'seq').addSelect('MAX(n.published_at)', 'at').addSelect('COUNT(*)', 'count').getRawOne<{ seq: unknown; at: unknown; count: unknown }>();
    const at = row?.at ? toDate(row.at) : null;
    return {
      etag: weakEtag(`${format}|${new URLSearchParams(filterToQuery(filter))}|${row?.seq ?? 0}|${row?.count ?? 0}|${this.read.links.baseUrl}`),
      lastModified: filter.open ? null : at,
    };
  }

  async render(filter: NoticeFilter, format: 'rss' | 'atom'): Promise<string> {
    const page = await this.query.list({ ...filter, sort: 'published' }, { limit: FEED_ITEMS });
    const feed = buildFeed(page.items, filter, new URLSearchParams(filterToQuery(filter)).toString(), this.read.links, this.read.publisher);
    return format === 'rss' ? rss2(feed) : atom1(feed);
  }
}

// MAX() over a datetime comes back as text on SQLite ('YYYY-MM-DD HH:MM:SS.SSS', UTC) and a Date on MySQL.
function toDate(v: unknown): Date {
  if (v instanceof Date) return v;
  const s = String(v);
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s.replace(' ', 'T')}Z`);
}
