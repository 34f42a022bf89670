import { AppError } from '../../http/app-error.js';

/**
 * The change feed's cursor: base64url of {"v":1,"seq":n}, n the last publication-log seq the consumer has seen.
 * Opaque to consumers; the version lets its form change without breaking stored cursors.
 */
export function encodeChangeCursor(seq: number): string {
  return Buffer.from(JSON.stringify({ v: 1, seq })).toString('base64url');
}

export function decodeChangeCursor(cursor: string): number {
  const bad = () =>
    new AppError('filter.cursor', '变更游标 after 无效：请使用上一页返回的 next，或省略它从头开始', [
      { field: 'after', message: '无效的游标' },
    ]);
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) throw bad();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  const v = value as { v?: unknown; seq?: unknown } | null;
  if (!v || typeof v !== 'object' || v.v !== 1 || !Number.isSafeInteger(v.seq) || (v.seq as number) < 0) throw bad();
  return v.seq as number;
}
