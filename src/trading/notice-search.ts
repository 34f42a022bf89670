import { Injectable } from '@nestjs/common';
import { Brackets, EntityManager, In, SelectQueryBuilder } from 'typeorm';
import { Database } from '../database/database.js';
import { forceIndex, incrementCountersSql, truncateSql } from '../database/dialect.js';
import type { NoticeFilter } from './notice-filter.js';
import { Notice } from './notice.entity.js';
import { ProjectParty } from './project-party.entity.js';
import { Project } from './project.entity.js';
import { documentGrams, filterKeyOf, filterKeys, foldSearchText, parseSearchQuery } from './search-grams.js';

export { searchTerms } from './search-grams.js';

const GRAMS = 'notice_search_gram';
const TEXTS = 'notice_search_text';
const COUNTS = 'notice_search_gram_count';
/** Alias of the starting key's rows in a search query. */
const START = 'sg';

/** Rows per multi-row INSERT: well under SQLite's 32,766 and MySQL's 65,535 parameters and 16 MB packets. */
const GRAM_ROWS_PER_INSERT = 2000;
const TEXT_ROWS_PER_INSERT = 100;
const COUNT_ROWS_PER_INSERT = 1000;

/** A search's total is counted exactly up to this many matches; beyond, it is reported as "more than" (total()). */
export const SEARCH_TOTAL_CAP = 10_000;

/**
 * Chinese keyword search over published notices, the same on SQLite and MySQL/MariaDB.
 *
 * Neither database's full-text index fits: InnoDB FULLTEXT drops tokens shorter than innodb_ft_min_token_size
 * (3 by default), MariaDB has no ngram parser (Mroonga is an optional plugin), and SQLite FTS5's trigram
 * tokenizer cannot find a two-character word. So the portal keeps its own index, written in the publishing
 * transaction (indexPublished) and rebuildable from the notices (reindexAll):
 *
 * - notice_search_gram (gram, published_at, notice_id), primary key in that order: one row per distinct key of
 *   the notice's folded text (search-grams.ts: characters, character pairs, four and eight ASCII characters),
 *   plus the filter keys of its category and region (filterKeys). The rows of one key are in the list's own
 *   order, newest last.
 * - notice_search_gram_count (gram, notices): how many notices hold each key.
 * - notice_search_text (notice_id, content): the folded text, against which a term that is more than one key
 *   (道路改造, E2102000001) is checked, on candidate rows only.
 *
 * A search starts from the rarest of its keys (the database picks it from the counts) — a filter's key too, when
 * the notices of its category and region are fewer than those of any word (a common word narrowed to one
 * district) — and reads that key's rows newest first; the list pages by those rows' (published_at, notice_id),
 * equal to the notice's own (orderColumns), so the first page stops after a page of matches instead of sorting
 * them all. Every other word key is one primary-key probe of the candidate; the filter itself is checked on n. A key no notice holds ends the search before it reads a row.
 *
 * Content never changes after publication and withdrawals stay searchable, so rows are only ever added.
 */
@Injectable()
export class NoticeSearch {
  constructor(private readonly db: Database) {}

