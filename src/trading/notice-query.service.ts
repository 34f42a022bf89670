import { Injectable } from '@nestjs/common';
import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { keysetAfter, keysetFrom, named } from '../database/keyset.js';
import { currentRender } from '../http/render-scope.js';
import { Clock } from '../common/clock.js';
import { Database } from '../database/database.js';
import { forceIndex, notIndexed, sqlDateTime } from '../database/dialect.js';
import { AppError } from '../http/app-error.js';
import { chinaDate, chinaDayEnd, chinaDayStart } from '../domain/china-time.js';
import { NoticeFilter, regionLikePattern } from './notice-filter.js';
import { Notice, storedPublishedAt } from './notice.entity.js';
import { PROVINCE_PREFIXES, regionPrefix } from '../domain/catalog.js';
import { filterKeyOf, typeFilterKey } from './search-grams.js';
import { DEADLINE_KEYS, deadlineKeyOf, deadlineRange, type DeadlineRange } from './deadline-keys.js';
import { countKey, countRanges, NoticeCounts, openRanges } from './notice-counts.js';
import { NoticeSearch, SEARCH_TOTAL_CAP, SEARCH_TOTAL_SQL, withOlder, type Candidates } from './notice-search.js';
import { Project } from './project.entity.js';

/**
 * Reads per row of a region's filter key (the key's row, then the notice by primary key), against one per entry of
 * a list index walked in order (listPlan): a region is read by its key when that costs fewer reads.
 */
const FILTER_KEY_READS = 2;

/** How a list in publication order without a keyword reads its notices (listPlan). */
interface ListPlan {
  /** Led by the region's filter key rows (NoticeSearch.startFromFilterKey). */
  regionByKey: boolean;
  /** Those of this key (the filter's one type in the region, with its category or not: typeFilterKey), not of its category and region. */
  key?: string;
  /**
   * The key holds exactly the filter's notices (its type, its category or none, its region): a reader of ids and
   * instants reads the key's rows alone (NoticeSearch.keyRows), one read a notice instead of two.
   */
  exact?: boolean;
  /** Otherwise, the list index walked in order. */
  index: ListIndex;
}
type ListIndex = 'ix_notice_list' | 'ix_notice_list_category' | 'ix_notice_list_type' | 'ix_notice_list_cat_type';

/** Instants a search's total confirms per statement. */
const COUNT_WINDOW = 1000;
/** Candidate instants a search's page confirms per statement at most. */
const PAGE_WINDOW = 2000;
/** Rows of a raw reader's first batch (rawBatches): about the first 64 kB of a CSV export. */
const FIRST_BATCH = 100;
/** The fewest rows mergedTypes reads of a type at once (when a batch needs only a few more). */
const MERGE_READ_MIN = 20;
/** Announcements a keyword's walk in deadline order reads first, a row of its page (deadlineWalk). */
const FIRST_STRETCH = 8;
/**
 * Reads an announcement walked in deadline order costs (where its stretch ends, the key's row or index entry, the
 * notice, its text) against a candidate read by its instant (the list index, the notice; the text of those that
 * pass the filter): the walk goes on while it has walked fewer announcements than the candidates over this.
 */
const CANDIDATE_WALK_RATIO = 2;
/** Reads an announcement published within dates costs when they are read and ordered (datedByDeadline). */
const DATED_READS = 2;
/** Marks the statement that sorts the announcements published within dates by deadline (datedByDeadline). */
export const DATED_SORT = 'dated announcements by deadline';
/** Beyond any publication: the upper end of a search without a cursor or an end date. */
const FAR_FUTURE = Date.UTC(9000, 0, 1);
/**
 * Open announcements published long before the others (a deadline typed a year out): up to this many oldest are
 * read by their own instants, so that a keyword's "open now" candidates start at the next one's publication.
 */
const OPEN_STRAGGLERS = 32;

/** The deadline index a filter's announcements are read along: the category's own when it has one. */
const deadlineIndex = (filter: Pick<NoticeFilter, 'category'>) =>
  filter.category ? 'ix_notice_deadline_category' : 'ix_notice_deadline';

/** What rawBatches' `select` may be instead of columns: the ids and instants alone (`id`, `published_at`). */
export const IDS_ONLY = 'ids';
type RawSelect = ((qb: SelectQueryBuilder<Notice>) => void) | typeof IDS_ONLY;

/**
 * The types a filter keeps to, undefined for every type: its type, or its types (an export's), or with both the
 * types among the export's that the type names (awards.csv?type=result: the one; a type outside them: none).
 */
function typesOf(filter: NoticeFilter): readonly string[] | undefined {
  if (!filter.type) return filter.types;
  return !filter.types || filter.types.includes(filter.type) ? [filter.type] : [];
}

/** The one type a filter keeps to, if one: then the filter and `type` alone list the same notices. */
function singleType(filter: NoticeFilter): string | undefined {
  const types = typesOf(filter);
  return types?.length === 1 ? types[0] : undefined;
}

/** The columns a raw reader picks: its own, or the ids and instants. */
function selectRaw(qb: SelectQueryBuilder<Notice>, select: RawSelect) {
  if (select === IDS_ONLY) qb.select('n.id', 'id').addSelect('n.published_at', 'published_at');
  else select(qb);
}

/** The narrowest list index a filter's category and type have (each holds the next one's notices). */
function listIndex(filter: NoticeFilter): ListIndex {
  const type = singleType(filter);
  if (filter.category) return type ? 'ix_notice_list_cat_type' : 'ix_notice_list_category';
  return type ? 'ix_notice_list_type' : 'ix_notice_list';
}

/** The list key of the last of a batch of raw rows, as the driver gave it (so it compares exactly). */
const rawKey = (rows: Record<string, unknown>[]) => ({
  at: rows[rows.length - 1].published_at,
  id: rows[rows.length - 1].id as string,
});

/**
 * What `read` gives for this filter object, read once: a page and its total share the filter (list), so what a
 * search derives from the database before its candidates (its narrowing key, the oldest open announcement) is
 * read once a request; the entry goes with the filter.
 */
function oncePerFilter<T>(memo: WeakMap<NoticeFilter, Promise<T>>, filter: NoticeFilter, read: () => Promise<T>) {
  let value = memo.get(filter);
  if (!value) memo.set(filter, (value = read()));
  return value;
}

/** Whether an "open now" set is small enough to be read by deadline and ordered: at most the cap. */
const fewOpen = (total: { count: number; exact: boolean }) => total.exact && total.count <= SEARCH_TOTAL_CAP;

