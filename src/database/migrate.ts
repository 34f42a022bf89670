import { DataSource, MigrationExecutor } from 'typeorm';
import { withMigrationLock } from './dialect.js';

/** Start-up was told not to migrate (MIGRATE_ON_START=false) and the database lacks migrations this code needs. */
export class PendingMigrationsError extends Error {
  constructor(readonly pending: string[]) {
    super(
      `The database lacks ${pending.length} migration(s) this version needs (${pending.join(', ')}). ` +
        'MIGRATE_ON_START=false: run `npm run migrate` first, then start the portal.',
    );
    this.name = 'PendingMigrationsError';
  }
}

/**
 * Runs the pending migrations on one connection that holds the migration lock (dialect.ts, withMigrationLock),
 * so instances starting together never run one twice. Returns the names of those it ran.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  try {
    return await withMigrationLock(runner, async (transaction) => {
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = transaction;
      return (await executor.executePendingMigrations()).map((m) => m.name);
    });
  } finally {
    await runner.release();
  }
}

/** The migrations this code knows that the database has not run, in order. Reads only. */
export async function pendingMigrations(dataSource: DataSource): Promise<string[]> {
  const table = dataSource.options.migrationsTableName ?? 'migrations';
  const runner = dataSource.createQueryRunner();
  try {
    const applied = (await runner.hasTable(table))
      ? ((await runner.query(`SELECT name FROM ${table}`)) as { name: string }[]).map((r) => r.name)
      : [];
    return dataSource.migrations.map((m) => m.name ?? m.constructor.name).filter((name) => !applied.includes(name));
  } finally {
    await runner.release();
  }
}
