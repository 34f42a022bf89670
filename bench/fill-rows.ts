import type { DataSource, EntityManager } from 'typeorm';
import { Notice } from '../src/trading/notice.entity.js';

/** Dates as TypeORM stores them (a UTC string on SQLite), so joins on time columns match. */
export function dateWriter(dataSource: DataSource) {
  const column = dataSource.getMetadata(Notice).findColumnWithPropertyName('publishedAt')!;
  return (d: Date) => dataSource.driver.preparePersistentValue(d, column);
}

/** Rows by multi-row INSERTs of `perStatement` rows (under SQLite's and MySQL's parameter limits by default). */
export async function insertRows(
  em: EntityManager,
  table: string,
  columns: string[],
  rows: unknown[][],
  perStatement = Math.max(1, Math.min(500, Math.floor(30000 / columns.length))),
) {
  const placeholders = `(${columns.map(() => '?').join(', ')})`;
  const prepared = preparedStatements(em);
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${chunk.map(() => placeholders).join(', ')}`;
    // A full chunk's statement is the same each time: prepared once a connection, its values sent as they are
    // (no escaping of long texts into one string). The last, shorter chunk of each call would be a new statement
    // each time: sent as text.
    if (prepared && chunk.length === perStatement) await prepared.execute(sql, chunk.flat());
    else await em.query(sql, chunk.flat());
  }
}

/**
 * `em` as the search index's writers take it (search-blocks.ts: Sql), sending a statement already sent once, in
 * this process, as a prepared statement on MySQL/MariaDB (its values as they are: a block's bytes, not their hex).
 * A writer's statements are few and repeated (a full chunk's); a shorter chunk's comes once or a few times.
 */
export function preparingSql(em: EntityManager): { query(sql: string, parameters?: unknown[]): Promise<unknown> } {
  const prepared = preparedStatements(em);
  return {
    query: (sql, parameters) => {
      if (prepared && parameters?.length && seen.has(sql)) return prepared.execute(sql, parameters);
      if (seen.size < 1000) seen.add(sql);
      return em.query(sql, parameters);
    },
  };
}

const seen = new Set<string>();

interface Executes {
  execute(sql: string, values: unknown[]): Promise<unknown>;
}

/** On MySQL/MariaDB inside a transaction, its connection's prepared statements (mysql2's binary protocol). */
function preparedStatements(em: EntityManager): Executes | null {
  const type = em.connection.options.type;
  if (type !== 'mysql' && type !== 'mariadb') return null;
  const connection = (em.queryRunner as unknown as { databaseConnection?: { promise(): Executes } } | undefined)
    ?.databaseConnection;
  return connection ? connection.promise() : null;
}
