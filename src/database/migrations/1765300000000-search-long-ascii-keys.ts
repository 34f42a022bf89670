import { MigrationInterface, QueryRunner } from 'typeorm';
import { documentGrams, isLongAsciiKey } from '../../trading/search-grams.js';
import { dialectOf, incrementCountersSql } from '../dialect.js';

const BATCH = 2000;

/**
 * Eight-character ASCII keys in the search index (trading/search-grams.ts): the key columns grow from 4 to 8
 * characters (MySQL/MariaDB change only the column's metadata; SQLite does not enforce lengths), and every
 * notice indexed before gets its eight-character keys from its folded text, so a search that starts from one
 * finds old notices as well as new. Only rows are added: the existing keys stay as they are.
 */
export class SearchLongAsciiKeys1765300000000 implements MigrationInterface {
  name = 'SearchLongAsciiKeys1765300000000';

  async up(db: QueryRunner): Promise<void> {
    const dialect = dialectOf(db);
    if (dialect === 'mysql') {
      for (const table of ['notice_search_gram', 'notice_search_gram_count']) {
        await db.query(`ALTER TABLE ${table} MODIFY gram varchar(8) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL`);
      }
    }
    let after = '';
    for (;;) {
      // published_at goes back exactly as it was read, so the posting matches the notice's own on both databases.
      const rows: { notice_id: string; content: string; published_at: unknown }[] = await db.query(
        `SELECT t.notice_id, t.content, n.published_at FROM notice_search_text t JOIN notice n ON n.id = t.notice_id
         WHERE t.notice_id > ? ORDER BY t.notice_id LIMIT ${BATCH}`, [after]);
      if (!rows.length) break;
      after = rows[rows.length - 1].notice_id;
      const postings: unknown[] = [];
      const counts = new Map<string, number>();
      for (const row of rows) {
        for (const gram of documentGrams(row.content).filter(isLongAsciiKey)) {
          postings.push(gram, row.published_at, row.notice_id);
          counts.set(gram, (counts.get(gram) ?? 0) + 1);
        }
      }
      for (let i = 0; i < postings.length; i += 3 * 1000) {
        const chunk = postings.slice(i, i + 3 * 1000);
        await db.query(`INSERT INTO notice_search_gram (gram, published_at, notice_id) VALUES ${Array(chunk.length / 3).fill('(?, ?, ?)').join(', ')}`, chunk);
      }
      const keys = [...counts.keys()].sort();
      for (let i = 0; i < keys.length; i += 1000) {
        const chunk = keys.slice(i, i + 1000);
        await db.query(incrementCountersSql(dialect, 'notice_search_gram_count', 'gram', 'notices', chunk.length), chunk.flatMap((k) => [k, counts.get(k)]));
      }
    }
  }

  async down(db: QueryRunner): Promise<void> {
    // Removing the eight-character ASCII keys restores the earlier index (filter keys may be eight long too).
    for (const table of ['notice_search_gram', 'notice_search_gram_count']) {
      const keys: { gram: string }[] = await db.query(`SELECT DISTINCT gram FROM ${table} WHERE ${dialectOf(db) === 'mysql' ? 'CHAR_LENGTH' : 'LENGTH'}(gram) = 8`);
      const long = keys.map((k) => k.gram).filter(isLongAsciiKey);
      for (let i = 0; i < long.length; i += 500) {
        const chunk = long.slice(i, i + 500);
        await db.query(`DELETE FROM ${table} WHERE gram IN (${chunk.map(() => '?').join(', ')})`, chunk);
      }
    }
  }
}
