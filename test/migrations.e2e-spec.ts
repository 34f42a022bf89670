import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createConnection } from 'mysql2/promise';
import Database from 'better-sqlite3';
import { projectRoot } from '../src/config/project-root.js';
import { MIGRATIONS } from '../src/database/migrations/index.js';
import { startAppProcess, stopAllProcesses, type AppProcess } from './support/process.js';
import { freshDatabase, isMysql } from './support/test-app.js';

const MINUTES = 60_000;
const MIGRATION_NAMES = MIGRATIONS.map((M) => new M().name);

/** `npm run migrate` as an operator runs it (the TypeScript source through the test hooks, no build). */
async function migrate(databaseUrl: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', './test/support/ts-register.mjs', 'scripts/migrate.ts'],
      {
        cwd: projectRoot(),
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TZ: 'UTC', DATABASE_URL: databaseUrl },
        timeout: 2 * MINUTES,
      },
    );
    return { code: 0, output: stdout + stderr };
  } catch (e) {
    const failed = e as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

/** The names in the database's migrations table, in the order they ran. */
async function appliedMigrations(databaseUrl: string): Promise<string[]> {
  if (databaseUrl.startsWith('mysql')) {
    const u = new URL(databaseUrl);
    const c = await createConnection({
      host: u.hostname,
      port: Number(u.port || 3306),
      user: decodeURIComponent(u.username),
      password: decodeURIComponent(u.password),
      database: u.pathname.slice(1),
    });
    try {
      const [rows] = await c.query('SELECT name FROM migrations ORDER BY id');
      return (rows as { name: string }[]).map((r) => r.name);
    } finally {
      await c.end();
    }
  }
  const db = new Database(databaseUrl.slice('sqlite:'.length), { readonly: true });
  try {
    return (db.prepare('SELECT name FROM migrations ORDER BY id').all() as { name: string }[]).map((r) => r.name);
  } finally {
    db.close();
  }
}

describe(`migrations on ${isMysql() ? 'MariaDB' : 'SQLite'}: on start under a lock, or as a deployment step`, () => {
  const databases: { drop: () => Promise<void> }[] = [];
  const fresh = async () => {
    const database = await freshDatabase();
    databases.push(database);
    return database.url;
  };
  afterAll(async () => {
    await stopAllProcesses();
    for (const d of databases) await d.drop();
  });

  // Skipped on SQLite on purpose: SQLite serves one instance (PRODUCT.md); several instances share MySQL/MariaDB.
  (isMysql() ? it : it.skip)(
    'brings two instances starting together on an empty database up healthy, each migration run once (MySQL/MariaDB only)',
    async () => {
      const url = await fresh();
      const env = { DATABASE_URL: url, JOBS_ENABLED: 'false', LOG_LEVEL: 'info' };
      const instances: AppProcess[] = await Promise.all([
        startAppProcess('first', env),
        startAppProcess('second', env),
      ]);
      for (const app of instances) {
        expect((await fetch(`${app.url}/health`)).status).toBe(200);
        expect(app.output()).not.toMatch(/error|exception|failed/i);
      }
      expect(await appliedMigrations(url)).toEqual(MIGRATION_NAMES);
      for (const app of instances) await app.stop();
    },
    5 * MINUTES,
  );

  it(
    'runs every migration once when two `npm run migrate` start together, and nothing the second time',
    async () => {
      const url = await fresh();
      const runs = await Promise.all([migrate(url), migrate(url)]);
      for (const run of runs) expect(run).toMatchObject({ code: 0 });
      expect(runs.map((r) => r.output.trim()).sort()).toEqual([
        `已执行 ${MIGRATION_NAMES.length} 个迁移：${MIGRATION_NAMES.join('、')}`,
        '没有待执行的迁移，数据库已是最新',
      ]);
      expect(await appliedMigrations(url)).toEqual(MIGRATION_NAMES);
      expect(await migrate(url)).toEqual({ code: 0, output: '没有待执行的迁移，数据库已是最新\n' });
    },
    5 * MINUTES,
  );

  it(
    'with MIGRATE_ON_START=false refuses to start on a database lacking migrations, naming them, and starts once `npm run migrate` ran',
    async () => {
      const url = await fresh();
      const env = { DATABASE_URL: url, JOBS_ENABLED: 'false', MIGRATE_ON_START: 'false' };
      const refused = await startAppProcess('refused', env).then(
        () => 'started',
        (e: Error) => e.message,
      );
      expect(refused).toContain('refused exited while starting');
      expect(refused).toContain(
        `The database lacks ${MIGRATION_NAMES.length} migration(s) this version needs (${MIGRATION_NAMES.join(', ')})`,
      );
      expect(refused).toContain('MIGRATE_ON_START=false: run `npm run migrate` first');

      expect((await migrate(url)).code).toBe(0);
      const app = await startAppProcess('migrated', env);
      expect((await fetch(`${app.url}/health`)).status).toBe(200);
      expect(await appliedMigrations(url)).toEqual(MIGRATION_NAMES);
      await app.stop();
    },
    5 * MINUTES,
  );
});
