import { MigrationInterface, QueryRunner } from 'typeorm';
import { CATEGORY_KEY_LETTERS_1765400000000 } from './1765400000000-search-filter-keys.js';
import { addSearchKeys, removeSearchKeys } from './search-key-backfill.js';

/**
 * Type filter keys in the search index (trading/search-grams.ts, typeFilterKeys): every notice indexed before gets
 * the keys of its type in its region and each region above it (`$F2102`), and of its type and category there
 * (`Fj2102`), so a list of one type in a region — the bid-opening records or the awards of a county, on a page, a
 * feed or an export — reads its own notices instead of the region's of every type. Only rows are added (six a
 * notice).
 */
export class SearchTypeKeys1766900000000 implements MigrationInterface {
  name = 'SearchTypeKeys1766900000000';

  async up(db: QueryRunner): Promise<void> {
    await addSearchKeys(db, (notice) => typeFilterKeys1766900000000(notice.type, notice.category, notice.region_code));
  }

  async down(db: QueryRunner): Promise<void> {
    // Type filter keys are the only keys starting with $ or a capital (binary order: '$' < 'A'…'Z' < '['):
    // removing them restores the earlier index.
    await removeSearchKeys(
      db,
      (table) => `SELECT DISTINCT gram FROM ${table} WHERE gram LIKE '$%' OR (gram >= 'A' AND gram < '[')`,
      isTypeFilterKey1766900000000,
    );
  }
}

/*
 * Frozen copies of what trading/search-grams.ts did when this migration was written: a migration must do the same
 * on every database it ever meets, whatever the search code becomes (migrations.spec.ts keeps them apart).
 */

/** The type letters of type filter keys as they were then. */
export const TYPE_KEY_LETTERS_1766900000000: Readonly<Record<string, string>> = {
  tender: 'A',
  prequalification: 'B',
  procurement: 'C',
  transfer: 'D',
  correction: 'E',
  'bid-opening': 'F',
  auction: 'G',
  candidates: 'H',
  result: 'I',
  deal: 'J',
  contract: 'K',
  performance: 'L',
  termination: 'M',
  abnormal: 'N',
  withdrawal: 'O',
};

/** A type filter key: `$F2102` or `Fj2102`. */
export const isTypeFilterKey1766900000000 = (gram: string) => /^(\$[A-Z]|[A-Z][a-z])[0-9]+$/.test(gram);

/**
 * The type filter keys of a notice of this type, category and region (six digits): for each 2-, 4- and 6-digit
 * prefix, the type's (`$F2102`) and the type's in the category (`Fj2102`).
 */
export function typeFilterKeys1766900000000(type: string, category: string, regionCode: string): string[] {
  if (!Object.hasOwn(TYPE_KEY_LETTERS_1766900000000, type)) return [];
  const letter = TYPE_KEY_LETTERS_1766900000000[type];
  const categoryLetter = Object.hasOwn(CATEGORY_KEY_LETTERS_1765400000000, category)
    ? CATEGORY_KEY_LETTERS_1765400000000[category]
    : undefined;
  const prefixes = [...new Set([2, 4, 6].map((n) => regionCode.slice(0, n)))];
  return prefixes.flatMap((p) => [`$${letter}${p}`, ...(categoryLetter ? [`${letter}${categoryLetter}${p}`] : [])]);
}
