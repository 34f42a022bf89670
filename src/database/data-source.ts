import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '../config/config.js';
import { MIGRATIONS } from './migrations/index.js';

/** Entity classes; each feature module lists its own, and the application root composes them (app.module.ts). */
export type EntityList = readonly (abstract new (...args: never[]) => object)[];

/** Connection setup for both databases; migrations run on start, never `synchronize`. */
export function dataSourceOptions(db: DatabaseConfig, entities: EntityList): DataSourceOptions {
  const common = { entities: [...entities], migrations: MIGRATIONS, migrationsRun: true, logging: false as const };
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
  return {
    ...common,
    type: 'mysql',
    host: db.host,
    port: db.port,
    username: db.user,
    password: db.password,
    database: db.database,
    charset: 'utf8mb4_unicode_ci',
    // Times are stored in UTC; the session and the driver both use UTC.
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: true,
    extra: { connectionLimit: 10 },
  };
}

export async function openDataSource(db: DatabaseConfig, entities: EntityList): Promise<DataSource> {
  const ds = new DataSource(dataSourceOptions(db, entities));
  await ds.initialize();
  return ds;
}