  /**
   * Restricts a query over notices `n` to those containing every term of `q`. The filter's category and region,
   * which the caller applies to `n` as well, add their filter key to the keys the search may start from.
   */
  apply(qb: SelectQueryBuilder<Notice>, q: string, filter: Pick<NoticeFilter, 'category' | 'region'> = {}) {
    const terms = parseSearchQuery(q);
    const grams = [...new Set(terms.flatMap((t) => t.grams))];
    const narrowedBy = filterKeyOf(filter);
    if (!grams.length) {
      // Only punctuation: nothing to look up, and a scan for it would be the slow path this index avoids.
      qb.andWhere('1 = 0');
      return;
    }
    // The word keys prove the terms (below); a filter key only offers a start, its filter being applied to n.
    const starts = narrowedBy ? [...grams, narrowedBy] : grams;
    const rarest =
      starts.length === 1
        ? ':searchStart'
        : `(SELECT c.gram FROM ${COUNTS} c WHERE c.gram IN (:...searchStarts) ORDER BY c.notices, c.gram LIMIT 1)`;
    qb.innerJoin(
      GRAMS,
      START,
      `${START}.gram = ${rarest} AND ${START}.published_at = n.published_at AND ${START}.notice_id = n.id`,
      { searchStart: starts[0], searchStarts: starts },
    );
    // MySQL would otherwise walk every published notice by the status index and sort the matches when a key is
    // very common; reaching notices by their key keeps it on the starting key's rows (SQLite needs no hint).
    qb.useIndex('PRIMARY');
    if (starts.length > 1) {
      // A key no notice holds: no match, decided once rather than per candidate.
      qb.andWhere(`(SELECT COUNT(*) FROM ${COUNTS} c WHERE c.gram IN (:...searchStarts)) = :searchStartCount`, {
        searchStartCount: starts.length,
      });
    }
    terms.forEach((term, i) => {
      // A one- or two-character term is its key: one primary-key probe of the candidate (none when it is the
      // only possible start). A longer one is checked in the folded text, which proves it; its keys only chose the start.
      if (term.exact && starts.length === 1) return;
      if (term.exact) {
        qb.andWhere(
          `EXISTS (SELECT 1 FROM ${GRAMS} g WHERE g.gram = :searchTerm${i} AND g.published_at = n.published_at AND g.notice_id = n.id)`,
          { [`searchTerm${i}`]: term.text },
        );
      } else {
        qb.andWhere(
          `EXISTS (SELECT 1 FROM ${TEXTS} t WHERE t.notice_id = n.id AND INSTR(t.content, :searchTerm${i}) > 0)`,
          { [`searchTerm${i}`]: term.text },
        );
      }
    });
  }

  /**
   * Lists a region filter (with or without a category) by its filter key's rows, which hold the notices of the
   * region prefix in list order: a page reads its own rows instead of every notice of the region's codes. The
   * filter itself stays applied to n by the caller.
   */
  startFromFilterKey(qb: SelectQueryBuilder<Notice>, filter: Pick<NoticeFilter, 'category' | 'region'>) {
    const key = filterKeyOf(filter);
    if (!key) return;
    qb.innerJoin(
      GRAMS,
      START,
      `${START}.gram = :filterKeyStart AND ${START}.published_at = n.published_at AND ${START}.notice_id = n.id`,
      { filterKeyStart: key },
    );
    forceIndex(qb, this.db.dialect, 'PRIMARY');
  }

  /**
   * The columns a list of notices is ordered and paged by, newest first: for a search, its starting key's
   * (published_at, notice_id), equal to the notice's own, so the database reads that key's rows in order.
   */
  orderColumns(qb: SelectQueryBuilder<Notice>): { publishedAt: string; id: string } {
    const searched = qb.expressionMap.aliases.some((a) => a.name === START);
    return searched
      ? { publishedAt: `${START}.published_at`, id: `${START}.notice_id` }
      : { publishedAt: 'n.published_at', id: 'n.id' };
  }

  /**
   * A search's total, bounded: a common word matches most notices, and counting them all costs more than the
   * page. One exact term over all notices is read from the counts; anything else is counted up to
   * SEARCH_TOTAL_CAP, and a larger total is reported as that many with exact: false ("more than").
   */
  async total(
    qb: SelectQueryBuilder<Notice>,
    filter: NoticeFilter,
    cap = SEARCH_TOTAL_CAP,
  ): Promise<{ count: number; exact: boolean }> {
    const terms = parseSearchQuery(filter.q ?? '');
    const narrowed =
      filter.category ||
      filter.type ||
      filter.types ||
      filter.region ||
      filter.from ||
      filter.to ||
      filter.open ||
      filter.sort === 'deadline';
    if (terms.length === 1 && terms[0].exact && !narrowed) {
      const rows: { notices: number | string }[] = await this.db.manager.query(
        `SELECT notices FROM ${COUNTS} WHERE gram = ?`,
        [terms[0].text],
      );
      return { count: Number(rows[0]?.notices ?? 0), exact: true };
    }
    // Unordered, so the database may start from another filter's index (region, category) when that is cheaper.
    const [sql, parameters] = qb
      .clone()
      .select('n.id')
      .orderBy()
      .useIndex([])
      .limit(cap + 1)
      .getQueryAndParameters();
    const rows: { total: number | string }[] = await this.db.manager.query(
      `SELECT COUNT(*) AS total FROM (${sql}) matches`,
      parameters,
    );
    const count = Number(rows[0].total);
    return count > cap ? { count: cap, exact: false } : { count, exact: true };
  }

