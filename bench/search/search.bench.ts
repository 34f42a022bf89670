import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { DataSource, type Logger } from 'typeorm';
import { Clock } from '../../src/common/clock.js';
import { loadConfig, type DatabaseConfig } from '../../src/config/config.js';
import { projectRoot } from '../../src/config/project-root.js';
import { ENTITIES } from '../../src/app.module.js';
import { dataSourceOptions } from '../../src/database/data-source.js';
import { Database } from '../../src/database/database.js';
import { runMigrations } from '../../src/database/migrate.js';
import type { NoticeFilter } from '../../src/trading/notice-filter.js';
import { NoticeCounts } from '../../src/trading/notice-counts.js';
import { NoticeQueryService } from '../../src/trading/notice-query.service.js';
import { NoticeSearch, SEARCH_TOTAL_CAP, SEARCH_TOTAL_SQL } from '../../src/trading/notice-search.js';
import { machine, ms, ratio, timeInterleaved, type Benchmark } from '../harness.js';
import { fillNotices } from './fill.js';

/**
 * Keyword search against the unfiltered list, on a database of BENCH_NOTICES generated notices (default
 * 100,000): SQLite in bench/tmp/, or, when DATABASE_URL names MySQL/MariaDB, a database beside the one it names.
 * BENCH_KEEP=1 keeps the filled database and reuses it on the next run of the same size.
 */
const PAGE = 20;
/** A table in the bench database only: how long filling and indexing it took. */
const BUILD_NOTE = 'bench_build_note';

interface Case {
  label: string;
  filter: Omit<NoticeFilter, 'sort'>;
}

const CASES: Case[] = [
  { label: 'two characters, common: 道路', filter: { q: '道路' } },
  { label: 'two characters: 绿化', filter: { q: '绿化' } },
  { label: 'two characters, rare: 海堤', filter: { q: '海堤' } },
  { label: 'two characters, very common: 工程', filter: { q: '工程' } },
  { label: 'one character: 桥', filter: { q: '桥' } },
  { label: 'four characters: 排水管网', filter: { q: '排水管网' } },
  { label: 'six characters: 道路改造工程', filter: { q: '道路改造工程' } },
  { label: 'company name: 中铁九局集团', filter: { q: '中铁九局集团' } },
  { label: 'project code: E21020000012345', filter: { q: 'E21020000012345' } },
  { label: 'two terms: 道路 绿化', filter: { q: '道路 绿化' } },
  { label: 'two terms: 绿化 甘井子区', filter: { q: '绿化 甘井子区' } },
  {
    label: '道路 + category municipal + region 210211',
    filter: { q: '道路', category: 'municipal', region: '210211' },
  },
  { label: '道路 + dates 2025-01-01…2025-06-30', filter: { q: '道路', from: '2025-01-01', to: '2025-06-30' } },
  { label: 'no match: 量子计算', filter: { q: '量子计算' } },
];

/** Cases whose plans are printed. */
const EXPLAINED = [
  'two characters, common: 道路',
  'six characters: 道路改造工程',
  '道路 + category municipal + region 210211',
];

