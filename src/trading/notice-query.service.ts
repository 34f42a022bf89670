import { Injectable } from '@nestjs/common';
import { Brackets, SelectQueryBuilder } from 'typeorm';
import { currentRender } from '../http/render-scope.js';
import { Clock } from '../common/clock.js';
import { Database } from '../database/database.js';
import { forceIndex } from '../database/dialect.js';
import { AppError } from '../http/app-error.js';
import { chinaDayEnd, chinaDayStart } from '../domain/china-time.js';
import { NoticeFilter, regionLikePattern } from './notice-filter.js';
import { Notice } from './notice.entity.js';
import { regionPrefix } from '../domain/catalog.js';
import { countKey, countRanges, NoticeCounts } from './notice-counts.js';
import { NoticeSearch, SEARCH_TOTAL_CAP } from './notice-search.js';
import { Project } from './project.entity.js';

/** A region holding fewer than 1 in this many notices is listed through its filter key (regionIsNarrow). */
const REGION_SHARE = 50;

/** The types that open a bidding period: what "open now" and the deadline order list. */
export const ANNOUNCEMENT_TYPES = ['tender', 'prequalification', 'procurement', 'transfer'];

export interface NoticePage {
  items: Notice[];
  total: number;
  /**
   * False when `total` is a lower bound: a search matching more than SEARCH_TOTAL_CAP notices stops counting
   * there (show "超过 {total} 条"). Always true without a keyword.
   */
  totalExact: boolean;
  /** Opaque cursor of the next page, null on the last page. */
  next: string | null;
}

interface CursorValue {
  v: 1;
  s: 'published' | 'deadline';
  /** Sort key: ISO instant. */
  k: string;
  i: string;
}

/**
 * Published notices by the public filters, in keyset pages (correct at any depth, unlike OFFSET). Pages,
 * feeds, exports and the JSON API all list through here, so they agree on what a filter means.
 */
