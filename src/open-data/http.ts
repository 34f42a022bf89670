import { AppError } from '../http/app-error.js';
import { unknownParam } from '../trading/notice-filter.js';

/** Query checks shared by the open-data endpoints (their conditional responses are in http/conditional.ts). */

/** Refuses query parameters outside `allowed` and repeated ones, naming each. */
export function checkParams(
  query: Record<string, unknown>,
  allowed: readonly string[],
): Record<string, string | undefined> {
  const errors: { field: string; message: string }[] = [];
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(query)) {
    if (!allowed.includes(key)) errors.push(unknownParam(key));
    else if (typeof value !== 'string') errors.push({ field: key, message: '只能出现一次' });
    else out[key] = value.trim() === '' ? undefined : value.trim();
  }
  if (errors.length) throw new AppError('filter.invalid', errors.map((e) => e.message).join('；'), errors);
  return out;
}

/** `limit`: an integer from 1 to max; absent means the default. */
export function parseLimit(raw: unknown, fallback: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (!/^\d{1,7}$/.test(text) || Number(text) < 1 || Number(text) > max) {
    throw new AppError('filter.limit', `每页条数 limit 应为 1 到 ${max} 之间的整数`, [
      { field: 'limit', message: `应为 1 到 ${max} 之间的整数` },
    ]);
  }
  return Number(text);
}