export const searchBenchmark: Benchmark = {
  name: 'search',
  async run(log) {
    const count = Number(process.env.BENCH_NOTICES ?? 100_000);
    const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
    const keep = process.env.BENCH_KEEP === '1';
    const base = loadConfig({ ...process.env, LOG_LEVEL: 'silent', SEED_DEMO: 'false' }).database;
    const target = await benchDatabase(base, count);
    const captured: { sql: string; parameters: unknown[] }[] = [];
    let capture = false;
    const dataSource = new DataSource({
      ...dataSourceOptions(target.config, ENTITIES),
      logger: captureLogger((sql, parameters) => capture && captured.push({ sql, parameters })),
      logging: ['query'],
    } as never);
    await dataSource.initialize();
    await runMigrations(dataSource);
    try {
      const db = new Database(dataSource);
      const search = new NoticeSearch(db);
      const query = new NoticeQueryService(db, new Clock(), search, new NoticeCounts(db));
      const version = await serverVersion(db);
      log(`search benchmark: ${count} notices on ${version}`);

      const one = async (sql: string) => Number(Object.values((await db.manager.query(sql))[0])[0]);
      const existing = await one('SELECT COUNT(*) FROM notice');
      const complete =
        existing === count &&
        (await one(`SELECT COUNT(*) FROM notice WHERE status = 'published'`)) ===
          (await one('SELECT COUNT(*) FROM notice_search_text'));
      let built: string;
      if (!complete) {
        if (existing && existing !== count)
          throw new Error(`the bench database holds ${existing} notices, not ${count}: remove it or set BENCH_NOTICES`);
        let t = Date.now();
        let filled = 'Notices reused';
        if (!existing) {
          log('filling…');
          await fillNotices(db, count, new Date('2026-11-25T02:00:00Z'), log);
          filled = `Filled in ${Math.round((Date.now() - t) / 1000)} s`;
        }
        log(`indexing (NoticeSearch.reindexAll)…`);
        t = Date.now();
        await search.reindexAll({ batchSize: 2000, onProgress: (n) => n % 100_000 < 2000 && log(`  ${n} indexed`) });
        built = `${filled}; index built by \`reindexAll\` in ${Math.round((Date.now() - t) / 1000)} s.`;
        await analyze(db);
        // Kept with the data, so a later run on it (BENCH_KEEP=1) can still say how long building took.
        await db.manager.query(`CREATE TABLE IF NOT EXISTS ${BUILD_NOTE} (note varchar(300))`);
        await db.manager.query(`DELETE FROM ${BUILD_NOTE}`);
        await db.manager.query(`INSERT INTO ${BUILD_NOTE} (note) VALUES (?)`, [built]);
      } else {
        log('reusing the filled database');
        const note = await db.manager.query(`SELECT note FROM ${BUILD_NOTE}`).catch(() => []);
        built = `Database reused from an earlier run (BENCH_KEEP=1); ${note[0]?.note ?? 'its build time was not recorded.'}`;
      }
      const stats = await indexStats(db, target.config);

      const filterOf = (c: Case): NoticeFilter => ({ sort: 'published', ...c.filter });
      const firstPage = async (f: NoticeFilter) => (await query.batches(f, PAGE).next()).value;
      const exactTotal = (f: NoticeFilter) => query.filtered(f).getCount();
      const list = (f: NoticeFilter) => query.list(f, { limit: PAGE });
      const unfiltered: NoticeFilter = { sort: 'published' };

      // Exact totals once each (a common word's takes seconds at a million notices): the "found" column, and
      // what counting every match would cost.
      const found: Record<string, number> = {};
      const exactMs: Record<string, number> = {};
      for (const c of [{ label: 'unfiltered', filter: {} }, ...CASES]) {
        const start = process.hrtime.bigint();
        found[c.label] = await exactTotal(filterOf(c));
        exactMs[c.label] = Number(process.hrtime.bigint() - start) / 1e6;
      }

      log(`timing ${CASES.length} cases against the unfiltered list, ${rounds} rounds…`);
      const tasks: Record<string, () => Promise<unknown>> = {
        'base:page': () => firstPage(unfiltered),
        'base:list': () => list(unfiltered),
      };
      for (const c of CASES) {
        tasks[`${c.label}:page`] = () => firstPage(filterOf(c));
        tasks[`${c.label}:list`] = () => list(filterOf(c));
      }
      const t = await timeInterleaved(tasks, rounds);

      const plans: string[] = [];
      for (const label of EXPLAINED) {
        const c = CASES.find((x) => x.label === label)!;
        captured.length = 0;
        capture = true;
        await list(filterOf(c));
        capture = false;
        for (const { sql, parameters } of captured) {
          const kind = /\) matches$/.test(sql)
            ? 'total, counted up to the cap'
            : sql.includes(SEARCH_TOTAL_SQL)
              ? 'total, candidates read up to the cap'
              : /notice_search_gram_count WHERE gram = \?$/.test(sql)
                ? 'total, from the counts'
                : /\bcnt\b/.test(sql)
                  ? 'total'
                  : 'first page';
          plans.push(`${label} — ${kind}:`, ...(await explain(db, sql, parameters)).map((l) => `    ${l}`), '');
        }
      }

      const rows = CASES.map((c) => {
        const [page, l, exact] = [t[`${c.label}:page`], t[`${c.label}:list`], exactMs[c.label]];
        return `| ${c.label} | ${found[c.label].toLocaleString('en')} | ${ms(page)} | ${ratio(page, t['base:page'])} | ${ms(l)} | **${ratio(l, t['base:list'])}** | ${ms(exact)} |`;
      });
      const worst = (key: string, base: string) =>
        Math.max(...CASES.map((c) => t[`${c.label}:${key}`] / t[base])).toFixed(2);
      const scans = plans.filter((l) => SCAN_OF_NOTICE.test(l));
      const section = [
        `## Search — ${version}, ${count.toLocaleString('en')} notices`,
        '',
        `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine()}. ${stats}`,
        built,
        '',
        `Baseline, the unfiltered list of ${found.unfiltered.toLocaleString('en')} published notices: first page ${ms(t['base:page'])} ms; first page + total ${ms(t['base:list'])} ms. Medians of ${rounds} interleaved rounds.`,
        '"List" is `NoticeQueryService.list`, what a page of /notices or /api/v1/notices costs: first page + total, the',
        `total of a search exact up to ${SEARCH_TOTAL_CAP.toLocaleString('en')} (one word: from the counts), else "more than". "Exact total" is what counting`,
        'every match would cost instead (`getCount`, a single run), for comparison.',
        '',
        '| query | found | first page ms | ratio | list ms | ratio to unfiltered list | exact total ms |',
        '|---|---:|---:|---:|---:|---:|---:|',
        ...rows,
        '',
        `Worst ratios: first page ${worst('page', 'base:page')}×, list ${worst('list', 'base:list')}× (target at 1,000,000 notices on MariaDB: ≤ 3×). Plans ${scans.length ? 'SCAN THE NOTICE TABLE: ' + scans.join('; ') : 'use indexes only (no scan of notice)'}.`,
        '',
        '<details><summary>Plans</summary>',
        '',
        '```',
        ...plans,
        '```',
        '',
        '</details>',
      ].join('\n');
      log(section);
      return { key: `search/${target.kind}/${count}`, markdown: section };
    } finally {
      await dataSource.destroy();
      if (!keep) await target.drop();
    }
  },
};