@Injectable()
export class NoticeQueryService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly search: NoticeSearch,
    private readonly counts: NoticeCounts,
  ) {}

  /**
   * The filtered query, without order or paging. Each filter reads an index in list order, so a page reads
   * about its own rows: a keyword through the search index; a region (with or without a category) through its
   * filter key's rows in the search index (search-grams.ts filterKeys: the notices of a region prefix in list
   * order, which a LIKE range over region codes is not); the deadline order and "open now" through the notice's
   * copy of its project's bid deadline (ix_notice_deadline).
   */
  filtered(filter: NoticeFilter, plan: { regionByKey?: boolean } = { regionByKey: true }): SelectQueryBuilder<Notice> {
    const qb = this.db.manager
      .createQueryBuilder(Notice, 'n')
      .where('n.status = :published', { published: 'published' });
    // Only announcements carry a deadline: a type filter without one has nothing to sort by it.
    const types = filter.type ? [filter.type] : filter.types;
    if ((filter.open || filter.sort === 'deadline') && types && !types.some((t) => ANNOUNCEMENT_TYPES.includes(t)))
      qb.andWhere('1 = 0');
    if (filter.category) qb.andWhere('n.category = :category', { category: filter.category });
    if (filter.type) qb.andWhere('n.type = :type', { type: filter.type });
    if (filter.types) qb.andWhere('n.type IN (:...types)', { types: filter.types });
    if (filter.region) qb.andWhere('n.region_code LIKE :region', { region: regionLikePattern(filter.region) });
    if (filter.open || filter.sort === 'deadline') {
      // Only announcements carry a deadline (Notice.bidDeadline), so this also keeps to them.
      qb.andWhere('n.bid_deadline IS NOT NULL');
    }
    if (filter.open) {
      const now = this.clock.now();
      qb.innerJoin('project', 'p', 'p.id = n.project_id');
      qb.andWhere('n.bid_deadline > :now AND p.terminated_at IS NULL AND n.withdrawn_at IS NULL', { now });
      // What "open now" matches changes when the next deadline passes: a cached response is valid until then.
      currentRender()?.changesAtQueried('next-bid-deadline', () => this.nextBidDeadline(now));
    }
    if (filter.q) this.search.apply(qb, filter.q, filter);
    else if (filter.region && filter.sort === 'published' && plan.regionByKey)
      this.search.startFromFilterKey(qb, filter);
    // On the list's own columns (the search's when it leads), so the index range starts and ends at the dates.
    const { publishedAt: at } = this.search.orderColumns(qb);
    if (filter.from) qb.andWhere(`${at} >= :from`, { from: chinaDayStart(filter.from) });
    if (filter.to) qb.andWhere(`${at} <= :to`, { to: chinaDayEnd(filter.to) });
    return qb;
  }

  /**
   * The earliest bid deadline after `now`, of any project (one row of ix_project_bid_deadline): no answer of an
   * "open now" filter changes before it, without a publication.
   */
  async nextBidDeadline(now: Date): Promise<Date | null> {
    const p = await this.db.manager
      .createQueryBuilder(Project, 'p')
      .select(['p.id', 'p.bidDeadline'])
      .where('p.bid_deadline > :now', { now })
      .orderBy('p.bid_deadline', 'ASC')
      .limit(1)
      .getOne();
    return p?.bidDeadline ?? null;
  }

  /** A page and the filter's total (`withoutTotal`: the page only, total 0). */
  async list(
    filter: NoticeFilter,
    page: { limit: number; after?: string; withoutTotal?: boolean },
  ): Promise<NoticePage> {
    const [{ count: total, exact: totalExact }, rest] = await Promise.all([
      page.withoutTotal ? { count: 0, exact: true } : this.total(filter),
      this.page(filter, page.limit, page.after),
    ]);
    return { total, totalExact, ...rest };
  }

  /**
   * How many notices match, never by reading them all: the kept counts (NoticeCounts) answer the filters and
   * combinations they hold exactly; a keyword's total comes from the search (exact up to SEARCH_TOTAL_CAP); any
   * other combination ("open now", dates with a category or region, …) is counted up to the same cap, and a
   * larger total is reported as that many with exact: false ("more than").
   */
  async total(filter: NoticeFilter, cap = SEARCH_TOTAL_CAP): Promise<{ count: number; exact: boolean }> {
    // A common word matches most notices: the search bounds its count rather than cost more than the page.
    if (filter.q) return this.search.total(this.filtered(filter), filter, cap);
    const ranges = countRanges(filter, ANNOUNCEMENT_TYPES);
    if (ranges) return { count: await this.counts.sum(ranges), exact: true };
    const [sql, parameters] = this.filtered(filter)
      .select('n.id')
      .limit(cap + 1)
      .getQueryAndParameters();
    const rows: { total: unknown }[] = await this.db.manager.query(
      `SELECT COUNT(*) AS total FROM (${sql}) matches`,
      parameters,
    );
    const count = Number(rows[0].total);
    return count > cap ? { count: cap, exact: false } : { count, exact: true };
  }

  /** Every matching notice in order, in batches by key: constant memory for readers of any size. */
  async *batches(filter: NoticeFilter, batchSize = 500): AsyncGenerator<Notice[]> {
    let after: string | undefined;
    for (;;) {
      const page = await this.page(filter, batchSize, after);
      if (page.items.length) yield page.items;
      if (!page.next) return;
      after = page.next;
    }
  }

  /**
   * The filter's notices in list order after a raw key (as the driver returned it), with the index to read
   * them by: for readers that page raw rows themselves (the CSV export). Newest first.
   */
  async listedAfter(filter: NoticeFilter, after?: { at: unknown; id: string }): Promise<SelectQueryBuilder<Notice>> {
    const qb = this.filtered({ ...filter, sort: 'published' }, { regionByKey: await this.regionIsNarrow(filter) });
    const { publishedAt: at, id } = this.search.orderColumns(qb);
    qb.orderBy(at, 'DESC').addOrderBy(id, 'DESC');
    // The redundant `<=` bounds the index range, so a deep page starts at its key instead of scanning from the top.
    if (after)
      qb.andWhere(`${at} <= :ck`, { ck: after.at }).andWhere(
        new Brackets((w) =>
          w.where(`${at} < :ck`, { ck: after.at }).orWhere(`${at} = :ck AND ${id} < :ci`, { ci: after.id }),
        ),
      );
    this.hintListIndex(qb, filter);
    return qb;
  }

  /**
   * MySQL/MariaDB may read a list by the status prefix of an index and sort, or walk it from the top for each
   * page; naming the index whose columns end in the list's order keeps each page to its own rows. (SQLite picks
   * these by itself; the hint is MySQL's only.) A search or filter key reaches notices by primary key (set there).
   */
  private hintListIndex(qb: SelectQueryBuilder<Notice>, filter: NoticeFilter) {
    if (qb.expressionMap.useIndex) return;
    const types = filter.type ? [filter.type] : filter.types;
    const index =
      filter.sort === 'deadline'
        ? 'ix_notice_deadline'
        : filter.open
          ? 'ix_notice_list'
          : types?.length === 1
            ? 'ix_notice_list_type'
            : filter.category
              ? 'ix_notice_list_category'
              : 'ix_notice_list';
    forceIndex(qb, this.db.dialect, index);
  }

  /**
   * Whether a region filter is better read through its filter key's rows than by walking the list and testing
   * each row: when the region holds under 1 in REGION_SHARE of the notices (a county), walking would read that
   * many rows per row shown; a broad one (a city of the province) is found every few rows of the list. Two count rows.
   */
  private async regionIsNarrow(filter: NoticeFilter): Promise<boolean> {
    if (!filter.region || filter.q) return false;
    const region = countKey({ category: filter.category, region: regionPrefix(filter.region) });
    const [matching, all] = await Promise.all([this.counts.sum([[region, region]]), this.counts.allNotices()]);
    return matching * REGION_SHARE < all;
  }

  private async page(
    filter: NoticeFilter,
    limit: number,
    after?: string,
  ): Promise<Omit<NoticePage, 'total' | 'totalExact'>> {
    const cursor = after ? decodeCursor(after, filter.sort) : undefined;
    let qb: SelectQueryBuilder<Notice>;
    let keyOf: (n: Notice) => Date;
    if (filter.sort === 'deadline') {
      // Soonest deadline first: what a bidder scanning open tenders needs.
      qb = this.filtered(filter);
      qb.orderBy('n.bid_deadline', 'ASC').addOrderBy('n.id', 'ASC');
      if (cursor)
        qb.andWhere('n.bid_deadline >= :ck', { ck: cursor.k }).andWhere(
          new Brackets((w) =>
            w
              .where('n.bid_deadline > :ck', { ck: cursor.k })
              .orWhere('n.bid_deadline = :ck AND n.id > :ci', { ci: cursor.i }),
          ),
        );
      if (!filter.q) this.hintListIndex(qb, filter);
      keyOf = (n) => n.bidDeadline!;
    } else {
      qb = await this.listedAfter(filter, cursor && { at: cursor.k, id: cursor.i });
      keyOf = (n) => n.publishedAt!;
    }
    const entities = await qb.limit(limit + 1).getMany();
    const items = entities.slice(0, limit);
    const last = items.length - 1;
    const next = entities.length > limit ? encodeCursor(filter.sort, keyOf(items[last]), items[last].id) : null;
    return { items, next };
  }
}

export function encodeCursor(sort: CursorValue['s'], key: Date, id: string): string {
  const value: CursorValue = { v: 1, s: sort, k: key.toISOString(), i: id };
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor(cursor: string, sort: CursorValue['s']): { k: Date; i: string } {
  const bad = () =>
    new AppError('filter.cursor', '分页游标无效，请从第一页重新开始', [{ field: 'after', message: '无效的游标' }]);
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) throw bad();
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorValue;
    const k = new Date(v.k);
    if (v.v !== 1 || v.s !== sort || typeof v.i !== 'string' || Number.isNaN(k.getTime())) throw bad();
    return { k, i: v.i };
  } catch {
    throw bad();
  }
}