  /** Indexes a notice in the transaction that publishes it (PublishingService.publishLocked). */
  /** How many published notices hold each key (0 for a key none holds): the counts a search starts by. */
  async keyCounts(grams: string[]): Promise<Map<string, number>> {
    const counts = new Map(grams.map((g) => [g, 0]));
    if (!grams.length) return counts;
    const rows: { gram: string; notices: unknown }[] = await this.db.manager.query(
      `SELECT gram, notices FROM ${COUNTS} WHERE gram IN (${grams.map(() => '?').join(', ')})`,
      grams,
    );
    for (const r of rows) counts.set(r.gram, Number(r.notices));
    return counts;
  }

  /**
   * The word keys a published notice holds (its folded text's documentGrams): a saved search's term can only
   * match a notice that holds every key of the term (alerts index their searches by one such key).
   */
  async documentKeys(noticeId: string): Promise<string[]> {
    const rows: { content: string }[] = await this.db.manager.query(
      `SELECT content FROM ${TEXTS} WHERE notice_id = ?`,
      [noticeId],
    );
    return rows.length ? documentGrams(rows[0].content) : [];
  }

  async indexPublished(em: EntityManager, notice: Notice): Promise<void> {
    const project = await em.findOneBy(Project, { id: notice.projectId });
    const parties = await em.findBy(ProjectParty, { projectId: notice.projectId });
    const counts = new Map<string, number>();
    await this.writeDocuments(em, [searchDocument(notice, project, parties)], counts);
    await this.addToCounts(em, counts);
  }

  /**
   * Rebuilds the whole index from the published notices, oldest first, in batches (`npm run reindex`), for a
   * database upgraded to the index or after its keys change. Searches find only what is indexed so far until
   * it ends. Run it with publishing paused (a notice published meanwhile indexes itself, and is skipped here,
   * but one published while the tables are being emptied could be left half indexed).
   */
  async reindexAll(
    options: { batchSize?: number; onProgress?: (notices: number) => void } = {},
  ): Promise<{ notices: number; postings: number }> {
    const batchSize = options.batchSize ?? 1000;
    for (const table of [GRAMS, COUNTS, TEXTS]) await this.db.manager.query(truncateSql(this.db.dialect, table));
    let after: { at: Date; id: string } | undefined;
    let notices = 0;
    let postings = 0;
    let counts = new Map<string, number>();
    for (;;) {
      const qb = this.db.manager
        .createQueryBuilder(Notice, 'n')
        .where('n.status = :published', { published: 'published' });
      if (after) {
        const { at, id } = after;
        qb.andWhere(
          new Brackets((w) =>
            w.where('n.published_at > :at', { at }).orWhere('n.published_at = :at AND n.id > :id', { id }),
          ),
        );
      }
      const batch = await qb.orderBy('n.published_at', 'ASC').addOrderBy('n.id', 'ASC').limit(batchSize).getMany();
      if (!batch.length) break;
      after = { at: batch[batch.length - 1].publishedAt!, id: batch[batch.length - 1].id };
      await this.db.transaction(async (em) => {
        const done: { notice_id: string }[] = await em.query(
          `SELECT notice_id FROM ${TEXTS} WHERE notice_id IN (${placeholders(batch.length, 1)})`,
          batch.map((n) => n.id),
        );
        const indexed = new Set(done.map((r) => r.notice_id));
        const todo = batch.filter((n) => !indexed.has(n.id));
        const projectIds = [...new Set(todo.map((n) => n.projectId))];
        const projects = new Map(
          (projectIds.length ? await em.findBy(Project, { id: In(projectIds) }) : []).map((p) => [p.id, p]),
        );
        const parties = new Map<string, ProjectParty[]>();
        for (const p of projectIds.length ? await em.findBy(ProjectParty, { projectId: In(projectIds) }) : [])
          parties.set(p.projectId, [...(parties.get(p.projectId) ?? []), p]);
        const documents = todo.map((n) =>
          searchDocument(n, projects.get(n.projectId) ?? null, parties.get(n.projectId) ?? []),
        );
        postings += await this.writeDocuments(em, documents, counts);
      });
      notices += batch.length;
      if (counts.size > 200_000) {
        await this.db.transaction((em) => this.addToCounts(em, counts));
        counts = new Map();
      }
      options.onProgress?.(notices);
    }
    await this.db.transaction((em) => this.addToCounts(em, counts));
    return { notices, postings };
  }

