import type { QueryRunner } from 'typeorm';
import { addToCounters, dialectOf } from '../dialect.js';

/** Distinct keys summed in memory before they are added to the table (about 10 MB of keys). */
const FLUSH_KEYS = 100_000;

/**
 * Adds to notice_count the keys of every row a migration reads: `read(last)` returns the rows after the last one
 * of the previous batch (undefined first), in an index order that brings rows sharing keys together, and fewer
 * than `batch` at the end. Keys are summed in memory and added whenever many have gathered, and at the end.
 */
export async function addCountKeys<R>(
  db: QueryRunner,
  batch: number,
  read: (last: R | undefined) => Promise<R[]>,
  keysOf: (row: R) => string[],
): Promise<void> {
  const dialect = dialectOf(db);
  const counts = new Map<string, number>();
  let last: R | undefined;
  for (;;) {
    const rows = await read(last);
    for (const r of rows) for (const k of keysOf(r)) counts.set(k, (counts.get(k) ?? 0) + 1);
    if (counts.size >= FLUSH_KEYS || rows.length < batch) {
      await addToCounters(db, dialect, 'notice_count', { key: 'count_key', counter: 'notices' }, counts);
      counts.clear();
    }
    if (rows.length < batch) return;
    last = rows[rows.length - 1];
  }
}
