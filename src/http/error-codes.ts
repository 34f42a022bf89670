/**
 * Every `error` code an error body can carry (AppError and DomainError codes, plus the filter's own), for the
 * API description. error-codes.spec.ts checks that every code thrown in src/ is listed here.
 */
export const ERROR_CODES = [
  'validation.failed', 'validation.empty',
  'amount.invalid', 'price.invalid', 'datetime.invalid', 'credit-code.invalid', 'region.invalid',
  'filter.invalid', 'filter.limit', 'filter.cursor',
  'calendar.invalid-row', 'calendar.year-missing',
  'auth.unauthenticated', 'auth.totp-required', 'auth.totp-invalid', 'auth.forbidden', 'auth.csrf', 'auth.enrol-totp', 'auth.not-author',
  'workflow.four-eyes', 'workflow.not-editable', 'workflow.not-submitted', 'workflow.not-draft', 'workflow.target-not-published',
  'workflow.totp-not-pending', 'workflow.upstream-unconfigured', 'workflow.pull-not-stalled', 'workflow.not-the-stalled-change', 'workflow.not-parked',
  'conflict.username-taken', 'conflict.parent-missing', 'conflict.last-admin', 'conflict.deal-code',
  'timing.violation',
  'not-found',
  'rate-limited', 'rate-limited.login',
  'ingest.unauthenticated.missing-headers', 'ingest.unauthenticated.unknown-key', 'ingest.unauthenticated.bad-signature',
  'ingest.unauthenticated.stale-timestamp', 'ingest.unauthenticated.replayed-nonce',
  'ingest.forbidden', 'ingest.too-large', 'ingest.unsupported-type', 'ingest.key-reused', 'ingest.content-hash', 'ingest.conflicting-record',
  // Errors of the framework and body parser (unknown route, wrong method, body too large, bad JSON), and the unexpected.
  'http.400', 'http.401', 'http.403', 'http.404', 'http.405', 'http.413', 'http.415',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];
