/** The one place where error codes become HTTP statuses (first matching prefix wins). */
const STATUS_BY_CODE: [prefix: string, status: number][] = [
  ['validation.', 400],
  ['amount.', 400],
  ['price.', 400],
  ['datetime.', 400],
  ['filter.', 400],
  ['calendar.invalid-row', 400],
  ['auth.unauthenticated', 401],
  ['auth.totp-', 401],
  ['auth.', 403],
  ['workflow.four-eyes', 403],
  ['not-found', 404],
  ['workflow.', 409],
  ['conflict.', 409],
  ['timing.', 422],
  ['calendar.year-missing', 422],
  ['rate-limited', 429],
  // platform sync, /api/v1/ingest
  ['ingest.unauthenticated', 401],
  ['ingest.forbidden', 403],
  ['ingest.too-large', 413],
  ['ingest.unsupported-type', 415],
  ['ingest.', 422],
];

export function statusForCode(code: string): number {
  for (const [prefix, status] of STATUS_BY_CODE) if (code === prefix || code.startsWith(prefix)) return status;
  return 400;
}
