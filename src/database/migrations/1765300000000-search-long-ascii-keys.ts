import { MigrationInterface, QueryRunner } from 'typeorm';
import { isLongAsciiKey, longAsciiKeys } from './search-keys-1765.js';
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
        await db.query(`ALTER TABLE ${table} MODIFY gram varchar(8) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL`);
      }
    }
    await addSearchKeys(db, (notice) => longAsciiKeys(notice.content));
  }

  async down(db: QueryRunner): Promise<void> {
    // Removing the eight-character ASCII keys restores the earlier index (filter keys may be eight long too).
    const length = dialectOf(db) === 'mysql' ? 'CHAR_LENGTH' : 'LENGTH';
    await removeSearchKeys(db, (table) => `SELECT DISTINCT gram FROM ${table} WHERE ${length}(gram) = 8`, isLongAsciiKey);
  }
}
