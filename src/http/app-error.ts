import type { AppErrorCode } from '../common/error-codes.js';

/**
 * An error a user can act on: a stable code, a Chinese message, and for bad input one message per field.
 * Services throw these; http/error-status.ts maps codes to HTTP statuses in one place.
 */
export interface FieldError {
  field: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly fields: FieldError[] = [],
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const validationFailed = (fields: FieldError[], message = '提交的数据有误，请按字段提示修改') =>
  new AppError('validation.failed', message, fields);

export const notFound = (what: string) => new AppError('not-found', `${what}不存在`);
