import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database3 from 'better-sqlite3';
import { createConnection, type Connection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { loadConfig, type AppConfig, type DatabaseConfig } from '../../src/config/config.js';
import { projectRoot } from '../../src/config/project-root.js';
import { ENTITIES } from '../../src/app.module.js';
import { dataSourceOptions } from '../../src/database/data-source.js';
import { runMigrations } from '../../src/database/migrate.js';
import { Database } from '../../src/database/database.js';
import { ExportLines } from '../../src/published/export-lines.js';
import { changeFeedSql } from '../../src/published/published-reads.js';
import { changeFeedColumns } from '../../src/open-data/api/change-feed-json.js';
import { verifyLog } from '../../src/transparency/verify.js';
import { OrganizationIndex } from '../../src/trading/organization-index.js';
import { IntegrityIndex } from '../../src/trading/integrity-index.js';
import { TimingRulesService } from '../../src/trading/timing-rules.service.js';
import { CalendarService } from '../../src/trading/calendar.service.js';
import { Clock } from '../../src/common/clock.js';
import { benchDatabase, machine, type Benchmark, type BenchSection, type BenchTarget as Target } from '../harness.js';
import { fillPortal, type FillReport } from './fill.js';
import type { RecordedResponse } from './bare-server.js';
import {
  BENCH_PUBLIC_BASE_URL,
  cpuMs,
  databaseServerPids,
  get,
  keepAlive,
  startApp,
  startBare,
  startExpressCeiling,
  type Child,
} from './processes.js';
import { loadRuns, renderSections, saveRun, type PortalRun } from './report.js';
import { endpointGroups } from './samples.js';
import { mixRound } from './mix.js';

/**
 * The portal as its users meet it, on a database of BENCH_NOTICES generated notices (default 10,000; see
 * fill.ts), every figure beside a baseline measured in the same run:
 *
 * - each public endpoint's latency over BENCH_SAMPLES (200) distinct ids, cursors or filters, one client,
 *   median of BENCH_ROUNDS (5) alternating rounds, the app started with CACHE_ENABLED=false; baseline /health;
 * - hot pages and their 304s under autocannon (10 connections) against a bare node:http server sending the
 *   same bytes, and against the framework's ceiling (express-server.ts: Express with the portal's per-request
 *   middleware sending them), alternating rounds of BENCH_HOT_SECONDS (2); then the cache's hit rate under a realistic mix
 *   of reads while publications move the version (mix.ts);
 * - /exports/bids.csv in full against the database's own client running the export's SQL, with the app's
 *   peak memory (VmHWM);
 * - the change-feed crawl (limit 1000, following `next`) against its raw queries run by the driver;
 * - cold start: spawn to the first 200 of GET /.
 *
 * The database is SQLite in bench/tmp/ or, when DATABASE_URL names MySQL/MariaDB, `<database>_bench_<10k>`
 * beside it; BENCH_KEEP=1 keeps it and reuses it when it already holds the same number of notices.
 * Results go to bench/portal-results.json (one entry per database and size), rendered into bench/results.md.
 */
const NOTE = 'bench_fill_note';

export const portalBenchmark: Benchmark = {
  name: 'portal',
  async run(log) {
    const count = Number(process.env.BENCH_NOTICES ?? 10_000);
    const samples = Number(process.env.BENCH_SAMPLES ?? 200);
    const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
    const hotSeconds = Number(process.env.BENCH_HOT_SECONDS ?? 2);
    const heavyRounds = Number(process.env.BENCH_HEAVY_ROUNDS ?? (count >= 500_000 ? 1 : 3));
    const keep = process.env.BENCH_KEEP === '1';
    const base = loadConfig({ ...process.env, LOG_LEVEL: 'silent', SEED_DEMO: 'false' }).database;
    const target = await portalDatabase(base, count, keep);
    const dataSource = new DataSource(dataSourceOptions(target.config, ENTITIES));
    await dataSource.initialize();
    await runMigrations(dataSource);
    const children: Child[] = [];
    try {
      const db = new Database(dataSource);
      const server = await serverInfo(db);
      log(`portal benchmark: ${count} notices on ${server.version}`);
      // BENCH_PARTS (a comma list of start, latency, verify, crawl, csv, hot, mix; default all) reruns only those on
      // a kept database: the others keep the figures of the run recorded for this database and size.
      const parts = new Set((process.env.BENCH_PARTS ?? PARTS.join(',')).split(',').map((p) => p.trim()));
      const unknown = [...parts].filter((p) => !PARTS.includes(p));
      if (unknown.length) throw new Error(`BENCH_PARTS: unknown ${unknown.join(', ')} (parts: ${PARTS.join(', ')})`);
      const previous = loadRuns().find((r) => r.kind === target.kind && r.notices === count);
      // A kept database filled with `count` notices (the mix's own clarifications since are a few more).
      const kept = await fillNote(db, count);
      if (parts.size < PARTS.length) {
        if (!previous) throw new Error('BENCH_PARTS needs a recorded run of this database and size to complete');
        // A fresh fill is another data set: its parts' figures would sit beside the recorded run's as if measured
        // on the same rows.
        if (!kept)
          throw new Error(
            'BENCH_PARTS reruns parts on the kept database of the recorded run: none is kept (BENCH_KEEP=1)',
          );
      }
      const fill = await filled(db, target.config, count, kept, log);
      log(`filled: ${JSON.stringify(fill)}`);

      const run: PortalRun = {
        kind: target.kind,
        notices: count,
        date: new Date().toISOString(),
        machine: machine(),
        server: server.version,
        settings: server.settings,
        fill,
        samples,
        rounds,
        latency: [],
        hot: [],
        csv: null,
        crawl: null,
        mix: null,
        coldStartMs: [],
        verify: null,
      };

      if (previous && parts.size < PARTS.length) {
        Object.assign(run, {
          coldStartMs: previous.coldStartMs,
          latency: previous.latency,
          paired: previous.paired,
          verify: previous.verify,
          crawl: previous.crawl,
          csv: previous.csv,
          hot: previous.hot,
          mix: previous.mix,
          fill: { ...previous.fill, ...fill, reused: previous.fill.reused },
          date: previous.date,
          // The recorded run's server settings head its figures; the rerun's are given with its parts.
          settings: previous.settings,
          rerun: {
            date: new Date().toISOString(),
            parts: PARTS.filter((p) => parts.has(p)),
            settings: server.settings,
          },
        });
      }

      // Cold start, three times; the last start serves the latency rounds (cache off).
      const cold: number[] = [];
      const starts = parts.has('start') ? 3 : 1;
      for (let i = 0; i < starts; i++) {
        const app = await startApp(target.url, { cache: false });
        cold.push(app.startMs);
        if (i < starts - 1) await app.stop();
        else children.push(app);
      }
      if (parts.has('start')) run.coldStartMs = cold;
      const app = children[0];
      log(`cold start to GET / 200: ${cold.map((m) => m.toFixed(0)).join(', ')} ms`);

      if (parts.has('latency')) {
        const groups = await endpointGroups(db, samples, probeOf(app));
        const against = process.env.BENCH_AGAINST ? Number(process.env.BENCH_AGAINST) : undefined;
        if (against === undefined) {
          log(`latency: ${groups.length} endpoints × ${samples} URLs × ${rounds} rounds…`);
          [run.latency] = await latencyRounds([{ base: app.url, groups }], rounds, log);
        } else {
          // Both sizes in one run: a second app on the kept database of the other size, each round timing every
          // endpoint on both, so that the machine's drift between two runs does not enter the ratio.
          const other = await keptDatabase(base, against);
          children.push(other.app);
          try {
            const otherGroups = await endpointGroups(other.db, samples, probeOf(other.app));
            log(
              `latency: ${groups.length} endpoints × ${samples} URLs × ${rounds} rounds, against ${against} notices…`,
            );
            const [mine, theirs] = await latencyRounds(
              [
                { base: app.url, groups },
                { base: other.app.url, groups: otherGroups },
              ],
              rounds,
              log,
            );
            run.latency = mine;
            run.paired = pairedRows(against, rounds, theirs, mine);
          } finally {
            await other.close();
            children.splice(children.indexOf(other.app), 1);
          }
        }
      }

      if (parts.has('verify') && process.env.BENCH_VERIFY !== '0') {
        const t = Date.now();
        const report = await verifyLog({ baseUrl: app.url });
        run.verify = {
          ok: report.ok,
          entries: report.entries,
          seconds: (Date.now() - t) / 1000,
          first: report.first?.problem ?? null,
        };
        log(
          `verify-log: ${report.ok ? 'ok' : `FAILED: ${report.first?.problem}`} (${report.entries} entries, ${run.verify.seconds.toFixed(1)} s)`,
        );
      }

      if (parts.has('crawl')) {
        const crawlRoundCount = Number(process.env.BENCH_CRAWL_ROUNDS ?? 3);
        log(`change-feed crawl against its raw queries, ${crawlRoundCount} rounds, an app process each…`);
        run.crawl = await crawlRounds(target, crawlRoundCount);
      }
      await app.stop();
      children.length = 0;

      if (parts.has('csv')) {
        // A fresh process for the export, so its peak memory is the export's.
        const csvApp = await startApp(target.url, { cache: false });
        children.push(csvApp);
        log(`bids.csv against the database client, ${heavyRounds} rounds…`);
        run.csv = await csvRounds(csvApp, target, heavyRounds, fill.bids);
        await csvApp.stop();
        children.length = 0;
      }

      if (parts.has('hot') || parts.has('mix')) {
        const hotApp = await startApp(target.url, { cache: true });
        children.push(hotApp);
        if (parts.has('hot')) {
          log(`hot pages under autocannon, ${hotSeconds} s per round…`);
          run.hot = await hotRounds(hotApp.url, db, hotSeconds, log);
        }
        if (parts.has('mix')) {
          log('the cache under a realistic mix of reads…');
          run.mix = await mixRound(hotApp.url, db);
          log(`  hit rate ${(run.mix.hitRate * 100).toFixed(1)} % of ${run.mix.requests} requests`);
        }
      }

      saveRun(run);
      const sections: BenchSection[] = renderSections(loadRuns());
      for (const s of sections.filter((x) => x.key === `portal/${target.kind}/${count}`)) log(s.markdown);
      return sections;
    } finally {
      for (const c of children) await c.stop();
      keepAlive.destroy();
      await dataSource.destroy();
      if (!keep) await target.drop();
    }
  },
};

/** The parts of a run BENCH_PARTS may name. */
const PARTS = ['start', 'latency', 'verify', 'crawl', 'csv', 'hot', 'mix'];

const sizeLabel = (n: number) =>
  n % 1_000_000 === 0 ? `${n / 1_000_000}m` : n % 1000 === 0 ? `${n / 1000}k` : String(n);

async function serverInfo(db: Database): Promise<{ version: string; settings: string }> {
  if (db.dialect === 'sqlite') {
    const [{ v }] = await db.manager.query('SELECT sqlite_version() AS v');
    return { version: `SQLite ${v}`, settings: 'WAL, synchronous=FULL (defaults of the app)' };
  }
  const [{ v, pool, flush, logSize }] = await db.manager.query(
    'SELECT VERSION() AS v, @@innodb_buffer_pool_size AS pool, @@innodb_flush_log_at_trx_commit AS flush, @@innodb_log_file_size AS logSize',
  );
  return {
    version: `${/mariadb/i.test(v) ? 'MariaDB' : 'MySQL'} ${String(v).replace(/-MariaDB.*$/, '')}`,
    settings: `innodb_buffer_pool_size ${Math.round(Number(pool) / 2 ** 20)} MB, innodb_log_file_size ${Math.round(Number(logSize) / 2 ** 20)} MB, innodb_flush_log_at_trx_commit ${flush}`,
  };
}

/** The CSV lines of bids.csv and awards.csv, as `npm run reindex` keeps them (published/export-lines.ts). */
async function keepExportLines(db: Database, log: (line: string) => void) {
  const started = Date.now();
  const notices = await new ExportLines(db, { publicBaseUrl: BENCH_PUBLIC_BASE_URL } as AppConfig).rebuild({
    batch: 1000,
    onProgress: (n) => n % 100_000 === 0 && log(`export lines: ${n}…`),
  });
  const seconds = (Date.now() - started) / 1000;
  if (notices) log(`export lines of ${notices} notices kept in ${seconds} s`);
  return { notices, seconds };
}

/** The fill of an earlier run (`reused`: its note, BENCH_KEEP=1) when the database holds one, else a new one. */
async function filled(
  db: Database,
  config: DatabaseConfig,
  count: number,
  reused: FillReport | null,
  log: (line: string) => void,
): Promise<FillReport & { reused?: boolean }> {
  const one = async (sql: string) => Number(Object.values((await db.manager.query(sql))[0])[0]);
  const existing = await one(`SELECT COUNT(*) FROM notice WHERE status = 'published'`);
  if (reused) {
    log('reusing the filled database');
    // Kept before the export lines existed: keep them now, as `npm run reindex` does after the upgrade.
    const lines = await keepExportLines(db, log);
    if (lines.notices) Object.assign(reused, { exportLines: lines.notices, exportLinesSeconds: lines.seconds });
    return { ...reused, reused: true };
  }
  if (existing)
    throw new Error(
      `the bench database holds ${existing} published notices, not ${count}: drop it or set BENCH_NOTICES`,
    );
  log('filling…');
  const report = await fillPortal(db, count, new Date(), log, config);
  const lines = await keepExportLines(db, log);
  Object.assign(report, { exportLines: lines.notices, exportLinesSeconds: lines.seconds });
  await analyze(db);
  // The organisation index and the integrity flags, as `npm run reindex` and the indicators' job build them.
  let started = Date.now();
  await new OrganizationIndex(db).reindexAll({
    onProgress: (n) => n % 100_000 === 0 && log(`organisation index: ${n}…`),
  });
  report.orgIndexSeconds = (Date.now() - started) / 1000;
  started = Date.now();
  const integrity = benchIntegrityIndex(db);
  // The migration's marker asks the job for a full recompute; this is that recompute, so the marker is answered
  // here (else recomputeCohorts would run it a second time and the figure would count it twice).
  await db.manager.query(`UPDATE integrity_cohort SET dirty = 0 WHERE cohort = '*'`);
  await integrity.recomputeAll({ onProgress: (n) => n % 50_000 === 0 && log(`integrity: ${n} projects…`) });
  await integrity.recomputeCohorts();
  report.integritySeconds = (Date.now() - started) / 1000;
  const flags: { indicator: string; n: unknown }[] = await db.manager.query(
    'SELECT indicator, COUNT(*) AS n FROM integrity_flag GROUP BY indicator ORDER BY indicator',
  );
  report.flags = Object.fromEntries(flags.map((f) => [f.indicator, Number(f.n)]));
  log(
    `organisation index ${report.orgIndexSeconds} s, integrity ${report.integritySeconds} s: ${JSON.stringify(report.flags)}`,
  );
  await analyze(db);
  if (db.dialect === 'mysql') {
    const rows: { t: string; mb: number | string }[] = await db.manager.query(
      `SELECT table_name AS t, ROUND((data_length + index_length) / 1048576) AS mb FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY data_length + index_length DESC LIMIT 8`,
    );
    report.sizes = rows.map((r) => `${r.t} ${r.mb}`).join(', ');
  }
  await db.manager.query(`CREATE TABLE ${NOTE} (note varchar(1000))`);
  await db.manager.query(`INSERT INTO ${NOTE} (note) VALUES (?)`, [JSON.stringify(report)]);
  return report;
}

/**
 * The indicators' index outside Nest: the timing rules and the calendar only read (no audit), and no job is
 * registered (the bench calls the job's work itself).
 */
function benchIntegrityIndex(db: Database): IntegrityIndex {
  const clock = new Clock();
  const noAudit = undefined as never;
  return new IntegrityIndex(
    db,
    new TimingRulesService(db, clock, noAudit),
    new CalendarService(db, clock, noAudit),
    undefined as never,
    clock,
  );
}

/** Fresh statistics after the bulk load, as a long-running database would have. */
async function analyze(db: Database) {
  if (db.dialect === 'sqlite') await db.manager.query('ANALYZE');
  else
    for (const t of [
      'notice',
      'project',
      'project_party',
      'project_lot',
      'publication_log',
      'notice_search_gram',
      'notice_search_block',
      'notice_search_text',
      'notice_search_gram_count',
    ])
      await db.manager.query(`ANALYZE TABLE ${t}`);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};
const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

/**
 * Each round requests every group's URLs in turn, one at a time on one connection; the groups take turns
 * (their order rotates each round), so a busier moment of the shared machine falls on all of them.
 */
/**
 * Each endpoint's median latency on one app, or on several apps at once (BENCH_AGAINST): a round times every
 * endpoint group on every app, one after the other, the groups' order rotated and the apps' order reversed every
 * round, so that whatever the machine does meanwhile falls on both sides alike.
 */
async function latencyRounds(
  apps: { base: string; groups: Awaited<ReturnType<typeof endpointGroups>> }[],
  rounds: number,
  log: (line: string) => void,
): Promise<PortalRun['latency'][]> {
  const names = apps[0].groups.map((g) => g.name);
  const measured = apps.map((a) => ({
    ...a,
    perRound: new Map<string, number[]>(a.groups.map((g) => [g.name, []])),
    all: new Map<string, number[]>(a.groups.map((g) => [g.name, []])),
    statuses: new Map<string, Map<number, number>>(a.groups.map((g) => [g.name, new Map()])),
  }));
  // Warm-up: one request of each URL's kind.
  for (const a of apps) for (const g of a.groups) await get(a.base + g.urls[0], { firstBytes: g.firstBytes });
  for (let r = 0; r < rounds; r++) {
    const order = names.map((_, i) => names[(i + r) % names.length]);
    const appOrder = r % 2 === 0 ? measured : [...measured].reverse();
    for (const name of order) {
      for (const a of appOrder) {
        const g = a.groups.find((x) => x.name === name);
        if (!g) continue;
        const times: number[] = [];
        for (const url of g.urls) {
          const answer = await get(a.base + url, { firstBytes: g.firstBytes });
          times.push(answer.ms);
          const s = a.statuses.get(name)!;
          s.set(answer.status, (s.get(answer.status) ?? 0) + 1);
        }
        a.perRound.get(name)!.push(median(times));
        a.all.get(name)!.push(...times);
      }
    }
    log(`  round ${r + 1}/${rounds}`);
  }
  return measured.map((a) =>
    a.groups.map((g) => ({
      name: g.name,
      urls: new Set(g.urls).size,
      medianMs: median(a.perRound.get(g.name)!),
      p90Ms: percentile(a.all.get(g.name)!, 0.9),
      statuses: Object.fromEntries(a.statuses.get(g.name)!),
      roundMs: a.perRound.get(g.name)!,
    })),
  );
}

/** The endpoints timed on both sizes in one run: the other size's medians beside this one's, round by round. */
function pairedRows(
  against: number,
  rounds: number,
  theirs: PortalRun['latency'],
  mine: PortalRun['latency'],
): NonNullable<PortalRun['paired']> {
  return {
    against,
    date: new Date().toISOString(),
    rounds,
    rows: mine.flatMap((l) => {
      const o = theirs.find((t) => t.name === l.name);
      if (!o) return [];
      return [
        {
          name: l.name,
          otherMs: o.medianMs,
          ms: l.medianMs,
          roundRatios: (l.roundMs ?? []).map((m, i) => m / (o.roundMs ?? [])[i]),
        },
      ];
    }),
  };
}

/** GETs a path from an app and returns its text (samples chosen by their answer). */
const probeOf = (app: Child) => async (path: string) => (await fetch(`${app.url}${path}`)).text();

/** The bench database of this size on the server `base` names (or the SQLite file beside the others). */
const portalDatabase = (base: DatabaseConfig, count: number, keep: boolean) =>
  benchDatabase(base, { file: `portal-${sizeLabel(count)}`, suffix: sizeLabel(count) }, keep);

/** The report of the fill that filled this database with `count` notices, if one did. */
async function fillNote(db: Database, count: number): Promise<FillReport | null> {
  const note: { note: string }[] = await db.manager.query(`SELECT note FROM ${NOTE}`).catch(() => []);
  const report = note[0] ? (JSON.parse(note[0].note) as FillReport) : null;
  return report?.notices === count ? report : null;
}

/** A kept, filled bench database of `count` notices on the same server, with an app (cache off) serving it. */
async function keptDatabase(base: DatabaseConfig, count: number) {
  const target = await portalDatabase(base, count, true);
  const dataSource = new DataSource(dataSourceOptions(target.config, ENTITIES));
  await dataSource.initialize();
  const db = new Database(dataSource);
  if (!(await fillNote(db, count))) {
    await dataSource.destroy();
    throw new Error(`BENCH_AGAINST=${count}: fill that size first (BENCH_KEEP=1 BENCH_NOTICES=${count})`);
  }
  await runMigrations(dataSource);
  const app = await startApp(target.url, { cache: false });
  return {
    db,
    app,
    close: async () => {
      await app.stop();
      await dataSource.destroy();
    },
  };
}

/**
 * Follows /api/v1/changes?limit=1000 to the end, twice a round: as a crawler that parses each page (JSON.parse of
 * the whole text), and as one that takes the cursor from the page's head and counts the entries in the bytes
 * (the server's own pace, without the crawler's parse); and the same reads done by the driver directly. Beside the
 * server's pace and the raw reads, the CPU each used: the app's process, the local database server's, and this
 * process's (the raw reads' driver), per page, to tell whose work a crawl waits on.
 *
 * Each round crawls a process of its own, warmed by a few pages first: one app process keeps the level of CPU it
 * started at (the same build measured 2,000–2,700 ms a 100,000-entry crawl across restarts), so the median is
 * taken over processes rather than over one.
 */
async function crawlRounds(target: Target, rounds: number): Promise<NonNullable<PortalRun['crawl']>> {
  let base = '';
  const parsed: number[] = [];
  const served: number[] = [];
  const raw: number[] = [];
  const databasePids = target.config.kind === 'sqlite' ? [] : databaseServerPids();
  const databaseCpu = () => databasePids.reduce((sum, pid) => sum + cpuMs(pid), 0);
  const cpu = {
    servedApp: [] as number[],
    servedDatabase: [] as number[],
    rawDriver: [] as number[],
    rawDatabase: [] as number[],
  };
  let items = 0;
  let pages = 0;
  const crawl = async (parse: boolean, maxPages = Infinity) => {
    const t = process.hrtime.bigint();
    let url = `${base}/api/v1/changes?limit=1000`;
    let n = 0;
    pages = 0;
    for (;;) {
      const a = await get(url, { keepBody: true });
      if (a.status !== 200) throw new Error(`${url}: HTTP ${a.status}`);
      const body = a.body!;
      let page: { items: number; links: { next: string } };
      if (parse) {
        const whole = JSON.parse(body.toString('utf8'));
        page = { items: whole.items.length, links: whole.links };
      } else {
        // {"next":…,"more":…,"links":{…},"items":[{"seq":…},…]}: the head is JSON without the items.
        const at = body.indexOf(ITEMS_KEY);
        page = { ...JSON.parse(`${body.subarray(0, at).toString('utf8')}}`), items: countOf(body, ENTRY_START, at) };
      }
      pages++;
      n += page.items;
      if (page.items < 1000 || pages >= maxPages) break;
      // The links name the public address (BENCH_PUBLIC_BASE_URL); the crawler reaches the app directly.
      const next = new URL(page.links.next);
      url = `${base}${next.pathname}${next.search}`;
    }
    return { n, seconds: Number(process.hrtime.bigint() - t) / 1e9 };
  };
  const rawReader = await rawChangeReader(target);
  try {
    for (let r = 0; r < rounds; r++) {
      const app = await startApp(target.url, { cache: false });
      base = app.url;
      let a: { n: number; seconds: number };
      let b: { n: number; seconds: number };
      try {
        await crawl(false, CRAWL_WARM_UP_PAGES);
        a = await crawl(true);
        parsed.push(a.seconds);
        const appBefore = cpuMs(app.pid);
        const databaseBefore = databaseCpu();
        b = await crawl(false);
        served.push(b.seconds);
        cpu.servedApp.push((cpuMs(app.pid) - appBefore) / pages);
        cpu.servedDatabase.push((databaseCpu() - databaseBefore) / pages);
      } finally {
        await app.stop();
      }
      items = a.n;
      const databaseBefore = databaseCpu();
      const driverBefore = process.cpuUsage();
      const t = process.hrtime.bigint();
      const rawItems = await rawReader.crawl();
      raw.push(Number(process.hrtime.bigint() - t) / 1e9);
      const driver = process.cpuUsage(driverBefore);
      cpu.rawDriver.push((driver.user + driver.system) / 1000 / pages);
      cpu.rawDatabase.push((databaseCpu() - databaseBefore) / pages);
      if (rawItems !== items || b.n !== items)
        throw new Error(`raw crawl read ${rawItems} entries, the feed ${items} and ${b.n}`);
    }
  } finally {
    await rawReader.close();
  }
  const p = median(parsed);
  const s = median(served);
  const b = median(raw);
  return {
    items,
    pages,
    seconds: p,
    itemsPerSecond: items / p,
    servedSeconds: s,
    servedItemsPerSecond: items / s,
    rawSeconds: b,
    rawItemsPerSecond: items / b,
    cpuMsPerPage: {
      servedApp: median(cpu.servedApp),
      servedDatabase: databasePids.length ? median(cpu.servedDatabase) : null,
      rawDriver: median(cpu.rawDriver),
      rawDatabase: databasePids.length ? median(cpu.rawDatabase) : null,
    },
  };
}

/** Pages a fresh app process serves before a crawl is timed (its first requests compile the path). */
const CRAWL_WARM_UP_PAGES = 5;
const ITEMS_KEY = Buffer.from(',"items":[', 'utf8');
const ENTRY_START = Buffer.from('{"seq":', 'utf8');

/**
 * Occurrences of `what` in `body` from `from` on: `{"seq":` opens each entry (inside a string its quotes would be
 * escaped; a notice's details never have a key "seq" — and the rounds check the count against the parsed crawl).
 */
function countOf(body: Buffer, what: Buffer, from: number): number {
  let n = 0;
  for (let i = body.indexOf(what, from); i >= 0; i = body.indexOf(what, i + what.length)) n++;
  return n;
}

/**
 * The change feed's reads (PublishedReads.changeFeedRows): a page of the log after the cursor, then its notices and
 * their projects' keys by id, the same SQL and columns (the database writing most of each entry's JSON:
 * change-feed-json.ts), through the driver the app uses, no ORM and nothing written.
 */
async function rawChangeReader(target: Target): Promise<{ crawl(): Promise<number>; close(): Promise<void> }> {
  const columns = changeFeedColumns(target.config.kind === 'sqlite' ? 'sqlite' : 'mysql');
  const log = changeFeedSql.log(columns.log);
  type LogRow = { seq: string | number; notice_id: string; project_id: string };
  // One page's reads, given a driver's query: the seq to continue after, or null at the end.
  const page = async (query: (sql: string, parameters: unknown[]) => Promise<unknown[]>, after: number) => {
    const rows = ((await query(log, [after, 1001])) as LogRow[]).slice(0, 1000);
    if (!rows.length) return { n: 0, last: null };
    const noticeIds = [...new Set(rows.map((e) => e.notice_id))];
    const projectIds = [...new Set(rows.map((e) => e.project_id))];
    await query(changeFeedSql.notices(columns.notice, noticeIds.length), noticeIds);
    await query(changeFeedSql.projects(projectIds.length), projectIds);
    return { n: rows.length, last: rows.length < 1000 ? null : Number(rows[rows.length - 1].seq) };
  };
  const crawlWith = async (query: (sql: string, parameters: unknown[]) => Promise<unknown[]>) => {
    let after: number | null = 0;
    let items = 0;
    while (after !== null) {
      const { n, last } = await page(query, after);
      items += n;
      after = last;
    }
    return items;
  };
  if (target.config.kind === 'sqlite') {
    const sqlite = new Database3(target.config.path, { readonly: true });
    return {
      crawl: () => crawlWith(async (sql, parameters) => sqlite.prepare(sql).all(...parameters)),
      async close() {
        sqlite.close();
      },
    };
  }
  const c: Connection = await createConnection({
    host: target.config.host,
    port: target.config.port,
    user: target.config.user,
    password: target.config.password,
    database: target.config.database,
    charset: 'utf8mb4_unicode_ci',
    supportBigNumbers: true,
    bigNumberStrings: true,
    timezone: 'Z',
  });
  return {
    crawl: () => crawlWith(async (sql, parameters) => (await c.query(sql, parameters))[0] as unknown[]),
    close: () => c.end(),
  };
}

/**
 * The export's SQL in one statement (ExportsService.keptLines: the bid-opening notices' ids, newest first, on the
 * list's index, and the lines kept for them at publication, by primary key), run by the database's own client to
 * /dev/null-like counting: `mariadb --batch --quick` over TCP, or `sqlite3`. Its rate is given in CSV rows, i.e.
 * the bids of the notices it read.
 */
const EXPORT_COLUMNS = `n.id, e.lines_key, e.csv_lines`;
const EXPORT_WHERE = `n.status = 'published' AND n.type IN ('bid-opening') ORDER BY n.published_at DESC, n.id DESC`;
/** MySQL/MariaDB: the export's index and join order, as the app forces them (its keyset batches do). */
const EXPORT_SQL = {
  sqlite: `SELECT ${EXPORT_COLUMNS} FROM notice n JOIN export_line e ON e.notice_id = n.id WHERE ${EXPORT_WHERE}`,
  mysql: `SELECT STRAIGHT_JOIN ${EXPORT_COLUMNS} FROM notice n FORCE INDEX (ix_notice_list_type) JOIN export_line e ON e.notice_id = n.id WHERE ${EXPORT_WHERE}`,
};

async function csvRounds(
  app: Child,
  target: Target,
  rounds: number,
  bids: number,
): Promise<NonNullable<PortalRun['csv']>> {
  const portal: number[] = [];
  const client: number[] = [];
  let rows = 0;
  const before = app.peakMb();
  for (let r = 0; r < rounds; r++) {
    let lines = 0;
    const a = await get(`${app.url}/exports/bids.csv`, {
      agent: false,
      onData: (chunk) => (lines += countNewlines(chunk)),
    });
    if (a.status !== 200) throw new Error(`bids.csv: HTTP ${a.status}`);
    portal.push(a.ms / 1000);
    rows = lines - 1;
    client.push(await clientSeconds(target));
  }
  const p = median(portal);
  const c = median(client);
  const tool = target.config.kind === 'sqlite' ? 'sqlite3' : 'mariadb --batch --quick --protocol=TCP';
  return {
    rows,
    seconds: p,
    rowsPerSecond: rows / p,
    clientTool: tool,
    clientSeconds: c,
    clientRowsPerSecond: bids / c,
    peakMbBefore: before,
    peakMb: app.peakMb(),
  };
}

/** Lines of a CSV chunk (no export column holds a line break but the notice body, which bids.csv leaves out). */
function countNewlines(chunk: Buffer): number {
  let n = 0;
  for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) n++;
  return n;
}

