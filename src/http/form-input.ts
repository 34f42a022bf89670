import type { Response } from 'express';
import { AppError, type FieldError } from './app-error.js';

export { doneMessage } from './done-message.js';

/** A form field as one string: repeated fields and non-strings (a tampered form) read as their first value or ''. */
export function field(body: unknown, name: string): string {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  return '';
}

/** Field errors by field path, for a template that shows each next to its input. */
export function errorMap(errors: FieldError[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of errors) out[e.field] = out[e.field] ? `${out[e.field]}；${e.message}` : e.message;
  return out;
}

/** The field errors of a refused input, or rethrows anything else (the error page shows it). */
export function fieldErrorsOf(e: unknown): FieldError[] {
  if (e instanceof AppError && e.fields.length) return e.fields;
  throw e;
}

/** Renders a page with a status (back-office pages: the layout and the signed-in user come from AdminGate). */
export function render(res: Response, view: string, model: Record<string, unknown>, status = 200) {
  res.status(status).render(view, model);
}

export const seeOther = (res: Response, url: string) => res.redirect(303, url);
