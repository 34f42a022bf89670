import { createConnection, type Connection } from 'mysql2/promise';
import type { QueryRunner, SelectQueryBuilder } from 'typeorm';
import { FixedClock } from '../src/common/clock.js';
import { IDS_ONLY, PublishedReads } from '../src/published/published-reads.js';
import type { NoticeFilter } from '../src/trading/notice-filter.js';
import type { Notice } from '../src/trading/notice.entity.js';
import { backfillCounts } from '../src/database/migrations/1765510000000-bounded-reads.js';
import { backfillDatedFilterCounts } from '../src/database/migrations/1766500000000-dated-filter-counts.js';
import { backfillDeadlineKeys } from '../src/database/migrations/1767300000000-deadline-keys.js';
import { buildKeyBlocks } from '../src/database/migrations/1767400000000-search-key-blocks.js';
import { backfillOpenCounts } from '../src/database/migrations/1766600000000-open-counts.js';
import { chinaDate, chinaDayEnd, chinaDayStart } from '../src/domain/china-time.js';
import { CATEGORIES, categoryBySlug, REGIONS } from '../src/domain/catalog.js';
import { encodeChangeCursor } from '../src/open-data/api/change-cursor.js';
import { FEED_ITEMS } from '../src/open-data/feeds/feed-document.js';
import { SEARCH_TOTAL_CAP, SEARCH_TOTAL_SQL } from '../src/trading/notice-search.js';
import { DATED_SORT } from '../src/trading/notice-query.service.js';
import { sqlDateTime } from '../src/database/dialect.js';
import { PostingBatch } from '../src/trading/search-blocks.js';
import { filterKeys, typeFilterKeys } from '../src/trading/search-grams.js';
import { creditCode } from './support/fixtures.js';
import { FLAG_TOTAL_CAP } from '../src/integrity/integrity-reads.js';
import { SEARCH_ROWS } from '../src/organizations/organization-reads.js';
import { readSpreadsheetRecords } from './support/spreadsheet-csv.js';
import { flagFilterKeys } from '../src/trading/integrity-index.js';
import { isMysql, startTestApp, type TestApp } from './support/test-app.js';

/**
 * Issue 11: no public request reads more than the rows it returns plus a small constant. The tables are filled
 * straight in SQL with realistic spread (10 categories, 15 types, 12 regions, two years, a project every four
 * notices), the kept counts by the migration's own backfill, the search index with every notice's filter keys
 * and two words (one in 30% of notices, one in 1%). Each request's queries are recorded as the app sends them
 * and measured:
 * - on MariaDB (DATABASE_URL=mysql://…), 50,000 notices: each query runs again on one connection between two
 *   `SHOW SESSION STATUS` (Handler_read_*, and the index entries a condition pushed into the index passed over:
 *   Handler_icp_attempts less Handler_icp_match), and the request's rows read (the sum of the deltas) must stay
 *   under its rows returned × k + C — a request that reads all matches reads tens of thousands;
 * - on SQLite, 5,000 notices: every query's EXPLAIN QUERY PLAN reads notices by an index (no `SCAN` of a
 *   table) and never sorts a list (no `USE TEMP B-TREE FOR ORDER BY`), except a single project's notices.
 */
const NOW = new Date('2026-11-25T02:00:00Z');
const N = isMysql() ? 50_000 : 5_000;
const PER_PROJECT = 4;
const DAY = 86_400_000;
/** The project whose announcement's deadline lies a year after its publication (set by the fill). */
let outlierProject: number | undefined;
/** A project whose announcement (with 道路) was published ten months before NOW and is open a year (set by the fill). */
let stragglerProject: number | undefined;
const PAGE = 20;
/** Rows a request may read beyond k per row returned: counts (≤ 62 day rows + 24 months per range), log head, project lookups. */
const C = 400;
const K = 6;

const REGION_CODES = REGIONS.filter((r) => !r.historical && r.code !== '210000')
  .map((r) => r.code)
  .slice(0, 12);
const ANNOUNCEMENT = { construction: 'tender', procurement: 'procurement', transfer: 'transfer' } as const;
// Corrections and withdrawals name a target; these stand alone.
const LATER_TYPES = [
  'bid-opening',
  'candidates',
  'result',
  'contract',
  'performance',
  'abnormal',
  'termination',
  'deal',
  'auction',
  'prequalification',
];

const sqlTime = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');

interface Recorded {
  sql: string;
  parameters: unknown[];
}

