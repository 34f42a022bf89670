import type { FieldError } from '../http/app-error.js';
import { validationFailed } from '../http/app-error.js';
import { validatePlain } from '../http/validation.js';
import { parseAmount } from '../domain/money.js';
import { checkOrder, DETAILS_CLASS, normaliseDetails } from '../trading/notice-details.js';

/** Validates a notice's details against its type's class and returns the stored (normalised) form. */
export async function validateDetails(type: string, details: unknown): Promise<Record<string, unknown>> {
  const cls = DETAILS_CLASS[type];
  const { value, errors } = await validatePlain(cls, details, 'details');
  if (errors.length) throw validationFailed(errors);
  const problems: FieldError[] = [];
  const stored = normaliseDetails(value, problems);
  if (!problems.length) checkOrder(type, stored, problems);
  problems.push(...zeroAmounts(stored));
  if (problems.length) throw validationFailed(problems);
  return stored;
}

/**
 * The amounts that set a price to be met — a budget, a price ceiling, a reserve (starting) price, a bidding step —
 * for which 0 is a slip, never a price. Amounts that record what happened (bids, a winning, final or deal price,
 * a contract sum) may be 0, as zero-price bids do occur and are published as they were; so may a deposit
 * (0 = none required).
 */
export const POSITIVE_AMOUNTS: Record<string, string> = {
  budget: '预算金额',
  maxPrice: '最高限价',
  controlPrice: '最高投标限价（招标控制价）',
  reservePrice: '起始价（底价）',
  increment: '加价幅度',
};

/** A zero among stored details' POSITIVE_AMOUNTS, at any depth (a correction's changes too), named by its input. */
export function zeroAmounts(details: Record<string, unknown>, path = 'details'): FieldError[] {
  const found: FieldError[] = [];
  for (const [key, value] of Object.entries(details)) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) continue;
    const field = `${path}.${key}`;
    const yuan = (value as { yuan?: unknown }).yuan;
    if (typeof yuan === 'string') {
      if (Object.hasOwn(POSITIVE_AMOUNTS, key) && parseAmount(yuan, '元') === 0n)
        found.push(zeroAmount(`${field}.value`, POSITIVE_AMOUNTS[key]));
    } else {
      found.push(...zeroAmounts(value as Record<string, unknown>, field));
    }
  }
  return found;
}

export const zeroAmount = (field: string, label: string): FieldError => ({ field, message: `${label}应大于 0` });
