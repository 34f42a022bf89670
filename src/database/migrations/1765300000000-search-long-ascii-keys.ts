import { MigrationInterface, QueryRunner } from 'typeorm';
import { dialectOf } from '../dialect.js';
import { addSearchKeys, removeSearchKeys } from './search-key-backfill.js';

/**
 * Eight-character ASCII keys in the search index (trading/search-grams.ts): the key columns grow from 4 to 8
 * characters (MySQL/MariaDB change only the column's metadata; SQLite does not enforce lengths), and every
 * notice indexed before gets its eight-character keys from its folded text, so a search that starts from one
 * finds old notices as well as new. Only rows are added: the existing keys stay as they are.
 */
export class SearchLongAsciiKeys1765300000000 implements MigrationInterface {
  name = 'SearchLongAsciiKeys1765300000000';

  async up(db: QueryRunner): Promise<void> {
    if (dialectOf(db) === 'mysql') {
      for (const table of ['notice_search_gram', 'notice_search_gram_count']) {
        await db.query(
          `ALTER TABLE ${table} MODIFY gram varchar(8) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL`,
        );
      }
    }
    await addSearchKeys(db, (notice) => longAsciiKeys1765300000000(notice.content));
  }

  async down(db: QueryRunner): Promise<void> {
    // Removing the eight-character ASCII keys restores the earlier index (filter keys may be eight long too).
    const length = dialectOf(db) === 'mysql' ? 'CHAR_LENGTH' : 'LENGTH';
    await removeSearchKeys(
      db,
      (table) => `SELECT DISTINCT gram FROM ${table} WHERE ${length}(gram) = 8`,
      isLongAsciiKey1765300000000,
    );
  }
}

/*
 * Frozen copies of what trading/search-grams.ts did when this migration was written: a migration must do the same
 * on every database it ever meets, whatever the search code becomes (migrations.spec.ts keeps them apart).
 */

/** An eight-character ASCII key. */
export const isLongAsciiKey1765300000000 = (gram: string) => /^[0-9a-z]{8}$/.test(gram);

/**
 * The eight-character ASCII keys of a notice's folded text (documentGrams' share of them): every eight adjacent
 * ASCII letters or digits in a stretch of them; any other character ends the stretch.
 */
export function longAsciiKeys1765300000000(folded: string): string[] {
  const keys = new Set<string>();
  for (const stretch of folded.match(/[0-9A-Za-z]{8,}/g) ?? []) {
    for (let i = 0; i + 8 <= stretch.length; i++) keys.add(stretch.slice(i, i + 8));
  }
  return [...keys].filter(isLongAsciiKey1765300000000);
}
