import { APP_ERROR_CODES, DOMAIN_ERROR_CODES, ERROR_CODES } from '../common/error-codes.js';
import { DomainError } from '../domain/errors.js';
import { AppError } from './app-error.js';
import { STATUS_BY_CODE, statusForCode } from './error-status.js';

describe('error codes are a closed set, each with its HTTP status', () => {
  it('refuses an unknown code at compile time (npm run typecheck checks these lines)', () => {
    // @ts-expect-error not an error code
    const app = new AppError('workflow.not-drafted', '');
    // @ts-expect-error an application code is not a rule of the trade
    const domain = new DomainError('auth.forbidden', '');
    expect([app.code, domain.code]).toEqual(['workflow.not-drafted', 'auth.forbidden']);
  });

  it('lists each code once and maps exactly the listed codes, every one to a 4xx', () => {
    expect(new Set(ERROR_CODES).size).toBe(DOMAIN_ERROR_CODES.length + APP_ERROR_CODES.length);
    expect(Object.keys(STATUS_BY_CODE).sort()).toEqual([...ERROR_CODES].sort());
    for (const code of ERROR_CODES) expect(statusForCode(code)).toBeGreaterThanOrEqual(400);
    for (const code of ERROR_CODES) expect(statusForCode(code)).toBeLessThan(500);
  });

  it.each([
    ['validation.failed', 400],
    ['price.invalid', 400],
    ['not-found', 404],
    ['auth.unauthenticated', 401],
    ['auth.totp-invalid', 401],
    ['auth.forbidden', 403],
    ['workflow.four-eyes', 403],
    ['workflow.not-submitted', 409],
    ['conflict.deal-code', 409],
    ['timing.violation', 422],
    ['calendar.year-missing', 422],
    ['rate-limited.login', 429],
    ['ingest.unauthenticated.bad-signature', 401],
    ['ingest.forbidden', 403],
    ['ingest.too-large', 413],
    ['ingest.unsupported-type', 415],
    ['ingest.content-hash', 422],
  ] as const)('%s → %i', (code, status) => {
    expect(statusForCode(code)).toBe(status);
  });
});