function clientSeconds(target: Target): Promise<number> {
  const c = target.config;
  const [cmd, args] =
    c.kind === 'sqlite'
      ? ['sqlite3', ['-readonly', '-csv', c.path, EXPORT_SQL.sqlite]]
      : [
          'mariadb',
          [
            '--batch',
            '--quick',
            '--protocol=TCP',
            '-h',
            c.host,
            '-P',
            String(c.port),
            '-u',
            c.user,
            ...(c.password ? [`-p${c.password}`] : []),
            c.database,
            '-e',
            EXPORT_SQL.mysql,
          ],
        ];
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stdout.on('data', () => undefined);
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve(Number(process.hrtime.bigint() - start) / 1e9)
        : reject(new Error(`${cmd} exited ${code}: ${err}`)),
    );
  });
}

/** Hot pages: what a crowd reads most, and the 304 a returning browser or feed reader gets. */
async function hotPages(db: Database): Promise<{ name: string; path: string }[]> {
  const [n] = await db.manager.query(
    `SELECT id, project_id FROM notice WHERE status = 'published' ORDER BY published_at DESC, id DESC LIMIT 1`,
  );
  return [
    { name: 'home', path: '/' },
    { name: '/notices', path: '/notices' },
    { name: '/notices?category=municipal&region=210211', path: '/notices?category=municipal&region=210211' },
    { name: '/notices/{id}', path: `/notices/${encodeURIComponent(n.id)}` },
    { name: '/projects/{id}', path: `/projects/${encodeURIComponent(n.project_id)}` },
    { name: '/feeds/notices.rss', path: '/feeds/notices.rss' },
    { name: '/api/v1/notices', path: '/api/v1/notices' },
  ];
}

