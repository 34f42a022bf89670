import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { DataSource } from 'typeorm';
import { keywordKeys, matchKey, parseSavedFilter, savedQuery, wordKey } from '../../src/alerts/alert-filter.js';
import { AlertMailer } from '../../src/alerts/alert-mailer.js';
import { AlertMatcher } from '../../src/alerts/alert-matcher.js';
import { Alert, AlertDelivery } from '../../src/alerts/alert.entities.js';
import { AlertsService } from '../../src/alerts/alerts.service.js';
import { ENTITIES } from '../../src/app.module.js';
import { AuditService } from '../../src/audit/audit.service.js';
import { Clock } from '../../src/common/clock.js';
import { loadConfig } from '../../src/config/config.js';
import { dataSourceOptions } from '../../src/database/data-source.js';
import { Database } from '../../src/database/database.js';
import { runMigrations } from '../../src/database/migrate.js';
import { CATEGORIES, REGIONS } from '../../src/domain/catalog.js';
import { PublishedReads } from '../../src/published/published-reads.js';
import { NoticeCounts } from '../../src/trading/notice-counts.js';
import { NoticeQueryService } from '../../src/trading/notice-query.service.js';
import { NoticeSearch } from '../../src/trading/notice-search.js';
import { fillPortal } from '../portal/fill.js';
import { benchDatabase, machine, ms, ratio, type Benchmark } from '../harness.js';

/**
 * Matching one publication against 1,000 alerts, then against 100,000 (BENCH_ALERTS) of which the same ones can
 * match it — the others watch other words — and mails per second to an SMTP sink on loopback (smtp-server).
 * The cost should follow the alerts that can match (the index by filter and word keys), not the alerts there
 * are: the issue asks for at most 2× from 1,000 to 100,000. SQLite in bench/tmp/, or MySQL/MariaDB beside
 * DATABASE_URL's database.
 */
const WORDS = ['道路', '绿化', '排水', '桥梁', '医院', '学校', '改造', '维修', '设备', '采购', '供水', '管网', '照明'];
const TYPES = ['tender', 'procurement', 'transfer', 'result', 'correction', 'candidates'];

