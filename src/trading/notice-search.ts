import { Injectable } from '@nestjs/common';
import { EntityManager, In, SelectQueryBuilder } from 'typeorm';
import { keysetAfter, named, positional } from '../database/keyset.js';
import { Database } from '../database/database.js';
import { addToCounters, forceIndex, truncateSql, sqlMarks, sqlRows } from '../database/dialect.js';
import type { NoticeFilter } from './notice-filter.js';
import { Notice, storedPublishedAt } from './notice.entity.js';
import { ProjectParty } from './project-party.entity.js';
import { Project } from './project.entity.js';
import { BLOCKS, BlockStream, InstantStream, KEY_BLOCKS, PostingBatch } from './search-blocks.js';
import {
  documentGrams,
  filterKeyOf,
  filterKeys,
  foldSearchText,
  parseSearchQuery,
  typeFilterKeys,
  type KeySet,
} from './search-grams.js';

export { searchTerms } from './search-grams.js';

const GRAMS = 'notice_search_gram';
/** Word postings per rebuild flush (about 10,000 notices). */
const FLUSH_POSTINGS = 5_000_000;
/** Keys intersected at most: a longer query's other keys are proved by the text check alone. */
const MAX_STREAMS = 6;
const TEXTS = 'notice_search_text';
const COUNTS = 'notice_search_gram_count';
const STATE = 'notice_search_state';
/** Alias of the filter key's rows leading a region's list. */
const START = 'sg';

/** Rows per multi-row INSERT: well under SQLite's 32,766 and MySQL's 65,535 parameters and 16 MB packets. */
const GRAM_ROWS_PER_INSERT = 2000;
const TEXT_ROWS_PER_INSERT = 100;

/** A search's total is counted exactly up to this many matches; beyond, it is reported as "more than" (total()). */
export const SEARCH_TOTAL_CAP = 10_000;

export { SEARCH_TOTAL_SQL } from './search-blocks.js';

/**
 * Chinese keyword search over published notices, the same on SQLite and MySQL/MariaDB.
 *
 * Neither database's full-text index fits: InnoDB FULLTEXT drops tokens shorter than innodb_ft_min_token_size
 * (3 by default), MariaDB has no ngram parser (Mroonga, measured, sorts every match for a page: bench/results.md),
 * and SQLite FTS5's trigram tokenizer cannot find a two-character word. So the portal keeps its own index,
 * written in the publishing transaction (indexPublished) and rebuildable from the notices (reindexAll):
 *
 * - notice_search_block: each word key's postings (search-grams.ts: characters, character pairs, runs of three
 *   and four not all ASCII, four and eight ASCII characters of the folded text) as compressed blocks of
 *   publication instants (search-blocks.ts).
 * - notice_search_gram (gram, published_at, notice_id): one row per filter key of a notice (its category and
 *   region prefixes, filterKeys), in list order: a region's list reads its own rows (startFromFilterKey).
 * - notice_search_key_block: the same filter keys' instants as blocks (KEY_BLOCKS), which a search narrowed by one
 *   intersects a block at a time.
 * - notice_search_gram_count (gram, notices): how many notices hold each key, word or filter.
 * - notice_search_text (notice_id, content): the folded text, which proves every term of a search.
 * - notice_search_state: after which instant notices hold phrase keys (phraseKeysAfter; -1 once all do).
 *
 * A search (matcher) intersects its keys' instants newest first — the words' keys and the filter's key, rarest
 * first, each read a few blocks at a time — and hands windows of candidate instants to SQL (NoticeQueryService),
 * which reads those notices by ix_notice_list with the other filters and checks each term in the folded text
 * (textConditions). A candidate instant may hold a notice without a term (a longer term's windows in other places,
 * another notice of the same millisecond): the text check settles it, so the index only has to be a superset.
 * A page reads candidates until it has its rows; a key no notice holds ends the search before it reads a block.
 *
 * Content never changes after publication and withdrawals stay searchable, so postings are only ever added.
 */
@Injectable()
export class NoticeSearch {
  constructor(private readonly db: Database) {}

