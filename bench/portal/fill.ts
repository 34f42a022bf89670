import type { QueryRunner } from 'typeorm';
import { dateWriter, insertRows } from '../fill-rows.js';
import { Database } from '../../src/database/database.js';
import { sqlMarks } from '../../src/database/dialect.js';
import { backfillCounts } from '../../src/database/migrations/1765510000000-bounded-reads.js';
import { backfillDatedFilterCounts } from '../../src/database/migrations/1766500000000-dated-filter-counts.js';
import { backfillOpenCounts } from '../../src/database/migrations/1766600000000-open-counts.js';
import { backfillDeadlineKeys } from '../../src/database/migrations/1767300000000-deadline-keys.js';
import { buildKeyBlocks } from '../../src/database/migrations/1767400000000-search-key-blocks.js';
import { chinaDate } from '../../src/domain/china-time.js';
import { generateDemoData } from '../../src/demo/demo-data.js';
import { Random } from '../../src/demo/random.js';
import type { DemoNotice, DemoProject } from '../../src/demo/demo-project.js';
import type { FieldError } from '../../src/http/app-error.js';
import { noticeTypeBySlug } from '../../src/domain/catalog.js';
import { parseAmount } from '../../src/domain/money.js';
import { WorkingDayCalendar } from '../../src/domain/working-days.js';
import { mintId, prefixedId } from '../../src/trading/ids.js';
import { normaliseDetails } from '../../src/trading/notice-details.js';
import { searchDocument } from '../../src/trading/notice-search.js';
import { TYPE_KEY_LETTERS } from '../../src/trading/search-grams.js';
import { ANNOUNCEMENT_TYPES } from '../../src/trading/notice-query.service.js';
import type { DatabaseConfig } from '../../src/config/config.js';
import { WordIndex, WordIndexWorker, type WordCounts, type WordDoc, type WordIndexReport } from './fill-words.js';
import { effectiveDatesSetBy } from '../../src/trading/timing-facts.js';
import { contentHash, entryHash, GENESIS_HASH } from '../../src/transparency/canonical.js';

/**
 * Fills an empty database (schema from the app's migrations) with `count` published notices that read like
 * the centre's: the demo data's generators (src/demo), run again and again with other seeds and other "todays"
 * spread over ten years, give projects at every stage with the details of every notice type — bid-opening
 * records with their bids, candidates, results, deals and contracts with their awards, corrections,
 * withdrawals, terminations. Rows go straight into the real tables by multi-row INSERTs, one transaction per
 * batch, with everything publication derives (PublishingService.publishLocked): the content hash, the
 * hash-chained publication log (so `npm run verify-log` passes), the project's deadlines and first publication,
 * withdrawn targets, and the search index (texts, word-key blocks, filter-key rows and counts, as NoticeSearch writes them).
 * About one notice in a hundred also leaves a draft behind that never went out.
 */
export interface FillReport {
  notices: number;
  drafts: number;
  projects: number;
  bids: number;
  postings: number;
  seconds: number;
  /** Spent writing the search index: filter keys to staging and their sorted build, word keys' blocks (in their worker, beside the rest). */
  indexSeconds: number;
  /** MySQL/MariaDB: the largest tables' size on disk, "notice_search_gram 399, notice 36, …" (MB). */
  sizes?: string;
  /** Notices whose bids.csv and awards.csv lines were kept (ExportLines.rebuild, as npm run reindex does), and in how many s. */
  exportLines?: number;
  exportLinesSeconds?: number;
  /** Building the organisation index over every notice (npm run reindex's second part), s. */
  orgIndexSeconds?: number;
  /** Computing every integrity indicator (every project's flags, then every cohort's fences), s. */
  integritySeconds?: number;
  /** Flags raised, by indicator. */
  flags?: Record<string, number>;
}

const PLATFORM = 'DL2102';
/** Ten years of notices, the newest just before `end`. */
const SPAN_MS = 10 * 365 * 24 * 3600 * 1000;
/** How far back of its "today" one demo data set reaches (its oldest projects opened some 300 days before). */
const LOOKBACK_MS = 500 * 24 * 3600 * 1000;
const NOTICES_PER_DATA_SET = 365;
/** Notices written per transaction. */
const BATCH = 2000;
const GRAM_ROWS_PER_INSERT = 2000;

