import { CATEGORIES, NOTICE_TYPES } from '../domain/catalog.js';
import {
  CATEGORY_KEY_LETTERS,
  documentGrams,
  filterKey,
  filterKeys,
  foldSearchText,
  isFilterKey,
  TYPE_KEY_LETTERS,
  typeFilterKey,
  typeFilterKeys,
  parseSearchQuery,
  searchTerms,
} from './search-grams.js';

const sorted = (xs: string[]) => [...xs].sort();

describe('folding', () => {
  it.each([
    ['ＡＢＣ１２３', 'abc123'],
    ['E2102000001', 'e2102000001'],
    ['道路（改造）', '道路(改造)'],
    ['道路', '道路'],
  ])('%p → %p', (raw, folded) => {
    expect(foldSearchText(raw)).toBe(folded);
  });
});

describe('keys of a document', () => {
  it.each([
    // Characters, pairs, and the runs of three and four (phrase keys).
    ['道路改造', ['道', '路', '改', '造', '道路', '路改', '改造', '道路改', '路改造', '道路改造']],
    // Punctuation separates: no key spans it.
    ['道路，改造', ['道', '路', '改', '造', '道路', '改造']],
    ['a标段', ['a', '标', '段', 'a标', '标段', 'a标段']],
    // ASCII stretches of four or more also give their runs of four.
    ['e2102', ['e', '2', '1', '0', 'e2', '21', '10', '02', 'e210', '2102']],
    // A phrase key has a character that is not ASCII: e210 is an ASCII key, 号e21 and 号e2 are phrase keys.
    ['号e210', ['号', 'e', '2', '1', '0', '号e', 'e2', '21', '10', 'e210', '号e2', '号e21']],
    // Stretches of eight or more give their runs of eight too.
    [
      'e2102000',
      ['e', '2', '1', '0', 'e2', '21', '10', '02', '20', '00', 'e210', '2102', '1020', '0200', '2000', 'e2102000'],
    ],
    [
      '标e21020001号',
      [
        '标',
        'e',
        '2',
        '1',
        '0',
        '号',
        '标e',
        'e2',
        '21',
        '10',
        '02',
        '20',
        '00',
        '01',
        '1号',
        'e210',
        '2102',
        '1020',
        '0200',
        '2000',
        '0001',
        'e2102000',
        '21020001',
        '标e2',
        '标e21',
        '001号',
        '01号',
      ],
    ],
    // A character outside the BMP is one character.
    ['𠀀字', ['𠀀', '字', '𠀀字']],
    ['𠀀字𠀀字', ['𠀀', '字', '𠀀字', '字𠀀', '𠀀字𠀀', '字𠀀字', '𠀀字𠀀字']],
    ['', []],
    ['，。 ', []],
  ])('%p', (text, keys) => {
    expect(sorted(documentGrams(text))).toEqual(sorted(keys));
  });

  it('lists each key once', () => {
    const keys = documentGrams('道路道路道路');
    expect(sorted(keys)).toEqual(sorted(['道', '路', '道路', '路道', '道路道', '路道路', '道路道路', '路道路道']));
  });
});

describe('query terms', () => {
  it.each([
    ['道路', [{ text: '道路', grams: ['道路'], exact: true }]],
    ['桥', [{ text: '桥', grams: ['桥'], exact: true }]],
    // Three or four characters, not all ASCII: one phrase key, which proves the term.
    ['道路改造', [{ text: '道路改造', grams: ['道路改造'], exact: true }]],
    ['改造', [{ text: '改造', grams: ['改造'], exact: true }]],
    ['a标段', [{ text: 'a标段', grams: ['a标段'], exact: true }]],
    // Longer: its windows of four, checked against the text.
    ['道路改造工程', [{ text: '道路改造工程', grams: ['道路改造', '路改造工', '改造工程'], exact: false }]],
    ['标段e2102', [{ text: '标段e2102', grams: ['标段e2', '段e21', 'e210', '2102'], exact: false }]],
    [
      '道路 绿化',
      [
        { text: '道路', grams: ['道路'], exact: true },
        { text: '绿化', grams: ['绿化'], exact: true },
      ],
    ],
    ['100%', [{ text: '100%', grams: ['10', '00'], exact: false }]],
    ['%', [{ text: '%', grams: [], exact: false }]],
    [
      "' OR 1=1 --",
      [
        { text: "'", grams: [], exact: false },
        { text: 'or', grams: ['or'], exact: true },
        { text: '1=1', grams: ['1'], exact: false },
        { text: '--', grams: [], exact: false },
      ],
    ],
    ['Ｅ2102', [{ text: 'e2102', grams: ['e2', '21', '10', '02', 'e210', '2102'], exact: false }]],
    ['道_', [{ text: '道_', grams: ['道'], exact: false }]],
    [
      'e21020001',
      [
        {
          text: 'e21020001',
          grams: [
            'e2',
            '21',
            '10',
            '02',
            '20',
            '00',
            '01',
            'e210',
            '2102',
            '1020',
            '0200',
            '2000',
            '0001',
            'e2102000',
            '21020001',
          ],
          exact: false,
        },
      ],
    ],
  ])('%p', (q, terms) => {
    expect(parseSearchQuery(q)).toEqual(terms);
  });

  it('without phrase keys (notices indexed before them), a term is its characters and pairs', () => {
    expect(parseSearchQuery('道路改造', 'pairs')).toEqual([
      { text: '道路改造', grams: ['道路', '路改', '改造'], exact: false },
    ]);
    expect(parseSearchQuery('道路', 'pairs')).toEqual([{ text: '道路', grams: ['道路'], exact: true }]);
  });

  it('splits on any whitespace, drops repeats, keeps at most five terms', () => {
    expect(searchTerms(' 道路\u3000绿化\t道路 ')).toEqual(['道路', '绿化']);
    expect(searchTerms('一 二 三 四 五 六')).toEqual(['一', '二', '三', '四', '五']);
  });

  it('asks of a query term only keys its document would have', () => {
    for (const [text, term] of [
      ['红旗西路道路改造工程E2102000001', '道路改造工程e2102000001'],
      ['招标编号E21020000012345。', '0000012345'],
      ['费率100%', '100%'],
      ['a标段', 'a标'],
      ['a标段', 'a标段'],
      ['𠀀字𠀀字𠀀', '字𠀀字𠀀'],
      ['标段e2102号', '段e2102号'],
    ]) {
      const keys = new Set(documentGrams(foldSearchText(text)));
      for (const set of ['phrase', 'pairs'] as const)
        for (const g of parseSearchQuery(term, set)[0].grams) expect(keys).toContain(g);
    }
  });
});

