/**
 * The cost of recomputing every integrity flag (IntegrityIndex.recomputeAll, then the cohort job), on the portal
 * benchmark's generated notices (bench/portal/fill.ts). A measurement run by hand, not by `npm run bench`:
 *
 *   npm run build && BENCH_NOTICES=20000 node dist/bench/integrity/recompute-all.js
 *   npm run build && DATABASE_URL=mysql://root:@127.0.0.1:3306/test BENCH_NOTICES=20000 node dist/bench/integrity/recompute-all.js
 *
 * It fills `bench/tmp/integrity-<N>.sqlite` or `<database>_bench_integrity_<N>` (BENCH_KEEP=1 keeps it and reuses
 * it when it holds notices), builds the organisation index the repeat-winner indicator reads, then times the
 * projects' pass and the cohorts' pass separately, BENCH_ROUNDS times (default 3; the first round on a new fill
 * starts from no flags, the others replace them, as after a change of thresholds), and prints the flags by
 * indicator with a digest of their contents (everything but id and computed_at), so two versions of the code can
 * be checked to compute the same flags.
 */
import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ENTITIES } from '../../src/app.module.js';
import { Clock } from '../../src/common/clock.js';
import { loadConfig } from '../../src/config/config.js';
import { dataSourceOptions } from '../../src/database/data-source.js';
import { Database } from '../../src/database/database.js';
import { runMigrations } from '../../src/database/migrate.js';
import { CalendarService } from '../../src/trading/calendar.service.js';
import { IntegrityIndex } from '../../src/trading/integrity-index.js';
import { OrganizationIndex } from '../../src/trading/organization-index.js';
import { TimingRulesService } from '../../src/trading/timing-rules.service.js';
import { benchDatabase, machine } from '../harness.js';
import { fillPortal } from '../portal/fill.js';

/** Columns compared between runs: everything a flag says, not when or under which id it was written. */
const COMPARED = [
  'indicator',
  'indicator_version',
  'project_id',
  'lot_code',
  'buyer_code',
  'org_code',
  'category',
  'region_code',
  'year',
  'notice_id',
  'flag_values',
  'thresholds',
  'q1',
  'q3',
  'cohort_n',
];

async function main() {
  const count = Number(process.env.BENCH_NOTICES ?? 20_000);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const keep = process.env.BENCH_KEEP === '1';
  const base = loadConfig({ ...process.env, LOG_LEVEL: 'silent', SEED_DEMO: 'false' }).database;
  const target = await benchDatabase(base, { file: `integrity-${count}`, suffix: `integrity_${count}` }, keep);
  const dataSource = new DataSource(dataSourceOptions(target.config, ENTITIES));
  await dataSource.initialize();
  try {
    await runMigrations(dataSource);
    const db = new Database(dataSource);
    const one = async (sql: string) => Number(Object.values((await db.manager.query(sql))[0])[0]);
    if (!(await one(`SELECT COUNT(*) FROM notice`))) {
      const t = Date.now();
      await fillPortal(db, count, new Date('2026-11-25T02:00:00Z'), (l) => console.log(l), target.config);
      await new OrganizationIndex(db).reindexAll();
      if (db.dialect === 'sqlite') await db.manager.query('ANALYZE');
      else
        for (const table of ['notice', 'project', 'project_party', 'org_fact', 'org_total'])
          await db.manager.query(`ANALYZE TABLE ${table}`);
      console.log(`filled and indexed in ${((Date.now() - t) / 1000).toFixed(0)} s`);
    }
    const projects = await one(`SELECT COUNT(*) FROM project WHERE first_published_at IS NOT NULL`);
    console.log(`${machine()}; ${target.kind}; ${count} notices, ${projects} published projects`);
    const clock = new Clock();
    const index = new IntegrityIndex(
      db,
      new TimingRulesService(db, clock, undefined as never),
      new CalendarService(db, clock, undefined as never),
      undefined as never,
      clock,
    );
    // The migrations' marker asks the job for a full recompute: done here, timed, instead of inside a round.
    await db.manager.query(`UPDATE integrity_cohort SET dirty = 0 WHERE cohort = '*'`);
    for (let r = 0; r < rounds; r++) {
      let t = Date.now();
      await index.recomputeAll();
      const projectSeconds = (Date.now() - t) / 1000;
      t = Date.now();
      await index.recomputeCohorts();
      const cohortSeconds = (Date.now() - t) / 1000;
      console.log(
        `round ${r + 1}: projects ${projectSeconds.toFixed(1)} s (${((projectSeconds * 1000) / projects).toFixed(2)} ms a project), cohorts ${cohortSeconds.toFixed(1)} s`,
      );
    }
    const rows: Record<string, unknown>[] = await db.manager.query(
      `SELECT ${COMPARED.join(', ')} FROM integrity_flag ORDER BY indicator, project_id, lot_code, buyer_code, org_code`,
    );
    const byIndicator = new Map<string, string[]>();
    for (const r of rows) {
      const line = COMPARED.map((c) => (r[c] === null || r[c] === undefined ? '' : String(r[c]))).join('\t');
      byIndicator.set(String(r.indicator), [...(byIndicator.get(String(r.indicator)) ?? []), line]);
    }
    for (const [indicator, lines] of [...byIndicator].sort()) {
      const digest = createHash('sha256').update(lines.sort().join('\n')).digest('hex').slice(0, 16);
      console.log(`  ${indicator}: ${lines.length} flags, digest ${digest}`);
    }
    const counts: { count_key: string; flags: unknown }[] = await db.manager.query(
      `SELECT count_key, flags FROM integrity_count WHERE flags <> 0 ORDER BY count_key`,
    );
    const countDigest = createHash('sha256')
      .update(counts.map((c) => `${c.count_key}=${Number(c.flags)}`).join('\n'))
      .digest('hex')
      .slice(0, 16);
    console.log(`  counts: ${counts.length} keys, digest ${countDigest}`);
  } finally {
    await dataSource.destroy();
    if (!keep) await target.drop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