export const alertsBenchmark: Benchmark = {
  name: 'alerts',
  async run(log) {
    const notices = Number(process.env.BENCH_NOTICES ?? 2000);
    const many = Number(process.env.BENCH_ALERTS ?? 100_000);
    const samples = Number(process.env.BENCH_SAMPLES ?? 40);
    const mails = Number(process.env.BENCH_MAILS ?? 300);
    const base = loadConfig({ ...process.env, LOG_LEVEL: 'silent', SEED_DEMO: 'false' }).database;
    const target = await benchDatabase(base, { file: 'alerts', suffix: 'alerts' });
    const dataSource = new DataSource(dataSourceOptions(target.config, ENTITIES));
    await dataSource.initialize();
    await runMigrations(dataSource);
    const sink = await smtpSink();
    try {
      const db = new Database(dataSource);
      log(`alerts benchmark: ${notices} notices, 1,000 then ${many.toLocaleString('en-US')} alerts (${target.kind})`);
      await fillPortal(db, notices, new Date(), log, target.config);
      const clock = new Clock();
      const search = new NoticeSearch(db);
      const counts = new NoticeCounts(db);
      const reads = new PublishedReads(db, new NoticeQueryService(db, clock, search, counts), counts, search);
      const matcher = new AlertMatcher(db, reads, clock);
      const head = (await reads.dataVersion()).seq;
      const changes = (await reads.changes(Math.max(0, head - samples), samples)).filter((c) => c.notice);

      let seed = 20261203;
      const rnd = () => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        return seed / 0x80000000;
      };
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
      // How many notices hold each key of the words (what sign-up reads to pick an alert's word key).
      const wordCounts = await reads.searchKeyCounts([
        ...new Set(WORDS.flatMap((q) => keywordKeys(parseSavedFilter({ q })))),
      ]);
      // The first thousand: filters as bidders choose them. The rest: the same shapes, each with a word no
      // notice holds (a longer list of trades in real life), so they can never match these notices.
      const alertRow = (i: number, neverMatches: boolean) => {
        const query: Record<string, string> = {};
        if (rnd() < 0.8) query.category = pick(CATEGORIES).slug;
        if (rnd() < 0.4) query.type = pick(TYPES);
        if (rnd() < 0.6) query.region = pick(REGIONS).code;
        // Two rare ideographs (U+9F00…): a word of some other trade that none of these notices holds.
        if (neverMatches) query.q = String.fromCodePoint(0x9f00 + (i % 150), 0x9f00 + (Math.floor(i / 150) % 150));
        else if (rnd() < 0.4) query.q = pick(WORDS);
        const filter = parseSavedFilter(query);
        return {
          email: null,
          emailHash: null,
          filter: JSON.stringify(savedQuery(filter)),
          matchKey: matchKey(filter),
          wordKey: wordKey(filter, wordCounts),
          frequency: 'immediate' as const,
          status: 'active' as const,
          fromSeq: 0,
          failures: 0,
          ipHash: null,
          lastDigestDay: null,
          createdAt: new Date(),
          confirmedAt: new Date(),
        };
      };
      const insertAlerts = async (from: number, to: number, neverMatches: boolean) => {
        for (let i = from; i < to; i += 500) {
          const rows = Array.from({ length: Math.min(500, to - i) }, (_, k) => alertRow(i + k, neverMatches));
          await db.transaction((em) => em.createQueryBuilder().insert().into(Alert).values(rows).execute());
        }
        if (db.dialect === 'sqlite') await db.manager.query('ANALYZE');
        else await db.manager.query('ANALYZE TABLE alert');
      };
      const measure = async () => {
        const times: number[] = [];
        let reached = 0;
        let tested = 0;
        for (const c of changes) await matcher.deliveriesOf(c); // warm-up, untimed
        for (let round = 0; round < 3; round++)
          for (const c of changes) {
            const start = process.hrtime.bigint();
            const d = await matcher.deliveriesOf(c);
            times.push(Number(process.hrtime.bigint() - start) / 1e6);
            if (round === 0) {
              reached += d.length;
              tested += (await matcher.candidates(c.notice, c.entry.seq)).length;
            }
          }
        times.sort((a, b) => a - b);
        return {
          median: times[Math.floor(times.length / 2)],
          matchedPerNotice: reached / changes.length,
          testedPerNotice: tested / changes.length,
        };
      };

      await insertAlerts(0, 1000, false);
      const small = await measure();
      log(
        `1,000 alerts: ${ms(small.median)} ms a publication, ${small.testedPerNotice.toFixed(1)} tested, ${small.matchedPerNotice.toFixed(1)} reached`,
      );
      const startFill = Date.now();
      await insertAlerts(1000, many, true);
      log(`added ${(many - 1000).toLocaleString('en-US')} alerts in ${((Date.now() - startFill) / 1000).toFixed(0)} s`);
      const large = await measure();
      log(
        `${many.toLocaleString('en-US')} alerts: ${ms(large.median)} ms a publication, ${large.testedPerNotice.toFixed(1)} tested, ${large.matchedPerNotice.toFixed(1)} reached`,
      );

      // Mail: one notice for `mails` alerts with an address, batched and sent to the sink.
      const config = loadConfig({
        ...process.env,
        LOG_LEVEL: 'silent',
        SEED_DEMO: 'false',
        SMTP_URL: sink.url,
        DATABASE_URL: target.url,
      });
      const alerts = new AlertsService(db, clock, reads, new AuditService(clock, db), config);
      const mailer = new AlertMailer(db, clock, reads, alerts, config);
      const noticeId = changes[0].notice.id;
      await db.transaction(async (em) => {
        for (let i = 0; i < mails; i++) {
          const a = await em.save(em.create(Alert, { ...alertRow(i, false), email: `bench${i}@example.cn` }));
          await em.insert(AlertDelivery, {
            alertId: a.id,
            noticeId,
            logSeq: changes[0].entry.seq,
            kind: 'publication',
            reason: 'match',
            targetNoticeId: null,
            mailId: null,
            createdAt: new Date(),
          });
        }
      });
      const startMail = Date.now();
      await mailer.compose();
      const sent = await mailer.send();
      const mailSeconds = (Date.now() - startMail) / 1000;
      mailer.onModuleDestroy();
      log(
        `${sent} mails in ${mailSeconds.toFixed(1)} s: ${(sent / mailSeconds).toFixed(0)} mails/s (sink received ${sink.received()})`,
      );

      const markdown = [
        `## Alerts (${target.kind}, ${notices.toLocaleString('en-US')} notices)`,
        '',
        `${machine()}; ${new Date().toISOString().slice(0, 10)}. Matching one publication (AlertMatcher.deliveriesOf, median of ${changes.length} publications × 3 after a warm-up round): the first 1,000 alerts have random filters (category 80 %, type 40 %, region 60 %, keyword 40 %); the rest have the same shapes with a word no notice holds.`,
        '',
        '| alerts | ms a publication | alerts tested a publication | alerts reached | vs 1,000 |',
        '| ---: | ---: | ---: | ---: | ---: |',
        `| 1,000 | ${ms(small.median)} | ${small.testedPerNotice.toFixed(1)} | ${small.matchedPerNotice.toFixed(1)} | 1.00× |`,
        `| ${many.toLocaleString('en-US')} | ${ms(large.median)} | ${large.testedPerNotice.toFixed(1)} | ${large.matchedPerNotice.toFixed(1)} | ${ratio(large.median, small.median)} |`,
        '',
        `Mail: ${sent} mails composed and sent over SMTP to a sink on loopback in ${mailSeconds.toFixed(1)} s, ${(sent / mailSeconds).toFixed(0)} mails/s (one pooled connection).`,
      ].join('\n');
      return { key: `alerts/${target.kind}`, markdown };
    } finally {
      await sink.close();
      await dataSource.destroy();
      if (process.env.BENCH_KEEP !== '1') await target.drop();
    }
  },
};

async function smtpSink() {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    disableReverseLookup: true,
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        received++;
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    received: () => received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
