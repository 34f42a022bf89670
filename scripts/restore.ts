/**
 * Restores a backup made by `npm run backup` into the database DATABASE_URL names. Stop the portal first.
 *
 *   npm run restore -- <file> [--force]
 *
 * A target that already holds data is refused unless --force is given; everything in it is then replaced.
 * Publications made after the backup are not in it: the log continues from the backup's head.
 */
import { ConfigError, loadConfig } from '../src/config/config.js';
import { BackupError, restoreDatabase } from '../src/database/backup.js';

const USAGE = '用法：npm run restore -- <备份文件> [--force]（恢复到 DATABASE_URL 指定的数据库；请先停止门户）';

async function main(argv: string[]): Promise<number> {
  const force = argv.includes('--force');
  const files = argv.filter((a) => a !== '--force');
  if (files.length !== 1 || files[0].startsWith('-')) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig();
  const { headSeq } = await restoreDatabase(files[0], config.database, { force });
  console.log(
    `已恢复 ${files[0]} 到 ${config.database.kind === 'sqlite' ? config.database.path : config.database.database}：公示日志至第 ${headSeq} 条，新发布的公告从第 ${headSeq + 1} 条接续。`,
  );
  console.log('备份之后发布的公告不在其中，需重新录入发布；请用 npm run verify-log 核验恢复后的门户。');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof ConfigError || e instanceof BackupError ? e.message : e);
    process.exit(1);
  },
);
