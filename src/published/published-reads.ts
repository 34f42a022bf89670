import { Injectable } from '@nestjs/common';
import { In, IsNull, LessThan, Not, type EntityManager, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import { dateFromDb, fenFromDb } from '../database/columns.js';
import { Database } from '../database/database.js';
import { notFound } from '../http/app-error.js';
import { CATEGORIES } from '../domain/catalog.js';
import { NoticeCounts } from '../trading/notice-counts.js';
import { NoticeSearch } from '../trading/notice-search.js';
import type { NoticeFilter } from '../trading/notice-filter.js';
import {
  ANNOUNCEMENT_TYPES,
  IDS_ONLY,
  NoticeQueryService,
  type ListPageOptions,
  type NoticeColumns,
  type NoticePage,
} from '../trading/notice-query.service.js';
import { Notice } from '../trading/notice.entity.js';
import { Project } from '../trading/project.entity.js';
import {
  NOTICE_EVENT_KINDS,
  PublicationLogEntry,
  type NoticeLogEntry,
} from '../transparency/publication-log.entity.js';
import { currentRender } from '../http/render-scope.js';
import { sqlMarks } from '../database/dialect.js';

/** rawBatches' select for readers of ids and instants alone (the kept export lines). */
export { IDS_ONLY };

/** The notice columns its public JSON prints (open-data/public-json.ts), by property and database name. */
const PUBLIC_NOTICE_COLUMNS = [
  ['id', 'id'],
  ['projectId', 'project_id'],
  ['sourcePlatform', 'source_platform'],
  ['sourceId', 'source_id'],
  ['type', 'type'],
  ['category', 'category'],
  ['regionCode', 'region_code'],
  ['title', 'title'],
  ['body', 'body'],
  ['details', 'details'],
  ['publishedAt', 'published_at'],
  ['targetNoticeId', 'target_notice_id'],
  ['withdrawnAt', 'withdrawn_at'],
  ['withdrawnBy', 'withdrawn_by'],
  ['contentHash', 'content_hash'],
  ['logSeq', 'log_seq'],
] as const;

/** A published notice as its public JSON needs it. */
export type PublicNoticeFields = Pick<Notice, (typeof PUBLIC_NOTICE_COLUMNS)[number][0]>;
const PUBLIC_NOTICE_SQL = PUBLIC_NOTICE_COLUMNS.map(([, c]) => c).join(', ');

/** A feed's version: its items' ids and log positions, and the newest publication (FeedsService.items). */
export function feedVersionOf(items: Pick<Notice, 'id' | 'logSeq' | 'publishedAt'>[]): {
  key: string;
  at: Date | null;
} {
  return { key: items.map((n) => `${n.id}@${n.logSeq}`).join(','), at: items[0]?.publishedAt ?? null };
}

const LOG_COLUMNS = 'seq, kind, notice_id, project_id, recorded_at, content_hash, prev_hash, entry_hash';

/**
 * Only a notice's entries are trading data: a yearly report's entry (ANNUAL_REPORT_KIND) is in the log and its
 * checkpoints, never in the change feed, OCDS, bulk files, pushes or alerts. Seq order stays commit order, so a
 * consumer continuing after the last seq it saw still skips no notice entry. Reports are a few a year: the
 * primary-key range scan passes over them at no cost worth an index.
 */
const NOTICE_KINDS_SQL = `kind IN (${NOTICE_EVENT_KINDS.map((k) => `'${k}'`).join(', ')})`;

/**
 * The three queries of a page of log changes, given the columns read: the change feed's (changeFeedRows, with the
 * columns of open-data/api/change-feed-json.ts) and the other readers' (`changes`, `changesRecordedBetween`, the
 * log page alone). Exported for the benchmark, which times the change feed's SQL through the driver.
 */
export const changeFeedSql = {
  /** The notice log entries after `?`, up to `?`, in seq order. */
  log: (columns: string) =>
    `SELECT ${columns} FROM publication_log WHERE seq > ? AND ${NOTICE_KINDS_SQL} ORDER BY seq ASC LIMIT ?`,
  /** The published notices among `count` ids. */
  notices: (columns: string, count: number) =>
    `SELECT ${columns} FROM notice WHERE id IN (${sqlMarks(count)}) AND status = 'published'`,
  /** The deal codes of `count` projects. */
  projects: (count: number) => `SELECT id, deal_code FROM project WHERE id IN (${sqlMarks(count)})`,
};

/**
 * A raw notice row as the fields its public JSON reads (bulk files and alerts read PUBLIC_NOTICE_COLUMNS; an export a
 * subset, without the body or without the details: those are then '' and {}). Dates, the JSON text of the details
 * and BIGINTs are turned as the entities turn them, on either database.
 */
export function noticeFromRow(r: Record<string, unknown>): PublicNoticeFields {
  return {
    id: r.id as string,
    projectId: r.project_id as string,
    sourcePlatform: r.source_platform as string,
    sourceId: r.source_id as string,
    type: r.type as string,
    category: r.category as string,
    regionCode: r.region_code as string,
    title: r.title as string,
    body: r.body === undefined ? '' : (r.body as string),
    details: detailsFromRow(r.details),
    publishedAt: dateFromDb(r.published_at),
    targetNoticeId: (r.target_notice_id as string | null) ?? null,
    withdrawnAt: dateFromDb(r.withdrawn_at),
    withdrawnBy: (r.withdrawn_by as string | null) ?? null,
    contentHash: (r.content_hash as string | null) ?? null,
    logSeq: r.log_seq === null || r.log_seq === undefined ? null : Number(r.log_seq),
  };
}

/** A row's details: JSON text (parsed), an object, or absent ({}). */
function detailsFromRow(value: unknown): Notice['details'] {
  if (value === undefined) return {};
  if (typeof value !== 'string' && !Buffer.isBuffer(value)) return value as Notice['details'];
  return JSON.parse(value.toString()) as Notice['details'];
}

/** One publication-log entry with its notice as it is now and its project's keys (bulk files, alerts). */
export interface PublicChange {
  entry: Pick<
    NoticeLogEntry,
    'seq' | 'kind' | 'noticeId' | 'projectId' | 'recordedAt' | 'contentHash' | 'prevHash' | 'entryHash'
  >;
  notice: PublicNoticeFields;
  project: Pick<Project, 'id' | 'dealCode'>;
}

/** A change-feed page's rows (PublishedReads.changeFeedRows): log rows, and notices and projects' deal codes by id. */
export interface ChangeFeedRows {
  log: Record<string, unknown>[];
  notices: Map<string, Record<string, unknown>>;
  projects: Map<string, string>;
}

/** One publication-log entry with its notice and project as they are now (OCDS, sync). */
export interface LoggedChange {
  entry: NoticeLogEntry;
  notice: Notice;
  project: Project;
}

/**
 * The one read model of published data: pages, open data (API, feeds, exports, OCDS, bulk, sitemap) and sync
 * read published notices and projects only through here, so they agree on what exists and in which order.
 * Only published notices exist here, and projects that have one. A project's notices are always in
 * publication-log order (log_seq, then id).
 */
@Injectable()
export class PublishedReads {
  constructor(
    private readonly db: Database,
    private readonly notices: NoticeQueryService,
    private readonly counts: NoticeCounts,
    private readonly search: NoticeSearch,
  ) {}

  /**
   * The version of all published data: every publication, correction and withdrawal appends to the log (and so
   * does a yearly report: a version that moves without a notice only makes a response be rendered afresh).
   */
  async dataVersion(): Promise<{ seq: number; at: Date | null }> {
    // A cached route's render already read it first in its snapshot (cache.interceptor.ts).
    const known = currentRender()?.dataVersion;
    if (known) return known;
    const last = await this.db.manager
      .createQueryBuilder(PublicationLogEntry, 'l')
      .orderBy('l.seq', 'DESC')
      .limit(1)
      .getOne();
    return { seq: last?.seq ?? 0, at: last?.recordedAt ?? null };
  }

  /** Projects' names by id (pages listing rows of many projects), read by queryByIds so each is a key probe. */
  async projectNames(ids: Iterable<string>): Promise<Map<string, string>> {
    const rows = await queryByIds(
      this.db.manager,
      [...new Set(ids)],
      (marks) => `SELECT id, name FROM project WHERE id IN (${marks})`,
    );
    return new Map(rows.map((r) => [r.id as string, r.name as string]));
  }

  /** A keyset page of the filter's notices and its total (see NoticeQueryService.list). */
  list(filter: NoticeFilter, page: ListPageOptions & { columns?: undefined }): Promise<NoticePage>;
  list<K extends keyof Notice>(filter: NoticeFilter, page: ListPageOptions<K>): Promise<NoticePage<NoticeColumns<K>>>;
  list(filter: NoticeFilter, page: ListPageOptions): Promise<NoticePage> {
    return this.notices.list(filter, page);
  }

  /**
   * The filter's notices newest first as raw rows in batches of up to `max` (smaller first ones), for readers
   * that skip hydration (the CSV export): NoticeQueryService.rawBatches.
   */
  rawBatches(
    filter: NoticeFilter,
    max: number,
    select: ((qb: SelectQueryBuilder<Notice>) => void) | typeof IDS_ONLY,
  ): AsyncGenerator<Record<string, unknown>[]> {
    return this.notices.rawBatches(filter, max, select);
  }

  /**
   * Whether the filter's list holds this notice now: the list's own query with `n.id = :id` added, so a saved
   * search (alerts) matches a notice exactly when /notices with the same filters lists it.
   */
  async listIncludes(filter: NoticeFilter, noticeId: string): Promise<boolean> {
    const row = await this.notices
      // One notice by its key: not read from the open set, whatever the filter.
      .filtered({ ...filter, sort: 'published' }, { regionByKey: true, openByDeadline: false })
      .andWhere('n.id = :listedNoticeId', { listedNoticeId: noticeId })
      .select('n.id', 'id')
      .limit(1)
      .getRawOne<{ id: string }>();
    return row !== undefined;
  }

  /** How many published notices hold each search key (NoticeSearch.keyCounts). */
  searchKeyCounts(grams: string[]): Promise<Map<string, number>> {
    return this.search.keyCounts(grams);
  }

  /** The search keys of a published notice's text (NoticeSearch.documentKeys). */
  searchKeys(noticeId: string): Promise<string[]> {
    return this.search.documentKeys(noticeId);
  }

  /** How many notices match (the home page's figures): NoticeQueryService.total, exact or "more than". */
  count(filter: NoticeFilter): Promise<{ count: number; exact: boolean }> {
    return this.notices.total(filter);
  }

  /** The newest `perCategory` notices of each category (the home page), `columns` of each alone. */
  async latestByCategory<K extends keyof Notice>(
    perCategory: number,
    columns: readonly K[],
  ): Promise<{ slug: string; name: string; notices: NoticeColumns<K>[] }[]> {
    return Promise.all(
      CATEGORIES.map(async (c) => ({
        slug: c.slug,
        name: c.name,
        notices: (
          await this.notices.list(
            { category: c.slug, sort: 'published' },
            { limit: perCategory, withoutTotal: true, columns },
          )
        ).items,
      })),
    );
  }

  /**
   * Projects whose (effective) opening time falls in [from, to], not terminated, with an announcement in force:
   * the first `limit` by opening time.
   */
  openings(from: Date, to: Date, limit: number): Promise<Project[]> {
    return this.db.manager
      .createQueryBuilder(Project, 'p')
      .where('p.opening_time >= :from AND p.opening_time <= :to', { from, to })
      .andWhere('p.first_published_at IS NOT NULL AND p.terminated_at IS NULL')
      .andWhere(
        `EXISTS (SELECT 1 FROM notice a WHERE a.project_id = p.id AND a.status = 'published' AND a.withdrawn_at IS NULL AND a.type IN (:...announcements))`,
        { announcements: ANNOUNCEMENT_TYPES },
      )
      .orderBy('p.opening_time', 'ASC')
      .addOrderBy('p.id', 'ASC')
      .limit(limit)
      .getMany();
  }

  /** Projects first published on or after a China date: from the counts kept at publication. */
  projectsPublishedSince(from: string): Promise<number> {
    return this.counts.projectsPublished(from);
  }

  /** The latest bid deadline that has passed: when "open now" last changed. */
  async latestPassedDeadline(now: Date): Promise<Date | null> {
    const p = await this.db.manager
      .createQueryBuilder(Project, 'p')
      .where('p.bid_deadline <= :now AND p.first_published_at IS NOT NULL', { now })
      .orderBy('p.bid_deadline', 'DESC')
      .limit(1)
      .getOne();
    return p?.bidDeadline ?? null;
  }

  async projectsByIds(ids: string[], withRelations = false): Promise<Map<string, Project>> {
    const unique = [...new Set(ids)];
    if (!unique.length) return new Map();
    const projects = await this.db.manager.find(Project, {
      where: { id: In(unique) },
      relations: withRelations ? { parties: true, lots: true } : undefined,
    });
    if (withRelations) for (const p of projects) sortRelations(p);
    return new Map(projects.map((p) => [p.id, p]));
  }

  /**
   * What the CSV exports need of projects, read as raw rows (no entity hydration, no parties): their names, codes
   * and prices, and with `lots` their lots' codes, names and budgets, in lot order. An export reads this once a
   * batch, so it is kept to the few columns its rows print.
   */
  exportProjects(ids: string[], lots: boolean): Promise<Map<string, ExportProject>> {
    return exportProjectsIn(this.db.manager, ids, lots);
  }

  async publishedNotice(id: string): Promise<Notice> {
    const notice = await this.db.manager.findOneBy(Notice, { id, status: 'published' });
    if (!notice) throw notFound('公告');
    return notice;
  }

  /** A project that has at least one published notice, with its parties, lots and published notices in log order. */
  async publishedProject(id: string): Promise<{ project: Project; trail: Notice[] }> {
    const project = await this.db.manager.findOne(Project, {
      where: { id, firstPublishedAt: Not(IsNull()) },
      relations: { parties: true, lots: true },
    });
    if (!project) throw notFound('项目');
    return { project: sortRelations(project), trail: await this.noticesOfProject(project.id) };
  }

  /** The project of a unified deal code (an OCDS ocid's tail), when it has a published notice. */
  async projectByDealCode(dealCode: string): Promise<Project> {
    const project = await this.db.manager.findOne(Project, {
      where: { dealCode, firstPublishedAt: Not(IsNull()) },
      relations: { parties: true, lots: true },
    });
    if (!project) throw notFound('项目');
    return sortRelations(project);
  }

  /** A project's published notices in publication-log order. */
  noticesOfProject(projectId: string, em: EntityManager = this.db.manager): Promise<Notice[]> {
    return em.find(Notice, { where: { projectId, status: 'published' }, order: { logSeq: 'ASC', id: 'ASC' } });
  }

  /** The project's latest published contract before a log position (what a performance release refers to). */
  contractBefore(projectId: string, logSeq: number, em: EntityManager = this.db.manager): Promise<Notice | null> {
    return em.findOne(Notice, {
      where: { projectId, type: 'contract', status: 'published', logSeq: LessThan(logSeq) },
      order: { logSeq: 'DESC', id: 'DESC' },
    });
  }

  /** Published notices by id (targets of corrections, log entries' notices). */
  async noticesByIds(ids: string[], em: EntityManager = this.db.manager): Promise<Map<string, Notice>> {
    const unique = [...new Set(ids)];
    if (!unique.length) return new Map();
    return new Map((await em.findBy(Notice, { id: In(unique), status: 'published' })).map((n) => [n.id, n]));
  }

  /**
   * Notice log entries with after < seq, up to limit, with their notices as they are now and their projects' keys,
   * in seq order (the change feed). Read in one consistent read: seq order is commit order, so a consumer continuing
   * after its last seq skips nothing. Lean: raw rows of the columns the public JSON prints, no entities (a page
   * of 1,000 is what crawlers read, and hydrating it cost more than the queries).
   */
  changes(after: number, limit: number): Promise<PublicChange[]> {
    return this.db.consistentRead(async (em) => this.withPublicNotices(em, await this.logPage(em, after, limit)));
  }

  /**
   * A change-feed page's rows, in one consistent read: the notice log entries after `after` (up to `limit`, seq
   * order, `columns.log` read), their published notices by id (`columns.notice`) and their projects' deal codes.
   * The columns are the feed's (open-data/api/change-feed-json.ts: the database writes most of each entry's JSON).
   */
  changeFeedRows(after: number, limit: number, columns: { log: string; notice: string }): Promise<ChangeFeedRows> {
    return this.db.consistentRead(async (em) => {
      const log: Record<string, unknown>[] = await em.query(changeFeedSql.log(columns.log), [after, limit]);
      if (!log.length) return { log, notices: new Map(), projects: new Map() };
      return { log, ...(await this.noticesOfLog(em, log, columns.notice)) };
    });
  }

  /**
   * The published notices (`columns` read, raw rows) and the projects' deal codes of log rows, by id: both by
   * primary key, side by side (on MySQL/MariaDB on two of the pool's connections; no transaction holds them
   * together, and none is needed: the log's entries never change and each notice is read as it is now).
   */
  private async noticesOfLog(
    em: EntityManager,
    log: Record<string, unknown>[],
    columns: string,
  ): Promise<Omit<ChangeFeedRows, 'log'>> {
    const noticeIds = [...new Set(log.map((r) => r.notice_id as string))];
    const projectIds = [...new Set(log.map((r) => r.project_id as string))];
    const [notices, projects] = (await Promise.all([
      em.query(changeFeedSql.notices(columns, noticeIds.length), noticeIds),
      em.query(changeFeedSql.projects(projectIds.length), projectIds),
    ])) as Record<string, unknown>[][];
    return {
      notices: new Map(notices.map((r) => [r.id as string, r])),
      projects: new Map(projects.map((r) => [r.id as string, r.deal_code as string])),
    };
  }

  private logPage(em: EntityManager, after: number, limit: number): Promise<Record<string, unknown>[]> {
    return em.query(changeFeedSql.log(LOG_COLUMNS), [after, limit]);
  }

  /** As `changes`, with whole entities and the projects' parties and lots (OCDS release pages). */
  changesWithRelations(after: number, limit: number): Promise<LoggedChange[]> {
    return this.db.consistentRead(async (em) => {
      const log = (await em
        .createQueryBuilder(PublicationLogEntry, 'l')
        .where('l.seq > :after', { after })
        .andWhere(`l.${NOTICE_KINDS_SQL}`)
        .orderBy('l.seq', 'ASC')
        .limit(limit)
        .getMany()) as NoticeLogEntry[];
      return this.withNotices(em, log, true);
    });
  }

  /** The notice log entries recorded in [from, to] (a bulk file's day), with their notices and projects' keys. */
  changesRecordedBetween(from: Date, to: Date): Promise<PublicChange[]> {
    return this.db.consistentRead(async (em) => {
      const qb = em
        .createQueryBuilder(PublicationLogEntry, 'l')
        .where('l.recorded_at >= :from AND l.recorded_at <= :to', { from, to })
        .andWhere(`l.${NOTICE_KINDS_SQL}`)
        .orderBy('l.seq', 'ASC');
      const [first, ...rest] = LOG_COLUMNS.split(', ');
      qb.select(`l.${first}`, first);
      for (const c of rest) qb.addSelect(`l.${c}`, c);
      return this.withPublicNotices(em, await qb.getRawMany());
    });
  }

  /** Log rows (LOG_COLUMNS) with their notices as they are now and their projects' keys. */
  private async withPublicNotices(em: EntityManager, rows: Record<string, unknown>[]): Promise<PublicChange[]> {
    if (!rows.length) return [];
    const { notices, projects } = await this.noticesOfLog(em, rows, PUBLIC_NOTICE_SQL);
    return rows.map((r) => ({
      entry: {
        seq: Number(r.seq),
        kind: r.kind as NoticeLogEntry['kind'],
        noticeId: r.notice_id as string,
        projectId: r.project_id as string,
        recordedAt: dateFromDb(r.recorded_at)!,
        contentHash: r.content_hash as string,
        prevHash: r.prev_hash as string,
        entryHash: r.entry_hash as string,
      },
      notice: noticeFromRow(notices.get(r.notice_id as string)!),
      project: { id: r.project_id as string, dealCode: projects.get(r.project_id as string)! },
    }));
  }

  /** The first log entry: when publishing began (bulk files start there). */
  firstLogEntry(): Promise<PublicationLogEntry | null> {
    return this.db.manager.createQueryBuilder(PublicationLogEntry, 'l').orderBy('l.seq', 'ASC').limit(1).getOne();
  }

  /** One notice log entry with its notice and project (with parties and lots): what sync pushes. */
  async change(seq: number): Promise<LoggedChange> {
    const entry = await this.db.manager.findOneBy(PublicationLogEntry, { seq, kind: In([...NOTICE_EVENT_KINDS]) });
    if (!entry) throw notFound('发布日志条目');
    return (await this.withNotices(this.db.manager, [entry as NoticeLogEntry], true))[0];
  }

  private async withNotices(em: EntityManager, log: NoticeLogEntry[], withRelations = false): Promise<LoggedChange[]> {
    if (!log.length) return [];
    const notices = await this.noticesByIds(
      log.map((e) => e.noticeId),
      em,
    );
    const unique = [...new Set(log.map((e) => e.projectId))];
    const projects = new Map(
      (
        await em.find(Project, {
          where: { id: In(unique) },
          relations: withRelations ? { parties: true, lots: true } : undefined,
        })
      ).map((p) => [p.id, withRelations ? sortRelations(p) : p]),
    );
    return log.map((entry) => ({
      entry,
      notice: notices.get(entry.noticeId)!,
      project: projects.get(entry.projectId)!,
    }));
  }

  /** How many URLs the sitemap holds: projects with a published notice, and published notices (kept counts). */
  async sitemapSizes(): Promise<{ projects: number; notices: number }> {
    const [projects, notices] = await Promise.all([this.counts.projectsPublished(), this.counts.allNotices()]);
    return { projects, notices };
  }

  /**
   * Published notices (id, time) in key order, a batch at a time: constant memory for the sitemap. `range`
   * picks one sitemap file's share: `limit` keys from position `offset` (an index-only skip to its first key).
   */
  noticeKeys(range: KeyRange = {}, batchSize = 1000): AsyncGenerator<{ id: string; at: Date }[]> {
    return this.keysInOrder(
      range,
      batchSize,
      () => this.db.manager.createQueryBuilder(Notice, 'n').where('n.status = :s', { s: 'published' }),
      (qb) => qb.select(['n.id', 'n.publishedAt', 'n.withdrawnAt']),
      (n: Notice) => ({ id: n.id, at: n.withdrawnAt ?? n.publishedAt! }),
      'n',
    );
  }

  projectKeys(range: KeyRange = {}, batchSize = 1000): AsyncGenerator<{ id: string; at: Date }[]> {
    return this.keysInOrder(
      range,
      batchSize,
      () => this.db.manager.createQueryBuilder(Project, 'p').where('p.first_published_at IS NOT NULL'),
      (qb) => qb.select(['p.id', 'p.updatedAt']),
      (p: Project) => ({ id: p.id, at: p.updatedAt }),
      'p',
    );
  }

  private async *keysInOrder<T extends ObjectLiteral>(
    range: KeyRange,
    batchSize: number,
    base: () => SelectQueryBuilder<T>,
    columns: (qb: SelectQueryBuilder<T>) => SelectQueryBuilder<T>,
    key: (row: T) => { id: string; at: Date },
    alias: string,
  ): AsyncGenerator<{ id: string; at: Date }[]> {
    let left = range.limit ?? Infinity;
    let bound: { op: '>=' | '>'; id: string } = { op: '>', id: '' };
    if (range.offset) {
      const first = await base()
        .select(`${alias}.id`, 'id')
        .orderBy(`${alias}.id`, 'ASC')
        .offset(range.offset)
        .limit(1)
        .getRawOne<{ id: string }>();
      if (!first) return;
      bound = { op: '>=', id: first.id };
    }
    while (left > 0) {
      const rows = await columns(base())
        .andWhere(`${alias}.id ${bound.op} :bound`, { bound: bound.id })
        .orderBy(`${alias}.id`, 'ASC')
        .limit(Math.min(batchSize, left))
        .getMany();
      if (!rows.length) return;
      yield rows.map(key);
      left -= rows.length;
      bound = { op: '>', id: key(rows[rows.length - 1]).id };
    }
  }
}

/** Parties and lots in the order they were entered. */
function sortRelations(project: Project): Project {
  project.parties?.sort((a, b) => a.id - b.id);
  project.lots?.sort((a, b) => a.id - b.id);
  return project;
}

/**
 * What the CSV exports need of projects (PublishedReads.exportProjects), through `em` (the publishing transaction
 * reads a notice's project so when it keeps its lines: ExportLines).
 */
export async function exportProjectsIn(
  em: EntityManager,
  ids: string[],
  lots: boolean,
): Promise<Map<string, ExportProject>> {
  const unique = [...new Set(ids)];
  const out = new Map<string, ExportProject>();
  if (!unique.length) return out;
  const byChunk = (sql: (marks: string) => string) => queryByIds(em, unique, sql);
  const rows = await byChunk(
    (marks) => `SELECT id, deal_code, name, price_kind, price_fen FROM project WHERE id IN (${marks})`,
  );
  for (const r of rows)
    out.set(r.id as string, {
      id: r.id as string,
      dealCode: r.deal_code as string,
      name: r.name as string,
      priceKind: r.price_kind as Project['priceKind'],
      priceFen: fenFromDb(r.price_fen),
      lots: [],
    });
  if (lots) {
    const lotRows = await byChunk(
      (marks) =>
        `SELECT project_id, code, name, price_fen FROM project_lot WHERE project_id IN (${marks}) ORDER BY project_id, id`,
    );
    for (const r of lotRows)
      out.get(r.project_id as string)?.lots.push({
        code: r.code as string,
        name: r.name as string,
        priceFen: fenFromDb(r.price_fen),
      });
  }
  return out;
}

/** Ids per statement when rows are read by id (projects, kept lines, notices): each a key probe. */
const IDS_PER_QUERY = 100;

/**
 * Rows read by id, IDS_PER_QUERY ids a statement (`sql` gets the IN list's placeholders): a list that is a
 * large share of a small table makes SQLite scan it, a plan whose cost would grow with the table.
 */
export async function queryByIds(
  em: EntityManager,
  ids: string[],
  sql: (marks: string) => string,
): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
    const chunk = ids.slice(i, i + IDS_PER_QUERY);
    rows.push(...((await em.query(sql(sqlMarks(chunk)), chunk)) as Record<string, unknown>[]));
  }
  return rows;
}

/** A project as the CSV exports print it (PublishedReads.exportProjects). */
export interface ExportProject {
  id: string;
  dealCode: string;
  name: string;
  priceKind: Project['priceKind'];
  priceFen: bigint | null;
  lots: { code: string; name: string; priceFen: bigint | null }[];
}

/** A share of keys in key order: `limit` of them from position `offset`. */
export interface KeyRange {
  offset?: number;
  limit?: number;
}