  /**
   * Restricts a query over notices `n` to those whose folded text holds every term of `q`. It reads by the
   * query's other conditions (a window of the matcher's instants, or one notice): alone it would test every text.
   */
  textConditions(qb: SelectQueryBuilder<Notice>, q: string) {
    const terms = parseSearchQuery(q);
    if (!terms.some((t) => t.grams.length)) {
      // Only punctuation: nothing to look up, and a scan for it would be the slow path this index avoids.
      qb.andWhere('1 = 0');
      return;
    }
    terms.forEach((term, i) => {
      qb.andWhere(
        `EXISTS (SELECT 1 FROM ${TEXTS} t WHERE t.notice_id = n.id AND INSTR(t.content, :searchTerm${i}) > 0)`,
        { [`searchTerm${i}`]: term.text },
      );
    });
  }

  /**
   * The instants, newest first, at which notices holding every key of `q` (and `narrowedBy`, a filter key every
   * notice the search may list holds: NoticeQueryService.searchKey) were published, within (after, before]: the
   * candidates a search confirms in SQL. Null when a key is held by no notice (nothing can match).
   */
  async matcher(
    q: string,
    narrowedBy: string | undefined,
    range: { before: number; after: number },
    options: { counting?: boolean } = {},
  ): Promise<Candidates | null> {
    // Notices published after `since` hold phrase keys; those at or before it are found by their pairs.
    const since = await this.phraseKeysAfter();
    const parts: SearchMatcher[] = [];
    if (since < range.before) {
      const part = await this.keyMatcher(
        'phrase',
        q,
        narrowedBy,
        { before: range.before, after: Math.max(since, range.after) },
        options,
      );
      if (part) parts.push(part);
    }
    if (since > range.after) {
      const part = await this.keyMatcher(
        'pairs',
        q,
        narrowedBy,
        { before: Math.min(since, range.before), after: range.after },
        options,
      );
      if (part) parts.push(part);
    }
    if (!parts.length) return null;
    return parts.length === 1 ? parts[0] : new ChainedMatcher(parts);
  }

  /** The matcher of one key set over (after, before]; null when one of its keys is held by no notice. */
  private async keyMatcher(
    keySet: KeySet,
    q: string,
    narrowedBy: string | undefined,
    range: { before: number; after: number },
    options: { counting?: boolean },
  ): Promise<SearchMatcher | null> {
    const terms = parseSearchQuery(q, keySet);
    const words = [...new Set(terms.flatMap((t) => t.grams))];
    if (!words.length) return null;
    const counts = await this.keyCounts(narrowedBy ? [...words, narrowedBy] : words);
    if ([...counts.values()].some((c) => c === 0)) return null;
    // Rarest first: it leads the intersection, the others are read only as far down as it goes.
    const keys = [...counts.keys()].sort((a, b) => counts.get(a)! - counts.get(b)! || (a < b ? -1 : 1));
    const streams = keys
      .slice(0, MAX_STREAMS)
      .map(
        (key) =>
          new BlockStream(
            this.db.manager,
            key,
            range.before,
            range.after,
            options.counting ?? false,
            key === narrowedBy ? KEY_BLOCKS : BLOCKS,
          ),
      );
    const exact = keys.length <= MAX_STREAMS && terms.every((t) => t.exact);
    return new SearchMatcher(keys.slice(0, MAX_STREAMS), streams, range.before, exact, counts.get(keys[0])!);
  }

  /**
   * The instant after which every published notice holds its phrase keys (-1: all of them): the newest notice
   * indexed before they existed, until `npm run reindex` rebuilds the index (migration 1766800000000).
   */
  async phraseKeysAfter(): Promise<number> {
    const rows: { after: unknown }[] = await this.db.manager.query(
      `SELECT phrase_keys_after AS after FROM ${STATE} WHERE id = 1`,
    );
    return rows.length ? Number(rows[0].after) : -1;
  }

  /**
   * The exact total of a one-term search without filters, from the counts (a term of one or two characters, or
   * of three or four not all ASCII once every notice holds phrase keys, is its key); undefined when the search is
   * anything else.
   */
  async exactTotal(filter: NoticeFilter): Promise<number | undefined> {
    const narrowed =
      filter.category ||
      filter.type ||
      filter.types ||
      filter.region ||
      filter.from ||
      filter.to ||
      filter.open ||
      filter.sort === 'deadline';
    if (!filter.q || narrowed) return undefined;
    const terms = parseSearchQuery(filter.q);
    if (terms.length !== 1 || !terms[0].exact) return undefined;
    // A phrase key is every notice's only once the index has them all (a one- or two-character key always is).
    if (!parseSearchQuery(filter.q, 'pairs')[0].exact && (await this.phraseKeysAfter()) >= 0) return undefined;
    return (await this.keyCounts([terms[0].text])).get(terms[0].text)!;
  }

