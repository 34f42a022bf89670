/**
 * Backs up the database DATABASE_URL names into one file, while the portal runs:
 *
 *   npm run backup -- <file>
 *
 * SQLite: a consistent copy through SQLite's online backup API. MySQL/MariaDB: `mysqldump --single-transaction`
 * (the MariaDB/MySQL client must be installed). Never overwrites an existing file.
 */
import { ConfigError, loadConfig } from '../src/config/config.js';
import { backupDatabase, BackupError } from '../src/database/backup.js';

const USAGE = '用法：npm run backup -- <备份文件>（数据库由 DATABASE_URL 指定）';

async function main(argv: string[]): Promise<number> {
  if (argv.length !== 1 || argv[0].startsWith('-')) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig();
  const result = await backupDatabase(config.database, argv[0]);
  const head = result.headSeq === undefined ? '' : `，公示日志至第 ${result.headSeq} 条`;
  console.log(
    `已备份 ${config.database.kind === 'sqlite' ? config.database.path : config.database.database} 到 ${result.file}（${result.bytes} 字节${head}）`,
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof ConfigError || e instanceof BackupError ? e.message : e);
    process.exit(1);
  },
);
