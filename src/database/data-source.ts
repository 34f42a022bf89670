import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
import type { DatabaseConfig, MysqlServer } from '../config/config.js';
import { pendingMigrations, PendingMigrationsError, runMigrations } from './migrate.js';
import { MIGRATIONS } from './migrations/index.js';

/** Entity classes; each feature module lists its own, and the application root composes them (app.module.ts). */
export type EntityList = readonly (abstract new (...args: never[]) => object)[];

/** Connection setup for both databases; never `synchronize`: the schema is the migrations' (openDataSource). */
export function dataSourceOptions(db: DatabaseConfig, entities: EntityList): DataSourceOptions {
  const common = { entities: [...entities], migrations: MIGRATIONS, migrationsRun: false, logging: false as const };
  if (db.kind === 'sqlite') {
    if (db.path !== ':memory:') mkdirSync(dirname(db.path), { recursive: true });
    return {
      ...common,
      type: 'better-sqlite3',
      database: db.path,
      // WAL lets readers (a backup, a second reader process) run beside the single writer.
      prepareDatabase: (sqlite: { pragma(s: string): unknown }) => {
        sqlite.pragma('journal_mode = WAL');
        sqlite.pragma('busy_timeout = 5000');
        sqlite.pragma('foreign_keys = ON');
      },
    };
  }
  const server = (s: MysqlServer) => ({
    host: s.host,
    port: s.port,
    username: s.user,
    password: s.password,
    database: s.database,
  });
  return {
    ...common,
    type: 'mysql',
    // With replicas, every query goes to the primary unless it runs on a replica's query runner, which only
    // Database.readSnapshot({ replica: true }) opens (defaultMode: TypeORM would send plain SELECTs to a replica).
    // A replica that fails to connect is left alone for 5 s (the reads meanwhile go to the primary: database.ts).
    ...(db.replicas.length
      ? {
          replication: {
            master: server(db),
            slaves: db.replicas.map(server),
            defaultMode: 'master' as const,
            removeNodeErrorCount: 1,
            restoreNodeTimeout: 5000,
          },
        }
      : server(db)),
    charset: 'utf8mb4_unicode_ci',
    // Times are stored in UTC; the session and the driver both use UTC.
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: true,
    extra: { connectionLimit: 10 },
  };
}

/**
 * Opens the database and, by default, runs the pending migrations under the migration lock (migrate.ts).
 * 'check' runs none and refuses a database that lacks some (MIGRATE_ON_START=false); 'skip' leaves it as it is
 * (npm run migrate, which then migrates itself).
 */
export async function openDataSource(
  db: DatabaseConfig,
  entities: EntityList,
  migrations: 'run' | 'check' | 'skip' = 'run',
): Promise<DataSource> {
  const ds = new DataSource(dataSourceOptions(db, entities));
  await ds.initialize();
  try {
    if (migrations === 'run') await runMigrations(ds);
    if (migrations === 'check') {
      const pending = await pendingMigrations(ds);
      if (pending.length) throw new PendingMigrationsError(pending);
    }
  } catch (e) {
    await ds.destroy();
    throw e;
  }
  return ds;
}