/** SQLite: "SCAN n"; MySQL/MariaDB: access type ALL or a full index scan on table n. */
const SCAN_OF_NOTICE = /^\s*(.*\bSCAN n\b(?! USING)|.*\btable=n\b.*\btype=(ALL|index)\b)/;

async function benchDatabase(
  base: DatabaseConfig,
  count: number,
): Promise<{ kind: 'sqlite' | 'mariadb' | 'mysql'; config: DatabaseConfig; drop: () => Promise<void> }> {
  const keep = process.env.BENCH_KEEP === '1';
  if (base.kind === 'sqlite') {
    const dir = join(projectRoot(), 'bench', 'tmp');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `search-${count}.sqlite`);
    const drop = async () => ['', '-wal', '-shm'].forEach((s) => rmSync(path + s, { force: true }));
    if (!keep && existsSync(path)) await drop();
    return { kind: 'sqlite', config: { kind: 'sqlite', path }, drop };
  }
  const name = `${base.database}_bench_${count}`;
  const admin = () => createConnection({ host: base.host, port: base.port, user: base.user, password: base.password });
  const c = await admin();
  const [[{ v }]] = (await c.query('SELECT VERSION() AS v')) as unknown as [[{ v: string }]];
  if (!keep) await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await c.query(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await c.end();
  const drop = async () => {
    const d = await admin();
    await d.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await d.end();
  };
  return { kind: /mariadb/i.test(v) ? 'mariadb' : 'mysql', config: { ...base, database: name }, drop };
}