  /** Writes texts and postings; adds each document's keys to `counts`. Returns the number of postings. */
  private async writeDocuments(
    em: EntityManager,
    documents: SearchDocument[],
    counts: Map<string, number>,
  ): Promise<number> {
    const publishedAt = em.connection.getMetadata(Notice).findColumnWithPropertyName('publishedAt')!;
    // Grouped by key, so each key's new rows go in together at the end of its range.
    const byGram = new Map<string, unknown[]>();
    for (const d of documents) {
      // Stored exactly as the notice's own published_at, so the join on it matches on both databases.
      const at = em.connection.driver.preparePersistentValue(d.publishedAt, publishedAt);
      for (const gram of [...documentGrams(d.content), ...d.filterKeys]) {
        const rows = byGram.get(gram);
        if (rows) rows.push(gram, at, d.noticeId);
        else byGram.set(gram, [gram, at, d.noticeId]);
      }
    }
    for (const rows of chunks(documents, TEXT_ROWS_PER_INSERT)) {
      await em.query(
        `INSERT INTO ${TEXTS} (notice_id, content) VALUES ${placeholders(rows.length, 2)}`,
        rows.flatMap((d) => [d.noticeId, d.content]),
      );
    }
    let written = 0;
    let params: unknown[] = [];
    const flush = async () => {
      await em.query(
        `INSERT INTO ${GRAMS} (gram, published_at, notice_id) VALUES ${placeholders(params.length / 3, 3)}`,
        params,
      );
      written += params.length / 3;
      params = [];
    };
    for (const gram of [...byGram.keys()].sort()) {
      const rows = byGram.get(gram)!;
      counts.set(gram, (counts.get(gram) ?? 0) + rows.length / 3);
      for (const value of rows) params.push(value);
      if (params.length >= GRAM_ROWS_PER_INSERT * 3) await flush();
    }
    if (params.length) await flush();
    return written;
  }

  private async addToCounts(em: EntityManager, counts: Map<string, number>) {
    // In one order in every writer, so concurrent ones wait for each other rather than deadlock.
    const params = [...counts.keys()].sort().flatMap((gram) => [gram, counts.get(gram)]);
    for (const chunk of chunks(params, COUNT_ROWS_PER_INSERT * 2)) {
      await em.query(incrementCountersSql(this.db.dialect, COUNTS, 'gram', 'notices', chunk.length / 2), chunk);
    }
  }
}

export interface SearchDocument {
  noticeId: string;
  publishedAt: Date;
  /** Folded searchable text, one field per line. */
  content: string;
  /** The filter keys of its category and region (search-grams.ts, filterKeys). */
  filterKeys: string[];
}

type SearchableNotice = Pick<Notice, 'id' | 'publishedAt' | 'title' | 'body' | 'details' | 'category' | 'regionCode'>;

/**
 * What of a notice is searchable: its title and body, the words of its type's fields (bidders, candidates,
 * contents), and its project's name, codes and parties, so a company or a project code finds its notices.
 */
export function searchDocument(
  notice: SearchableNotice,
  project: Pick<Project, 'name' | 'dealCode' | 'tenderCode'> | null,
  parties: Pick<ProjectParty, 'name'>[],
): SearchDocument {
  const fields = [notice.title, notice.body, ...detailWords(notice.details)];
  if (project) fields.push(project.name, project.dealCode, project.tenderCode);
  fields.push(...parties.map((p) => p.name));
  return {
    noticeId: notice.id,
    publishedAt: notice.publishedAt!,
    content: fields.map(foldSearchText).join('\n'),
    filterKeys: filterKeys(notice.category, notice.regionCode),
  };
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T[\d:.]+([+-]\d{2}:\d{2}|Z)?)?$/;

/** String values of the type's fields, leaving out dates and times (the date filters search those). */
export function detailWords(details: unknown): string[] {
  if (typeof details === 'string') return ISO_TIME.test(details) ? [] : [details];
  if (Array.isArray(details)) return details.flatMap(detailWords);
  if (details && typeof details === 'object') return Object.values(details).flatMap(detailWords);
  return [];
}

const placeholders = (rows: number, columns: number) => {
  const row = `(${Array(columns).fill('?').join(', ')})`;
  return Array(rows).fill(row).join(', ');
};

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