/** The keyset columns of the list in publication order and by deadline (the page's cursor holds their values). */
const N_PUBLISHED = { key: 'n.published_at', id: 'n.id' };
const N_DEADLINE = { key: 'n.bid_deadline', id: 'n.id' };
/** The alias of a deadline key's rows when they lead the deadline order. */
const DEADLINE_KEY = 'dk';

/** The types that open a bidding period: what "open now" and the deadline order list. */
export const ANNOUNCEMENT_TYPES = ['tender', 'prequalification', 'procurement', 'transfer'];

/** What a page of the list asks: its size, its cursor, whether to count, and which properties to read. */
export interface ListPageOptions<K extends keyof Notice = keyof Notice> {
  limit: number;
  after?: string;
  withoutTotal?: boolean;
  /** The properties the reader prints (the id always comes too); without, every column. */
  columns?: readonly K[];
  /**
   * With `columns` naming the body: its first this many characters alone, cut by the database (a feed's summary
   * of a notice of any length: decoding a long Chinese body costs more than the rest of its entry).
   */
  bodyChars?: number;
}

/** A notice read with `columns` K: those properties and its id alone (NoticeQueryService.list). */
export type NoticeColumns<K extends keyof Notice> = Pick<Notice, 'id' | K>;

/** How a page's notices are read: every column, or `pick`'s (TypeORM selections), the body cut at `bodyChars`. */
interface Reading {
  pick?: string[];
  bodyChars?: number;
}

function readingOf(columns: readonly (keyof Notice)[] | undefined, bodyChars: number | undefined): Reading {
  if (!columns) return {};
  if (bodyChars !== undefined && !(Number.isInteger(bodyChars) && bodyChars > 0))
    throw new Error(`bodyChars must be a positive integer, not ${bodyChars}`);
  const cut = bodyChars !== undefined && columns.includes('body');
  const read = columns.filter((c) => !(cut && c === 'body'));
  return { pick: [...new Set(['id', ...read])].map((c) => `n.${c}`), bodyChars: cut ? bodyChars : undefined };
}

/** The notices `qb` finds, read as `reading` says. */
async function readNotices(qb: SelectQueryBuilder<Notice>, reading: Reading): Promise<Notice[]> {
  if (!reading.pick) return qb.getMany();
  qb.select(reading.pick);
  if (!reading.bodyChars) return qb.getMany();
  qb.addSelect(`SUBSTR(n.body, 1, ${reading.bodyChars})`, 'body_start');
  const { entities, raw } = await qb.getRawAndEntities();
  const starts = new Map((raw as Record<string, unknown>[]).map((r) => [String(r.n_id), String(r.body_start)]));
  for (const n of entities) n.body = starts.get(n.id) ?? '';
  return entities;
}

