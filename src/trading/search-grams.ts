import { regionPrefix, regionPrefixes, type CategorySlug, type NoticeTypeSlug } from '../domain/catalog.js';

/**
 * How notice text is cut into index keys, and how a keyword query maps onto them (NoticeSearch holds the
 * tables). Chinese has no spaces, so instead of words the index holds, for the NFKC-folded, lower-cased text:
 *
 * - every letter or digit (unigram) and every pair of adjacent ones (bigram): a one- or two-character term is
 *   then exactly one key, and a longer term is the set of its bigrams, checked against the folded text;
 * - in stretches of ASCII letters and digits, every four and every eight adjacent characters as well: with 36
 *   symbols a pair is in nearly every notice (dates, amounts, telephone numbers), and so, at a million notices,
 *   is a four (a code's digits have only 10,000 of them); eight narrow a project code such as E21020000012345
 *   to the few notices that can hold it;
 * - every three and every four adjacent ones that are not all ASCII (phrase keys): a Chinese word of three or four
 *   characters (施工招标, 监理) is then one key too, whose count is the number of notices holding it — a search
 *   for it is counted from the counts, and its page reads only notices that hold it. A longer term is the set
 *   of its four-character windows, far rarer than its pairs.
 *
 * Punctuation and spaces separate runs: no key spans them, and a query term is cut at them the same way.
 *
 * Besides its text, a notice holds filter keys (filterKeys): its category, its region and every region above it,
 * and the two together; and its type in its region and every region above it (typeFilterKeys). They start with a
 * character no text key has, so a search narrowed by category or region can start from the notices of that
 * category and region when they are fewer than those of its rarest word, and a list of one type in a region
 * reads only its own notices.
 */

/** Index text and query text are folded identically: full-width → half-width, compatibility forms, case. */
export const foldSearchText = (s: string) => s.normalize('NFKC').toLowerCase();

/** Lengths of the keys taken from ASCII stretches, besides their pairs (the gram columns hold up to 8). */
export const ASCII_KEY_LENGTH = 4;
export const LONG_ASCII_KEY_LENGTH = 8;

/** An eight-character ASCII key: what the migration that introduced them adds to notices indexed before. */
export const isLongAsciiKey = (gram: string) => /^[0-9a-z]{8}$/.test(gram);

/** Lengths of the phrase keys: runs of three and four characters, not all ASCII. */
export const PHRASE_KEY_LENGTHS = [3, 4] as const;

/**
 * One letter per category in filter keys. Stored in the index: never change a letter; a new category takes a new
 * one (search-grams.spec checks every category has its own).
 */
