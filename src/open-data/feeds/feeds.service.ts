import { Injectable } from '@nestjs/common';
import { filterToQuery, parseNoticeFilter, type NoticeFilter } from '../../trading/notice-filter.js';
import { feedVersionOf, PublishedReads } from '../../published/published-reads.js';
import { weakEtag } from '../../http/conditional.js';
import { OpenDataReadService } from '../open-data-read.service.js';
import { atom1, buildFeed, FEED_COLUMNS, FEED_ITEMS, rss2, SUMMARY_CHARS, type FeedNotice } from './feed-document.js';

/** RSS and Atom of the public notice list, with validators cheap enough to answer 304 before building. */
@Injectable()
export class FeedsService {
  constructor(
    private readonly reads: PublishedReads,
    private readonly read: OpenDataReadService,
  ) {}

  parse(rawQuery: Record<string, unknown>): NoticeFilter {
    // A feed is always newest first; `sort` is accepted so a /notices URL's query works unchanged.
    return { ...parseNoticeFilter(rawQuery), sort: 'published' };
  }

  /**
   * The feed's items with their validators. Items never change once published, so the feed of a filter changes
   * only when its items do: their ids and log positions (feedVersionOf) label it, read with it in one list read of
   * a page's worth of the list's index (never a count or MAX over all matches), so a 304 costs that read and no
   * rendering. Last-Modified is the newest publication; it is left out under "open", whose content also changes as
   * deadlines pass.
   */
  async items(filter: NoticeFilter, format: string): Promise<{ items: FeedNotice[] } & Validators> {
    const page = await this.reads.list(
      { ...filter, sort: 'published' },
      // The body's start alone (a character more than the summary, so it knows whether to add "…"): the database
      // cuts it, at the same cost whatever the notice's length.
      { limit: FEED_ITEMS, withoutTotal: true, columns: FEED_COLUMNS, bodyChars: SUMMARY_CHARS + 1 },
    );
    return { items: page.items, ...this.validatorsOf(feedVersionOf(page.items), filter, format) };
  }

  private validatorsOf(version: { key: string; at: Date | null }, filter: NoticeFilter, format: string): Validators {
    return {
      etag: weakEtag(
        `${format}|${new URLSearchParams(filterToQuery(filter))}|${version.key}|${this.read.links.baseUrl}`,
      ),
      lastModified: filter.open ? null : version.at,
    };
  }

  render(items: FeedNotice[], filter: NoticeFilter, format: 'rss' | 'atom'): string {
    const feed = buildFeed(
      items,
      filter,
      new URLSearchParams(filterToQuery(filter)).toString(),
      this.read.links,
      this.read.publisher,
    );
    return format === 'rss' ? rss2(feed) : atom1(feed);
  }
}

interface Validators {
  etag: string;
  lastModified: Date | null;
}
