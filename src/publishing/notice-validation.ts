import type { FieldError } from '../http/app-error.js';
import { validationFailed } from '../http/app-error.js';
import { validatePlain } from '../http/validation.js';
import { checkOrder, DETAILS_CLASS, normaliseDetails } from '../trading/notice-details.js';

/** Validates a notice's details against its type's class and returns the stored (normalised) form. */
export async function validateDetails(type: string, details: unknown): Promise<Record<string, unknown>> {
  const cls = DETAILS_CLASS[type];
  const { value, errors } = await validatePlain(cls, details, 'details');
  if (errors.length) throw validationFailed(errors);
  const problems: FieldError[] = [];
  const stored = normaliseDetails(value, problems);
  if (!problems.length) checkOrder(type, stored, problems);
  if (problems.length) throw validationFailed(problems);
  return stored;
}
