/**
 * The search-index keys the migrations of 1765300000000 and 1765400000000 add to notices indexed before them, as
 * trading/search-grams.ts cut them then. Frozen here: a migration must give the same rows however the portal's
 * own indexing changes later.
 */

/** An eight-character ASCII key. */
export const isLongAsciiKey = (gram: string) => /^[0-9a-z]{8}$/.test(gram);

/** Every distinct run of eight adjacent ASCII letters or digits in (folded, so lower-case) text. */
export function longAsciiKeys(folded: string): string[] {
  const keys = new Set<string>();
  for (const run of folded.match(/[0-9a-z]{8,}/g) ?? []) for (let i = 0; i + 8 <= run.length; i++) keys.add(run.slice(i, i + 8));
  return [...keys];
}

/** One letter per category, as stored in the index. */
const CATEGORY_KEY_LETTERS: Readonly<Record<string, string>> = {
  construction: 'a', procurement: 'b', 'state-assets': 'c', 'land-mining': 'd', 'property-rights': 'e',
  highway: 'f', medical: 'g', water: 'h', port: 'i', municipal: 'j',
};

/** A filter key: `#j` (category), `@2102` (region prefix), `&j2102` (both). */
export const isFilterKey = (gram: string) => /^[#@&]/.test(gram);

function filterKey(category: string | undefined, regionPrefix: string | undefined): string | undefined {
  const letter = category === undefined ? undefined : CATEGORY_KEY_LETTERS[category];
  if (category !== undefined && !letter) return undefined;
  if (letter && regionPrefix) return `&${letter}${regionPrefix}`;
  if (letter) return `#${letter}`;
  return regionPrefix ? `@${regionPrefix}` : undefined;
}

/** Every filter key a notice of this category and region (six digits) matches: the region's 2-, 4- and 6-digit prefixes. */
export function filterKeys(category: string, regionCode: string): string[] {
  const prefixes = [...new Set([2, 4, 6].map((n) => regionCode.slice(0, n)))];
  const keys = [filterKey(category, undefined), ...prefixes.flatMap((p) => [filterKey(undefined, p), filterKey(category, p)])];
  return keys.filter((k): k is string => k !== undefined);
}
