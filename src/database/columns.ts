import { ColumnOptions, ValueTransformer } from 'typeorm';

/**
 * Column shapes shared by the entities. The database drivers disagree on how they return some types
 * (BIGINT is a string on MySQL and a number on SQLite; SQLite has no DECIMAL), so values are normalised here,
 * once, and entities never ask which database they run on.
 */

/** Money in integer fen (分), exact on both databases, as a JS bigint. */
const fenTransformer: ValueTransformer = {
  to: (value: bigint | null | undefined) => (value === null || value === undefined ? value : value.toString()),
  from: (value: string | number | bigint | null) => fenFromDb(value),
};

/** A DATETIME(3) as a raw query returns it (a Date on MySQL, 'YYYY-MM-DD HH:MM:SS.SSS' UTC text on SQLite). */
export function dateFromDb(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  return new Date(`${String(value).replace(' ', 'T')}Z`);
}

/** A fen column's value as a raw query returns it (a string on MySQL, a number on SQLite), as a bigint. */
export function fenFromDb(value: unknown): bigint | null {
  return value === null || value === undefined ? null : BigInt(value as string | number | bigint);
}

/** Sequence numbers and counters: safe as JS numbers (< 2^53). */
export const integerTransformer: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null || value === undefined ? null : Number(value)),
};

export const fenColumn = (name: string, options: Partial<ColumnOptions> = {}): ColumnOptions => ({
  name,
  type: 'bigint',
  nullable: true,
  transformer: fenTransformer,
  ...options,
});

export const bigintColumn = (name: string, options: Partial<ColumnOptions> = {}): ColumnOptions => ({
  name,
  type: 'bigint',
  transformer: integerTransformer,
  ...options,
});

/** UTC instant with millisecond precision. */
export const timeColumn = (name: string, options: Partial<ColumnOptions> = {}): ColumnOptions => ({
  name,
  type: 'datetime',
  precision: 3,
  ...options,
});

/** Structured JSON kept as text (MySQL LONGTEXT, SQLite TEXT; see the initial migration). */
export const jsonColumn = (name: string, options: Partial<ColumnOptions> = {}): ColumnOptions => ({
  name,
  type: 'simple-json',
  ...options,
});

export const textColumn = (name: string, options: Partial<ColumnOptions> = {}): ColumnOptions => ({
  name,
  type: 'text',
  ...options,
});