/**
 * Filter-key postings are written to unindexed staging tables, one per range of keys, and moved into notice_search_gram
 * at the end, each range sorted by the primary key: appended in key order rather than inserted all over an
 * index larger than the buffer pool, and compact, as a rebuilt index is (on MariaDB at 10,000 notices: 295 MB,
 * against 399 MB when written batch by batch, in about the same time, when word keys were rows too).
 * A range is the keys of one first character (each kind of filter key, and each type's letter): 1 to 3 rows a
 * notice each. At 1,000,000 notices, 13 million rows in these ranges took 85 s to move, against 244 s in the two
 * ranges of 7 and 6 million rows they were before (bench/results.md, session-2026-12-07g).
 */
const STAGING = 'bench_fill_gram_';
/** The first characters of filter keys (search-grams.ts: filterKey, typeFilterKey), in binary order. */
const FIRST_CHARACTERS = ['#', '$', '&', '@', ...Object.values(TYPE_KEY_LETTERS)].sort();
const BUCKETS = FIRST_CHARACTERS.length;

function bucketOf(gram: string): number {
  const bucket = FIRST_CHARACTERS.indexOf(gram[0]);
  if (bucket < 0) throw new Error(`the fill has no staging table for filter keys like ${gram}`);
  return bucket;
}

async function buildGramIndex(db: Database) {
  for (let b = 0; b < BUCKETS; b++) {
    await db.transaction(async (em) => {
      // MariaDB's default sort buffer (2 MB) sorts a range of millions of postings in many passes on disk.
      if (db.dialect === 'mysql') await em.query('SET SESSION sort_buffer_size = 536870912');
      // Not by notice_id: its collation's sort key is some hundreds of bytes, and notices of one key published in
      // the same millisecond are few (slightly out of order, they cost the insert nothing).
      await em.query(
        `INSERT INTO notice_search_gram (gram, published_at, notice_id) SELECT gram, published_at, notice_id FROM ${STAGING}${b} ORDER BY gram, published_at`,
      );
      if (db.dialect === 'mysql') await em.query('SET SESSION sort_buffer_size = DEFAULT');
    });
    await db.manager.query(`DROP TABLE ${STAGING}${b}`);
  }
}

interface PendingProject {
  id: string;
  row: unknown[];
  parties: { name: string; row: unknown[] }[];
  lots: unknown[][];
  dealCode: string;
  tenderCode: string;
  name: string;
  notices: PendingNotice[];
  written: boolean;
  /** The project's deadline as stored, once written: its announcements carry a copy (PublishingService). */
  deadline?: unknown;
}

interface PendingNotice {
  id: string;
  project: PendingProject;
  demo: DemoNotice;
  details: Record<string, unknown>;
  targetId: string | null;
  withdrawnBy: PendingNotice | null;
  publishedAt: Date;
  written?: boolean;
}

