import { ERROR_CODES as APPLICATION_ERROR_CODES } from '../common/error-codes.js';

/**
 * Every `error` code an error body can carry, for the API description: the application's closed list
 * (common/error-codes.ts, checked by the compiler) and the codes the error filter gives the framework's and the
 * body parser's own errors (unknown route, wrong method, body too large, bad JSON) and the unexpected.
 */
export const FRAMEWORK_ERROR_CODES = [
  'http.400',
  'http.401',
  'http.403',
  'http.404',
  'http.405',
  'http.413',
  'http.415',
  'internal',
] as const;

export const ERROR_CODES = [...APPLICATION_ERROR_CODES, ...FRAMEWORK_ERROR_CODES] as const;

export type DocumentedErrorCode = (typeof ERROR_CODES)[number];
