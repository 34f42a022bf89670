import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  isLongAsciiKey1765300000000,
  longAsciiKeys1765300000000,
} from './migrations/1765300000000-search-long-ascii-keys.js';
import { filterKeys1765400000000, isFilterKey1765400000000 } from './migrations/1765400000000-search-filter-keys.js';
import { deadlineKeys1767300000000 } from './migrations/1767300000000-deadline-keys.js';
import {
  isTypeFilterKey1766900000000,
  typeFilterKeys1766900000000,
} from './migrations/1766900000000-search-type-keys.js';

const here = dirname(fileURLToPath(import.meta.url));
const migrationsDir = join(here, 'migrations');

/** Every module specifier a file imports or re-exports, `import type` and dynamic `import()` included. */
function importsOf(source: string): string[] {
  const specifiers: string[] = [];
  const patterns = [
    /\b(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const m of source.matchAll(pattern)) specifiers.push(m[1]);
  return specifiers;
}

describe('migrations are frozen code', () => {
  const files = readdirSync(migrationsDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'));

  it('finds the migrations and their imports', () => {
    expect(files).toContain('1764000000000-foundation.ts');
    expect(importsOf(readFileSync(join(migrationsDir, '1764000000000-foundation.ts'), 'utf8'))).toEqual(
      expect.arrayContaining(['typeorm', '../dialect.js']),
    );
  });

  it.each(files)('%s imports nothing of this project outside src/database', (file) => {
    const outside = importsOf(readFileSync(join(migrationsDir, file), 'utf8')).filter((specifier) => {
      if (!specifier.startsWith('.')) return specifier !== 'typeorm'; // packages: only TypeORM itself
      return relative(here, resolve(migrationsDir, specifier)).startsWith('..');
    });
    expect(outside).toEqual([]);
  });

  it('the scan catches an import that leaves src/database, a type-only one included', () => {
    const leaving = (source: string) =>
      importsOf(source).filter((s) => s.startsWith('.') && relative(here, resolve(migrationsDir, s)).startsWith('..'));
    expect(leaving(`import { filterKeys } from '../../trading/search-grams.js';`)).toEqual([
      '../../trading/search-grams.js',
    ]);
    expect(leaving(`import type {\n  CategorySlug,\n} from '../../domain/catalog.js';`)).toEqual([
      '../../domain/catalog.js',
    ]);
    expect(leaving(`export { x } from '../../x.js'; const m = await import('../../y.js');`)).toEqual([
      '../../x.js',
      '../../y.js',
    ]);
    expect(leaving(`import { columnTypes } from '../dialect.js';`)).toEqual([]);
  });
});

// The keys these migrations add to notices indexed before them, as the search code cut them on the day they were
// written. Fixed expectations, not a comparison with today's search code, which may change.
describe('frozen search keys of 1765300000000 (eight-character ASCII keys)', () => {
  it.each([
    ['e2102000', ['e2102000']],
    ['标e21020001号', ['e2102000', '21020001']],
    ['e210200', []],
    ['e2102000-12345678', ['e2102000', '12345678']],
    ['项目e2102000标段e2102000', ['e2102000']],
    ['ab标cdefghij', ['cdefghij']],
    ['ABCDEFGH', []],
    ['', []],
  ])('%p → %p', (folded, keys) => {
    expect(longAsciiKeys1765300000000(folded)).toEqual(keys);
  });

  it('recognises only eight lower-case ASCII letters or digits as such a key', () => {
    expect(['e2102000', 'E2102000', 'e210200', '#j210200', '道路e2102'].map(isLongAsciiKey1765300000000)).toEqual([
      true,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('frozen search keys of 1765400000000 (filter keys)', () => {
  it.each([
    ['municipal', '210202', ['#j', '@21', '&j21', '@2102', '&j2102', '@210202', '&j210202']],
    ['construction', '210000', ['#a', '@21', '&a21', '@2100', '&a2100', '@210000', '&a210000']],
    ['unknown', '210202', ['@21', '@2102', '@210202']],
  ])('%s in %s → %p', (category, region, keys) => {
    expect(filterKeys1765400000000(category, region)).toEqual(keys);
  });

  it('recognises the keys starting with # @ &', () => {
    expect(['#j', '@21', '&j2102', 'j2102', '道路'].map(isFilterKey1765400000000)).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
  });
});

describe('frozen search keys of 1766900000000 (type filter keys)', () => {
  it.each([
    ['bid-opening', 'municipal', '210202', ['$F21', 'Fj21', '$F2102', 'Fj2102', '$F210202', 'Fj210202']],
    ['result', 'construction', '210000', ['$I21', 'Ia21', '$I2100', 'Ia2100', '$I210000', 'Ia210000']],
    ['result', 'unknown', '210202', ['$I21', '$I2102', '$I210202']],
    ['unknown', 'municipal', '210202', []],
  ])('%s, %s in %s → %p', (type, category, region, keys) => {
    expect(typeFilterKeys1766900000000(type, category, region)).toEqual(keys);
  });

  it('recognises the keys starting with $ and a capital, or a capital and a small letter', () => {
    expect(['$F2102', '$I21', 'Fj2102', '&j2102', '#j', 'fj2102', '道路'].map(isTypeFilterKey1766900000000)).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('frozen deadline keys of 1767300000000', () => {
  it.each([
    [
      'municipal',
      'tender',
      '210202',
      [
        '@21',
        '&j21',
        '@2102',
        '&j2102',
        '@210202',
        '&j210202',
        '$A21',
        'Aj21',
        '$A2102',
        'Aj2102',
        '$A210202',
        'Aj210202',
        '$A',
        'Aj',
      ],
    ],
    ['unknown', 'procurement', '210000', ['@21', '@2100', '@210000', '$C21', '$C2100', '$C210000', '$C']],
    ['water', 'unknown', '210202', ['@21', '&h21', '@2102', '&h2102', '@210202', '&h210202']],
  ])('%s %s in %s → %p', (category, type, region, keys) => {
    expect(deadlineKeys1767300000000(category, type, region)).toEqual(keys);
  });
});