export async function fillPortal(
  db: Database,
  count: number,
  end: Date,
  log: (line: string) => void,
  config: DatabaseConfig,
): Promise<FillReport> {
  const started = Date.now();
  const toDb = dateWriter(db.dataSource);
  // Every year counts as loaded, with weekends as the only days off: the generators ask for working days.
  const calendar = new WorkingDayCalendar(
    [],
    Array.from({ length: 40 }, (_, i) => 2000 + i),
  );
  const pending: PendingNotice[] = [];
  const counts = new Map<string, number>();
  const report: FillReport = { notices: 0, drafts: 0, projects: 0, bids: 0, postings: 0, seconds: 0, indexSeconds: 0 };
  let seq = 0;
  let head = GENESIS_HASH;
  for (let b = 0; b < BUCKETS; b++) {
    await db.manager.query(
      `CREATE TABLE ${STAGING}${b} AS SELECT gram, published_at, notice_id FROM notice_search_gram WHERE 1 = 0`,
    );
  }
  let serial = 0;
  // The texts' word keys' postings: in a worker thread on MySQL/MariaDB (fill-words.ts), unless
  // BENCH_FILL_WORKER=0 (the same work in this thread, to compare).
  const inline = config.kind === 'sqlite' || process.env.BENCH_FILL_WORKER === '0';
  const words = inline ? new WordIndex(db) : new WordIndexWorker(config);

  // Where the main loop's time goes (logged every 100,000 notices): generating data sets, preparing rows in this
  // thread, waiting for the batch before to be written, waiting for the word index's worker.
  const spent = { generate: 0, prepare: 0, write: 0, words: 0 };
  // On MySQL/MariaDB one batch is written while the next is generated and prepared (one in flight, so they go in
  // in order); on SQLite, whose one connection the word index shares, each is written before the next.
  let writing: Promise<void> = Promise.resolve();
  const timed = async <T>(what: keyof typeof spent, work: () => T | Promise<T>): Promise<T> => {
    const t = process.hrtime.bigint();
    try {
      return await work();
    } finally {
      spent[what] += Number(process.hrtime.bigint() - t) / 1e9;
    }
  };
  const writeBatch = async (batch: PendingNotice[]) => {
    const t = process.hrtime.bigint();
    const projects: unknown[][] = [];
    const parties: unknown[][] = [];
    const lots: unknown[][] = [];
    const notices: unknown[][] = [];
    const entries: unknown[][] = [];
    const docs: WordDoc[] = [];
    const texts: unknown[][] = [];
    const staged: unknown[][] = Array.from({ length: BUCKETS }, () => []);
    for (const n of batch) {
      const p = n.project;
      if (!p.written) {
        p.written = true;
        report.projects++;
        const derived = projectDerived(p, toDb);
        p.deadline = derived.deadline;
        projects.push([...p.row, ...derivedRow(derived)]);
        parties.push(...p.parties.map((x) => x.row));
        lots.push(...p.lots);
      }
      const publishedAt = toDb(n.publishedAt);
      const type = noticeTypeBySlug(n.demo.type)!;
      const hash = contentHash({
        id: n.id,
        projectId: p.id,
        type: n.demo.type,
        title: n.demo.title,
        body: n.demo.body,
        details: n.details,
        targetNoticeId: n.targetId,
        publishedAt: n.publishedAt,
        sourcePlatform: PLATFORM,
      });
      seq++;
      const entry = {
        seq,
        kind: type.kind,
        noticeId: n.id,
        recordedAt: n.publishedAt,
        contentHash: hash,
        prevHash: head,
      };
      head = entryHash(entry);
      const withdrawn = n.withdrawnBy;
      n.written = true;
      // Dated like the workflow: drafted, submitted, approved at publication.
      const created = toDb(new Date(n.publishedAt.getTime() - 150 * 60_000));
      notices.push([
        n.id,
        p.id,
        n.demo.type,
        p.row[4],
        p.row[5],
        n.demo.title,
        n.demo.body,
        JSON.stringify(n.details),
        n.targetId,
        'published',
        toDb(new Date(n.publishedAt.getTime() - 90 * 60_000)),
        publishedAt,
        publishedAt,
        PLATFORM,
        n.id,
        hash,
        seq,
        created,
        publishedAt,
        1,
        withdrawn ? toDb(withdrawn.publishedAt) : null,
        withdrawn?.id ?? null,
        // The project's deadline after all its notices (the fill knows them at once): what publication leaves on
        // an announcement once the project's last correction is out.
        ANNOUNCEMENT_TYPES.includes(n.demo.type) ? p.deadline : null,
      ]);
      entries.push([seq, type.kind, n.id, p.id, publishedAt, hash, entry.prevHash, head]);
      if (n.demo.type === 'bid-opening') report.bids += ((n.details.bids as unknown[]) ?? []).length;
      if (seq % 100 === 0) {
        report.drafts++;
        const id = mintId(PLATFORM, n.publishedAt);
        notices.push([
          id,
          p.id,
          n.demo.type,
          p.row[4],
          p.row[5],
          `${n.demo.title}（草稿）`,
          n.demo.body,
          JSON.stringify(n.details),
          null,
          'draft',
          null,
          null,
          null,
          PLATFORM,
          id,
          null,
          null,
          created,
          created,
          1,
          null,
          null,
          null,
        ]);
      }
      const doc = searchDocument(
        {
          id: n.id,
          publishedAt: n.publishedAt,
          title: n.demo.title,
          body: n.demo.body,
          details: n.details,
          category: p.row[4] as string,
          regionCode: p.row[5] as string,
          type: n.demo.type,
        },
        { name: p.name, dealCode: p.dealCode, tenderCode: p.tenderCode },
        p.parties,
      );
      docs.push({ instant: n.publishedAt.getTime(), content: doc.content });
      texts.push([n.id, doc.content]);
      for (const gram of doc.filterKeys) {
        staged[bucketOf(gram)].push(gram, publishedAt, n.id);
        counts.set(gram, (counts.get(gram) ?? 0) + 1);
      }
    }
    spent.prepare += Number(process.hrtime.bigint() - t) / 1e9;
    await timed('write', () => writing);
    writing = db.transaction(async (em) => {
      await insertRows(em, 'project', PROJECT_COLUMNS, projects);
      await insertRows(
        em,
        'project_party',
        ['project_id', 'role', 'name', 'credit_code', 'address', 'contact_name', 'contact_phone'],
        parties,
      );
      await insertRows(em, 'project_lot', ['project_id', 'code', 'name', 'price_fen', 'price_unit'], lots);
      await insertRows(em, 'notice', NOTICE_COLUMNS, notices);
      await insertRows(
        em,
        'publication_log',
        ['seq', 'kind', 'notice_id', 'project_id', 'recorded_at', 'content_hash', 'prev_hash', 'entry_hash'],
        entries,
      );
      // The folded texts (the word keys' postings are the word index's), and the filter keys' postings, which go
      // to the staging tables first (see buildGramIndex).
      const t = process.hrtime.bigint();
      await insertRows(em, 'notice_search_text', ['notice_id', 'content'], texts, 100);
      for (const [bucket, rows] of staged.entries()) {
        for (let i = 0; i < rows.length; i += GRAM_ROWS_PER_INSERT * 3) {
          const chunk = rows.slice(i, i + GRAM_ROWS_PER_INSERT * 3);
          await em.query(
            `INSERT INTO ${STAGING}${bucket} (gram, published_at, notice_id) VALUES ${Array(chunk.length / 3)
              .fill('(?, ?, ?)')
              .join(', ')}`,
            chunk,
          );
        }
        report.postings += rows.length / 3;
      }
      report.indexSeconds += Number(process.hrtime.bigint() - t) / 1e9;
    });
    // Its failure is thrown where the next batch (or the end of the loop) waits for it.
    writing.catch(() => undefined);
    if (inline) await timed('write', () => writing);
    await timed('words', () => words.add(docs));
    report.notices += batch.length;
  };

  // Data sets overlap in time (each reaches back about a year from its "today"), so notices wait in `pending`
  // until no later data set can publish before them, and are written in publication order. "Today" advances
  // so that the last data set ends at `end`, whatever the data sets' actual size.
  let today = end.getTime() - SPAN_MS;
  let generated = 0;
  for (let k = 0; report.notices < count; k++) {
    const average = k ? generated / k : NOTICES_PER_DATA_SET;
    today += (end.getTime() - today) / Math.max(1, Math.round((count - generated) / average));
    let fresh = await timed('generate', () =>
      generateDemoData(new Date(today), calendar, 0x2102_0000 + k).flatMap((demo) => project(demo, ++serial, today)),
    );
    // The last data set (its "today" is `end`) gives up whole projects picked at random for the count, rather
    // than its newest notices: the newest notice stays a day or so before `end`, at every size.
    if (generated + fresh.length > count) fresh = withoutProjects(fresh, generated + fresh.length - count, k);
    generated += fresh.length;
    fresh.sort(byPublication);
    pending.push(...fresh);
    // Merges two sorted runs (TimSort): linear.
    pending.sort(byPublication);
    const last = generated >= count;
    // "Today" never goes back, so a later data set publishes nothing before this one's lookback (less the spread).
    const settled = last ? Infinity : today - LOOKBACK_MS - SPREAD_MS;
    let ready = pending.findIndex((n) => n.publishedAt.getTime() >= settled);
    if (ready < 0) ready = pending.length;
    while (ready >= BATCH || (last && ready > 0 && report.notices < count)) {
      const batch = pending.splice(0, Math.min(BATCH, ready, count - report.notices));
      ready -= batch.length;
      await writeBatch(batch);
      if (report.notices % 100_000 < BATCH || report.notices === count)
        log(
          `  ${report.notices} notices (${Object.entries(spent)
            .map(([k, v]) => `${k} ${v.toFixed(0)} s`)
            .join(', ')})`,
        );
    }
    if (last && report.notices < count) throw new Error(`generated ${generated} notices, short of ${count}`);
  }
  await writing;
  // Notices beyond the count were never published: nothing published may depend on them.
  await db.transaction(async (em) => {
    for (const n of pending) {
      const target =
        n.demo.type === 'withdrawal' && n.targetId ? n.project.notices.find((x) => x.id === n.targetId) : undefined;
      if (target?.written)
        await em.query('UPDATE notice SET withdrawn_at = NULL, withdrawn_by = NULL WHERE id = ?', [target.id]);
    }
    for (const p of new Set(pending.map((n) => n.project))) {
      p.notices = p.notices.filter((n) => n.written);
      if (!p.written) continue;
      const d = projectDerived(p, toDb);
      await em.query(
        'UPDATE project SET updated_at = ?, bid_deadline = ?, opening_time = ?, first_published_at = ?, terminated_at = ?, version = ? WHERE id = ?',
        [d.updatedAt, d.deadline, d.opening, d.firstPublishedAt, d.terminatedAt, d.version, p.id],
      );
      await em.query(
        `UPDATE notice SET bid_deadline = ? WHERE project_id = ? AND status = 'published' AND type IN (${sqlMarks(ANNOUNCEMENT_TYPES)})`,
        [d.deadline, p.id, ...ANNOUNCEMENT_TYPES],
      );
    }
  });

  // The word index's worker writes its last postings while this thread builds what follows from the notices (on
  // SQLite the word index shares this connection: it ends first). Its keys' counts come before its last blocks.
  let counted!: (c: WordCounts) => void;
  const given = new Promise<WordCounts>((resolve) => (counted = resolve));
  const wordsEnded = words.end(counted);
  wordsEnded.catch(() => undefined);
  // The word index's failure fails whatever waits for its counts.
  const wordCounts = Promise.race([given, wordsEnded.then(() => given)]);
  if (inline) await wordsEnded;
  const step = async (what: string, work: () => Promise<unknown>) => {
    const t = Date.now();
    await work();
    log(`  ${what} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  };
  const withRunner = async (work: (runner: QueryRunner) => Promise<void>) => {
    const runner = db.dataSource.createQueryRunner();
    try {
      await work(runner);
    } finally {
      await runner.release();
    }
  };
  // The filter keys' rows and then their blocks (the database sorting, then this thread encoding), beside what
  // publication derives for the lists (src/trading/notice-counts.ts): the filter counts and deadline keys, built
  // the way the migrations build them for notices written before them (this thread counting what it reads); and
  // beside both the search keys' counts, once the word index has given its own. On three connections at once (and
  // the word index's on its own); on SQLite, one after the other.
  const filterKeys = async () => {
    const t = Date.now();
    await step("search index's filter keys built", () => buildGramIndex(db));
    await withRunner((runner) => step("filter keys' blocks", () => buildKeyBlocks(runner)));
    report.indexSeconds += (Date.now() - t) / 1000;
  };
  const lists = async () => {
    await withRunner(async (runner) => {
      await step('filter counts', () => backfillCounts(runner));
      await step('dated filter counts', () => backfillDatedFilterCounts(runner));
      await step('open counts', () => backfillOpenCounts(runner, chinaDate(end)));
      await step('deadline keys', () => backfillDeadlineKeys(runner));
    });
  };
  // The counts of the search keys, and the log's head.
  const keyCounts = () =>
    step('search key counts and the log head written', async () => {
      for (const [gram, n] of await wordCounts) counts.set(gram, (counts.get(gram) ?? 0) + n);
      await db.transaction(async (em) => {
        const rows = [...counts.keys()].sort().map((g) => [g, counts.get(g)]);
        await insertRows(em, 'notice_search_gram_count', ['gram', 'notices'], rows, 1000);
        await em.query('UPDATE publication_log_head SET seq = ?, hash = ? WHERE id = 1', [seq, head]);
      });
    });
  if (inline) {
    await filterKeys();
    await lists();
    await keyCounts();
  } else await Promise.all([filterKeys(), lists(), keyCounts()]);
  let wordReport!: WordIndexReport;
  await step('word index ended', async () => (wordReport = await wordsEnded));
  report.postings += wordReport.postings;
  report.indexSeconds += wordReport.seconds;
  log(
    `  word index: keys gathered in ${wordReport.gatherSeconds.toFixed(0)} s, blocks written in ${wordReport.seconds.toFixed(0)} s`,
  );
  report.seconds = (Date.now() - started) / 1000;
  return report;
}

const byPublication = (a: PendingNotice, b: PendingNotice) =>
  a.publishedAt.getTime() - b.publishedAt.getTime() || (a.id < b.id ? -1 : 1);

const PROJECT_COLUMNS = [
  'id',
  'deal_code',
  'tender_code',
  'investment_code',
  'category',
  'region_code',
  'name',
  'summary',
  'price_kind',
  'price_fen',
  'price_unit',
  'procurement_method',
  'transfer_mode',
  'funding_source',
  'fully_online',
  'source_platform',
  'created_at',
  'updated_at',
  'bid_deadline',
  'opening_time',
  'first_published_at',
  'terminated_at',
  'version',
];

const NOTICE_COLUMNS = [
  'id',
  'project_id',
  'type',
  'category',
  'region_code',
  'title',
  'body',
  'details',
  'target_notice_id',
  'status',
  'submitted_at',
  'reviewed_at',
  'published_at',
  'source_platform',
  'source_id',
  'content_hash',
  'log_seq',
  'created_at',
  'updated_at',
  'version',
  'withdrawn_at',
  'withdrawn_by',
  'bid_deadline',
];

/** A demo project as rows, its notices with ids, stored details and targets resolved. */
function project(demo: DemoProject, serial: number, today: number): PendingNotice[] {
  const dto = demo.dto;
  // The generators number projects within one data set; the fill numbers them across all of them.
  const dealCode = dto.dealCode.replace(/-\d+$/, `-${String(serial).padStart(7, '0')}`);
  const id = prefixedId(PLATFORM, dealCode);
  const fen = (a: { value: string; unit: '元' | '万元' } | undefined) =>
    a ? parseAmount(a.value, a.unit).toString() : null;
  const p: PendingProject = {
    id,
    dealCode,
    tenderCode: dto.tenderCode,
    name: dto.name,
    notices: [],
    written: false,
    row: [
      id,
      dealCode,
      dto.tenderCode,
      dto.investmentCode ?? null,
      dto.category,
      dto.regionCode,
      dto.name,
      dto.summary ?? null,
      dto.price?.kind ?? 'none',
      fen(dto.price),
      dto.price?.unit ?? '元',
      dto.procurementMethod ?? null,
      dto.transferMode ?? null,
      dto.fundingSource ?? null,
      dto.fullyOnline ?? true,
      PLATFORM,
    ],
    parties: dto.parties.map((x) => ({
      name: x.name,
      row: [id, x.role, x.name, x.creditCode, x.address ?? null, x.contactName ?? null, x.contactPhone ?? null],
    })),
    lots: (dto.lots ?? []).map((l) => [id, l.code, l.name, fen(l.budget), l.budget?.unit ?? dto.price?.unit ?? '元']),
  };
  const publishedAt = spreadInstants(demo.notices, serial);
  const byKey = new Map<string, PendingNotice>();
  for (const n of demo.notices) {
    if (n.publishedAt.getTime() < today - LOOKBACK_MS)
      throw new Error(`a generated notice lies more than LOOKBACK_MS before its data set's today: ${n.title}`);
    const errors: FieldError[] = [];
    const details = normaliseDetails(n.details, errors);
    if (errors.length) throw new Error(`generated notice “${n.title}” has bad details: ${JSON.stringify(errors)}`);
    const target = n.target ? byKey.get(n.target)! : null;
    const pending: PendingNotice = {
      id: mintId(PLATFORM, publishedAt.get(n)!),
      project: p,
      demo: n,
      details,
      targetId: target?.id ?? null,
      withdrawnBy: null,
      publishedAt: publishedAt.get(n)!,
    };
    if (target && n.type === 'withdrawal') target.withdrawnBy = pending;
    byKey.set(n.key, pending);
    p.notices.push(pending);
  }
  return p.notices;
}

/**
 * `notices` less whole projects of theirs, picked at random, holding `surplus` notices between them (or fewer,
 * when no project left is small enough: the fill then leaves out the newest few).
 */
function withoutProjects(notices: PendingNotice[], surplus: number, seed: number): PendingNotice[] {
  const rng = new Random(0xd20b_0000 + seed);
  const dropped = new Set<PendingProject>();
  const projects = [...new Set(notices.map((n) => n.project))];
  for (const p of rng.sample(projects, projects.length)) {
    if (p.notices.length > surplus) continue;
    dropped.add(p);
    surplus -= p.notices.length;
    if (!surplus) break;
  }
  return notices.filter((n) => !dropped.has(n.project));
}

/** How much earlier than its generator's time a notice may be published: under the gap between any two slots. */
const SPREAD_MS = 8 * 60_000;

/**
 * Each notice's publication instant: the generators give wall-clock slots ('09:20', eighteen a day), so at a
 * million notices six share each millisecond, where a publisher's clock gives each its own (and the search,
 * which finds candidates by instant, would read six notices for each). Each is moved up to SPREAD_MS earlier, to
 * the millisecond, same day, keeping the project's order (a notice sharing its slot with the one before follows
 * it by up to a second).
 */
function spreadInstants(notices: readonly DemoNotice[], serial: number): Map<DemoNotice, Date> {
  const rng = new Random(0x5eed_0000 + serial);
  const at = new Map<DemoNotice, Date>();
  let previous = -Infinity;
  for (const n of [...notices].sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime())) {
    let ms = n.publishedAt.getTime() - rng.int(0, SPREAD_MS - 1);
    if (ms <= previous) ms = previous + rng.int(1, 999);
    at.set(n, new Date(ms));
    previous = ms;
  }
  return at;
}

