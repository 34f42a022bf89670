/**
 * A broken rule of the trade. `code` is stable (callers map it to an HTTP status); `message` is Chinese and
 * shown to the user as is; `details` carries whatever helps a form point at the field.
 */
export class DomainError extends Error {
  constructor(
    public readonly code: string,
    message: string,
    public readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