describe(`bounded public reads at ${N.toLocaleString('en-US')} notices`, () => {
  let t: TestApp;
  let recorded: Recorded[] | null = null;
  let measure: Connection | null = null;
  /** Announcements whose deadline is ahead of NOW (open, withdrawn or terminated): what the deadline index holds there. */
  let deadlinesAhead = 0;
  const ids = { notice: '', project: '', contractProject: '' };

  beforeAll(async () => {
    t = await startTestApp({
      clock: new FixedClock(NOW),
      env: { RATE_LIMIT_API: '1000000', RATE_LIMIT_FEEDS: '1000000', RATE_LIMIT_EXPORTS: '1000000' },
    });
    await fill(t, N);
    const runner = t.db.dataSource.createQueryRunner();
    await backfillCounts(runner);
    await backfillDatedFilterCounts(runner);
    await backfillOpenCounts(runner, chinaDate(NOW));
    await backfillDeadlineKeys(runner);
    await buildKeyBlocks(runner);
    await runner.release();
    // Record what the app sends: every query goes through its driver's QueryRunner.query.
    const proto = Object.getPrototypeOf(runner) as {
      query: (this: QueryRunner, sql: string, parameters?: unknown[], ...rest: unknown[]) => Promise<unknown>;
    };
    const original = proto.query;
    proto.query = function (sql, parameters, ...rest) {
      recorded?.push({ sql, parameters: parameters ?? [] });
      return original.call(this, sql, parameters, ...rest);
    };
    if (isMysql()) {
      const u = new URL(t.database.url);
      measure = await createConnection({
        host: u.hostname,
        port: Number(u.port || 3306),
        user: decodeURIComponent(u.username),
        password: decodeURIComponent(u.password),
        database: u.pathname.slice(1),
        timezone: 'Z',
        supportBigNumbers: true,
        bigNumberStrings: true,
      });
    }
    const pick = async (sql: string) => ((await t.db.manager.query(sql)) as { id: string }[])[0].id;
    ids.notice = await pick(`SELECT id FROM notice WHERE type = 'tender' ORDER BY id LIMIT 1 OFFSET 100`);
    ids.project = await pick(`SELECT project_id AS id FROM notice WHERE id = '${ids.notice}'`);
    const [ahead] = (await t.db.manager.query(
      `SELECT COUNT(*) AS c FROM notice WHERE status = 'published' AND bid_deadline > ?`,
      [sqlTime(NOW)],
    )) as { c: unknown }[];
    deadlinesAhead = Number(ahead.c);
  }, 300_000);

  afterAll(async () => {
    await measure?.end();
    await t?.close();
  });

  /**
   * Rows read by one query on the measuring connection (Handler_read_* deltas, less SHOW STATUS's own), and the
   * index entries the storage engine tested and passed over itself (a condition pushed into the index:
   * Handler_icp_attempts less Handler_icp_match), which Handler_read_* does not count.
   */
  async function handlerReads(q: Recorded): Promise<number> {
    const status = async () => {
      const [rows] = await measure!.query(
        `SHOW SESSION STATUS WHERE Variable_name LIKE 'Handler_read%' OR Variable_name LIKE 'Handler_icp%'`,
      );
      return (rows as { Variable_name: string; Value: string }[]).reduce(
        (sum, r) =>
          sum +
          (/_(next|prev|key|first|last|rnd|rnd_next|icp_attempts)$/.test(r.Variable_name)
            ? Number(r.Value)
            : /_icp_match$/.test(r.Variable_name)
              ? -Number(r.Value)
              : 0),
        0,
      );
    };
    const a = await status();
    const b = await status();
    await measure!.query(q.sql, q.parameters);
    const c = await status();
    return Math.max(0, c - b - (b - a));
  }

  /** SQLite's EXPLAIN QUERY PLAN of a recorded query, one line a step. */
  function sqlitePlan(q: Recorded): string[] {
    const sqlite = (
      t.db.dataSource.driver as unknown as {
        databaseConnection: { prepare(sql: string): { all(...p: unknown[]): { detail: string }[] } };
      }
    ).databaseConnection;
    return sqlite
      .prepare(`EXPLAIN QUERY PLAN ${q.sql}`)
      .all(...q.parameters.map((p) => (p instanceof Date ? sqlTime(p) : typeof p === 'boolean' ? Number(p) : p)))
      .map((r) => r.detail);
  }

  /** Plan lines of a query that read a table without an index or sort a list. */
  function badPlan(q: Recorded): string[] {
    // A part from inside organisation names: org_name scanned until SEARCH_ROWS matches (organization-reads.ts).
    const namePart = /FROM org_name WHERE name LIKE \? ESCAPE/.test(q.sql);
    // One project's notices (its page, its trail) are sorted by log order: bounded by the project, not the table.
    const oneProject = /WHERE.*"project_id" = \?/.test(q.sql) || /project_id = \?/.test(q.sql);
    const details = sqlitePlan(q);
    // Sorts that are bounded by something other than the table: the search's few candidate keys (its count rows),
    // and "open now" read by its deadline range (what is open now, not every notice).
    // A search's window of candidates (published_at IN …) sorts at most the window, or SEARCH_TOTAL_CAP
    // candidates in deadline order.
    const window = /published_at"? IN \(/.test(q.sql);
    // A page's notices by their ids (the open set's page, read after its keys: NoticeQueryService.openPage).
    const pageByIds = /\bid"? IN \(/.test(q.sql);
    // The announcements published within dates, counted (at most SEARCH_TOTAL_CAP), sorted by deadline.
    const dated = q.sql.includes(`/* ${DATED_SORT} */`);
    const boundedSort = (i: number) =>
      oneProject ||
      window ||
      dated ||
      pageByIds ||
      /^SEARCH c USING PRIMARY KEY/.test(details[i - 1] ?? '') ||
      details.some((d) =>
        /ix_notice_deadline(_category)? \(status=\? AND (category=\? AND )?bid_deadline>\?\)/.test(d),
      );
    return details.filter(
      (d, i) =>
        (/^SCAN (?!.*(USING (COVERING )?INDEX|CONSTANT ROW))/.test(d) &&
          // integrity_threshold: the administrator's settings, at most one row per indicator's threshold;
          // projects: a page's own project ids as a derived table (organization-reads.ts addOutcomes).
          !/^SCAN (CONSTANT ROW|\(subquery|matches|integrity_threshold|projects$)/.test(d) &&
          !(namePart && /^SCAN org_name$/.test(d))) ||
        (/USE TEMP B-TREE FOR (RIGHT PART OF )?ORDER BY/.test(d) && !boundedSort(i)),
    );
  }

  /** Sends the request; returns what it read (MariaDB) or its questionable plans (SQLite). */
  async function cost(
    path: string,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; reads: number; capped: number; plans: string[]; body: string; selects: string[] }> {
    recorded = [];
    const res = await t
      .http()
      .get(path)
      .set(headers)
      .buffer(true)
      .parse((r, cb) => {
        let data = '';
        r.setEncoding('utf8');
        r.on('data', (c: string) => (data += c));
        r.on('end', () => cb(null, data));
      });
    const queries = recorded.filter((q) => /^\s*(SELECT|WITH)/i.test(q.sql));
    recorded = null;
    let reads = 0;
    let capped = 0;
    const plans: string[] = [];
    for (const q of queries) {
      if (measure) {
        const n = await handlerReads(q);
        // A total counted up to the cap (a keyword with filters, "open now") reads up to the cap, by design.
        if (q.sql.startsWith('SELECT COUNT(*) AS total FROM (') || q.sql.includes(SEARCH_TOTAL_SQL)) capped += n;
        else reads += n;
        if (process.env.SHOW_READS && n > 100) console.log(`${n} rows read: ${path} ${q.sql.slice(0, 300)}`);
      } else plans.push(...badPlan(q).map((d) => `${d}   ← ${q.sql.slice(0, 160)}`));
    }
    return { status: res.status, reads, capped, plans, body: res.body as string, selects: queries.map((q) => q.sql) };
  }

  const bounded = async (
    path: string,
    returned: number,
    headers: Record<string, string> = {},
    expectStatus = 200,
    limit = returned * K + C,
  ) => {
    const r = await cost(path, headers);
    if (process.env.SHOW_CAPPED) console.log(`CAPPED ${path} reads=${r.reads} capped=${r.capped}`);
    expect({ path, status: r.status }).toEqual({ path, status: expectStatus });
    if (measure) {
      expect({ path, reads: r.reads, within: r.reads <= limit }).toEqual({ path, reads: r.reads, within: true });
      expect({ path, capped: r.capped, within: r.capped <= 3 * SEARCH_TOTAL_CAP + C }).toEqual({
        path,
        capped: r.capped,
        within: true,
      });
    } else expect({ path, plans: r.plans }).toEqual({ path, plans: [] });
    return r;
  };

  /**
   * Announcements a deadline walk within the query's publication dates may pass over: those whose deadline lies
   * between the least and the greatest deadline of the announcements published within the dates, published outside
   * them (0 without dates). The walk's range is this one widened to whole months' leads: with every lead the same,
   * as here, the same range.
   */
  async function deadlineWindow(query: string): Promise<number> {
    const params = new URLSearchParams(query);
    const from = params.get('from');
    const to = params.get('to');
    if (!from && !to) return 0;
    const within = [
      from && `published_at >= '${sqlTime(chinaDayStart(from))}'`,
      to && `published_at <= '${sqlTime(chinaDayEnd(to))}'`,
    ]
      .filter(Boolean)
      .join(' AND ');
    const announcements = `status = 'published' AND bid_deadline IS NOT NULL`;
    const [row] = (await t.db.manager.query(
      `SELECT COUNT(*) AS c FROM notice WHERE ${announcements} AND NOT (${within})
         AND bid_deadline >= (SELECT MIN(bid_deadline) FROM notice WHERE ${announcements} AND ${within})
         AND bid_deadline <= (SELECT MAX(bid_deadline) FROM notice WHERE ${announcements} AND ${within})`,
    )) as { c: unknown }[];
    return Number(row.c);
  }

  const city = '210200';
  const county = REGION_CODES.find((c) => c !== city && c.startsWith('2102'))!;
  const lists: [string, string][] = [
    ['no filter', ''],
    ['category', 'category=municipal'],
    ['type', 'type=result'],
    ['region (city)', `region=${city}`],
    ['region (county)', `region=${county}`],
    ['from', 'from=2026-03-10'],
    ['to', 'to=2025-06-30'],
    ['from–to', 'from=2025-02-14&to=2026-05-03'],
    ['open now', 'open=1'],
    ['open now + type', 'open=1&type=tender'],
    ['open now + category', 'open=1&category=municipal'],
    ['open now + region', `open=1&region=${county}`],
    ['category + region', `category=municipal&region=${county}`],
    ['category + type (none)', 'category=state-assets&type=tender'],
    ['category + type', 'category=municipal&type=auction'],
    ['category + type + region', `category=municipal&type=result&region=${county}`],
    ['type + region', `type=result&region=${county}`],
    ['category + dates', 'category=municipal&from=2025-03-01&to=2025-09-30'],
    ['region + dates', `region=${county}&from=2025-03-01&to=2025-09-30`],
    ['q (common word)', 'q=道路'],
    ['q (rare word)', 'q=医院'],
    ['q + category', 'q=道路&category=water'],
    ['q + type', 'q=道路&type=tender'],
    ['q + type + region', `q=道路&type=result&region=${county}`],
    ['q + category + type (none)', 'q=道路&category=state-assets&type=tender'],
    ['q + region', `q=道路&region=${county}`],
    ['q + dates', 'q=道路&from=2025-03-01&to=2025-09-30'],
    ['q + open now', 'q=道路&open=1'],
  ];

  describe.each(lists)('/notices, %s', (name, query) => {
    // A keyword with "open now" reads, once a request, the deadline index's entries ahead of now for the oldest
    // open publications (its candidates start there, but for a few read by their instants: the straggler open
    // a year is one): bounded by what is open, as the "open now" list is.
    const openSet = () => (/q=.*open=1/.test(query) ? deadlinesAhead : 0);
    it('first page, by publication and by deadline', async () => {
      const page = await bounded(`/notices?${query}`, PAGE, {}, 200, PAGE * K + C + openSet());
      // Its total too: the word's candidates published since the oldest open announcement, not all of them.
      if (openSet())
        expect({ capped: page.capped, within: page.capped <= openSet() * K + C }).toMatchObject({ within: true });
      // A total whose candidates are its matches (a word that is its own key; a filter its key holds exactly, the
      // dates bounding the instants) counts them by instant, from the list index: no text is read for it (each
      // notice here has an instant of its own). Before, each candidate's text was read and searched.
      if (/^q=道路&(category|type|region|from)=/.test(query) && !name.includes('(none)')) {
        const total = (sql: string) =>
          sql.startsWith('SELECT COUNT(*) AS total FROM (') || sql.includes(SEARCH_TOTAL_SQL);
        expect(page.selects.filter((sql) => total(sql) && sql.includes('notice_search_text'))).toEqual([]);
        expect(page.selects.filter(total).length).toBeGreaterThan(0);
      }
      // It reads the columns its rows print, not every notice's details; without a keyword, of the body the
      // snippet's start, cut by the database (a keyword's snippet is around its first match, anywhere).
      expect(page.selects.filter((sql) => /n_details|n_review_comment/.test(sql))).toEqual([]);
      if (!query.includes('q=') && page.body.includes('class="notice-row"')) {
        expect(page.selects.filter((sql) => /n_body/.test(sql))).toEqual([]);
        expect(page.selects.some((sql) => /SUBSTR\(\W*n\W*\.\W*body\W*, 1, 400\) AS \W*body_start/.test(sql))).toBe(
          true,
        );
      }
      // The deadline order within dates walks the deadlines within the dates moved by the kept span of leads, and
      // passes over those published outside the dates: bounded by the announcements of a lead's length around
      // each date (the open set then), not by the history (before, every deadline before the first date). A
      // region or a type (with a category or not) reads its deadline key's rows; before, a category with either
      // walked the category's announcements.
      // A keyword in deadline order reads a page's worth of candidates and orders them (a word in fewer notices
      // than the page), or walks the deadline order testing texts, eight announcements a row of the page first (a
      // common word, 道路 in 30 %, with a filter or not: a page's rows times a constant). A word in 1 % (医院) walks
      // until the announcements walked would cost what its candidates do, then reads those (up to
      // SEARCH_TOTAL_CAP); before, every keyword with a filter read its candidates (7,000–10,000 rows here).
      const k = !query.includes('&') ? K : 12;
      const byDeadline = await bounded(
        `/notices?${query}${query ? '&' : ''}sort=deadline`,
        PAGE,
        {},
        200,
        name === 'q (rare word)'
          ? 3 * SEARCH_TOTAL_CAP + C
          : query.includes('q=')
            ? PAGE * k + C + openSet()
            : PAGE * K + C + (await deadlineWindow(query)),
      );
      // A keyword's total with one type that opens a bidding period is counted as in publication order: by
      // instant, no candidate's text read for it.
      if (query === 'q=道路&type=tender') {
        const total = (sql: string) =>
          sql.startsWith('SELECT COUNT(*) AS total FROM (') || sql.includes(SEARCH_TOTAL_SQL);
        expect(byDeadline.selects.filter((sql) => total(sql) && sql.includes('notice_search_text'))).toEqual([]);
        expect(byDeadline.selects.filter(total).length).toBeGreaterThan(0);
      }
    });
    it('API and feeds', async () => {
      // A keyword with a filter reads the rarer key's rows and probes the other: rows shown × the other's rarity
      // among them (30% and 10% here); with a type, the type's key (in the region, or the province's).
      const k = !query.includes('q=') || !query.includes('&') ? K : 12;
      const api = 50 * k + C;
      await bounded(`/api/v1/notices?${query}${query ? '&' : ''}limit=50`, 50, {}, 200, api + openSet());
      // A feed reads its first page once and labels it by its items, a 304 as much.
      const feedReads = k * FEED_ITEMS + C;
      const feed = await bounded(`/feeds/notices.rss?${query}`, FEED_ITEMS, {}, 200, feedReads);
      const etag = (await t.http().get(`/feeds/notices.rss?${query}`)).headers.etag as string;
      expect(feed.body).toContain('<rss');
      // It reads the columns its entries print, not every notice's details (a kilobyte of JSON each), and of the
      // body the summary's characters, cut by the database.
      expect(feed.selects.filter((sql) => /n_details|n_review_comment|n_body/.test(sql))).toEqual([]);
      if (feed.body.includes('<item>'))
        expect(feed.selects.some((sql) => /SUBSTR\(\W*n\W*\.\W*body\W*, 1, 501\) AS \W*body_start/.test(sql))).toBe(
          true,
        );
      await bounded(`/feeds/notices.rss?${query}`, FEED_ITEMS, { 'If-None-Match': etag }, 304, feedReads);
    });
  });

  /** The ids the API lists in deadline order, page after page of 20, until `rows` or the last page. */
  async function deadlinePages(query: string, rows: number): Promise<string[]> {
    const listed: string[] = [];
    for (let after = ''; listed.length < rows;) {
      const body = (
        await t
          .http()
          .get(`/api/v1/notices?${query}&sort=deadline&limit=20${after ? `&after=${after}` : ''}`)
          .expect(200)
      ).body as { items: { id: string }[]; next: string | null };
      listed.push(...body.items.map((n) => n.id));
      if (!body.next) break;
      after = body.next;
    }
    return listed;
  }

  it('the deadline order within dates and by a deadline key lists what the table holds, page after page', async () => {
    const cases: [string, string][] = [
      ['from=2026-03-10', `published_at >= '${sqlTime(chinaDayStart('2026-03-10'))}'`],
      ['to=2025-06-30', `published_at <= '${sqlTime(chinaDayEnd('2025-06-30'))}'`],
      [
        `region=${county}&from=2025-03-01&to=2025-09-30`,
        `region_code LIKE '${county}%' AND published_at >= '${sqlTime(chinaDayStart('2025-03-01'))}'
           AND published_at <= '${sqlTime(chinaDayEnd('2025-09-30'))}'`,
      ],
      [`category=municipal&region=${city}`, `category = 'municipal' AND region_code LIKE '${city.slice(0, 4)}%'`],
    ];
    for (const [query, where] of cases) {
      const expected = (
        (await t.db.manager.query(
          `SELECT id FROM notice WHERE status = 'published' AND bid_deadline IS NOT NULL AND ${where}
           ORDER BY bid_deadline, id LIMIT 150`,
        )) as { id: string }[]
      ).map((r) => r.id);
      const listed = await deadlinePages(query, expected.length);
      expect(expected.length).toBeGreaterThan(20);
      expect({ query, listed: listed.slice(0, expected.length) }).toEqual({ query, listed: expected });
    }
  });

  it("the deadline order of a day whose month holds a deadline a year out reads that day's announcements", async () => {
    const [outlier] = (await t.db.manager.query(`SELECT published_at FROM notice WHERE id = ?`, [
      `BR-N${String(outlierProject).padStart(6, '0')}-0`,
    ])) as { published_at: unknown }[];
    const day = chinaDate(sqlDateTime(outlier.published_at)!);
    const query = `from=${day}&to=${day}`;
    // The walk would pass over a year of announcements (the month's leads) to list the day's.
    if (measure) expect(await deadlineWindow(query)).toBeGreaterThan(1000);
    const expected = (
      (await t.db.manager.query(
        `SELECT id FROM notice WHERE status = 'published' AND bid_deadline IS NOT NULL
           AND published_at >= ? AND published_at <= ? ORDER BY bid_deadline, id`,
        [sqlTime(chinaDayStart(day)), sqlTime(chinaDayEnd(day))],
      )) as { id: string }[]
    ).map((r) => r.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(await deadlinePages(query, expected.length)).toEqual(expected);
    // The day's announcements are counted (kept counts) and few: read along the publication order and ordered.
    await bounded(`/notices?${query}&sort=deadline`, Math.min(PAGE, expected.length));
    // Its month, page after page (more than a page: walked along the deadlines).
    const [year, month] = day.split('-').map(Number);
    const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
    const monthQuery = `from=${day.slice(0, 8)}01&to=${day.slice(0, 8)}${last}&region=${city}`;
    const inMonth = (
      (await t.db.manager.query(
        `SELECT id FROM notice WHERE status = 'published' AND bid_deadline IS NOT NULL AND region_code LIKE '2102%'
           AND published_at >= ? AND published_at <= ? ORDER BY bid_deadline, id`,
        [sqlTime(chinaDayStart(`${day.slice(0, 8)}01`)), sqlTime(chinaDayEnd(`${day.slice(0, 8)}${last}`))],
      )) as { id: string }[]
    ).map((r) => r.id);
    expect(inMonth.length).toBeGreaterThan(isMysql() ? 100 : 5);
    expect(await deadlinePages(monthQuery, inMonth.length)).toEqual(inMonth);
  });

  it('a keyword in deadline order lists what the table holds, page after page, by each of its reads', async () => {
    const text = (word: string) =>
      `EXISTS (SELECT 1 FROM notice_search_text t WHERE t.notice_id = notice.id AND INSTR(t.content, '${word}') > 0)`;
    const dates = `published_at >= '${sqlTime(chinaDayStart('2025-03-01'))}'
      AND published_at <= '${sqlTime(chinaDayEnd('2025-09-30'))}'`;
    const open = `bid_deadline > '${sqlTime(NOW)}' AND withdrawn_at IS NULL
      AND project_id IN (SELECT id FROM project WHERE terminated_at IS NULL)`;
    // The walk (a common word, alone, along a category's index, a type's and a region's keys, within dates and
    // open now) and the candidates read after a walk that found less than a page (a word rare among announcements).
    const cases: [string, string, number][] = [
      ['q=道路', text('道路'), 150],
      ['q=道路&category=water', `category = 'water' AND ${text('道路')}`, 150],
      ['q=道路&type=tender', `type = 'tender' AND ${text('道路')}`, 150],
      [
        `q=道路&type=tender&region=${county}`,
        `type = 'tender' AND region_code LIKE '${county}%' AND ${text('道路')}`,
        60,
      ],
      [`q=道路&region=${county}`, `region_code LIKE '${county}%' AND ${text('道路')}`, 150],
      ['q=道路&from=2025-03-01&to=2025-09-30', `${dates} AND ${text('道路')}`, 150],
      ['q=道路&open=1', `${open} AND ${text('道路')}`, 60],
      ['q=医院', text('医院'), 150],
      ['q=学校', text('学校'), 150],
      ['q=学校&category=water', `category = 'water' AND ${text('学校')}`, 60],
    ];
    for (const [query, where, rows] of cases) {
      const expected = (
        (await t.db.manager.query(
          `SELECT id FROM notice WHERE status = 'published' AND bid_deadline IS NOT NULL AND ${where}
           ORDER BY bid_deadline, id LIMIT ${rows}`,
        )) as { id: string }[]
      ).map((r) => r.id);
      const listed = await deadlinePages(query, expected.length);
      // More than a page at 50,000 notices (at 5,000, on SQLite, a few).
      expect({ query, enough: expected.length > (isMysql() ? 20 : 0) }).toEqual({
        query,
        enough: true,
      });
      expect({ query, listed: listed.slice(0, expected.length) }).toEqual({ query, listed: expected });
      // Its total, where exact, is what the table holds (a type that opens a bidding period is counted as in
      // publication order: its kept counts show that each of its notices carries a deadline).
      const matching = (await t.db.manager.query(
        `SELECT COUNT(*) AS c FROM notice WHERE status = 'published' AND bid_deadline IS NOT NULL AND ${where}`,
      )) as { c: unknown }[];
      const { total, totalExact } = (await t.http().get(`/api/v1/notices?${query}&sort=deadline&limit=1`).expect(200))
        .body as { total: number; totalExact: boolean };
      if (totalExact) expect({ query, total }).toEqual({ query, total: Number(matching[0].c) });
      else expect({ query, lowerBound: total <= Number(matching[0].c) }).toEqual({ query, lowerBound: true });
    }
  });

  it('totals of the kept filters are exact, dates with a category or a region too; others say "more than" past the cap', async () => {
    const exact = async (query: string) => {
      const { total, totalExact } = (await t.http().get(`/api/v1/notices?${query}&limit=1`).expect(200)).body as {
        total: number;
        totalExact: boolean;
      };
      return { total, totalExact };
    };
    const count = async (where: string) =>
      Number(
        (
          (await t.db.manager.query(`SELECT COUNT(*) AS c FROM notice WHERE status = 'published' AND ${where}`)) as {
            c: unknown;
          }[]
        )[0].c,
      );
    expect(await exact('category=municipal')).toEqual({
      total: await count(`category = 'municipal'`),
      totalExact: true,
    });
    expect(await exact(`region=${city}`)).toEqual({ total: await count(`region_code LIKE '2102%'`), totalExact: true });
    expect(await exact(`category=municipal&region=${county}`)).toEqual({
      total: await count(`category = 'municipal' AND region_code = '${county}'`),
      totalExact: true,
    });
    expect(await exact('from=2025-02-14&to=2026-05-03')).toEqual({
      total: await count(`published_at >= '2025-02-13 16:00:00.000' AND published_at <= '2026-05-03 15:59:59.999'`),
      totalExact: true,
    });
    expect(await exact('type=result&to=2025-06-30')).toEqual({
      total: await count(`type = 'result' AND published_at <= '2025-06-30 15:59:59.999'`),
      totalExact: true,
    });
    // Dates with a category, a region or both (and a type) sum kept day and month counts: no notice is counted.
    const dates = `published_at >= '2025-02-13 16:00:00.000' AND published_at <= '2026-05-03 15:59:59.999'`;
    for (const [query, where] of [
      ['category=municipal&from=2025-02-14&to=2026-05-03', `category = 'municipal' AND ${dates}`],
      [`region=${city}&from=2025-02-14&to=2026-05-03`, `region_code LIKE '2102%' AND ${dates}`],
      [
        `category=municipal&type=result&region=${county}&from=2025-02-14&to=2026-05-03`,
        `category = 'municipal' AND type = 'result' AND region_code = '${county}' AND ${dates}`,
      ],
      [
        `category=water&region=${county}&to=2025-06-30`,
        `category = 'water' AND region_code = '${county}' AND published_at <= '2025-06-30 15:59:59.999'`,
      ],
    ]) {
      recorded = [];
      const got = await exact(query);
      const counted = recorded.filter((q) => q.sql.startsWith('SELECT COUNT(*) AS total FROM (')).length;
      recorded = null;
      expect({ query, ...got, counted }).toEqual({ query, total: await count(where), totalExact: true, counted: 0 });
    }
    // "Open now": kept counts of the deadline days after today, and today's remaining deadlines read by index.
    const open = `bid_deadline > '2026-11-25 02:00:00.000' AND withdrawn_at IS NULL
      AND project_id IN (SELECT id FROM project WHERE terminated_at IS NULL)`;
    const todayLeft = await count(`${open} AND bid_deadline <= '2026-11-25 15:59:59.999'`);
    for (const [query, where] of [
      ['open=1', '1 = 1'],
      ['open=1&type=tender', `type = 'tender'`],
      ['open=1&category=municipal', `category = 'municipal'`],
      [`open=1&region=${county}`, `region_code = '${county}'`],
    ]) {
      const r = await cost(`/api/v1/notices?${query}&limit=1`);
      const { total, totalExact } = JSON.parse(r.body) as { total: number; totalExact: boolean };
      expect({ query, total, totalExact }).toEqual({
        query,
        total: await count(`${open} AND ${where}`),
        totalExact: true,
      });
      if (measure) expect({ query, capped: r.capped <= todayLeft * K + C }).toEqual({ query, capped: true });
    }
    const common = await exact('q=道路');
    expect(common.total).toBe(await count(`title LIKE '道路%'`));
    expect(common.totalExact).toBe(true);
  });

  it('deep pages by cursor cost what the first page costs', async () => {
    for (const query of ['', 'category=municipal', `region=${city}`, 'type=result', 'sort=deadline', 'q=道路']) {
      let next: string | null = null;
      for (let i = 0; i < 6; i++) {
        const res: { body: unknown } = await t
          .http()
          .get(`/api/v1/notices?${query}${query ? '&' : ''}limit=200${next ? `&after=${next}` : ''}`)
          .expect(200);
        next = (res.body as { next: string | null }).next;
        if (!next) break;
      }
      if (next) await bounded(`/notices?${query}${query ? '&' : ''}after=${next}`, PAGE);
    }
  });

  it('a keyword among what is open now lists an announcement open a year, and reads from the others on', async () => {
    const straggler = `BR-N${String(stragglerProject).padStart(6, '0')}-0`;
    const seen: string[] = [];
    let next: string | null = null;
    let total = 0;
    do {
      const url: string = `/api/v1/notices?q=道路&open=1&limit=50${next ? `&after=${next}` : ''}`;
      const r = await bounded(url, 50, {}, 200, 50 * K + C + deadlinesAhead);
      const body = JSON.parse(r.body) as { next: string | null; total: number; items: { id: string }[] };
      seen.push(...body.items.map((i) => i.id));
      total ||= body.total;
      next = body.next;
    } while (next);
    const open = (await t.db.manager.query(
      `SELECT id FROM notice WHERE status = 'published' AND bid_deadline > '${sqlTime(NOW)}'
         AND withdrawn_at IS NULL AND project_id IN (SELECT id FROM project WHERE terminated_at IS NULL)
         AND EXISTS (SELECT 1 FROM notice_search_text t WHERE t.notice_id = notice.id AND INSTR(t.content, '道路') > 0)
       ORDER BY published_at DESC, id DESC`,
    )) as { id: string }[];
    expect(seen).toEqual(open.map((r) => r.id));
    expect(total).toBe(seen.length);
    // The oldest of them by ten months, on the last page; the export lists it too.
    expect(seen[seen.length - 1]).toBe(straggler);
    const csv = readSpreadsheetRecords((await t.http().get(`/exports/notices.csv?q=道路&open=1`).expect(200)).text);
    expect(csv.records.map((r) => r['公告编号'])).toEqual(seen);
  });

  it('"open now" to its last page reads what is open now, not every older notice', async () => {
    // A few hundred announcements are open at NOW; walking the list for them, the page after the last one went
    // through every notice published before it.
    for (const [query, where] of [
      ['open=1', '1 = 1'],
      ['open=1&type=tender', `type = 'tender'`],
      ['open=1&category=municipal', `category = 'municipal'`],
      [`open=1&region=${county}`, `region_code = '${county}'`],
    ]) {
      let next: string | null = null;
      const seen: string[] = [];
      for (;;) {
        const url: string = `/api/v1/notices?${query}&limit=50${next ? `&after=${next}` : ''}`;
        const r = await bounded(url, 50);
        const body = JSON.parse(r.body) as { next: string | null; total: number; items: { id: string }[] };
        seen.push(...body.items.map((i) => i.id));
        next = body.next;
        if (!next) {
          expect({ query, seen: seen.length }).toEqual({ query, seen: body.total });
          break;
        }
      }
      // Those open at NOW, newest first, as the database lists them (not only as another reader of the open set).
      const open = (await t.db.manager.query(
        `SELECT id FROM notice WHERE status = 'published' AND bid_deadline > '2026-11-25 02:00:00.000'
           AND withdrawn_at IS NULL AND project_id IN (SELECT id FROM project WHERE terminated_at IS NULL) AND ${where}
         ORDER BY published_at DESC, id DESC`,
      )) as { id: string }[];
      expect({ query, ids: seen }).toEqual({ query, ids: open.map((r) => r.id) });
      // The export lists the same notices in the same order, batch after batch (100, then larger: at 50,000
      // notices, on MySQL/MariaDB, 314 are open).
      if (query === 'open=1' && isMysql()) expect(seen.length).toBeGreaterThan(100);
      const csv = readSpreadsheetRecords((await t.http().get(`/exports/notices.csv?${query}`).expect(200)).text);
      expect(csv.records.map((r) => r['公告编号'])).toEqual(seen);
      // The open set is sorted from its deadline index alone (migration 1767200000000), the page's notices then
      // read by id: not every open notice looked up in the table to be sorted.
      recorded = [];
      await t.http().get(`/api/v1/notices?${query}&limit=49`).expect(200);
      const keys = recorded.filter((q) => /^SELECT [`"]n[`"]\.[`"]id[`"] AS [`"]?id[`"]? FROM/.test(q.sql));
      recorded = null;
      expect(keys).toHaveLength(1);
      const plan = measure
        ? ((await measure.query(`EXPLAIN ${keys[0].sql}`, keys[0].parameters))[0] as Record<string, string>[])
            .filter((r) => r.table === 'n')
            .map((r) => `${r.key} ${r.Extra}`)
        : sqlitePlan(keys[0]).filter((d) => / n /.test(` ${d} `));
      expect({ query, plan: plan.join('; ') }).toEqual({
        query,
        plan: expect.stringMatching(
          measure
            ? /^ix_notice_deadline(_category)? .*Using index/
            : /^SEARCH n USING COVERING INDEX ix_notice_deadline(_category)? /,
        ),
      });
    }
  });

  it('notice, project, API and OCDS detail pages', async () => {
    await bounded(`/notices/${encodeURIComponent(ids.notice)}`, PER_PROJECT);
    await bounded(`/projects/${encodeURIComponent(ids.project)}`, PER_PROJECT);
    await bounded(`/api/v1/notices/${encodeURIComponent(ids.notice)}`, 1);
    await bounded(`/api/v1/projects/${encodeURIComponent(ids.project)}`, PER_PROJECT);
    const ocid = `${t.config.ocidPrefix}DEAL-${ids.project.slice(-6)}`;
    await bounded(`/api/ocds/records/${encodeURIComponent(ocid)}`, PER_PROJECT);
    const home = await bounded('/', 10 * 5 + 100);
    // Its lists read the columns their lines print: no details, no body.
    expect(home.selects.filter((sql) => /n_details|n_review_comment|n_body|body_start/.test(sql))).toEqual([]);
  });

  it('change-feed and OCDS release pages, at the start and at the end', async () => {
    const head = Number(
      ((await t.db.manager.query('SELECT seq FROM publication_log_head')) as { seq: unknown }[])[0].seq,
    );
    for (const after of [0, head - 150]) {
      const cursor = encodeChangeCursor(after);
      await bounded(`/api/v1/changes?after=${cursor}&limit=100`, 100 * 3);
      await bounded(`/api/ocds/releases?after=${cursor}&limit=100`, 100 * 4);
    }
  });

  it('organisation pages and integrity flags read kept totals and one page, however busy the organisation', async () => {
    // One bidder with a bid and a first place among the candidates in every project (N / 4 of them), and N / 4 flags
    // over two years and two indicators, written straight in SQL with their kept totals and counts: a page of bids
    // reads the outcomes of its own projects, not of every project the bidder was a candidate in.
    const code = creditCode(777);
    const projectIds = ((await t.db.manager.query('SELECT id FROM project ORDER BY id')) as { id: string }[]).map(
      (r) => r.id,
    );
    const facts: unknown[][] = [];
    const flags: unknown[][] = [];
    projectIds.forEach((projectId, i) => {
      const at = sqlTime(new Date(NOW.getTime() - i * 3_600_000));
      // Its bid (opening record N) and its first place among the candidates (record C).
      for (const [section, role, suffix, type] of [
        ['bid', 'bidder', 'N', 'bid-opening'],
        ['candidate', 'candidate', 'C', 'candidates'],
      ])
        facts.push([
          code,
          section,
          role,
          0,
          `${projectId}-${suffix}`,
          projectId,
          type,
          null,
          '繁忙建设集团有限公司',
          'amount',
          '100',
          '元',
          '100.00',
          1,
          'municipal',
          '210211',
          at,
          0,
        ]);
      const year = i % 2 ? '2025' : '2026';
      // Two districts, and a date in each month of the year.
      const date = `${year}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`;
      flags.push([
        i % 3 ? 'few-bids' : 'single-bid',
        1,
        projectId,
        '',
        null,
        null,
        i % 5 === 4 ? 'water' : 'municipal',
        i % 4 ? '210211' : '210202',
        year,
        date,
        null,
        '{"bids":1}',
        '{}',
        at,
      ]);
    });
    const insert = async (sql: string, rows: unknown[][]) => {
      for (let i = 0; i < rows.length; i += 500) {
        const chunk = rows.slice(i, i + 500);
        await t.db.manager.query(
          `${sql} VALUES ${chunk.map((r) => `(${r.map(() => '?').join(', ')})`).join(', ')}`,
          chunk.flat(),
        );
      }
    };
    await insert(
      'INSERT INTO org_fact (credit_code, section, role, award, notice_id, project_id, notice_type, lot_code, name, price_form, price_value, price_unit, price_yuan, place, category, region_code, published_at, withdrawn)',
      facts,
    );
    await insert(
      'INSERT INTO integrity_flag (indicator, indicator_version, project_id, lot_code, buyer_code, org_code, category, region_code, year, flag_date, notice_id, flag_values, thresholds, computed_at)',
      flags,
    );
    // Their list keys, as the index writes them (flagFilterKeys), by the ids the rows were given.
    const written = (await t.db.manager.query(
      `SELECT id, indicator, category, region_code, flag_date FROM integrity_flag`,
    )) as { id: unknown; indicator: string; category: string; region_code: string; flag_date: string }[];
    await insert(
      'INSERT INTO integrity_flag_key (filter_key, flag_date, flag_id)',
      written.flatMap((f) =>
        flagFilterKeys({ indicator: f.indicator, category: f.category, regionCode: f.region_code }).map((k) => [
          k,
          f.flag_date,
          Number(f.id),
        ]),
      ),
    );
    await t.db.manager.query(
      `INSERT INTO org_name (credit_code, name, appearances, first_seen, last_seen) VALUES (?, ?, ?, ?, ?)`,
      [code, '繁忙建设集团有限公司', projectIds.length, sqlTime(NOW), sqlTime(NOW)],
    );
    await t.db.manager.query(`INSERT INTO org_total (total_key, n, fen, unpriced) VALUES (?, ?, 0, 0)`, [
      `s|${code}|bid`,
      projectIds.length,
    ]);
    const counted = (k: string, n: number) =>
      t.db.manager.query(`INSERT INTO integrity_count (count_key, flags) VALUES (?, ?)`, [k, n]);
    for (const indicator of ['few-bids', 'single-bid']) {
      const mine = flags.filter((f) => f[0] === indicator);
      await counted(`i=${indicator}`, mine.length);
      for (const category of ['municipal', 'water']) {
        const ours = mine.filter((f) => f[6] === category);
        await counted(`i=${indicator}|c=${category}`, ours.length);
        for (const year of ['2025', '2026'])
          await counted(`i=${indicator}|c=${category}|y=${year}`, ours.filter((f) => f[8] === year).length);
      }
    }
    if (isMysql()) await t.db.manager.query('ANALYZE TABLE integrity_flag, integrity_flag_key');
    else for (const table of ['integrity_flag', 'integrity_flag_key']) await t.db.manager.query(`ANALYZE ${table}`);

    // Organisation search over N / 10 more names: the code's and the name's beginnings are index ranges; a part
    // from inside names scans org_name until SEARCH_ROWS matches (a common part: about that many rows), and reads
    // the whole table for a part no name holds (the known limit, organization-reads.ts).
    const names = Array.from({ length: N / 10 }, (_, i) => [
      creditCode(10_000 + i),
      `${['甘井子', '中山', '沙河口'][i % 3]}${i % 50 === 0 ? '稀有' : ''}建设工程有限公司${i}`,
      1,
      sqlTime(NOW),
      sqlTime(new Date(NOW.getTime() - i * 60_000)),
    ]);
    await insert('INSERT INTO org_name (credit_code, name, appearances, first_seen, last_seen)', names);
    if (isMysql()) await t.db.manager.query('ANALYZE TABLE org_name');
    else await t.db.manager.query('ANALYZE org_name');
    const search = async (q: string) =>
      (
        await t
          .http()
          .get(`/api/v1/organizations?q=${encodeURIComponent(q)}`)
          .expect(200)
      ).body as {
        more: boolean;
        items: { name: string }[];
      };
    for (const q of [creditCode(10_000).slice(0, 12), '中山建设', '建设工程有限'])
      await bounded(`/api/v1/organizations?q=${encodeURIComponent(q)}`, 50, {}, 200, SEARCH_ROWS * 2 + C);
    expect(await search('中山建设')).toMatchObject({ more: true, items: expect.arrayContaining([]) });
    expect((await search('建设工程有限')).items).toHaveLength(50);
    const rare = await search('稀有建设');
    expect(rare.items.every((m) => m.name.includes('稀有建设'))).toBe(true);
    expect(rare.items.length).toBe(Math.min(50, names.filter((n) => String(n[1]).includes('稀有建设')).length));
    await bounded(`/api/v1/organizations?q=${encodeURIComponent('无此名称')}`, 0, {}, 200, names.length * 2 + C);

    await bounded(`/organizations/${code}`, 10);
    await bounded(`/organizations/${code}?section=bids`, 50);
    await bounded(`/organizations/${code}?section=shares`, 200);
    // How each bid fared is read from ix_org_fact_project alone (migration 1767000000000), no fact looked up.
    recorded = [];
    await t.http().get(`/api/v1/organizations/${code}/bids?limit=49`).expect(200);
    const outcomes = recorded.filter((q) => /JOIN org_fact f ON f.project_id = projects.project_id/.test(q.sql));
    const factPage = recorded.filter((q) => /FROM org_fact WHERE credit_code = \? AND section = \?/.test(q.sql));
    recorded = null;
    // The page's facts are one range of the primary key on MariaDB (migration 1767100000000), not a lookup by id
    // a row; SQLite reads them along ix_org_fact_code.
    expect(factPage).toHaveLength(1);
    const factPlan = measure
      ? ((await measure.query(`EXPLAIN ${factPage[0].sql}`, factPage[0].parameters))[0] as { key: string }[]).map(
          (r) => r.key,
        )
      : sqlitePlan(factPage[0]);
    expect(factPlan.join('; ')).toMatch(measure ? /^PRIMARY$/ : /USING INDEX ix_org_fact_code/);
    expect(outcomes.length).toBeGreaterThan(0);
    for (const q of outcomes) {
      const plan = measure
        ? ((await measure.query(`EXPLAIN ${q.sql}`, q.parameters))[0] as { key: string; Extra: string }[]).map(
            (r) => `${r.key} ${r.Extra}`,
          )
        : sqlitePlan(q);
      expect(plan.join('; ')).toMatch(
        measure ? /ix_org_fact_project .*Using index/ : /USING COVERING INDEX ix_org_fact_project/,
      );
    }
    await bounded(`/api/v1/organizations/${code}`, 1);
    const deep = (await t.http().get(`/api/v1/organizations/${code}/bids?limit=200`).expect(200)).body as {
      next: string;
    };
    const page = await t.http().get(`/api/v1/organizations/${code}/bids?limit=200&after=${deep.next}`).expect(200);
    await bounded(`/api/v1/organizations/${code}/bids?limit=100&after=${(page.body as { next: string }).next}`, 100);
    await bounded(`/exports/organizations/${code}.csv`, facts.length * 2);
    await bounded('/integrity', 10);
    // Every filter combination is one range of its list key: indicator, category, region, dates, year.
    for (const query of [
      '',
      'indicator=few-bids',
      'category=municipal',
      'year=2025',
      'indicator=single-bid&category=municipal&year=2026',
      'indicator=few-bids&year=2025',
      'region=210202',
      'region=210200',
      'from=2026-03-01',
      'to=2025-06-30',
      'from=2025-02-14&to=2026-05-03',
      'indicator=few-bids&region=210211&from=2025-04-01&to=2025-09-30',
      'category=water&region=210202',
      'indicator=single-bid&category=municipal&region=210211&year=2026&to=2026-07-31',
    ])
      await bounded(`/api/v1/flags?${query}${query ? '&' : ''}limit=100`, 100);
    // Totals with a region or dates are counted along the key, up to the cap: exact below it, "more than" above.
    for (const [query, match] of [
      ['region=210202', (f: unknown[]) => f[7] === '210202'],
      [
        'indicator=few-bids&from=2025-04-01&to=2025-09-30',
        (f: unknown[]) => f[0] === 'few-bids' && String(f[9]) >= '2025-04-01' && String(f[9]) <= '2025-09-30',
      ],
      ['from=2025-01-01', () => true],
    ] as const) {
      const { total, totalExact } = (await t.http().get(`/api/v1/flags?${query}&limit=1`).expect(200)).body as {
        total: number;
        totalExact: boolean;
      };
      const n = flags.filter(match).length;
      expect({ query, total, totalExact }).toEqual({
        query,
        total: Math.min(n, FLAG_TOTAL_CAP),
        totalExact: n <= FLAG_TOTAL_CAP,
      });
    }
    const first = (await t.http().get('/api/v1/flags?indicator=few-bids&limit=200').expect(200)).body as {
      next: string;
      total: number;
    };
    expect(first.total).toBe(flags.filter((f) => f[0] === 'few-bids').length);
    await bounded(`/api/v1/flags?indicator=few-bids&limit=100&after=${first.next}`, 100);
    const regional = (await t.http().get('/api/v1/flags?region=210211&from=2025-03-01&limit=200').expect(200)).body as {
      next: string;
    };
    await bounded(`/api/v1/flags?region=210211&from=2025-03-01&limit=100&after=${regional.next}`, 100);
    await bounded(`/integrity/few-bids?category=municipal&year=2025`, 50);
    await bounded(`/integrity/single-bid?region=210202&from=2025-05-01&to=2026-04-30`, 50);
  }, 120_000);

  it("an export of several types reads its first batch along each type's own rows, not the list between them", async () => {
    // awards.csv: three types, a fifth of the notices here. Walking the category's list and testing the type read
    // about 500 rows for its first 100; each type's own index, read for its share of the batch (a third, at least
    // 20 rows), reads about 100 and a few more (at most 100 of each before 2026-12-06).
    // With a county (a twelfth of the notices), and a category too: each type read by its own key in the county
    // (typeFilterKey, with the category's letter or not), not the county's notices of every type tested one by one
    // (about 1,300 rows for the first 100).
    for (const filter of [{ category: 'municipal' }, { region: county }, { category: 'municipal', region: county }]) {
      // A full first batch, or all of them (a category's awards in a county at 5,000 notices are a few).
      const [{ c: matching }] = (await t.db.manager.query(
        `SELECT COUNT(*) AS c FROM notice WHERE status = 'published' AND type IN ('result', 'deal', 'contract')${
          filter.category ? ` AND category = '${filter.category}'` : ''
        }${filter.region ? ` AND region_code = '${filter.region}'` : ''}`,
      )) as { c: unknown }[];
      recorded = [];
      const batches = t.app
        .get(PublishedReads)
        .rawBatches({ types: ['result', 'deal', 'contract'], ...filter, sort: 'published' }, 1000, (qb) =>
          qb.select('n.id', 'id').addSelect('n.published_at', 'published_at'),
        );
      const first = await batches.next();
      await batches.return(undefined);
      const queries = recorded.filter((q) => /^\s*SELECT/i.test(q.sql));
      recorded = null;
      expect((first.value as unknown[]).length).toBe(Math.min(100, Number(matching)));
      if (measure) {
        let reads = 0;
        for (const q of queries) reads += await handlerReads(q);
        // By key: the key's row, then the notice (FILTER_KEY_READS).
        expect({ filter, reads }).toEqual({ filter, reads: Math.min(reads, 2 * (100 + 3 * 20) + 30) });
      } else expect(queries.flatMap((q) => badPlan(q))).toEqual([]);
    }
  });

  it("a list of one type in a county reads that type's key rows there: about two reads a notice it shows", async () => {
    // Results are a few per cent of the notices and a county a twelfth: along the type's index, or the county's
    // key rows of every type, a page of 100 reads some twelve rows a notice; by the type's key in the county
    // (typeFilterKey, with the category's letter or not) two, the key's row and the notice.
    for (const query of [`type=result&region=${county}`, `category=municipal&type=result&region=${county}`])
      await bounded(`/api/v1/notices?${query}&limit=100`, 100, {}, 200, 100 * 3 + C);
  });

  it("an export's ids of one type in a county are that type's key rows alone: one read a notice, the list's own ids", async () => {
    // bids.csv and awards.csv read ids, then the lines kept at publication. A type's key in a county (with the
    // category's letter or not: typeFilterKey) holds exactly those notices, so the ids come from its rows, not
    // from its rows joined to the notices (FILTER_KEY_READS, two reads a notice).
    const reads = t.app.get(PublishedReads);
    const joined = (qb: SelectQueryBuilder<Notice>) =>
      void qb.select('n.id', 'id').addSelect('n.published_at', 'published_at');
    const cases: [NoticeFilter, string][] = [
      [
        { types: ['bid-opening'], region: county, sort: 'published' },
        `type = 'bid-opening' AND region_code = '${county}'`,
      ],
      [
        { types: ['bid-opening'], category: 'municipal', region: county, from: '2025-06-01', sort: 'published' },
        `type = 'bid-opening' AND category = 'municipal' AND region_code = '${county}' AND published_at >= '2025-05-31 16:00:00'`,
      ],
      [
        { types: ['result', 'deal', 'contract'], region: county, sort: 'published' },
        `type IN ('result', 'deal', 'contract') AND region_code = '${county}'`,
      ],
    ];
    for (const [filter, where] of cases) {
      const all = async (select: typeof joined | typeof IDS_ONLY) => {
        const out: string[] = [];
        for await (const rows of reads.rawBatches(filter, 1000, select)) out.push(...rows.map((r) => String(r.id)));
        return out;
      };
      const truth = (
        (await t.db.manager.query(
          `SELECT id FROM notice WHERE status = 'published' AND ${where} ORDER BY published_at DESC, id DESC`,
        )) as { id: string }[]
      ).map((r) => r.id);
      expect(truth.length).toBeGreaterThan(0);
      expect(await all(IDS_ONLY)).toEqual(truth);
      expect(await all(joined)).toEqual(truth);
      recorded = [];
      const batches = reads.rawBatches(filter, 1000, IDS_ONLY);
      const first = await batches.next();
      await batches.return(undefined);
      const queries = recorded.filter((q) => /^\s*SELECT/i.test(q.sql));
      recorded = null;
      expect((first.value as unknown[]).length).toBe(Math.min(100, truth.length));
      // No notice read: the key's rows only.
      expect(queries.filter((q) => /\bFROM\s+[`"]?notice[`"]?\s/i.test(q.sql)).map((q) => q.sql)).toEqual([]);
      if (measure) {
        let n = 0;
        for (const q of queries) n += await handlerReads(q);
        expect({ where, reads: n }).toEqual({ where, reads: Math.min(n, 100 + 3 * 20 + 30) });
      } else expect(queries.flatMap((q) => badPlan(q))).toEqual([]);
    }
  });

  it('exports read each batch from its own key: rows × k, not rows × batches', async () => {
    for (const [file, types] of [
      ['bids.csv', `'bid-opening'`],
      ['awards.csv', `'result', 'deal', 'contract'`],
    ] as const) {
      const rows = Number(
        (
          (await t.db.manager.query(
            `SELECT COUNT(*) AS c FROM notice WHERE status = 'published' AND type IN (${types})`,
          )) as { c: unknown }[]
        )[0].c,
      );
      // Every row, its project with parties and lots: a few reads a row; a batch that started again from the top would be thousands.
      await bounded(`/exports/${file}`, rows * 2);
    }
  }, 120_000);

  it('bad input stays a 4xx', async () => {
    await t.http().get('/notices?region=2102').expect(400);
    await t.http().get('/notices?after=not-a-cursor').expect(400);
    await t.http().get('/api/v1/notices?from=2026-13-01').expect(400);
    await t.http().get('/feeds/notices.rss?open=maybe').expect(400);
  });
});

/** Fills projects, notices, the log, and the search index's filter keys and two words, in multi-row INSERTs. */
async function fill(t: TestApp, n: number) {
  const projects: unknown[][] = [];
  const notices: unknown[][] = [];
  const log: unknown[][] = [];
  const grams = new Map<string, unknown[][]>();
  // The words' postings (blocks of instants, as publication writes them) and the texts that prove them.
  const words = new PostingBatch();
  const wordCounts = new Map<string, number>();
  const texts: unknown[][] = [];
  const posting = (gram: string, at: string, id: string) => {
    const rows = grams.get(gram) ?? [];
    rows.push([gram, at, id]);
    grams.set(gram, rows);
  };
  const start = NOW.getTime() - 730 * DAY;
  let random = 42;
  // Park–Miller: every product stays below 2^53, so the sequence is exact in doubles (a multiplier as large as
  // 1103515245 rounds, falls into a short cycle, and gave thousands of notices the same instant).
  const next = () => (random = (random * 48271) % 2147483647) / 2147483647;
  const entries: { at: number; row: unknown[]; category: string; region: string; id: string; word: string | null }[] =
    [];
  for (let p = 0; p < n / PER_PROJECT; p++) {
    const category = CATEGORIES[p % CATEGORIES.length].slug;
    const family = categoryBySlug(category)!.family as keyof typeof ANNOUNCEMENT;
    const region = REGION_CODES[Math.floor(next() * REGION_CODES.length)];
    const first = start + Math.floor(next() * 728 * DAY);
    // One tender's deadline a year after its publication (a typing error, a long-running project): its month's
    // leads then span a year, and so does a walk in deadline order over a day of that month.
    // The first project whose year-long lead has passed long before NOW ("open now" keeps to its own).
    if (outlierProject === undefined && first + 400 * DAY < NOW.getTime() - 60 * DAY) outlierProject = p;
    // And one still open at NOW: a keyword's "open now" candidates start after it (NoticeQueryService.candidates).
    if (stragglerProject === undefined && first > NOW.getTime() - 330 * DAY && first < NOW.getTime() - 300 * DAY)
      stragglerProject = p;
    const yearOut = p === outlierProject || p === stragglerProject;
    const deadline = first + (yearOut ? 400 * DAY : 20 * DAY + 9.5 * 3600_000);
    const projectId = `BR-P${String(p).padStart(6, '0')}`;
    projects.push([
      projectId,
      `DEAL-${projectId.slice(-6)}`,
      `T-${p}`,
      category,
      region,
      `项目${p}`,
      'budget',
      '万元',
      'BR',
      sqlTime(new Date(first)),
      sqlTime(new Date(first)),
      sqlTime(new Date(deadline)),
      sqlTime(new Date(first)),
    ]);
    for (let k = 0; k < PER_PROJECT; k++) {
      const type = k === 0 ? ANNOUNCEMENT[family] : LATER_TYPES[Math.floor(next() * LATER_TYPES.length)];
      const at = first + k * 25 * DAY + Math.floor(next() * DAY);
      if (at > NOW.getTime()) continue;
      const id = `BR-N${String(p).padStart(6, '0')}-${k}`;
      const roll = next();
      // 学校: between the two, its deadline-order walk fills a page in its second stretch (deadlineWalk).
      const rolled = roll < 0.01 ? '医院' : roll < 0.31 ? '道路' : roll < 0.37 ? '学校' : null;
      const word = p === stragglerProject && k === 0 ? '道路' : rolled;
      entries.push({
        at,
        category,
        region,
        id,
        word,
        row: [
          id,
          projectId,
          type,
          category,
          region,
          `${word ?? '公告'}${p}-${k}`,
          '正文',
          '{}',
          'published',
          null,
          'BR',
          id,
          sqlTime(new Date(at)),
          sqlTime(new Date(at)),
          k === 0 ? sqlTime(new Date(deadline)) : null,
        ],
      });
    }
  }
  // Log order is publication order.
  entries.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
  entries.forEach((e, i) => {
    e.row[9] = i + 1;
    notices.push(e.row);
    const at = e.row[12] as string;
    log.push([i + 1, 'publication', e.id, e.row[1], at, 'h'.repeat(64), 'p'.repeat(64), 'e'.repeat(64)]);
    for (const key of [
      ...filterKeys(e.category, e.region),
      ...typeFilterKeys(e.row[2] as string, e.category, e.region),
    ])
      posting(key, at, e.id);
    if (e.word) {
      words.add(e.word, e.at);
      wordCounts.set(e.word, (wordCounts.get(e.word) ?? 0) + 1);
      texts.push([e.id, e.row[5]]);
    }
  });
  const insert = async (table: string, columns: string, rows: unknown[][], per = 500) => {
    for (let i = 0; i < rows.length; i += per) {
      const chunk = rows.slice(i, i + per);
      await t.db.manager.query(
        `INSERT INTO ${table} (${columns}) VALUES ${chunk.map((r) => `(${r.map(() => '?').join(', ')})`).join(', ')}`,
        chunk.flat(),
      );
    }
  };
  await insert(
    'project',
    'id, deal_code, tender_code, category, region_code, name, price_kind, price_unit, source_platform, created_at, updated_at, bid_deadline, first_published_at',
    projects,
  );
  await insert(
    'notice',
    'id, project_id, type, category, region_code, title, body, details, status, log_seq, source_platform, source_id, published_at, created_at, updated_at, bid_deadline',
    notices.map((r) => [...r.slice(0, 14), r[13], r[14]]),
    300,
  );
  await insert(
    'publication_log',
    'seq, kind, notice_id, project_id, recorded_at, content_hash, prev_hash, entry_hash',
    log,
  );
  await t.db.manager.query(`UPDATE publication_log_head SET seq = ?`, [log.length]);
  const postings = [...grams.keys()].sort().flatMap((g) => grams.get(g)!);
  await insert('notice_search_gram', 'gram, published_at, notice_id', postings, 1000);
  await insert('notice_search_gram_count', 'gram, notices', [
    ...[...grams.entries()].map(([g, rows]) => [g, rows.length]),
    ...wordCounts.entries(),
  ]);
  await insert('notice_search_text', 'notice_id, content', texts);
  await words.flush(t.db.manager, t.db.dialect);
  if (isMysql())
    await t.db.manager.query(
      'ANALYZE TABLE notice, project, notice_search_gram, notice_search_block, notice_count, publication_log',
    );
  else await t.db.manager.query('ANALYZE');
}