  /** How many published notices hold each key (0 for a key none holds): the counts a search starts by. */
  async keyCounts(grams: string[]): Promise<Map<string, number>> {
    const counts = new Map(grams.map((g) => [g, 0]));
    if (!grams.length) return counts;
    const rows: { gram: string; notices: unknown }[] = await this.db.manager.query(
      `SELECT gram, notices FROM ${COUNTS} WHERE gram IN (${sqlMarks(grams)})`,
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

  /**
   * Lists a region filter (with or without a category, or of one type) by its filter key's rows, which hold the
   * notices of the region prefix (of that category, or of that type) in list order: a page reads its own rows instead of every notice of the region's codes. The
   * filter itself stays applied to n by the caller.
   */
  startFromFilterKey(qb: SelectQueryBuilder<Notice>, filter: Pick<NoticeFilter, 'category' | 'region'>, key?: string) {
    // Or the rows of a type in the region (typeFilterKey), as the list's plan chose.
    key ??= filterKeyOf(filter);
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
   * Up to `limit` notices of a filter key's rows alone, newest first, after a list key and within dates: their ids
   * and instants (`id`, `published_at`, as a list's raw rows), one read a notice. For a key that holds exactly a
   * filter's notices (a type in a region, with its category or not: the key is written when the notice is
   * published, and what it names of a published notice never changes), so nothing of the notice itself is read.
   */
  async keyRows(
    key: string,
    range: { from?: Date; to?: Date; after?: { at: unknown; id: string } },
    limit: number,
  ): Promise<Record<string, unknown>[]> {
    const where = ['gram = ?'];
    const params: unknown[] = [key];
    const stored = (d: Date) => storedPublishedAt(this.db.dataSource, d);
    if (range.from) {
      where.push('published_at >= ?');
      params.push(stored(range.from));
    }
    if (range.to) {
      where.push('published_at <= ?');
      params.push(stored(range.to));
    }
    if (range.after) {
      const { at, id } = range.after;
      where.push(keysetAfter({ key: 'published_at', id: 'notice_id' }, { key: at, id }, 'DESC', positional(params)));
    }
    return this.db.manager.query(
      `SELECT notice_id AS id, published_at FROM ${GRAMS} WHERE ${where.join(' AND ')}
       ORDER BY published_at DESC, notice_id DESC LIMIT ${Math.floor(limit)}`,
      params,
    );
  }

  /**
   * The columns a list of notices is ordered and paged by, newest first: for a list led by a filter key's rows,
   * their (published_at, notice_id), equal to the notice's own, so the database reads that key's rows in order.
   */
  orderColumns(qb: SelectQueryBuilder<Notice>): { publishedAt: string; id: string } {
    const led = qb.expressionMap.aliases.some((a) => a.name === START);
    return led
      ? { publishedAt: `${START}.published_at`, id: `${START}.notice_id` }
      : { publishedAt: 'n.published_at', id: 'n.id' };
  }

  /** Indexes a notice in the transaction that publishes it (PublishingService.publishLocked). */
  async indexPublished(em: EntityManager, notice: Notice): Promise<void> {
    const project = await em.findOneBy(Project, { id: notice.projectId });
    const parties = await em.findBy(ProjectParty, { projectId: notice.projectId });
    const counts = new Map<string, number>();
    const postings = new PostingBatch();
    const keyPostings = new PostingBatch();
    await this.writeDocuments(em, [searchDocument(notice, project, parties)], counts, postings, keyPostings);
    countPostings(counts, postings);
    await postings.flush(em, this.db.dialect);
    await keyPostings.flush(em, this.db.dialect, KEY_BLOCKS);
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
    for (const table of [GRAMS, COUNTS, TEXTS, BLOCKS, KEY_BLOCKS])
      await this.db.manager.query(truncateSql(this.db.dialect, table));
    // Every notice indexed from here on holds its phrase keys.
    await this.db.manager.query(`UPDATE ${STATE} SET phrase_keys_after = -1 WHERE id = 1`);
    let after: { at: Date; id: string } | undefined;
    let notices = 0;
    let postings = 0;
    let counts = new Map<string, number>();
    // Word postings of many batches go into the blocks together: a key's open block is rewritten once per
    // flush, not once per batch.
    const pending = new PostingBatch();
    const pendingKeys = new PostingBatch();
    const flush = async () => {
      countPostings(counts, pending);
      await this.db.transaction(async (em) => {
        await pending.flush(em, this.db.dialect);
        await pendingKeys.flush(em, this.db.dialect, KEY_BLOCKS);
        await this.addToCounts(em, counts);
      });
      counts = new Map();
    };
    for (;;) {
      const qb = this.db.manager
        .createQueryBuilder(Notice, 'n')
        .where('n.status = :published', { published: 'published' });
      if (after)
        qb.andWhere(
          keysetAfter({ key: 'n.published_at', id: 'n.id' }, { key: after.at, id: after.id }, 'ASC', named(qb)),
        );
      const batch = await qb.orderBy('n.published_at', 'ASC').addOrderBy('n.id', 'ASC').limit(batchSize).getMany();
      if (!batch.length) break;
      after = { at: batch[batch.length - 1].publishedAt!, id: batch[batch.length - 1].id };
      await this.db.transaction(async (em) => {
        const done: { notice_id: string }[] = await em.query(
          `SELECT notice_id FROM ${TEXTS} WHERE notice_id IN (${sqlMarks(batch)})`,
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
        postings += await this.writeDocuments(em, documents, counts, pending, pendingKeys);
      });
      notices += batch.length;
      if (pending.size > FLUSH_POSTINGS) await flush();
      options.onProgress?.(notices);
    }
    await flush();
    return { notices, postings };
  }

  /**
   * Writes texts and filter-key rows; adds word postings to `postings` (counted when they are flushed:
   * countPostings), filter-key postings to `keyPostings` (their blocks) and each document's filter keys to
   * `counts`. Returns the number of postings.
   */
  private async writeDocuments(
    em: EntityManager,
    documents: SearchDocument[],
    counts: Map<string, number>,
    postings: PostingBatch,
    keyPostings: PostingBatch,
  ): Promise<number> {
    const filterRows: unknown[][] = [];
    let added = 0;
    for (const d of documents) {
      const instant = d.publishedAt.getTime();
      for (const gram of documentGrams(d.content)) {
        postings.add(gram, instant);
        added++;
      }
      // Stored exactly as the notice's own published_at, so the join on it matches on both databases.
      const at = storedPublishedAt(em.connection, d.publishedAt);
      for (const gram of d.filterKeys) {
        filterRows.push([gram, at, d.noticeId]);
        keyPostings.add(gram, instant);
        counts.set(gram, (counts.get(gram) ?? 0) + 1);
        added++;
      }
    }
    for (const rows of chunks(documents, TEXT_ROWS_PER_INSERT)) {
      await em.query(
        `INSERT INTO ${TEXTS} (notice_id, content) VALUES ${sqlRows(rows.length, 2)}`,
        rows.flatMap((d) => [d.noticeId, d.content]),
      );
    }
    // In key order, so each key's new rows go in together at the end of its range.
    filterRows.sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));
    for (const rows of chunks(filterRows, GRAM_ROWS_PER_INSERT)) {
      await em.query(
        `INSERT INTO ${GRAMS} (gram, published_at, notice_id) VALUES ${sqlRows(rows.length, 3)}`,
        rows.flat(),
      );
    }
    return added;
  }

  private addToCounts(em: EntityManager, counts: Map<string, number>) {
    return addToCounters(em, this.db.dialect, COUNTS, { key: 'gram', counter: 'notices' }, counts);
  }
}

/**
 * Adds to `counts` the notices of each word key whose postings wait in `postings`: a document holds each of its
 * keys once, so a key's postings are its notices (one Map update a key, not one a posting).
 */
function countPostings(counts: Map<string, number>, postings: PostingBatch) {
  for (const [gram, n] of postings.postingsByKey()) counts.set(gram, (counts.get(gram) ?? 0) + n);
}

/** A search's candidate instants, newest first, a window at a time. */
export interface Candidates {
  /** The keys intersected, rarest first (of each range in turn, newest range first). */
  readonly keys: string[];
  /**
   * Every term is its own key and every key was intersected: a notice published alone at a candidate instant
   * holds every term and the narrowing key, with no text to check (NoticeQueryService.searchTotal).
   */
  readonly exact: boolean;
  /**
   * At most how many candidates there are: the notices of the rarest key (of each range, summed), whatever the
   * range's bounds leave of them.
   */
  readonly most: number;
  /** Up to `count` more candidate instants, newest first; fewer means none is left after them. */
  take(count: number): Promise<number[]>;
}

/**
 * Candidates of consecutive ranges, newest range first: a matcher by phrase keys, the older one by pairs; or a
 * matcher, then older instants read otherwise (withOlder).
 */
class ChainedMatcher implements Candidates {
  readonly keys: string[];
  readonly exact: boolean;
  readonly most: number;

  constructor(private readonly parts: Candidates[]) {
    this.keys = parts.flatMap((p) => p.keys);
    this.exact = parts.every((p) => p.exact);
    this.most = parts.reduce((sum, p) => sum + p.most, 0);
  }

  async take(count: number): Promise<number[]> {
    const out: number[] = [];
    while (out.length < count && this.parts.length) {
      const got = await this.parts[0].take(count - out.length);
      out.push(...got);
      if (out.length < count) this.parts.shift();
    }
    return out;
  }
}

/** Instants given rather than found by keys, newest first: not exact, they hold no key. */
class GivenInstants implements Candidates {
  readonly keys: string[] = [];
  readonly exact = false;
  readonly most: number;
  private readonly rest: number[];

  constructor(instants: number[]) {
    this.rest = [...instants];
    this.most = instants.length;
  }

  async take(count: number): Promise<number[]> {
    return this.rest.splice(0, count);
  }
}

/**
 * A search's candidates (null: no key can match), then `older` instants read otherwise, newest first and older
 * than any of the matcher's (open announcements published long before the others: NoticeQueryService.candidates).
 */
export function withOlder(matcher: Candidates | null, older: number[]): Candidates {
  return new ChainedMatcher([...(matcher ? [matcher] : []), new GivenInstants(older)]);
}

/**
 * The intersection of a search's key streams, newest first (a leapfrog join: each stream skips to the largest
 * instant not above the others'), taken a window at a time.
 */
export class SearchMatcher implements Candidates {
  private cursor: number;
  private exhausted = false;

  constructor(
    /** The keys intersected, rarest first. */
    readonly keys: string[],
    private readonly streams: InstantStream[],
    before: number,
    readonly exact: boolean,
    /** The notices of the rarest key. */
    readonly most: number,
  ) {
    this.cursor = before;
  }

  /** Up to `count` more candidate instants, newest first; fewer means none is left after them. */
  async take(count: number): Promise<number[]> {
    const out: number[] = [];
    while (out.length < count && !this.exhausted) {
      let candidate = this.cursor;
      let agreed = 0;
      for (let i = 0; agreed < this.streams.length; i = (i + 1) % this.streams.length) {
        const v = await this.streams[i].seek(candidate);
        if (v === null) {
          this.exhausted = true;
          return out;
        }
        if (v === candidate) agreed++;
        else {
          candidate = v;
          agreed = 1;
        }
      }
      out.push(candidate);
      this.cursor = candidate - 1;
    }
    return out;
  }
}

export interface SearchDocument {
  noticeId: string;
  publishedAt: Date;
  /** Folded searchable text, one field per line. */
  content: string;
  /** The filter keys of its category and region, and of its type and region (search-grams.ts). */
  filterKeys: string[];
}

type SearchableNotice = Pick<
  Notice,
  'id' | 'publishedAt' | 'title' | 'body' | 'details' | 'category' | 'regionCode' | 'type'
>;

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
    filterKeys: [
      ...filterKeys(notice.category, notice.regionCode),
      ...typeFilterKeys(notice.type, notice.category, notice.regionCode),
    ],
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

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