const DROPPED = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

async function hotRounds(
  base: string,
  db: Database,
  seconds: number,
  log: (line: string) => void,
): Promise<PortalRun['hot']> {
  const { default: autocannon } = await import('autocannon');
  const pages = await hotPages(db);
  // Records what the portal sends for each page, for the bare server to send back.
  const recorded: RecordedResponse[] = [];
  for (const p of pages) {
    const a = await get(base + p.path, { keepBody: true });
    const headers: [string, string][] = [];
    for (let i = 0; i < a.rawHeaders.length; i += 2)
      if (!DROPPED.has(a.rawHeaders[i].toLowerCase())) headers.push([a.rawHeaders[i], a.rawHeaders[i + 1]]);
    const etag = (a.headers.etag as string | undefined) ?? null;
    let notModifiedHeaders: [string, string][] | null = null;
    if (etag) {
      const nm = await get(base + p.path, { headers: { 'if-none-match': etag } });
      if (nm.status === 304) {
        notModifiedHeaders = [];
        for (let i = 0; i < nm.rawHeaders.length; i += 2)
          if (!DROPPED.has(nm.rawHeaders[i].toLowerCase()))
            notModifiedHeaders.push([nm.rawHeaders[i], nm.rawHeaders[i + 1]]);
      }
    }
    recorded.push({
      path: p.path,
      status: a.status,
      headers,
      bodyBase64: a.body!.toString('base64'),
      etag,
      notModifiedHeaders,
    });
  }
  const file = join(projectRoot(), 'bench', 'tmp', 'hot-responses.json');
  mkdirSync(join(projectRoot(), 'bench', 'tmp'), { recursive: true });
  writeFileSync(file, JSON.stringify(recorded));
  const bare = await startBare(file);
  const ceiling = await startExpressCeiling(file);
  const rounds = Number(process.env.BENCH_HOT_ROUNDS ?? 3);
  const cannon = async (url: string, headers: Record<string, string>) => {
    const result = await autocannon({ url, connections: 10, duration: seconds, headers });
    return {
      rps: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
    };
  };
  const out: PortalRun['hot'] = [];
  try {
    for (const [i, p] of pages.entries()) {
      const r = recorded[i];
      const variants: { label: string; headers: Record<string, string> }[] = [{ label: '200', headers: {} }];
      if (r.notModifiedHeaders) variants.push({ label: '304', headers: { 'if-none-match': r.etag! } });
      for (const v of variants) {
        const portal: Awaited<ReturnType<typeof cannon>>[] = [];
        const baseline: Awaited<ReturnType<typeof cannon>>[] = [];
        const framework: Awaited<ReturnType<typeof cannon>>[] = [];
        for (let k = 0; k < rounds; k++) {
          portal.push(await cannon(base + p.path, v.headers));
          baseline.push(await cannon(bare.url + p.path, v.headers));
          framework.push(await cannon(ceiling.url + p.path, v.headers));
        }
        const m = (xs: typeof portal, f: (x: (typeof portal)[number]) => number) => median(xs.map(f));
        const row = {
          name: p.name,
          status: v.label,
          bytes: v.label === '200' ? Buffer.from(r.bodyBase64, 'base64').length : 0,
          rps: m(portal, (x) => x.rps),
          p50: m(portal, (x) => x.p50),
          p99: m(portal, (x) => x.p99),
          bareRps: m(baseline, (x) => x.rps),
          bareP50: m(baseline, (x) => x.p50),
          bareP99: m(baseline, (x) => x.p99),
          frameworkRps: m(framework, (x) => x.rps),
          // A 304 variant counts as non-2xx in autocannon; anything else unexpected is reported.
          problems: portal.reduce((s, x) => s + x.errors + (v.label === '200' ? x.non2xx : 0), 0),
        };
        out.push(row);
        log(
          `  ${p.name} ${v.label}: ${row.rps.toFixed(0)} req/s (bare ${row.bareRps.toFixed(0)}, Express ceiling ${row.frameworkRps.toFixed(0)})`,
        );
      }
    }
  } finally {
    await bare.stop();
    await ceiling.stop();
  }
  return out;
}