export const CATEGORY_KEY_LETTERS: Readonly<Record<CategorySlug, string>> = {
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

/**
 * The filter key of a category filter, a region filter (its prefix: regionPrefix), or both: `#j`, `@2102`,
 * `&j2102`. Undefined without either (or for a category the table does not know).
 */
export function filterKey(category: string | undefined, regionPrefix: string | undefined): string | undefined {
  const letter = category === undefined ? undefined : CATEGORY_KEY_LETTERS[category as CategorySlug];
  if (category !== undefined && !letter) return undefined;
  if (letter && regionPrefix) return `&${letter}${regionPrefix}`;
  if (letter) return `#${letter}`;
  return regionPrefix ? `@${regionPrefix}` : undefined;
}

/**
 * The filter key of a list filter's category and region (undefined without either): every notice the filter can
 * list holds it, whatever else the filter narrows by. The search starts from it; the response cache scopes a
 * filtered list to it (a publication outside it leaves the list as it was).
 */
export function filterKeyOf(filter: { category?: string; region?: string }): string | undefined {
  return filterKey(filter.category, filter.region ? regionPrefix(filter.region) : undefined);
}

/** Every filter key a notice of this category and region (six digits) matches: the region's 2-, 4- and 6-digit prefixes. */
export function filterKeys(category: string, regionCode: string): string[] {
  const keys = [
    filterKey(category, undefined),
    ...regionPrefixes(regionCode).flatMap((p) => [filterKey(undefined, p), filterKey(category, p)]),
  ];
  return keys.filter((k): k is string => k !== undefined);
}

/**
 * One capital letter per notice type in type filter keys. Stored in the index: never change a letter; a new type
 * takes a new one (search-grams.spec checks every type has its own).
 */
export const TYPE_KEY_LETTERS: Readonly<Record<NoticeTypeSlug, string>> = {
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

/**
 * The filter key of a notice type in a region prefix, `$F2102` (bid-opening records in 2102…), or of a type and a
 * category in one, `Fj2102` (those of municipal works): a list of one type in a region reads these rows, each a
 * notice it shows, instead of the region's notices of every type (or the type's of every region) tested one by
 * one. A key holds eight characters at most: a capital letter first marks the second kind (text keys are folded
 * to lower case).
 */
export function typeFilterKey(type: string, regionPrefix: string, category?: string): string | undefined {
  if (!Object.hasOwn(TYPE_KEY_LETTERS, type)) return undefined;
  const letter = TYPE_KEY_LETTERS[type as NoticeTypeSlug];
  if (category === undefined) return `$${letter}${regionPrefix}`;
  return Object.hasOwn(CATEGORY_KEY_LETTERS, category)
    ? `${letter}${CATEGORY_KEY_LETTERS[category as CategorySlug]}${regionPrefix}`
    : undefined;
}

/** The type filter keys a notice of this type, category and region (six digits) holds: two per region prefix. */
export function typeFilterKeys(type: string, category: string, regionCode: string): string[] {
  return regionPrefixes(regionCode)
    .flatMap((p) => [typeFilterKey(type, p), typeFilterKey(type, p, category)])
    .filter((k): k is string => k !== undefined);
}

/** A filter key (the migrations that introduced them add them to notices indexed before). */
export const isFilterKey = (gram: string) => /^[#@&$A-Z]/.test(gram);

const INDEXABLE = /[\p{L}\p{N}]/u;

const isAsciiAlnum = (cp: number) =>
  (cp >= 0x61 && cp <= 0x7a) || (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a);

/** Letters and digits of any script; CJK ideographs and ASCII are tested first, as they are nearly all text. */
function isIndexable(cp: number): boolean {
  return (cp >= 0x4e00 && cp <= 0x9fff) || isAsciiAlnum(cp) || (cp > 0x7f && INDEXABLE.test(String.fromCodePoint(cp)));
}

/**
 * Every distinct key of a document's (already folded) text. Hot when indexing a million notices, so it works
 * on code points, keeps pairs as numbers and builds their strings only at the end. A pair of two BMP characters
 * (nearly all) is one 32-bit integer, `(first + 1) << 16 | second` (negative past 0x7fff: CJK), which V8 keeps
 * unboxed; the rare pair with a supplementary character is `(first + 1) × 0x110000 + second`, in a set of its own.
 * Single characters are below 0x110000, BMP pairs at or above 0x310000 (keys start at '0') or negative.
 */
export function documentGrams(folded: string): string[] {
  const PAIR = 0x110000;
  const pairs = new Set<number>();
  const widePairs = new Set<number>();
  const asciiKeys = new Set<string>();
  const phraseKeys = new Set<string>();
  let prev = -1;
  let ascii = 0;
  // The run's characters so far: where the last four started (UTF-16 offsets), and the last non-ASCII one's end.
  const starts = [0, 0, 0, 0];
  let run = 0;
  let nonAsciiEnd = -1;
  for (let i = 0; i < folded.length; i++) {
    const at = i;
    const cp = folded.codePointAt(i)!;
    if (cp > 0xffff) i++;
    if (!isIndexable(cp)) {
      prev = -1;
      ascii = 0;
      run = 0;
      continue;
    }
    pairs.add(cp);
    if (prev >= 0) {
      if (prev < 0xffff && cp <= 0xffff) pairs.add(((prev + 1) << 16) | cp);
      else widePairs.add((prev + 1) * PAIR + cp);
    }
    prev = cp;
    ascii = isAsciiAlnum(cp) ? ascii + 1 : 0;
    // ASCII is one UTF-16 unit a character, so the stretch's last four (eight) are the last four (eight) units.
    if (ascii >= ASCII_KEY_LENGTH) asciiKeys.add(folded.slice(i + 1 - ASCII_KEY_LENGTH, i + 1));
    if (ascii >= LONG_ASCII_KEY_LENGTH) asciiKeys.add(folded.slice(i + 1 - LONG_ASCII_KEY_LENGTH, i + 1));
    starts[run % 4] = at;
    run++;
    if (!isAsciiAlnum(cp)) nonAsciiEnd = i + 1;
    // The last three (four) characters, when one of them is not ASCII (else the ASCII keys above hold them).
    if (run >= 3 && nonAsciiEnd > starts[(run - 3) % 4]) phraseKeys.add(folded.slice(starts[(run - 3) % 4], i + 1));
    if (run >= 4 && nonAsciiEnd > starts[(run - 4) % 4]) phraseKeys.add(folded.slice(starts[(run - 4) % 4], i + 1));
  }
  const grams: string[] = [...asciiKeys, ...phraseKeys];
  for (const k of pairs)
    grams.push(k >= 0 && k < PAIR ? String.fromCodePoint(k) : String.fromCharCode((k >>> 16) - 1, k & 0xffff));
  for (const k of widePairs) grams.push(String.fromCodePoint(Math.floor(k / PAIR) - 1, k % PAIR));
  return grams;
}

/** At most this many terms count; more are dropped (the filter already caps q at 50 characters). */
export const MAX_TERMS = 5;

export interface SearchTerm {
  /** The folded term, as it must occur in the folded text. */
  text: string;
  /** Keys every notice containing the term holds. */
  grams: string[];
  /**
   * True when its one key proves the term (a single run of one or two characters, or with phrase keys of three
   * or four not all ASCII); else the text is checked.
   */
  exact: boolean;
}

/**
 * Which keys a query may use: all of them (`phrase`), or those of an index built before phrase keys (`pairs`:
 * a run's characters, pairs and ASCII keys), for notices indexed before them (NoticeSearch.phraseKeysSince).
 */
export type KeySet = 'phrase' | 'pairs';

/** The whitespace-separated terms of a query, folded and de-duplicated: every one must occur. */
export function searchTerms(q: string): string[] {
  return [...new Set(foldSearchText(q).split(/\s+/).filter(Boolean))].slice(0, MAX_TERMS);
}

/** A term made only of punctuation has no keys: it is checked as text but cannot find notices by itself. */
export function parseSearchQuery(q: string, keys: KeySet = 'phrase'): SearchTerm[] {
  return searchTerms(q).map((text) => {
    const runs = indexableRuns(text);
    const grams = new Set<string>();
    for (const run of runs) {
      const phrase = keys === 'phrase' && run.length >= 3 && run.some((ch) => !isAsciiAlnum(ch.codePointAt(0)!));
      if (phrase) {
        // Its windows of four (itself, when three long) that are not all ASCII: each far rarer than its pairs.
        const length = Math.min(run.length, 4);
        for (let i = 0; i + length <= run.length; i++) {
          const window = run.slice(i, i + length);
          if (window.some((ch) => !isAsciiAlnum(ch.codePointAt(0)!))) grams.add(window.join(''));
        }
      } else {
        if (run.length === 1) grams.add(run[0]);
        for (let i = 0; i + 1 < run.length; i++) grams.add(run[i] + run[i + 1]);
      }
      for (const stretch of run.join('').match(/[0-9a-z]{4,}/g) ?? []) {
        for (const length of [ASCII_KEY_LENGTH, LONG_ASCII_KEY_LENGTH]) {
          for (let i = 0; i + length <= stretch.length; i++) grams.add(stretch.slice(i, i + length));
        }
      }
    }
    const single = runs.length === 1 && runs[0].join('') === text;
    const exact =
      single &&
      (runs[0].length <= 2 ||
        (keys === 'phrase' && runs[0].length <= 4 && runs[0].some((ch) => !isAsciiAlnum(ch.codePointAt(0)!))));
    return { text, grams: [...grams], exact };
  });
}

/** Maximal runs of letters and digits (CJK ideographs are letters), as arrays of characters. */
function indexableRuns(folded: string): string[][] {
  const runs: string[][] = [];
  let run: string[] = [];
  for (const ch of folded) {
    if (isIndexable(ch.codePointAt(0)!)) {
      run.push(ch);
    } else if (run.length) {
      runs.push(run);
      run = [];
    }
  }
  if (run.length) runs.push(run);
  return runs;
}
