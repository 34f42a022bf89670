import { MigrationInterface, QueryRunner } from 'typeorm';
import { filterKeys, isFilterKey } from './search-keys-1765.js';
import { addSearchKeys, removeSearchKeys } from './search-key-backfill.js';

/**
 * Filter keys in the search index (trading/search-grams.ts, filterKeys): every notice indexed before gets the
 * keys of its category and region, so a search narrowed by them may start from them and still find old notices.
 * Only rows are added. About two minutes at a million notices.
 */
export class SearchFilterKeys1765400000000 implements MigrationInterface {
  name = 'SearchFilterKeys1765400000000';

  async up(db: QueryRunner): Promise<void> {
    await addSearchKeys(db, (notice) => filterKeys(notice.category, notice.region_code));
  }

  async down(db: QueryRunner): Promise<void> {
    // Filter keys are the only keys starting with # @ &: removing them restores the earlier index.
    await removeSearchKeys(db, (table) => `SELECT DISTINCT gram FROM ${table} WHERE gram LIKE '#%' OR gram LIKE '@%' OR gram LIKE '&%'`, isFilterKey);
  }
}
