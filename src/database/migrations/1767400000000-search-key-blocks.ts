import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { columnTypes, dialectOf, sqlMarks } from '../dialect.js';
import { blocksFromRows1766100000000 } from './1766100000000-search-blocks.js';

const KEY_BLOCKS = 'notice_search_key_block';
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
  if (!keys) return blocksFromRows1766100000000(db, KEY_BLOCKS, { where: '', params: [] });
  const sorted = [...new Set(keys)].sort();
  for (let i = 0; i < sorted.length; i += KEYS_PER_READ) {
    const chunk = sorted.slice(i, i + KEYS_PER_READ);
    await db.query(`DELETE FROM ${KEY_BLOCKS} WHERE gram IN (${sqlMarks(chunk)})`, chunk);
    await blocksFromRows1766100000000(db, KEY_BLOCKS, { where: `gram IN (${sqlMarks(chunk)})`, params: chunk });
  }
}
