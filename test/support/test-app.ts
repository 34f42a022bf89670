import 'reflect-metadata';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { createApp } from '../../src/app.js';
import { FixedClock, Clock } from '../../src/common/clock.js';
import { loadConfig, type AppConfig } from '../../src/config/config.js';
import { Database } from '../../src/database/database.js';

/**
 * Boots the real application over a fresh database: a temporary SQLite file, or, when DATABASE_URL points at
 * MySQL/MariaDB, a new database next to the one it names (dropped again by close()).
 */
export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  db: Database;
  clock: Clock;
  http: () => TestAgent;
  close: () => Promise<void>;
  /** Its database, for restartTestApp. */
  database: { url: string; drop: () => Promise<void> };
}

let counter = 0;

export async function startTestApp(
  options: { clock?: Clock; env?: Record<string, string>; database?: TestApp['database'] } = {},
): Promise<TestApp> {
  const database = options.database ?? (await freshDatabase());
  const { url, drop } = database;
  const config = loadConfig({
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    SEED_DEMO: 'false',
    JOBS_ENABLED: 'false',
    ...options.env,
    DATABASE_URL: url,
  });
  const clock = options.clock ?? new Clock();
  const app = await createApp(config, { clock });
  return {
    app,
    config,
    clock,
    db: app.get(Database),
    http: () => request(app.getHttpServer()),
    close: async () => {
      await app.close();
      await drop();
    },
    database,
  };
}

/** Stops `t` and starts the application again on the same database, as an operator restarts it with new settings. */
export async function restartTestApp(
  t: TestApp,
  options: { clock?: Clock; env?: Record<string, string> } = {},
): Promise<TestApp> {
  await t.app.close();
  return startTestApp({ clock: options.clock ?? t.clock, env: options.env, database: t.database });
}

export const isMysql = () => (process.env.DATABASE_URL ?? '').startsWith('mysql');

/** A new empty database (SQLite file or MySQL database next to DATABASE_URL's) and how to drop it. */
export async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = process.env.DATABASE_URL;
  if (base && base.startsWith('mysql')) {
    const u = new URL(base);
    // A random part besides the process and the counter: each test file counts from 1 again in the same worker,
    // and an app a timed-out hook left running may still hold the previous file's database (a transaction's
    // metadata lock), on which a DROP of the same name would wait for ever.
    const name = `${u.pathname.slice(1)}_t${process.pid}_${++counter}_${randomBytes(3).toString('hex')}`;
    const admin = async () => {
      const c = await createConnection({
        host: u.hostname,
        port: Number(u.port || 3306),
        user: decodeURIComponent(u.username),
        password: decodeURIComponent(u.password),
      });
      // A DROP behind such a lock fails the file after a minute instead of hanging the whole run.
      await c.query('SET SESSION lock_wait_timeout = 60');
      return c;
    };
    const c = await admin();
    await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await c.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await c.end();
    u.pathname = `/${name}`;
    return {
      url: u.toString(),
      drop: async () => {
        const d = await admin();
        await d.query(`DROP DATABASE IF EXISTS \`${name}\``);
        await d.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'ggzy-test-'));
  return {
    url: `sqlite:${join(dir, 'portal.sqlite')}`,
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

export { FixedClock };

/** A supertest parser keeping the body as the bytes a download's client receives: `.buffer(true).parse(rawBytes)`. */
export function rawBytes(
  res: { on(event: string, listener: (chunk: Buffer) => void): unknown },
  done: (error: Error | null, body: Buffer) => void,
) {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}
