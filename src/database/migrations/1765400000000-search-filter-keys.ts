import { MigrationInterface, QueryRunner } from 'typeorm';
import { addSearchKeys, removeSearchKeys } from './search-key-backfill.js';

/**
 * Filter keys in the search index (trading/search-grams.ts, filterKeys): every notice indexed before gets the
 * keys of its category and region, so a search narrowed by them may start from them and still find old notices.
 * Only rows are added. About two minutes at a million notices.
 */
export class SearchFilterKeys1765400000000 implements MigrationInterface {
  name = 'SearchFilterKeys1765400000000';

  async up(db: QueryRunner): Promise<void> {
    await addSearchKeys(db, (notice) => filterKeys1765400000000(notice.category, notice.region_code));
  }

  async down(db: QueryRunner): Promise<void> {
    // Filter keys are the only keys starting with # @ &: removing them restores the earlier index.
    await removeSearchKeys(
      db,
      (table) => `SELECT DISTINCT gram FROM ${table} WHERE gram LIKE '#%' OR gram LIKE '@%' OR gram LIKE '&%'`,
      isFilterKey1765400000000,
    );
  }
}

/*
 * Frozen copies of what trading/search-grams.ts did when this migration was written: a migration must do the same
 * on every database it ever meets, whatever the search code becomes (migrations.spec.ts keeps them apart).
 */

/** The category letters of filter keys as they were then (never changed since: type filter keys use them too). */
export const CATEGORY_KEY_LETTERS_1765400000000: Readonly<Record<string, string>> = {
  construction: 'a',
  procurement: 'b',
  'state-assets': 'c',
  'land-mining': 'd',
  'property-rights': 'e',
  highway: 'f',
  medical: 'g',
  water: 'h',
  port: 'i',
  municipal: 'j',
};

/** A filter key (they start with # @ &). */
export const isFilterKey1765400000000 = (gram: string) => /^[#@&]/.test(gram);

/** The filter key of a category, a region prefix, or both: `#j`, `@2102`, `&j2102`. */
function filterKey1765400000000(category: string | undefined, regionPrefix: string | undefined): string | undefined {
  const letter =
    category === undefined || !Object.hasOwn(CATEGORY_KEY_LETTERS_1765400000000, category)
      ? undefined
      : CATEGORY_KEY_LETTERS_1765400000000[category];
  if (category !== undefined && !letter) return undefined;
  if (letter && regionPrefix) return `&${letter}${regionPrefix}`;
  if (letter) return `#${letter}`;
  return regionPrefix ? `@${regionPrefix}` : undefined;
}

/** Every filter key a notice of this category and region (six digits) matches: the region's 2-, 4- and 6-digit prefixes. */
export function filterKeys1765400000000(category: string, regionCode: string): string[] {
  const prefixes = [...new Set([2, 4, 6].map((n) => regionCode.slice(0, n)))];
  const keys = [
    filterKey1765400000000(category, undefined),
    ...prefixes.flatMap((p) => [filterKey1765400000000(undefined, p), filterKey1765400000000(category, p)]),
  ];
  return keys.filter((k): k is string => k !== undefined);
}