async function serverVersion(db: Database): Promise<string> {
  if (db.dialect === 'sqlite') return `SQLite ${(await db.manager.query('SELECT sqlite_version() AS v'))[0].v}`;
  const [{ v }] = await db.manager.query('SELECT VERSION() AS v');
  const [{ pool }] = await db.manager.query('SELECT @@innodb_buffer_pool_size AS pool');
  return `${/mariadb/i.test(v) ? 'MariaDB' : 'MySQL'} ${v.replace(/-MariaDB.*$/, '')} (buffer pool ${Math.round(Number(pool) / 2 ** 20)} MB)`;
}

/** Fresh statistics after the bulk load, as a long-running database would have. */
async function analyze(db: Database) {
  if (db.dialect === 'sqlite') await db.manager.query('ANALYZE');
  else
    for (const t of [
      'notice',
      'notice_search_gram',
      'notice_search_block',
      'notice_search_key_block',
      'notice_search_text',
      'notice_search_gram_count',
    ])
      await db.manager.query(`ANALYZE TABLE ${t}`);
}

async function indexStats(db: Database, config: DatabaseConfig): Promise<string> {
  const one = async (sql: string) => Number(Object.values((await db.manager.query(sql))[0])[0]);
  const notices = await one('SELECT COUNT(*) FROM notice_search_text');
  const keys = await one('SELECT COUNT(*) FROM notice_search_gram_count');
  const postings = await one('SELECT SUM(notices) FROM notice_search_gram_count');
  const blocks = await one('SELECT COUNT(*) FROM notice_search_block');
  const chars = await one('SELECT AVG(LENGTH(title) + LENGTH(body)) FROM notice');
  let size = '';
  if (config.kind === 'mysql') {
    const rows: { t: string; mb: number | string }[] = await db.manager.query(
      `SELECT table_name AS t, ROUND((data_length + index_length) / 1048576) AS mb FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name LIKE 'notice%' ORDER BY table_name`,
    );
    const mb = (t: string) => Number(rows.find((r) => r.t === t)?.mb ?? 0);
    const index = rows.filter((r) => r.t.startsWith('notice_search')).reduce((sum, r) => sum + Number(r.mb), 0);
    size = ` On disk (MB): ${rows.map((r) => `${r.t} ${r.mb}`).join(', ')}; the search index ${(index / mb('notice')).toFixed(2)}× the notice table.`;
  }
  return `Index: ${postings.toLocaleString('en')} postings (${(postings / notices).toFixed(0)} per notice, ${keys.toLocaleString('en')} distinct keys) in ${blocks.toLocaleString('en')} blocks; title + body average ${Math.round(chars)} ${db.dialect === 'sqlite' ? 'characters' : 'bytes'}.${size}`;
}

async function explain(db: Database, sql: string, parameters: unknown[]): Promise<string[]> {
  if (db.dialect === 'sqlite') {
    const rows: { detail: string }[] = await db.manager.query(`EXPLAIN QUERY PLAN ${sql}`, parameters);
    return rows.map((r) => r.detail);
  }
  const rows: Record<string, unknown>[] = await db.manager.query(`EXPLAIN ${sql}`, parameters);
  return rows.map((r) => `table=${r.table} type=${r.type} key=${r.key ?? '-'} rows=${r.rows} ${r.Extra ?? ''}`.trim());
}

function captureLogger(onQuery: (sql: string, parameters: unknown[]) => void): Logger {
  const noop = () => undefined;
  return {
    logQuery: (sql, parameters) => onQuery(sql, (parameters as unknown[] | undefined) ?? []),
    logQueryError: noop,
    logQuerySlow: noop,
    logSchemaBuild: noop,
    logMigration: noop,
    log: noop,
  };
}
