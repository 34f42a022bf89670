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
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    await em.query(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${chunk.map(() => placeholders).join(', ')}`,
      chunk.flat(),
    );
  }
}
