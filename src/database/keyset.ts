import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/** Where a keyset page ends: the last row's sort key and id (the next page starts strictly beyond them). */
export interface KeysetPosition {
  key: unknown;
  id: unknown;
}

/**
 * The rows beyond `position` in a keyset order on (key, id), both columns in `direction`, as a condition:
 * newest first, `key <= k AND (key < k OR (key = k AND id < i))`. The bound on the key alone is redundant: it is
 * there so a planner reads the index from the position on, where the OR by itself can make MariaDB read the index
 * from its start and SQLite test every row. `bind` gives each value its placeholder (`positional`, `named`).
 */
export function keysetAfter(
  columns: { key: string; id: string },
  position: KeysetPosition,
  direction: 'ASC' | 'DESC',
  bind: (value: unknown) => string,
): string {
  return keysetCondition(columns, position, direction, bind, false);
}

/** The rows at `position` and beyond it (keysetAfter, the position's own row included). */
export function keysetFrom(
  columns: { key: string; id: string },
  position: KeysetPosition,
  direction: 'ASC' | 'DESC',
  bind: (value: unknown) => string,
): string {
  return keysetCondition(columns, position, direction, bind, true);
}

function keysetCondition(
  columns: { key: string; id: string },
  position: KeysetPosition,
  direction: 'ASC' | 'DESC',
  bind: (value: unknown) => string,
  inclusive: boolean,
): string {
  const [beyond, reach] = direction === 'ASC' ? ['>', '>='] : ['<', '<='];
  const { key, id } = columns;
  const k = () => bind(position.key);
  return `(${key} ${reach} ${k()} AND (${key} ${beyond} ${k()} OR (${key} = ${k()} AND ${id} ${inclusive ? reach : beyond} ${bind(position.id)})))`;
}

/** Placeholders of raw SQL: `?`, the value pushed to `params` in order. */
export const positional =
  (params: unknown[]) =>
  (value: unknown): string => {
    params.push(value);
    return '?';
  };

/** Placeholders of a query builder: `:{prefix}{n}`, the value set as that parameter. */
export function named<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, prefix = 'keyset') {
  let n = 0;
  return (value: unknown): string => {
    const name = `${prefix}${n++}`;
    qb.setParameter(name, value);
    return `:${name}`;
  };
}
