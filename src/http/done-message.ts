/**
 * The message a redirect's `?done=` names, from a page's own table; anything else (a repeated parameter, a name
 * the table does not hold, `constructor` or another inherited property) shows none.
 */
export function doneMessage(messages: Readonly<Record<string, string>>, done: unknown): string | undefined {
  return typeof done === 'string' && Object.hasOwn(messages, done) ? messages[done] : undefined;
}
