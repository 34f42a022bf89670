/**
 * Every error code the application gives a user or a client, in one closed list: `code` of DomainError and
 * AppError is one of these, so a misspelt or new code is a compile error until it is added here and given its
 * HTTP status (http/error-status.ts maps every one). Codes are stable: clients read them (PRODUCT.md).
 * Plain data with no imports, so the trading domain and every other folder can use it.
 */

/** Broken rules of the trade, thrown by trading/domain (DomainError). */
export const DOMAIN_ERROR_CODES = [
  'amount.invalid',
  'price.invalid',
  'datetime.invalid',
  'credit-code.invalid',
  'region.invalid',
  'calendar.invalid-row',
  'calendar.year-missing',
] as const;

/** Errors of the application's services and HTTP layer (AppError). */
export const APP_ERROR_CODES = [
  // bad input
  'validation.failed',
  'validation.empty',
  'filter.invalid',
  'filter.limit',
  'filter.cursor',
  'not-found',
  // staff sign-in and permissions
  'auth.unauthenticated',
  'auth.totp-required',
  'auth.totp-invalid',
  'auth.enrol-totp',
  'auth.forbidden',
  'auth.csrf',
  'auth.not-author',
  'rate-limited',
  'rate-limited.login',
  // staff workflow
  'workflow.not-draft',
  'workflow.not-editable',
  'workflow.not-submitted',
  'workflow.four-eyes',
  'workflow.target-not-published',
  'workflow.totp-not-pending',
  'workflow.not-parked',
  'workflow.not-the-stalled-change',
  'workflow.pull-not-stalled',
  'workflow.upstream-unconfigured',
  'timing.violation',
  'conflict.username-taken',
  'conflict.last-admin',
  'conflict.deal-code',
  'conflict.parent-missing',
  // platform sync, /api/v1/ingest (the unauthenticated ones: sync/signing.ts SignatureFailure, and a replay)
  'ingest.unauthenticated.missing-headers',
  'ingest.unauthenticated.unknown-key',
  'ingest.unauthenticated.bad-signature',
  'ingest.unauthenticated.stale-timestamp',
  'ingest.unauthenticated.replayed-nonce',
  'ingest.forbidden',
  'ingest.key-reused',
  'ingest.too-large',
  'ingest.unsupported-type',
  'ingest.content-hash',
  'ingest.conflicting-record',
  // saved searches and alerts (/alerts)
  'alert.too-many',
  'alert.link-expired',
] as const;

export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];
export type AppErrorCode = (typeof APP_ERROR_CODES)[number];
export type ErrorCode = DomainErrorCode | AppErrorCode;

export const ERROR_CODES: readonly ErrorCode[] = [...DOMAIN_ERROR_CODES, ...APP_ERROR_CODES];