/** A page of notices: whole ones, or (with `columns`) `Pick`s of what was read, so a reader cannot print more. */
export interface NoticePage<N = Notice> {
  items: N[];
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
   * copy of its project's bid deadline (ix_notice_deadline, or ix_notice_deadline_category with a category).
   */
  filtered(
    filter: NoticeFilter,
    plan: { regionByKey?: boolean; key?: string; openByDeadline?: boolean; now?: Date } = { regionByKey: true },
  ): SelectQueryBuilder<Notice> {
    const qb = this.db.manager
      .createQueryBuilder(Notice, 'n')
      .where('n.status = :published', { published: 'published' });
    // Only announcements carry a deadline: a type filter without one has nothing to sort by it.
    const types = typesOf(filter);
    if ((filter.open || filter.sort === 'deadline') && types && !types.some((t) => ANNOUNCEMENT_TYPES.includes(t)))
      qb.andWhere('1 = 0');
    if (filter.category) qb.andWhere('n.category = :category', { category: filter.category });
    if (filter.type) qb.andWhere('n.type = :type', { type: filter.type });
    // Several types are not one range of ix_notice_list_type: read along the list and test the type.
    if (filter.types)
      qb.andWhere(`${filter.types.length > 1 ? notIndexed(this.db.dialect, 'n.type') : 'n.type'} IN (:...types)`, {
        types: filter.types,
      });
    if (filter.region) qb.andWhere('n.region_code LIKE :region', { region: regionLikePattern(filter.region) });
    if (filter.open || filter.sort === 'deadline') {
      // Only announcements carry a deadline (Notice.bidDeadline), so this also keeps to them.
      qb.andWhere('n.bid_deadline IS NOT NULL');
    }
    if (filter.open) {
      const now = plan.now ?? this.clock.now();
      qb.innerJoin('project', 'p', 'p.id = n.project_id');
      qb.andWhere('n.bid_deadline > :now AND p.terminated_at IS NULL AND n.withdrawn_at IS NULL', { now });
      // What "open now" matches changes when the next deadline passes: a cached response is valid until then.
      currentRender()?.changesAtQueried('next-bid-deadline', () => this.nextBidDeadline(now));
    }
    if (filter.q) this.search.textConditions(qb, filter.q);
    // "Open now" is read from what is open now (the deadline index's range after `now`), not by walking the list
    // until a page of open ones turns up: with a type, a category or a region, or on the last page, that walk went
    // through every older notice (3 s at 1,000,000). The list is walked only when more than the count's cap are
    // open (openByDeadline false: they are then dense in the list).
    else if (filter.open && plan.openByDeadline !== false)
      forceIndex(qb, this.db.dialect, deadlineIndex(filter), { sqlite: true });
    else if (filter.region && filter.sort === 'published' && plan.regionByKey)
      this.search.startFromFilterKey(qb, filter, plan.key);
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

  /**
   * A page and the filter's total (`withoutTotal`: the page only, total 0). With `columns`, the page's notices
   * hold those properties alone (and their id), for a reader that prints few of them (feeds).
   */
  list(filter: NoticeFilter, page: ListPageOptions & { columns?: undefined }): Promise<NoticePage>;
  list<K extends keyof Notice>(filter: NoticeFilter, page: ListPageOptions<K>): Promise<NoticePage<NoticeColumns<K>>>;
  async list(filter: NoticeFilter, page: ListPageOptions): Promise<NoticePage> {
    if (this.readsOpenSet(filter)) {
      // The total first: it says whether the open set is small enough to read by deadline (openByDeadline).
      const counted = await this.total(filter);
      const rest = await this.page(filter, page, fewOpen(counted));
      return page.withoutTotal
        ? { total: 0, totalExact: true, ...rest }
        : { total: counted.count, totalExact: counted.exact, ...rest };
    }
    const [{ count: total, exact: totalExact }, rest] = await Promise.all([
      page.withoutTotal ? { count: 0, exact: true } : this.total(filter),
      this.page(filter, page),
    ]);
    return { total, totalExact, ...rest };
  }

  /** "Open now" in publication order without a keyword: read from the open set when it is counted exactly. */
  private readsOpenSet(filter: NoticeFilter): boolean {
    return !!filter.open && !filter.q && filter.sort !== 'deadline';
  }

  /** Whether the filter's open notices are few enough (counted exactly, up to the cap) to be read by deadline. */
  private async openByDeadline(filter: NoticeFilter): Promise<boolean> {
    return this.readsOpenSet(filter) && fewOpen(await this.total(filter));
  }

  /**
   * How many notices match, never by reading them all: the kept counts (NoticeCounts) answer the filters and
   * combinations they hold exactly; "open now" sums the kept counts of deadlines after today and reads today's
   * remaining ones; a keyword's total comes from the search (exact up to SEARCH_TOTAL_CAP); any other combination
   * ("open now" with publication dates) is counted up to the same cap, and a larger total is reported as that
   * many with exact: false ("more than").
   */
  async total(filter: NoticeFilter, cap = SEARCH_TOTAL_CAP): Promise<{ count: number; exact: boolean }> {
    // A common word matches most notices: the search bounds its count rather than cost more than the page.
    if (filter.q) return this.searchTotal(filter, cap);
    const ranges = countRanges(filter, ANNOUNCEMENT_TYPES);
    // Once a request (the deadline order within dates reads it to choose how to read its page).
    if (ranges)
      return oncePerFilter(this.keptTotals, filter, async () => ({
        count: await this.counts.sum(ranges),
        exact: true,
      }));
    const now = this.clock.now();
    const today = chinaDate(now);
    const open = openRanges(filter, ANNOUNCEMENT_TYPES, today);
    if (open) {
      // Deadlines after today from the kept counts; today's remaining ones on the deadline index (a day's worth).
      const [sql, parameters] = this.filtered(filter, { regionByKey: true, now })
        .andWhere('n.bid_deadline <= :todayEnd', { todayEnd: chinaDayEnd(today) })
        .select('n.id')
        .limit(cap + 1)
        .getQueryAndParameters();
      const [later, rest] = await Promise.all([this.counts.sum(open), this.capped(sql, parameters, cap)]);
      return { count: later + rest.count, exact: rest.exact };
    }
    const [sql, parameters] = this.filtered(filter)
      .select('n.id')
      .limit(cap + 1)
      .getQueryAndParameters();
    return this.capped(sql, parameters, cap);
  }

  private async capped(sql: string, parameters: unknown[], cap: number): Promise<{ count: number; exact: boolean }> {
    const rows: { total: unknown }[] = await this.db.manager.query(
      `SELECT COUNT(*) AS total FROM (${sql}) matches`,
      parameters,
    );
    const count = Number(rows[0].total);
    return count > cap ? { count: cap, exact: false } : { count, exact: true };
  }

  /**
   * A search's total: one term without filters from the key counts; anything else counted window by window of
   * the matcher's candidates, up to `cap` matches or about `cap` candidates, whichever comes first. Where the
   * candidates are the matches (every term its own key, the filter's key exactly its notices: Candidates.exact,
   * searchKey), an instant at which one notice alone was published counts one, read from the list index alone;
   * only the notices of instants shared by several are read and their texts checked.
   */
  private async searchTotal(filter: NoticeFilter, cap: number): Promise<{ count: number; exact: boolean }> {
    const types = typesOf(filter);
    if (
      filter.sort === 'deadline' &&
      !filter.open &&
      types?.length &&
      types.every((t) => ANNOUNCEMENT_TYPES.includes(t))
    ) {
      // The deadline order lists the announcements (each carries a deadline: the kept totals of the deadline order
      // count them so): of types that all open a bidding period, that is every notice the filter lists, so its
      // total is the publication order's, counted by instant where the index allows, without reading each
      // candidate's notice and text to test for a deadline.
      return this.searchTotal({ ...filter, sort: 'published' }, cap);
    }
    const known = await this.search.exactTotal(filter);
    if (known !== undefined) return { count: known, exact: true };
    const narrowing = await this.searchKey(filter);
    const matcher = await this.candidates(filter, narrowing.key, undefined, { counting: true });
    if (!matcher) return { count: 0, exact: true };
    const byInstant = narrowing.exact && matcher.exact;
    let count = 0;
    let examined = 0;
    for (;;) {
      // Candidates are confirmed up to about `cap` of them: where a filter the index has no key for ("open now",
      // the deadline order's announcements) rejects most, the total is what was found by then, as a lower bound
      // ("more than"), rather than a read of every candidate.
      if (examined > cap) return { count, exact: false };
      const instants = await matcher.take(COUNT_WINDOW);
      examined += instants.length;
      if (!instants.length) return { count, exact: true };
      let confirm = instants;
      if (byInstant) {
        confirm = await this.sharedInstants(instants);
        count += instants.length - confirm.length;
        if (count > cap) return { count: cap, exact: false };
      }
      if (confirm.length) {
        const [sql, parameters] = this.atInstants(this.filtered(filter), confirm)
          .select('n.id')
          .limit(cap + 1 - count)
          .getQueryAndParameters();
        const part = await this.capped(sql, parameters, cap - count);
        count += part.count;
        if (!part.exact || count > cap) return { count: cap, exact: false };
      }
      if (instants.length < COUNT_WINDOW) return { count, exact: true };
    }
  }

  /** Of these instants, those at which more than one notice was published (by ix_notice_list alone); part of a total. */
  private async sharedInstants(instants: number[]): Promise<number[]> {
    const qb = this.atInstants(
      this.db.manager.createQueryBuilder(Notice, 'n').where('n.status = :published', { published: 'published' }),
      instants,
    )
      .select('n.published_at', 'at')
      .groupBy('n.published_at')
      .having('COUNT(*) > 1');
    forceIndex(qb, this.db.dialect, 'ix_notice_list');
    const [sql, parameters] = qb.getQueryAndParameters();
    const rows: { at: unknown }[] = await this.db.manager.query(
      sql.replace(/^SELECT /, `SELECT ${SEARCH_TOTAL_SQL}`),
      parameters,
    );
    return rows.map((r) => sqlDateTime(r.at)!.getTime());
  }

  /**
   * The filter key a search's candidates are narrowed by: one every notice the filter lists holds. Of one type,
   * the type's key in the region, with the category if any (typeFilterKey), held by that type's notices alone —
   * where the category's and region's key (filterKeyOf) holds every type's, and a word found mostly in other types
   * gave thousands of candidates the type then rejected one by one. Without a region, the province's type key,
   * when the kept counts show every notice of the type (and category) in that province (both read at once).
   * `exact`: the key's notices are the filter's, but for its keyword and dates (which bound the candidates'
   * instants): neither "open now" nor the deadline order (announcements) nor several types narrows further.
   */
  private searchKey(filter: NoticeFilter): Promise<{ key: string | undefined; exact: boolean }> {
    return oncePerFilter(this.searchKeys, filter, () => this.readSearchKey(filter));
  }

  private readonly keptTotals = new WeakMap<NoticeFilter, Promise<{ count: number; exact: boolean }>>();

  private readonly searchKeys = new WeakMap<NoticeFilter, Promise<{ key: string | undefined; exact: boolean }>>();

  private async readSearchKey(filter: NoticeFilter): Promise<{ key: string | undefined; exact: boolean }> {
    const types = typesOf(filter);
    const type = singleType(filter);
    const { category } = filter;
    const further = Boolean(filter.open) || filter.sort === 'deadline';
    let key: string | undefined;
    if (type && filter.region) key = typeFilterKey(type, regionPrefix(filter.region), category);
    else if (type) {
      const all = countKey({ category, type });
      const within = PROVINCE_PREFIXES.map((province) => ({
        province,
        key: countKey({ category, type, region: province }),
      }));
      const counts = await this.counts.byKey([all, ...within.map((w) => w.key)]);
      const holding = within.find((w) => counts.get(w.key) === counts.get(all));
      if (holding) key = typeFilterKey(type, holding.province, category);
    }
    if (key) return { key, exact: !further };
    return { key: filterKeyOf(filter), exact: !types && !further };
  }

  /**
   * A search's candidates, newest first: the matcher's within the filter's dates and before a cursor, and with
   * "open now" from the publication of the open announcements the stragglers leave (openPublications) on, then
   * the stragglers' own instants. Null when nothing can match.
   */
  private async candidates(
    filter: NoticeFilter,
    narrowedBy: string | undefined,
    cursor?: { k: Date },
    options: { counting?: boolean } = {},
  ): Promise<Candidates | null> {
    const { range, older } = await this.searchRange(filter, cursor);
    const matcher = await this.search.matcher(filter.q!, narrowedBy, range, options);
    return older.length ? withOlder(matcher, older) : matcher;
  }

  /**
   * The instants a search may find, (after, before] in ms, from the filter's dates and a cursor; with "open now",
   * after the open announcements' publications begin, and `older`: the few stragglers published before them,
   * within the same dates and cursor, newest first.
   */
  private async searchRange(
    filter: NoticeFilter,
    cursor?: { k: Date },
  ): Promise<{ range: { before: number; after: number }; older: number[] }> {
    let before = filter.to ? chinaDayEnd(filter.to).getTime() : FAR_FUTURE;
    if (cursor) before = Math.min(before, cursor.k.getTime());
    const after = filter.from ? chinaDayStart(filter.from).getTime() - 1 : -1;
    if (!filter.open) return { range: { before, after }, older: [] };
    // Nothing published before the oldest announcement still ahead of its deadline is open: a word's older
    // candidates are not read (a search with fewer open matches than a page read every one of them). One typed a
    // year out would widen that to a year of the word's candidates: the oldest few are read by their instants.
    const open = await this.openPublications(filter);
    return {
      range: { before, after: open.from === null ? before : Math.max(after, open.from - 1) },
      older: open.stragglers.filter((at) => at > after && at <= before),
    };
  }

  /**
   * When the announcements of the filter's category whose deadline is still ahead were published (ms): `from`,
   * the oldest but for up to OPEN_STRAGGLERS published before it (`stragglers`, newest first); `from` null when
   * those are all. Read from the deadline index's range ahead of now, over the announcements open now (and those
   * withdrawn or terminated before their deadline), not the history. A minute early, so it holds what "open now"
   * keeps a moment later.
   */
  private openPublications(filter: NoticeFilter): Promise<{ from: number | null; stragglers: number[] }> {
    return oncePerFilter(this.openFrom, filter, () => this.readOpenPublications(filter));
  }

  private readonly openFrom = new WeakMap<NoticeFilter, Promise<{ from: number | null; stragglers: number[] }>>();

  private async readOpenPublications(filter: NoticeFilter): Promise<{ from: number | null; stragglers: number[] }> {
    const qb = this.db.manager
      .createQueryBuilder(Notice, 'n')
      .select('n.published_at', 'at')
      .where('n.status = :published', { published: 'published' })
      .andWhere('n.bid_deadline > :since', { since: new Date(this.clock.now().getTime() - 60_000) })
      .orderBy('n.published_at', 'ASC')
      .limit(OPEN_STRAGGLERS + 1);
    if (filter.category) qb.andWhere('n.category = :category', { category: filter.category });
    forceIndex(qb, this.db.dialect, deadlineIndex(filter), { sqlite: true });
    const oldest = (await qb.getRawMany<{ at: unknown }>()).map((r) => sqlDateTime(r.at)!.getTime());
    if (oldest.length <= OPEN_STRAGGLERS) return { from: null, stragglers: oldest.reverse() };
    const from = oldest[OPEN_STRAGGLERS];
    // Those published at `from` itself are in its range.
    return { from, stragglers: oldest.filter((at) => at < from).reverse() };
  }

  /** Restricts to notices published at these instants: a window of a search's candidates. */
  private atInstants(qb: SelectQueryBuilder<Notice>, instants: number[]): SelectQueryBuilder<Notice> {
    // As the column stores them (a list parameter is bound as given: SQLite cannot bind a Date).
    const searchAt = instants.map((ms) => storedPublishedAt(this.db.dataSource, new Date(ms)));
    return qb.andWhere('n.published_at IN (:...searchAt)', { searchAt });
  }

  /** Every matching notice in order, in batches by key: constant memory for readers of any size. */
  async *batches(filter: NoticeFilter, batchSize = 500): AsyncGenerator<Notice[]> {
    let after: string | undefined;
    for (;;) {
      const page = await this.page(filter, { limit: batchSize, after });
      if (page.items.length) yield page.items;
      if (!page.next) return;
      after = page.next;
    }
  }

  /**
   * Every matching notice newest first as raw rows of the columns `select` picks, in batches of about `max`,
   * for readers that skip ORM hydration (the CSV export). Each batch reads its own rows: by keyset from the raw
   * key of the last row (passed back as the driver gave it, so it compares exactly on either database), or for
   * a search, by the next window of its candidates. The first batches are smaller (FIRST_BATCH, then four times
   * as many up to `max`), so a download's first bytes leave after a short read however many rows follow.
   */
  async *rawBatches(filter: NoticeFilter, max: number, select: RawSelect): AsyncGenerator<Record<string, unknown>[]> {
    // An export's types narrowed by a type filter (awards.csv?type=result): the one type, not each of them.
    const listed = { ...filter, types: typesOf(filter), sort: 'published' as const };
    let size = Math.min(FIRST_BATCH, max);
    const grow = () => (size = Math.min(size * 4, max));
    if (filter.q) {
      const matcher = await this.candidates(filter, (await this.searchKey(listed)).key);
      if (!matcher) return;
      for (;;) {
        const instants = await matcher.take(size);
        if (!instants.length) return;
        const qb = this.atInstants(this.filtered(listed), instants);
        qb.orderBy('n.published_at', 'DESC').addOrderBy('n.id', 'DESC');
        this.hintListIndex(qb, listed);
        selectRaw(qb, select);
        const [sql, params] = qb.getQueryAndParameters();
        const rows: Record<string, unknown>[] = await qb.connection.query(sql, params);
        if (rows.length) yield rows;
        if (instants.length < size) return;
        grow();
      }
    }
    if (listed.types && listed.types.length > 1 && !listed.open) {
      yield* this.mergedTypes(listed, listed.types, max, select);
      return;
    }
    const byDeadline = await this.openByDeadline(listed);
    const plan = await this.listPlan(listed);
    let after: { at: unknown; id: string } | undefined;
    for (;;) {
      const rows = await this.rawAfter(listed, plan, after, size, select, byDeadline);
      if (!rows.length) return;
      yield rows;
      if (rows.length < size) return;
      after = rawKey(rows);
      grow();
    }
  }

  /** Up to `size` raw rows of the filter's list after a key (listedAfter), the columns `select` picks. */
  private async rawAfter(
    filter: NoticeFilter,
    plan: ListPlan,
    after: { at: unknown; id: string } | undefined,
    size: number,
    select: RawSelect,
    openByDeadline = false,
  ): Promise<Record<string, unknown>[]> {
    if (select === IDS_ONLY && plan.exact && plan.key)
      return this.search.keyRows(
        plan.key,
        {
          from: filter.from ? chinaDayStart(filter.from) : undefined,
          to: filter.to ? chinaDayEnd(filter.to) : undefined,
          after,
        },
        size,
      );
    const qb = openByDeadline
      ? await this.openPage(filter, plan, after, size)
      : this.listedAfter(filter, plan, after).limit(size);
    if (!qb) return [];
    selectRaw(qb, select);
    const [sql, params] = qb.getQueryAndParameters();
    return qb.connection.query(sql, params);
  }

  /**
   * `size` notices of the open set (openByDeadline) in publication order after a key, in two reads: their ids from
   * the deadline index alone — it holds every column the filter tests, the order sorts by and the project's join
   * needs (migration 1767200000000) — then, by the query returned (the caller picks the columns), those notices by
   * id; undefined when there are none. The whole open set is read and sorted to find them, as index entries: read
   * with the notices' columns, every open notice was looked up in the table to be sorted (1,741 of them at
   * 1,000,000 notices: 5,307 pages and 14.9 ms for a page of 20; 1.9 ms this way).
   */
  private async openPage(
    filter: NoticeFilter,
    plan: ListPlan,
    after: { at: unknown; id: string } | undefined,
    size: number,
  ): Promise<SelectQueryBuilder<Notice> | undefined> {
    const keys = this.listedAfter(filter, plan, after, true);
    const rows: { id: string }[] = await keys.select('n.id', 'id').limit(size).getRawMany();
    if (!rows.length) return undefined;
    return this.db.manager
      .createQueryBuilder(Notice, 'n')
      .where('n.id IN (:...ids)', { ids: rows.map((r) => String(r.id)) })
      .orderBy('n.published_at', 'DESC')
      .addOrderBy('n.id', 'DESC');
  }

  /**
   * rawBatches for several types: each type read along its own list index (a category's, or the whole list's, of
   * that type), or with a region by its type's filter key in the region when that costs less (listPlan), from its
   * own key, and the types merged newest first. Walking the list and testing
   * the type read every notice of the other types on the way: at 1,000,000 notices the newest ones are mostly
   * projects still open, so the first 100 awards of a category took thousands of rows. A type is read again only
   * when its rows are used up, and then for its share of what the batch still needs (as the rows taken so far
   * were shared, MERGE_READ_MIN at least): a batch reads about its size (a type's whole batch each, before this,
   * three times it for awards), the rows left over kept for the next. Notices of one instant come by type in the id order of each (their order in one
   * list).
   */
  private async *mergedTypes(
    filter: NoticeFilter,
    types: readonly string[],
    max: number,
    select: RawSelect,
  ): AsyncGenerator<Record<string, unknown>[]> {
    let size = Math.min(FIRST_BATCH, max);
    // Each type along its own list index, or with a region by the rows of its key that cost least (listPlan).
    const streams = await Promise.all(
      types.map(async (type) => {
        const typed = { ...filter, types: undefined, type };
        return {
          filter: typed,
          plan: await this.listPlan(typed),
          rows: [] as Record<string, unknown>[],
          after: undefined as { at: unknown; id: string } | undefined,
          done: false,
          taken: 0,
        };
      }),
    );
    const read = async (s: (typeof streams)[number], want: number) => {
      s.rows = await this.rawAfter(s.filter, s.plan, s.after, want, select);
      if (s.rows.length < want) s.done = true;
      if (s.rows.length) s.after = rawKey(s.rows);
    };
    const instant = (row: Record<string, unknown>) => sqlDateTime(row.published_at)!.getTime();
    const newer = (a: Record<string, unknown>, b: Record<string, unknown>) =>
      instant(a) - instant(b) || (String(a.id) > String(b.id) ? 1 : -1);
    for (;;) {
      const batch: Record<string, unknown>[] = [];
      while (batch.length < size) {
        // Every stream that may hold more has a head to compare: those used up are read again, together, each for
        // its share of what the batch still needs — its share of the rows taken so far, a quarter more (types in
        // a steady mix fill a batch in one read each; an even share until a batch has been taken).
        const need = size - batch.length;
        const open = streams.filter((s) => !s.done);
        const taken = open.reduce((sum, s) => sum + s.taken, 0);
        const want = (s: (typeof streams)[number]) => {
          const share = taken ? (s.taken + 1) / (taken + open.length) : 1 / open.length;
          return Math.min(Math.max(Math.ceil(need * share * 1.25), MERGE_READ_MIN), max);
        };
        const empty = open.filter((s) => !s.rows.length);
        if (empty.length) await Promise.all(empty.map((s) => read(s, want(s))));
        let best: (typeof streams)[number] | undefined;
        for (const s of streams) if (s.rows.length && (!best || newer(s.rows[0], best.rows[0]) > 0)) best = s;
        if (!best) break;
        batch.push(best.rows.shift()!);
        best.taken++;
      }
      if (batch.length) yield batch;
      if (batch.length < size) return;
      size = Math.min(size * 4, max);
    }
  }

  /**
   * The filter's notices (no keyword) in list order after a key, with the index to read them by. Newest first.
   * The redundant `<=` bounds the index range, so a deep page starts at its key instead of scanning from the top.
   */
  private listedAfter(
    filter: NoticeFilter,
    plan: ListPlan,
    after?: { at: unknown; id: string },
    openByDeadline = false,
  ): SelectQueryBuilder<Notice> {
    const qb = this.filtered(
      { ...filter, sort: 'published' },
      { regionByKey: plan.regionByKey, key: plan.key, openByDeadline },
    );
    const { publishedAt: at, id } = this.search.orderColumns(qb);
    qb.orderBy(at, 'DESC').addOrderBy(id, 'DESC');
    if (after) qb.andWhere(keysetAfter({ key: at, id }, { key: after.at, id: after.id }, 'DESC', named(qb)));
    // On SQLite too: its planner may take the type's index for a category's few notices of that type.
    if (!plan.regionByKey && !qb.expressionMap.useIndex) forceIndex(qb, this.db.dialect, plan.index, { sqlite: true });
    return qb;
  }

  /**
   * MySQL/MariaDB may read a list by the status prefix of an index and sort, or walk it from the top for each
   * page; naming the index whose columns end in the list's order keeps each page to its own rows. (SQLite picks
   * these by itself; the hint is MySQL's only.) A search or filter key reaches notices by primary key (set there).
   */
  private hintListIndex(qb: SelectQueryBuilder<Notice>, filter: NoticeFilter) {
    if (qb.expressionMap.useIndex) return;
    const index =
      filter.sort === 'deadline' ? deadlineIndex(filter) : filter.open ? 'ix_notice_list' : listIndex(filter);
    forceIndex(qb, this.db.dialect, index);
  }

  /**
   * How a list in publication order without a keyword reads its notices: along the narrowest list index its filter
   * has — a category's notices of one type, a type's, a category's, or the whole list, each holding the next —
   * or, with a region, by the region's filter key rows when those cost fewer reads (FILTER_KEY_READS a row),
   * counted from the kept counts in one read. A page reads about its rows times (that many / the matching ones):
   * a county is read by its key, a broad city along the list, a category's few notices of a type on their own
   * index instead of testing every notice of the type (107,725 rows for one page at 1,000,000 notices). "Open
   * now" is led by its deadline range (filtered) or walks the list.
   */
  private async listPlan(filter: NoticeFilter): Promise<ListPlan> {
    if (filter.q || filter.open) return { regionByKey: false, index: 'ix_notice_list' };
    const along: ListPlan = { regionByKey: false, index: listIndex(filter) };
    if (!filter.region) return along;
    const { category } = filter;
    const type = singleType(filter);
    const region = regionPrefix(filter.region);
    const indexKey = countKey({ category, type });
    const regionKey = countKey({ category, region });
    // The type's filter keys in the region, with its category (when the filter has one) and without; their sizes
    // are the kept counts of the same parts.
    const typeKeys = type
      ? [undefined, ...(category ? [category] : [])]
          .map((c) => ({
            key: typeFilterKey(type, region, c),
            count: countKey({ category: c, type, region }),
            exact: c === category,
          }))
          .filter((k): k is { key: string; count: string; exact: boolean } => k.key !== undefined)
      : [];
    const counts = await this.counts.byKey([indexKey, regionKey, ...typeKeys.map((k) => k.count)]);
    let best: ListPlan = along;
    let reads = counts.get(indexKey)!;
    const consider = (plan: ListPlan, rows: number) => {
      if (rows * FILTER_KEY_READS < reads) [best, reads] = [plan, rows * FILTER_KEY_READS];
    };
    consider({ regionByKey: true, index: 'ix_notice_list' }, counts.get(regionKey)!);
    for (const k of typeKeys)
      consider({ regionByKey: true, key: k.key, exact: k.exact, index: 'ix_notice_list' }, counts.get(k.count)!);
    return best;
  }

  private async page(
    filter: NoticeFilter,
    { limit, after, columns, bodyChars }: Omit<ListPageOptions, 'withoutTotal'>,
    openByDeadline?: boolean,
  ): Promise<Omit<NoticePage, 'total' | 'totalExact'>> {
    const cursor = after ? decodeCursor(after, filter.sort) : undefined;
    // The page's key is read whatever the reader prints: the next page's cursor is made of it.
    const reading = readingOf(
      columns && [...columns, filter.sort === 'deadline' ? 'bidDeadline' : 'publishedAt'],
      bodyChars,
    );
    let entities: Notice[];
    let keyOf: (n: Notice) => Date;
    if (filter.sort === 'deadline') {
      entities = await this.deadlinePage(filter, limit, cursor, reading);
      keyOf = (n) => n.bidDeadline!;
    } else {
      const after = cursor && { at: cursor.k, id: cursor.i };
      if (filter.q) entities = await this.searchPage(filter, limit, cursor, reading);
      else {
        const plan = await this.listPlan(filter);
        const qb =
          (openByDeadline ?? (await this.openByDeadline(filter)))
            ? await this.openPage(filter, plan, after, limit + 1)
            : this.listedAfter(filter, plan, after).limit(limit + 1);
        entities = qb ? await readNotices(qb, reading) : [];
      }
      keyOf = (n) => n.publishedAt!;
    }
    const items = entities.slice(0, limit);
    const last = items.length - 1;
    const next = entities.length > limit ? encodeCursor(filter.sort, keyOf(items[last]), items[last].id) : null;
    return { items, next };
  }

  /**
   * A search's page (and one row more) newest first: windows of the matcher's candidates, each confirmed in one
   * statement, until the page is full or no candidate is left. A window grows when its candidates were mostly
   * not matches (a filter the index has no key for, a longer term's pairs apart).
   */
  private async searchPage(
    filter: NoticeFilter,
    limit: number,
    cursor?: { k: Date; i: string },
    reading: Reading = {},
  ): Promise<Notice[]> {
    const matcher = await this.candidates(filter, (await this.searchKey(filter)).key, cursor);
    if (!matcher) return [];
    const found: Notice[] = [];
    let window = limit + 1;
    for (;;) {
      const instants = await matcher.take(window);
      if (!instants.length) return found;
      const qb = this.atInstants(this.filtered(filter), instants);
      if (cursor) qb.andWhere(keysetAfter(N_PUBLISHED, { key: cursor.k, id: cursor.i }, 'DESC', named(qb)));
      qb.orderBy('n.published_at', 'DESC').addOrderBy('n.id', 'DESC');
      this.hintListIndex(qb, filter);
      found.push(...(await readNotices(qb.limit(limit + 1 - found.length), reading)));
      if (found.length > limit || instants.length < window) return found;
      window = Math.min(window * 4, PAGE_WINDOW);
    }
  }

  /**
   * Soonest deadline first: what a bidder scanning open tenders needs. With a keyword, of two reads the one that
   * costs less, found by trying the walk first: a word with no more candidates than the page has them read by
   * their instants and ordered; with more, the deadline order is walked and each announcement's text tested,
   * a growing stretch at a time, for as long as the announcements walked cost less than reading the candidates
   * (at most the rarest key's notices, up to SEARCH_TOTAL_CAP) would; only then are the candidates read and
   * ordered (a word common in other notices and rare among this filter's announcements), and beyond the cap the
   * walk goes on. Either way a page costs at most about twice the cheaper read; before, every keyword with a
   * filter read its candidates up to the cap (7,000–10,000 rows at 50,000 notices). Without a keyword, within
   * both publication dates, the dates' own announcements are read and ordered when walking the deadlines they
   * imply would cost more (walkCostsMore); otherwise the deadline order is walked.
   */
  private async deadlinePage(
    filter: NoticeFilter,
    limit: number,
    cursor?: { k: Date; i: string },
    reading: Reading = {},
  ): Promise<Notice[]> {
    if (filter.q) {
      const matcher = await this.candidates(filter, (await this.searchKey(filter)).key);
      if (!matcher) return [];
      const instants = await matcher.take(limit + 2);
      if (instants.length <= limit + 1) return this.candidatesByDeadline(filter, instants, limit, cursor, reading);
      const walked = await this.deadlineWalk(filter, limit, cursor, reading, {
        rows: Math.min(matcher.most, SEARCH_TOTAL_CAP) / CANDIDATE_WALK_RATIO,
      });
      if (walked) return walked;
      instants.push(...(await matcher.take(SEARCH_TOTAL_CAP + 1 - instants.length)));
      if (instants.length <= SEARCH_TOTAL_CAP)
        return this.candidatesByDeadline(filter, instants, limit, cursor, reading);
      // More than the cap, and rare among the announcements walked: the walk goes on.
    } else if (filter.from && filter.to && !filter.open && (await this.walkCostsMore(filter, limit))) {
      return this.datedByDeadline(filter, limit, cursor, reading);
    }
    return (await this.deadlineWalk(filter, limit, cursor, reading))!;
  }

  /**
   * Whether a page in deadline order within publication dates costs more by walking the deadlines than by reading
   * the dates' own announcements (datedByDeadline). The walk passes over every announcement whose deadline falls
   * between the dates moved by their months' leads, published within the dates or not (an index entry each,
   * tested inside the engine); at a steady rate of publication, about the dates' announcements times the range's
   * length over the dates', of which a page walks its share. The dates' announcements are counted exactly (the
   * kept counts) and read at about two reads each, when at most SEARCH_TOTAL_CAP. A day in a month whose leads span
   * a year (one deadline a year out) is read as the day's few announcements, not a year of deadlines.
   */
  private async walkCostsMore(filter: NoticeFilter, limit: number): Promise<boolean> {
    const dated = await this.total(filter);
    if (!dated.exact || dated.count > SEARCH_TOTAL_CAP) return false;
    const from = chinaDayStart(filter.from!);
    const to = chinaDayEnd(filter.to!);
    const range = await this.deadlineRangeOf(filter);
    if (!range?.from || !range.to) return false;
    const walked =
      dated.count *
      ((range.to.getTime() - range.from.getTime()) / Math.max(1, to.getTime() - from.getTime())) *
      Math.min(1, (limit + 1) / Math.max(1, dated.count));
    return walked > DATED_READS * dated.count;
  }

  /** Where the deadlines of the announcements published within the filter's dates lie, read once a request. */
  private deadlineRangeOf(filter: NoticeFilter): Promise<DeadlineRange | null> {
    return oncePerFilter(this.deadlineRanges, filter, () =>
      deadlineRange(
        this.db.manager,
        filter.from ? chinaDayStart(filter.from) : undefined,
        filter.to ? chinaDayEnd(filter.to) : undefined,
      ),
    );
  }

  private readonly deadlineRanges = new WeakMap<NoticeFilter, Promise<DeadlineRange | null>>();

  /**
   * The announcements published within the filter's dates (no more than SEARCH_TOTAL_CAP, counted), read along
   * the publication order — each announcement type's range of the type's list index, or a region's filter key
   * rows — and ordered by deadline.
   */
  private async datedByDeadline(
    filter: NoticeFilter,
    limit: number,
    cursor: { k: Date; i: string } | undefined,
    reading: Reading,
  ): Promise<Notice[]> {
    const types = (typesOf(filter) ?? ANNOUNCEMENT_TYPES).filter((t) => ANNOUNCEMENT_TYPES.includes(t));
    if (!types.length) return [];
    const qb = this.filtered(
      { ...filter, sort: 'published', type: undefined, types: undefined },
      { regionByKey: true, now: this.clock.now() },
    )
      .andWhere('n.type IN (:...datedTypes)', { datedTypes: types })
      .andWhere('n.bid_deadline IS NOT NULL')
      .orderBy(N_DEADLINE.key, 'ASC')
      .addOrderBy(N_DEADLINE.id, 'ASC')
      // Sorts the dates' announcements, at most SEARCH_TOTAL_CAP (the bounded-reads test tells the sort by it).
      .comment(DATED_SORT);
    if (cursor) qb.andWhere(keysetAfter(N_DEADLINE, { key: cursor.k, id: cursor.i }, 'ASC', named(qb)));
    if (!filter.region)
      forceIndex(qb, this.db.dialect, filter.category ? 'ix_notice_list_cat_type' : 'ix_notice_list_type', {
        sqlite: true,
      });
    return readNotices(qb.limit(limit + 1), reading);
  }

  /** A search's candidates (at most SEARCH_TOTAL_CAP), each found by its instant, then ordered by deadline. */
  private async candidatesByDeadline(
    filter: NoticeFilter,
    instants: number[],
    limit: number,
    cursor: { k: Date; i: string } | undefined,
    reading: Reading,
  ): Promise<Notice[]> {
    if (!instants.length) return [];
    const qb = this.filtered(filter, { now: this.clock.now() });
    qb.orderBy(N_DEADLINE.key, 'ASC').addOrderBy(N_DEADLINE.id, 'ASC');
    if (cursor) qb.andWhere(keysetAfter(N_DEADLINE, { key: cursor.k, id: cursor.i }, 'ASC', named(qb)));
    forceIndex(this.atInstants(qb, instants), this.db.dialect, 'ix_notice_list');
    return readNotices(qb.limit(limit + 1), reading);
  }

  /**
   * The page (and one row more) along the deadline order: the filter's deadline key's rows or the deadline index,
   * each announcement's text tested for a keyword. With `most`, a stretch of announcements at a time (where each
   * ends is read first, from the key's rows or the index alone), four times longer each time, until the page is
   * full or `most.rows` announcements are walked: null then (more follow and the walk stopped short of a page).
   */
  private async deadlineWalk(
    filter: NoticeFilter,
    limit: number,
    cursor: { k: Date; i: string } | undefined,
    reading: Reading,
    most?: { rows: number },
  ): Promise<Notice[] | null> {
    const now = this.clock.now();
    // Within publication dates, only deadlines within the dates moved by the kept leads of their months can match
    // (deadline-keys.ts, deadlineRange): the walk starts and ends there, where it tested every deadline before the
    // first date (and, past the last match, every one after).
    let range: DeadlineRange = {};
    if (filter.from || filter.to) {
      const found = await this.deadlineRangeOf(filter);
      // No announcement was published within the dates.
      if (!found) return [];
      range = found;
    }
    // A region or one type is read by its deadline key's rows (trading/deadline-keys.ts): the filter's own
    // announcements in deadline order, where the deadline index holds every category's or region's.
    const key = deadlineKeyOf(filter, singleType(filter));
    const order = key ? { key: `${DEADLINE_KEY}.bid_deadline`, id: `${DEADLINE_KEY}.notice_id` } : N_DEADLINE;
    type Position = { k: unknown; i: unknown };
    /** Where a stretch starts: after the cursor, or at the previous stretch's end (its own row included). */
    type Start = { at: Position; inclusive: boolean };
    /** The walk's rows from `start`, and for "open now" from now, within the dates' range. */
    const within = <T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, start: Start | undefined) => {
      if (start)
        qb.andWhere(
          (start.inclusive ? keysetFrom : keysetAfter)(order, { key: start.at.k, id: start.at.i }, 'ASC', named(qb)),
        );
      if (key && filter.open) qb.andWhere(`${DEADLINE_KEY}.bid_deadline > :now`, { now });
      if (range.from) qb.andWhere(`${order.key} >= :deadlineFrom`, { deadlineFrom: range.from });
      if (range.to) qb.andWhere(`${order.key} <= :deadlineTo`, { deadlineTo: range.to });
      return qb.orderBy(order.key, 'ASC').addOrderBy(order.id, 'ASC');
    };
    /** The announcement `rows` rows on from `start` along the walk, from the key's rows or the index alone. */
    const stretchEnd = (start: Start | undefined, rows: number) => {
      const probe = key
        ? this.db.manager
            .createQueryBuilder()
            .from(DEADLINE_KEYS, DEADLINE_KEY)
            .where(`${DEADLINE_KEY}.k = :deadlineKey`, { deadlineKey: key })
        : this.db.manager
            .createQueryBuilder(Notice, 'n')
            .where('n.status = :published', { published: 'published' })
            .andWhere('n.bid_deadline IS NOT NULL');
      if (!key && filter.category) probe.andWhere('n.category = :category', { category: filter.category });
      if (!key && filter.open) probe.andWhere('n.bid_deadline > :now', { now });
      within(probe, start).select(order.key, 'k').addSelect(order.id, 'i').offset(rows).limit(1);
      if (!key) forceIndex(probe, this.db.dialect, deadlineIndex(filter), { sqlite: true });
      // The key as the driver gave it, so it compares exactly on either database.
      return probe.getRawOne<Position>();
    };
    const found: Notice[] = [];
    let start: Start | undefined = cursor && { at: { k: cursor.k, i: cursor.i }, inclusive: false };
    let walked = 0;
    let stretch = (limit + 1) * FIRST_STRETCH;
    for (;;) {
      const rows = most ? Math.max(1, Math.min(stretch, Math.ceil(most.rows - walked))) : undefined;
      const end = rows === undefined ? undefined : await stretchEnd(start, rows);
      const qb = within(
        this.filtered(filter, key ? { regionByKey: false, openByDeadline: false, now } : { now }),
        start,
      );
      if (end) qb.andWhere(keysetAfter(order, { key: end.k, id: end.i }, 'DESC', named(qb, 'stretchEnd')));
      if (key) {
        // The key's rows from the cursor (and, for "open now", from now) on, each notice then by primary key.
        qb.innerJoin(
          DEADLINE_KEYS,
          DEADLINE_KEY,
          `${DEADLINE_KEY}.k = :deadlineKey AND ${DEADLINE_KEY}.notice_id = n.id`,
          { deadlineKey: key },
        );
        forceIndex(qb, this.db.dialect, 'PRIMARY');
      }
      // Along the deadline index, on SQLite too: its planner may read every notice of a category's date range and
      // sort them, where the index walk stops at a page.
      else forceIndex(qb, this.db.dialect, deadlineIndex(filter), { sqlite: true });
      found.push(...(await readNotices(qb.limit(limit + 1 - found.length), reading)));
      if (found.length > limit || !end) return found;
      walked += rows!;
      if (walked >= most!.rows) return null;
      start = { at: end, inclusive: true };
      stretch *= 4;
    }
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
