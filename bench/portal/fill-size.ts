import { DataSource } from 'typeorm';
import { ENTITIES } from '../../src/app.module.js';
import { loadConfig } from '../../src/config/config.js';
import { dataSourceOptions } from '../../src/database/data-source.js';
import { Database } from '../../src/database/database.js';
import { runMigrations } from '../../src/database/migrate.js';
import { benchDatabase } from '../harness.js';
import { fillPortal } from './fill.js';

/**
 * The portal fill alone (no organisation index, indicators or measurements): its time and, on MySQL/MariaDB,
 * the size of every table on disk, for the search index's size against the notice table
 * (`node dist/bench/portal/fill-size.js`, BENCH_NOTICES, BENCH_END; the database is dropped unless BENCH_KEEP=1).
 */
async function main() {
  const count = Number(process.env.BENCH_NOTICES ?? 10_000);
  const base = loadConfig({ ...process.env, LOG_LEVEL: 'silent', SEED_DEMO: 'false' }).database;
  const target = await benchDatabase(base, { file: `fill-${count}`, suffix: `fill_${count}` });
  const dataSource = new DataSource(dataSourceOptions(target.config, ENTITIES));
  await dataSource.initialize();
  await runMigrations(dataSource);
  const db = new Database(dataSource);
  const started = Date.now();
  // BENCH_END fixes the newest instant, so two fills of the same code give the same rows (to compare builds).
  const end = process.env.BENCH_END ? new Date(process.env.BENCH_END) : new Date();
  const report = await fillPortal(
    db,
    count,
    end,
    (line) => console.log(`${((Date.now() - started) / 1000).toFixed(0)} s ${line}`),
    target.config,
  );
  console.log(JSON.stringify(report));
  if (db.dialect === 'mysql') {
    await db.manager.query(
      'ANALYZE TABLE notice, notice_search_block, notice_search_key_block, notice_search_gram, notice_search_text, notice_search_gram_count',
    );
    const rows: { t: string; rows: unknown; data: unknown; idx: unknown }[] = await db.manager.query(
      `SELECT table_name AS t, table_rows AS \`rows\`, ROUND(data_length / 1048576, 1) AS data, ROUND(index_length / 1048576, 1) AS idx
       FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY data_length + index_length DESC LIMIT 12`,
    );
    for (const r of rows) console.log(`${r.t}\t${r.rows} rows\t${r.data} MB data\t${r.idx} MB index`);
  }
  await dataSource.destroy();
  if (process.env.BENCH_KEEP !== '1') await target.drop();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
