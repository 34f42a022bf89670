/**
 * Rebuilds the indexes kept beside the published notices: the keyword search (trading/notice-search.ts) and the
 * organisation index (trading/organization-index.ts), keeps the CSV lines of bids.csv and awards.csv that are
 * missing or were written under another base URL (published/export-lines.ts), and asks for the integrity flags to
 * be recomputed. Once on a database upgraded to a version that adds one, and
 * again whenever the way text is cut into keys, or the facts a notice yields, change.
 *
 *   npm run reindex            (after npm run build; DATABASE_URL as for the portal)
 *
 * Run it with publishing paused: searches find only what is indexed so far until it ends. It opens only the
 * database named by DATABASE_URL (migrations run), not the HTTP application.
 */
import 'reflect-metadata';
import { ConfigError, loadConfig } from '../src/config/config.js';
import { ENTITIES } from '../src/app.module.js';
import { openDataSource } from '../src/database/data-source.js';
import { Database } from '../src/database/database.js';
import { ExportLines } from '../src/published/export-lines.js';
import { NoticeSearch } from '../src/trading/notice-search.js';
import { OrganizationIndex } from '../src/trading/organization-index.js';
import { requestIntegrityRecompute } from '../src/trading/integrity-index.js';

async function main(): Promise<number> {
  const config = loadConfig();
  const dataSource = await openDataSource(config.database, ENTITIES);
  try {
    const started = Date.now();
    const db = new Database(dataSource);
    const result = await new NoticeSearch(db).reindexAll({
      onProgress: (n) => n % 10_000 === 0 && console.log(`已索引 ${n} 条公告…`),
    });
    console.log(
      `检索索引已重建：${result.notices} 条公告，${result.postings} 个索引项，用时 ${Math.round((Date.now() - started) / 1000)} 秒`,
    );
    const orgStarted = Date.now();
    const notices = await new OrganizationIndex(db).reindexAll({
      onProgress: (n) => n % 10_000 === 0 && console.log(`机构索引：已处理 ${n} 条公告…`),
    });
    console.log(`机构索引已重建：${notices} 条公告，用时 ${Math.round((Date.now() - orgStarted) / 1000)} 秒`);
    const linesStarted = Date.now();
    const lines = await new ExportLines(db, config).rebuild({
      onProgress: (n) => n % 10_000 === 0 && console.log(`导出行：已处理 ${n} 条公告…`),
    });
    console.log(`导出行已写入：${lines} 条公告，用时 ${Math.round((Date.now() - linesStarted) / 1000)} 秒`);
    // The indicators read the organisation totals: the portal's job recomputes every flag at its next run.
    await requestIntegrityRecompute(db.manager, db.dialect);
    console.log('红旗指标将由门户的定时任务在一分钟内全部重新计算。');
    return 0;
  } finally {
    await dataSource.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof ConfigError ? e.message : e);
    process.exit(1);
  },
);
