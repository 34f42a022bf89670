import type { QueryRunner } from 'typeorm';
import { dialectOf, incrementCountersSql, sqlMarks } from '../dialect.js';
import { buildKeyBlocks, isFilterKey1767400000000 } from './1767400000000-search-key-blocks.js';

/** The filter keys' blocks (migration 1767400000000). */
const KEY_BLOCKS = 'notice_search_key_block';

const BATCH = 2000;

/** An indexed notice as a backfill reads it: its folded text and the columns filter keys come from. */
export interface IndexedNotice {
  notice_id: string;
  published_at: unknown;
  content: string;
  category: string;
  region_code: string;
  type: string;
}

/**
 * Adds keys of a new kind to every notice already in the search index (notice_search_text), with their counts,
 * a batch of notices at a time: what a migration does when the index learns a new kind of key. Rows are added,
 * and, once the filter keys have blocks (migration 1767400000000, which builds them from the rows before it), the
 * added filter keys' blocks are built from their rows. published_at goes back exactly as it was read, so the posting
 * matches the notice's own on both databases.
 */
export async function addSearchKeys(db: QueryRunner, keysOf: (notice: IndexedNotice) => string[]): Promise<void> {
  const dialect = dialectOf(db);
  const blocks = await db.hasTable(KEY_BLOCKS);
  const added = new Set<string>();
  let after = '';
  for (;;) {
    const rows: IndexedNotice[] = await db.query(
      `SELECT t.notice_id, t.content, n.published_at, n.category, n.region_code, n.type FROM notice_search_text t JOIN notice n ON n.id = t.notice_id
       WHERE t.notice_id > ? ORDER BY t.notice_id LIMIT ${BATCH}`,
      [after],
    );
    if (!rows.length) {
      if (added.size) await buildKeyBlocks(db, [...added]);
      return;
    }
    after = rows[rows.length - 1].notice_id;
    const postings: unknown[] = [];
    const counts = new Map<string, number>();
    for (const row of rows) {
      for (const key of keysOf(row)) {
        postings.push(key, row.published_at, row.notice_id);
        counts.set(key, (counts.get(key) ?? 0) + 1);
        if (blocks && isFilterKey1767400000000(key)) added.add(key);
      }
    }
    for (let i = 0; i < postings.length; i += 3 * 1000) {
      const chunk = postings.slice(i, i + 3 * 1000);
      await db.query(
        `INSERT INTO notice_search_gram (gram, published_at, notice_id) VALUES ${Array(chunk.length / 3)
          .fill('(?, ?, ?)')
          .join(', ')}`,
        chunk,
      );
    }
    const keys = [...counts.keys()].sort();
    for (let i = 0; i < keys.length; i += 1000) {
      const chunk = keys.slice(i, i + 1000);
      await db.query(
        incrementCountersSql(dialect, 'notice_search_gram_count', 'gram', 'notices', chunk.length),
        chunk.flatMap((k) => [k, counts.get(k)]),
      );
    }
  }
}

/** Removes every key `isKind` accepts among `candidates` (a query of keys) from the index and the counts. */
export async function removeSearchKeys(
  db: QueryRunner,
  candidates: (table: string) => string,
  isKind: (key: string) => boolean,
): Promise<void> {
  const tables = ['notice_search_gram', 'notice_search_gram_count'];
  if (await db.hasTable(KEY_BLOCKS)) tables.push(KEY_BLOCKS);
  for (const table of tables) {
    const keys = ((await db.query(candidates(table))) as { gram: string }[]).map((k) => k.gram).filter(isKind);
    for (let i = 0; i < keys.length; i += 500) {
      const chunk = keys.slice(i, i + 500);
      await db.query(`DELETE FROM ${table} WHERE gram IN (${sqlMarks(chunk)})`, chunk);
    }
  }
}
