import type { ErrorCode } from '../common/error-codes.js';

/** The one place where error codes become HTTP statuses: every code has its own (common/error-codes.ts lists them). */
export const STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = {
  // broken rules of the trade (DomainError)
  'amount.invalid': 400,
  'price.invalid': 400,
  'datetime.invalid': 400,
  'credit-code.invalid': 400,
  'region.invalid': 400,
  'calendar.invalid-row': 400,
  'calendar.year-missing': 422,
  // bad input
  'validation.failed': 400,
  'validation.empty': 400,
  'filter.invalid': 400,
  'filter.limit': 400,
  'filter.cursor': 400,
  'not-found': 404,
  // staff sign-in and permissions
  'auth.unauthenticated': 401,
  'auth.totp-required': 401,
  'auth.totp-invalid': 401,
  'auth.enrol-totp': 403,
  'auth.forbidden': 403,
  'auth.csrf': 403,
  'auth.not-author': 403,
  'rate-limited': 429,
  'rate-limited.login': 429,
  // staff workflow: the record is not in a state that allows it
  'workflow.not-draft': 409,
  'workflow.not-editable': 409,
  'workflow.not-submitted': 409,
  'workflow.four-eyes': 403,
  'workflow.target-not-published': 409,
  'workflow.totp-not-pending': 409,
  'workflow.not-parked': 409,
  'workflow.not-the-stalled-change': 409,
  'workflow.pull-not-stalled': 409,
  'workflow.upstream-unconfigured': 409,
  'timing.violation': 422,
  'conflict.username-taken': 409,
  'conflict.last-admin': 409,
  'conflict.deal-code': 409,
  'conflict.parent-missing': 409,
  // platform sync, /api/v1/ingest
  'ingest.unauthenticated.missing-headers': 401,
  'ingest.unauthenticated.unknown-key': 401,
  'ingest.unauthenticated.bad-signature': 401,
  'ingest.unauthenticated.stale-timestamp': 401,
  'ingest.unauthenticated.replayed-nonce': 401,
  'ingest.forbidden': 403,
  'ingest.key-reused': 422,
  'ingest.too-large': 413,
  'ingest.unsupported-type': 415,
  'ingest.content-hash': 422,
  'ingest.conflicting-record': 422,
  // saved searches and alerts
  'alert.too-many': 409,
  'alert.link-expired': 410,
};

export function statusForCode(code: ErrorCode): number {
  return STATUS_BY_CODE[code];
}
