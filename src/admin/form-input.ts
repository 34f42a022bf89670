import type { Request } from 'express';
import { doneMessage } from '../http/done-message.js';
import { ADMIN_TEXT } from './admin-text.js';

/** Form reading shared by every staff page (src/http/form-input.ts), with the back office's own confirmations. */
export { errorMap, field, fieldErrorsOf, render, seeOther } from '../http/form-input.js';

/** The confirmation of the action that led here (?done=…), from a fixed list: never text taken from the URL. */
export function flashOf(req: Request): string | undefined {
  return doneMessage(ADMIN_TEXT.done, req.query.done);
}
