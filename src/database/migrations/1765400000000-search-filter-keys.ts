import { MigrationInterface, QueryRunner } from 'typeorm';
import { filterKeys, isFilterKey } from '../../trading/search-grams.js';
import { dialectOf, incrementCountersSql } from '../dialect.js';

const BATCH = 2000;

/**
 * Filter keys in the search index (trading/search-grams.ts, filterKeys): every notice indexed before gets the
 * keys of its category and region, so a search narrowed by them may start from them and still find old notices.
 * Only rows are added. About two minutes at a million notices.
 */
export class SearchFilterKeys1765400000000 implements MigrationInterface {
  name = 'SearchFilterKeys1765400000000';

  async up(db: QueryRunner): Promise<void> {
    const dialect = dialectOf(db);
    let after = '';
    for (;;) {
      // published_at goes back exactly as it was read, so the posting matches the notice's own on both databases.
      const rows: { notice_id: string; published_at: unknown; category: string; region_code: string }[] = await db.query(
        `SELECT t.notice_id, n.published_at, n.category, n.region_code FROM notice_search_text t JOIN notice n ON n.id = t.notice_id
         WHERE t.notice_id > ? ORDER BY t.notice_id LIMIT ${BATCH}`, [after]);
      if (!rows.length) break;
      after = rows[rows.length - 1].notice_id;
      const postings: unknown[] = [];
      const counts = new Map<string, number>();
      for (const row of rows) {
        for (const key of filterKeys(row.category, row.region_code)) {
          postings.push(key, row.published_at, row.notice_id);
          counts.set(key, (counts.get(key) ?? 0) + 1);
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
    // Filter keys are the only keys starting with # @ &: removing them restores the earlier index.
    for (const table of ['notice_search_gram', 'notice_search_gram_count']) {
      const keys: { gram: string }[] = await db.query(`SELECT DISTINCT gram FROM ${table} WHERE gram LIKE '#%' OR gram LIKE '@%' OR gram LIKE '&%'`);
      const mine = keys.map((k) => k.gram).filter(isFilterKey);
      for (let i = 0; i < mine.length; i += 500) {
        const chunk = mine.slice(i, i + 500);
        await db.query(`DELETE FROM ${table} WHERE gram IN (${chunk.map(() => '?').join(', ')})`, chunk);
      }
    }
  }
}
