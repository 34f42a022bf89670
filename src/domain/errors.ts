import type { DomainErrorCode } from '../common/error-codes.js';

/**
 * A broken rule of the trade. `code` is stable, one of common/error-codes.ts (http/error-status.ts maps it to an
 * HTTP status); `message` is Chinese and shown to the user as is; `details` carries whatever helps a form point
 * at the field.
 */
export class DomainError extends Error {
  constructor(
    public readonly code: DomainErrorCode,
    message: string,
    public readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
