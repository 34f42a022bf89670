/**
 * Runs the pending database migrations, as a deployment step before starting the new version:
 *
 *   npm run migrate
 *
 * It opens only the database DATABASE_URL names and migrates under the same lock the portal takes on start
 * (several instances or this command at once never run a migration twice). With MIGRATE_ON_START=false the
 * portal itself runs none and refuses to start while some are pending.
 */
import 'reflect-metadata';
import { ConfigError, loadConfig } from '../src/config/config.js';
import { ENTITIES } from '../src/app.module.js';
import { openDataSource } from '../src/database/data-source.js';
import { runMigrations } from '../src/database/migrate.js';

async function main(argv: string[]): Promise<number> {
  if (argv.length) {
    console.error('用法：npm run migrate（数据库由 DATABASE_URL 指定）');
    return 2;
  }
  const config = loadConfig();
  const dataSource = await openDataSource(config.database, ENTITIES, 'skip');
  try {
    const ran = await runMigrations(dataSource);
    console.log(ran.length ? `已执行 ${ran.length} 个迁移：${ran.join('、')}` : '没有待执行的迁移，数据库已是最新');
    return 0;
  } finally {
    await dataSource.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof ConfigError ? e.message : e);
    process.exit(1);
  },
);
