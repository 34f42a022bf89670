import { Injectable } from '@nestjs/common';
import { Brackets, SelectQueryBuilder } from 'typeorm';
import { currentRender } from '../http/render-scope.js';
import { Clock } from '../common/clock.js';
import { Database } from '../database/database.js';
import { AppError } from '../http/app-error.js';
import { chinaDayEnd, chinaDayStart } from '../domain/china-time.js';
import { NoticeFilter, regionLikePattern } from './notice-filter.js';
import { Notice } from './notice.entity.js';
import { NoticeSearch } from './notice-search.js';
import { Project } from './project.entity.js';

const ANNOUNCEMENT_TYPES = ['tender', 'prequalification', 'procurement', 'transfer'];

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
  constructor(private readonly db: Database, private readonly clock: Clock, private readonly search: NoticeSearch) {}

  /** The filtered query, without order or paging. */
  filtered(filter: NoticeFilter): SelectQueryBuilder<Notice> {
    const qb = this.db.manager.createQueryBuilder(Notice, 'n').where('n.status = :published', { published: 'published' });
    if (filter.category) qb.andWhere('n.category = :category', { category: filter.category });
    if (filter.type) qb.andWhere('n.type = :type', { type: filter.type });
    if (filter.types) qb.andWhere('n.type IN (:...types)', { types: filter.types });
    if (filter.region) qb.andWhere('n.region_code LIKE :region', { region: regionLikePattern(filter.region) });
    if (filter.from) qb.andWhere('n.published_at >= :from', { from: chinaDayStart(filter.from) });
    if (filter.to) qb.andWhere('n.published_at <= :to', { to: chinaDayEnd(filter.to) });
    if (filter.open || filter.sort === 'deadline') {
      qb.innerJoin('project', 'p', 'p.id = n.project_id');
      qb.andWhere('n.type IN (:...announcements)', { announcements: ANNOUNCEMENT_TYPES });
    }
    if (filter.open) {
      const now = this.clock.now();
      qb.andWhere('p.bid_deadline > :now AND p.terminated_at IS NULL AND n.withdrawn_at IS NULL', { now });
      // What "open now" matches changes when the next deadline passes: a cached response is valid until then.
      currentRender()?.changesAtQueried('next-bid-deadline', () => this.nextBidDeadline(now));
    }
    if (filter.q) this.search.apply(qb, filter.q, filter);
    return qb;
  }

  /**
   * The earliest bid deadline after `now`, of any project (one row of ix_project_bid_deadline): no answer of an
   * "open now" filter changes before it, without a publication.
   */
  async nextBidDeadline(now: Date): Promise<Date | null> {
    const p = await this.db.manager.createQueryBuilder(Project, 'p').select(['p.id', 'p.bidDeadline'])
      .where('p.bid_deadline > :now', { now }).orderBy('p.bid_deadline', 'ASC').limit(1).getOne();
    return p?.bidDeadline ?? null;
  }

  async list(filter: NoticeFilter, page: { limit: number; after?: string }): Promise<NoticePage> {
    // A common word matches most notices: the search bounds its count rather than cost more than the page.
    const { count: total, exact: totalExact } = filter.q
      ? await this.search.total(this.filtered(filter), filter)
      : { count: await this.filtered(filter).getCount(), exact: true };
    return { total, totalExact, ...(await this.page(filter, page.limit, page.after)) };
  }

  /** Every matching notice in order, in batches by key: constant memory for exports of any size. */
  async *batches(filter: NoticeFilter, batchSize = 500): AsyncGenerator<Notice[]> {
    let after: string | undefined;
    for (;;) {
      const page = await this.page(filter, batchSize, after);
      if (page.items.length) yield page.items;
      if (!page.next) return;
      after = page.next;
    }
  }

  private async page(filter: NoticeFilter, limit: number, after?: string): Promise<Omit<NoticePage, 'total' | 'totalExact'>> {
    const cursor = after ? decodeCursor(after, filter.sort) : undefined;
    const qb = this.filtered(filter);
    let keyOf: (n: Notice, raw: Record<string, unknown>) => Date;
    if (filter.sort === 'deadline') {
      // Soonest deadline first: what a bidder scanning open tenders needs.
      qb.addSelect('p.bid_deadline', 'sort_key').andWhere('p.bid_deadline IS NOT NULL').orderBy('p.bid_deadline', 'ASC').addOrderBy('n.id', 'ASC');
      if (cursor) qb.andWhere(new Brackets((w) => w.where('p.bid_deadline > :ck', { ck: cursor.k }).orWhere('p.bid_deadline = :ck AND n.id > :ci', { ci: cursor.i })));
      keyOf = (_n, raw) => toDate(raw.sort_key);
    } else {
      // A search names its own columns for these (equal to the notice's), so its index is read in list order.
      const { publishedAt: at, id } = this.search.orderColumns(qb);
      qb.orderBy(at, 'DESC').addOrderBy(id, 'DESC');
      // The redundant `<=` bounds the index range, so a deep page starts at its key instead of scanning from the top.
      if (cursor) qb.andWhere(`${at} <= :ck`, { ck: cursor.k }).andWhere(new Brackets((w) => w.where(`${at} < :ck`, { ck: cursor.k }).orWhere(`${at} = :ck AND ${id} < :ci`, { ci: cursor.i })));
      keyOf = (n) => n.publishedAt!;
    }
    const { entities, raw } = await qb.limit(limit + 1).getRawAndEntities();
    const items = entities.slice(0, limit);
    const last = items.length - 1;
    const next = entities.length > limit ? encodeCursor(filter.sort, keyOf(items[last], rawFor(raw, items[last].id)), items[last].id) : null;
    return { items, next };
  }
}

// getRawAndEntities returns one raw row per joined row; find the entity's own.
const rawFor = (raw: Record<string, unknown>[], id: string) => raw.find((r) => r.n_id === id) ?? {};

function toDate(v: unknown): Date {
  if (v instanceof Date) return v;
  // SQLite returns 'YYYY-MM-DD HH:MM:SS.SSS' in UTC.
  return new Date(String(v).replace(' ', 'T') + (String(v).endsWith('Z') ? '' : 'Z'));
}

export function encodeCursor(sort: CursorValue['s'], key: Date, id: string): string {
  const value: CursorValue = { v: 1, s: sort, k: key.toISOString(), i: id };
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor(cursor: string, sort: CursorValue['s']): { k: Date; i: string } {
  const bad = () => new AppError('filter.cursor', '分页游标无效，请从第一页重新开始', [{ field: 'after', message: '无效的游标' }]);
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
