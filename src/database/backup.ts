import SqliteDatabase from 'better-sqlite3';
import { spawn } from 'node:child_process';
import {
  closeSync,
  createReadStream,
  existsSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { createConnection } from 'mysql2/promise';
import type { DatabaseConfig } from '../config/config.js';

/**
 * Backup and restore of the whole database (`npm run backup` / `npm run restore`), the one place that chooses how
 * per dialect: SQLite through better-sqlite3's online backup API (consistent while the portal runs), MySQL/MariaDB
 * through `mysqldump --single-transaction` (one consistent InnoDB snapshot, no locks) and the `mysql` client.
 */
export class BackupError extends Error {}

export interface BackupResult {
  file: string;
  bytes: number;
  /** The publication log's head in the backup (SQLite; a dump is not read back). */
  headSeq?: number;
}

const SQLITE_MAGIC = 'SQLite format 3\0';

export async function backupDatabase(db: DatabaseConfig, file: string): Promise<BackupResult> {
  if (existsSync(file)) throw new BackupError(`备份文件 ${file} 已存在，请换一个文件名（不覆盖已有备份）`);
  mkdirSync(dirname(file), { recursive: true });
  const partial = `${file}.partial`;
  rmSync(partial, { force: true });
  try {
    if (db.kind === 'sqlite') {
      if (!existsSync(db.path)) throw new BackupError(`数据库文件 ${db.path} 不存在`);
      const source = new SqliteDatabase(db.path, { fileMustExist: true });
      try {
        await source.backup(partial);
      } finally {
        source.close();
      }
      // The copy inherits WAL mode; as a single self-contained file it is easier to move and check.
      const copy = new SqliteDatabase(partial);
      copy.pragma('journal_mode = DELETE');
      copy.close();
    } else {
      await run(
        'mysqldump',
        [
          '--single-transaction',
          '--quick',
          '--routines',
          '--triggers',
          '--hex-blob',
          '--no-tablespaces',
          '--default-character-set=utf8mb4',
          ...connectionArgs(db),
          `--result-file=${partial}`,
          db.database,
        ],
        db.password,
      );
    }
    renameSync(partial, file);
  } finally {
    rmSync(partial, { force: true });
  }
  return { file, bytes: statSync(file).size, headSeq: db.kind === 'sqlite' ? sqliteHead(file) : undefined };
}

/**
 * Restores a backup into the database `db` names. Refuses a target that already holds tables unless `force`: the
 * portal must be stopped, and everything in the target is replaced.
 */
export async function restoreDatabase(
  file: string,
  db: DatabaseConfig,
  options: { force?: boolean } = {},
): Promise<{ headSeq: number }> {
  if (!existsSync(file)) throw new BackupError(`备份文件 ${file} 不存在`);
  const isSqliteFile = readStart(file, SQLITE_MAGIC.length) === SQLITE_MAGIC;
  if (db.kind === 'sqlite') {
    if (!isSqliteFile) throw new BackupError(`${file} 不是 SQLite 备份（MySQL 的备份只能恢复到 MySQL/MariaDB）`);
    const source = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
    try {
      if (source.pragma('quick_check', { simple: true }) !== 'ok')
        throw new BackupError(`${file} 已损坏（quick_check 未通过）`);
      if (!source.prepare("SELECT 1 FROM sqlite_master WHERE name = 'publication_log_head'").get())
        throw new BackupError(`${file} 不是本门户的数据库备份`);
      if (existsSync(db.path) && statSync(db.path).size > 0 && !options.force) {
        throw new BackupError(`目标数据库 ${db.path} 已存在。请先停止门户，确认后加 --force 覆盖`);
      }
      mkdirSync(dirname(db.path), { recursive: true });
      const restoring = `${db.path}.restoring`;
      rmSync(restoring, { force: true });
      await source.backup(restoring);
      // A stale write-ahead log of the old file would be replayed onto the restored one.
      for (const suffix of ['-wal', '-shm']) rmSync(db.path + suffix, { force: true });
      renameSync(restoring, db.path);
    } finally {
      source.close();
    }
    return { headSeq: sqliteHead(db.path) };
  }

  if (isSqliteFile || !/dump/i.test(readStart(file, 2048))) throw new BackupError(`${file} 不是 mysqldump 生成的备份`);
  const admin = await createConnection({
    host: db.host,
    port: db.port,
    user: db.user,
    password: db.password,
    multipleStatements: false,
  });
  try {
    await admin.query(
      `CREATE DATABASE IF NOT EXISTS \`${db.database.replace(/`/g, '``')}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
    const [tables] = await admin.query(
      'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ?',
      [db.database],
    );
    const names = (tables as { name: string }[]).map((t) => t.name);
    if (names.length && !options.force)
      throw new BackupError(
        `目标数据库 ${db.database} 中已有 ${names.length} 张表。请先停止门户，确认后加 --force 覆盖`,
      );
    if (names.length) {
      // Tables the dump does not know (a newer migration's) would otherwise survive the restore.
      await admin.query(`USE \`${db.database.replace(/`/g, '``')}\``);
      await admin.query('SET FOREIGN_KEY_CHECKS = 0');
      for (const name of names) await admin.query(`DROP TABLE \`${name.replace(/`/g, '``')}\``);
      await admin.query('SET FOREIGN_KEY_CHECKS = 1');
    }
    await run('mysql', ['--default-character-set=utf8mb4', ...connectionArgs(db), db.database], db.password, file);
    const [rows] = await admin.query(
      `SELECT seq FROM \`${db.database.replace(/`/g, '``')}\`.publication_log_head WHERE id = 1`,
    );
    return { headSeq: Number((rows as { seq: string | number }[])[0]?.seq ?? 0) };
  } finally {
    await admin.end();
  }
}

const connectionArgs = (db: Extract<DatabaseConfig, { kind: 'mysql' }>) => [
  `--host=${db.host}`,
  `--port=${db.port}`,
  `--user=${db.user}`,
];

/** Runs a MySQL client tool; the password goes through MYSQL_PWD, never the process list. */
function run(tool: string, args: string[], password: string, stdinFile?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, {
      env: { ...process.env, MYSQL_PWD: password },
      stdio: [stdinFile ? 'pipe' : 'ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(
        new BackupError(
          e.code === 'ENOENT'
            ? `找不到 ${tool}：请安装 MariaDB/MySQL 客户端（如 apt-get install mariadb-client）`
            : `${tool} 无法运行：${e.message}`,
        ),
      ),
    );
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new BackupError(`${tool} 失败（退出码 ${code}）：${stderr.trim()}`)),
    );
    if (stdinFile) createReadStream(stdinFile).on('error', reject).pipe(child.stdin!);
  });
}

function readStart(file: string, bytes: number): string {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    return buffer.subarray(0, readSync(fd, buffer, 0, bytes, 0)).toString('latin1');
  } finally {
    closeSync(fd);
  }
}

function sqliteHead(path: string): number {
  const db = new SqliteDatabase(path, { readonly: true, fileMustExist: true });
  try {
    return Number(
      (db.prepare('SELECT seq FROM publication_log_head WHERE id = 1').get() as { seq: number } | undefined)?.seq ?? 0,
    );
  } finally {
    db.close();
  }
}