describe('filter keys', () => {
  it('give every notice type its own capital letter: a type (and a category) in a region prefix, in at most eight characters', () => {
    const letters = NOTICE_TYPES.map((t) => TYPE_KEY_LETTERS[t.slug]);
    expect(new Set(letters).size).toBe(NOTICE_TYPES.length);
    for (const letter of letters) expect(letter).toMatch(/^[A-Z]$/);
    expect(typeFilterKeys('bid-opening', 'municipal', '210211')).toEqual([
      '$F21',
      'Fj21',
      '$F2102',
      'Fj2102',
      '$F210211',
      'Fj210211',
    ]);
    expect(typeFilterKey('result', '2102')).toBe('$I2102');
    expect(typeFilterKey('result', '210200', 'water')).toBe('Ih210200');
    expect(typeFilterKey('no-such-type', '2102')).toBeUndefined();
    expect(typeFilterKey('constructor', '2102')).toBeUndefined();
    expect(typeFilterKey('result', '2102', 'no-such-category')).toBeUndefined();
    expect(typeFilterKeys('result', 'no-such-category', '2102')).toEqual(['$I21', '$I2102']);
    for (const t of NOTICE_TYPES)
      for (const key of CATEGORIES.flatMap((c) => typeFilterKeys(t.slug, c.slug, '210211'))) {
        expect(key.length).toBeLessThanOrEqual(8);
        expect(isFilterKey(key)).toBe(true);
        expect(documentGrams(foldSearchText(key))).not.toContain(key);
      }
  });

  it('give every category its own letter, and keys that no text key can be', () => {
    const letters = CATEGORIES.map((c) => CATEGORY_KEY_LETTERS[c.slug]);
    expect(new Set(letters).size).toBe(CATEGORIES.length);
    for (const letter of letters) expect(letter).toMatch(/^[a-z]$/);
    for (const key of filterKeys('municipal', '210211')) expect(documentGrams(key)).not.toContain(key);
  });

  it('name a category, a region prefix, or both, in at most eight characters', () => {
    expect(filterKey('municipal', undefined)).toBe('#j');
    expect(filterKey(undefined, '2102')).toBe('@2102');
    expect(filterKey('construction', '210211')).toBe('&a210211');
    expect(filterKey(undefined, undefined)).toBeUndefined();
    expect(filterKey('no-such-category', '2102')).toBeUndefined();
    for (const c of CATEGORIES)
      for (const key of filterKeys(c.slug, '210211')) expect(key.length).toBeLessThanOrEqual(8);
  });

  it('of a notice: every key a filter that matches it asks for', () => {
    // A filter on 210200 (prefix 2102) or 210000 (prefix 21) matches a notice of 210213; so does its own code.
    expect(filterKeys('water', '210213').sort()).toEqual([
      '#h',
      '&h21',
      '&h2102',
      '&h210213',
      '@21',
      '@2102',
      '@210213',
    ]);
    expect(filterKeys('water', '210200').sort()).toEqual([
      '#h',
      '&h21',
      '&h2102',
      '&h210200',
      '@21',
      '@2102',
      '@210200',
    ]);
  });
});