/** What publication derives on the project (PublishingService.applyToProject), after all its notices, as stored. */
interface ProjectDerived {
  createdAt: unknown;
  updatedAt: unknown;
  deadline: unknown;
  opening: unknown;
  firstPublishedAt: unknown;
  terminatedAt: unknown;
  version: number;
}

/** The derived columns, in PROJECT_COLUMNS' order (its last seven). */
const derivedRow = (d: ProjectDerived): unknown[] => [
  d.createdAt,
  d.updatedAt,
  d.deadline,
  d.opening,
  d.firstPublishedAt,
  d.terminatedAt,
  d.version,
];

function projectDerived(p: PendingProject, toDb: (d: Date) => unknown): ProjectDerived {
  let deadline: Date | null = null;
  let opening: Date | null = null;
  let terminated: Date | null = null;
  const notices = [...p.notices].sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime());
  for (const n of notices) {
    const set = effectiveDatesSetBy(n.demo.type, n.details);
    deadline = set.deadline ?? deadline;
    opening = set.opening ?? opening;
    if (n.demo.type === 'termination') terminated = n.publishedAt;
  }
  const firstAt = notices[0].publishedAt;
  const lastAt = notices[notices.length - 1].publishedAt;
  const d = (x: Date | null) => (x ? toDb(x) : null);
  return {
    createdAt: toDb(new Date(firstAt.getTime() - 26 * 3600_000)),
    updatedAt: toDb(lastAt),
    deadline: d(deadline),
    opening: d(opening),
    firstPublishedAt: toDb(firstAt),
    terminatedAt: d(terminated),
    version: 1 + notices.length,
  };
}
