import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { columnTypes, dialectOf, sqlMarks } from '../dialect.js';
import { cutBlocks1766100000000, instant1766100000000 } from './1766100000000-search-blocks.js';

const KEY_BLOCKS = 'notice_search_key_block';
/** notice_search_gram rows read per statement, in primary-key order. */
const PAGE = 5000;
/** Keys rebuilt per statement when only some are (buildKeyBlocks with keys). */
const KEYS_PER_READ = 200;

/**
 * The filter keys' postings as blocks (issue 11; trading/search-blocks.ts, KEY_BLOCKS): notice_search_key_block,
 * the same form as the word keys' notice_search_block, holding the instants of each filter key's rows of
 * notice_search_gram. A search narrowed by a filter key (a region, a category, a type) intersects the key's
 * instants a few hundred a row, where it read a row an instant: a common word narrowed to a district where it is
 * rare read the district's rows down to the first notice (0.27 s at 1,000,000 notices). The rows stay: a region's
 * list in publication order joins them to its notices.
 *
 * Built from the rows in primary-key order (each key's instants arrive sorted), a page at a time, with the block
 * form of migration 1766100000000 (the one the search code reads and appends to).
 */
export class SearchKeyBlocks1767400000000 implements MigrationInterface {
  name = 'SearchKeyBlocks1767400000000';

  async up(db: QueryRunner): Promise<void> {
    const t = columnTypes(dialectOf(db));
    await db.createTable(
      new Table({
        name: KEY_BLOCKS,
        columns: [
          { name: 'gram', type: 'varchar', length: '8', collation: t.binaryCollation, isPrimary: true },
          { name: 'last', type: 'bigint', isPrimary: true },
          { name: 'floor', type: 'bigint' },
          { name: 'top', type: 'bigint' },
          { name: 'postings', type: 'blob' },
        ],
        withoutRowid: true,
      }),
    );
    await buildKeyBlocks(db);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.dropTable(KEY_BLOCKS);
  }
}

/**
 * Whether a key of notice_search_gram is a filter key: a category's (`#`), a region's (`@`, `&`) or a type's (`$`, a
 * capital) — never the first character of a word key, made of folded text (lower case, letters and digits). Rows of
 * word keys were there before migration 1766100000000 moved them to their own blocks.
 */
export function isFilterKey1767400000000(key: string): boolean {
  return /^[#@&$A-Z]/.test(key);
}

/**
 * Writes filter keys' blocks from their rows of notice_search_gram: every key's (the table empty: what the
 * migration does, and what a benchmark's fill or a test that writes the rows directly calls after them), or, given
 * `keys`, those keys' anew (what a migration that adds keys' rows does once the blocks exist: search-key-backfill.ts).
 */
export async function buildKeyBlocks(db: QueryRunner, keys?: string[]): Promise<void> {
  if (!keys) return buildFrom(db, '', []);
  const sorted = [...new Set(keys)].sort();
  for (let i = 0; i < sorted.length; i += KEYS_PER_READ) {
    const chunk = sorted.slice(i, i + KEYS_PER_READ);
    await db.query(`DELETE FROM ${KEY_BLOCKS} WHERE gram IN (${sqlMarks(chunk)})`, chunk);
    await buildFrom(db, `gram IN (${sqlMarks(chunk)})`, chunk);
  }
}

/** The blocks of the keys whose rows `where` selects (every key's when empty). */
async function buildFrom(db: QueryRunner, where: string, params: unknown[]): Promise<void> {
  let after: { gram: string; at: unknown; id: string } | null = null;
  let key: string | null = null;
  let instants: number[] = [];
  const rows: unknown[] = [];
  const flushRows = async () => {
    for (let i = 0; i < rows.length; i += 5 * 200) {
      const chunk = rows.slice(i, i + 5 * 200);
      await db.query(
        `INSERT INTO ${KEY_BLOCKS} (gram, last, floor, top, postings) VALUES ${Array(chunk.length / 5)
          .fill('(?, ?, ?, ?, ?)')
          .join(', ')}`,
        chunk,
      );
    }
    rows.length = 0;
  };
  const endKey = () => {
    if (key !== null)
      for (const b of cutBlocks1766100000000(instants)) rows.push(key, b.last, b.floor, b.top, b.postings);
    instants = [];
  };
  for (;;) {
    const conditions = [
      ...(where ? [where] : []),
      ...(after ? ['(gram > ? OR (gram = ? AND (published_at > ? OR (published_at = ? AND notice_id > ?))))'] : []),
    ];
    const page: { gram: string; published_at: unknown; notice_id: string }[] = await db.query(
      `SELECT gram, published_at, notice_id FROM notice_search_gram${
        conditions.length ? ` WHERE ${conditions.join(' AND ')}` : ''
      } ORDER BY gram, published_at, notice_id LIMIT ${PAGE}`,
      [...params, ...(after ? [after.gram, after.gram, after.at, after.at, after.id] : [])],
    );
    if (!page.length) break;
    for (const r of page) {
      if (r.gram !== key) {
        endKey();
        key = r.gram;
      }
      const at = instant1766100000000(r.published_at);
      if (instants[instants.length - 1] !== at) instants.push(at);
    }
    const last = page[page.length - 1];
    after = { gram: last.gram, at: last.published_at, id: last.notice_id };
    if (rows.length > 5 * 1000) await flushRows();
  }
  endKey();
  await flushRows();
}
