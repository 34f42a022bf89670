import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

/** What the response would carry: its entity tag (weak or strong) and, if known, when it last changed. */
export interface Validators {
  etag: string;
  lastModified?: Date | null;
}

/**
 * Whether a GET or HEAD may be answered 304 Not Modified (RFC 9110 §13.2.2): If-None-Match, compared weakly,
 * decides when present; otherwise If-Modified-Since against Last-Modified (to the second). Every conditional
 * response of the portal asks this one function.
 *
 * A request's `Cache-Control: no-cache` is not consulted, unlike Express's `req.fresh`: it tells caches on the way
 * not to answer from storage (RFC 9111 §5.2.1.4), and this server is the origin, which validates — a client that
 * sends it together with If-None-Match wants exactly that check.
 */
export function isNotModified(method: string, headers: IncomingHttpHeaders, validators: Validators): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  const ifNoneMatch = headers['if-none-match'];
  if (ifNoneMatch !== undefined) return etagListMatches(ifNoneMatch, validators.etag);
  const ifModifiedSince = headers['if-modified-since'];
  if (ifModifiedSince === undefined || !validators.lastModified) return false;
  const since = Date.parse(ifModifiedSince);
  if (Number.isNaN(since)) return false;
  return Math.floor(validators.lastModified.getTime() / 1000) * 1000 <= since;
}

/** Weak comparison (RFC 9110 §8.8.3.2): the opaque tags are equal, whether either is marked W/. `*` matches any. */
function etagListMatches(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const ours = opaque(etag);
  return (header.match(/(?:W\/)?"[^"]*"/g) ?? []).some((tag) => opaque(tag) === ours);
}

/**
 * For Express's static middleware (public/ under /static/), which decides 304 with `fresh` and so refuses it when
 * the request says `Cache-Control: no-cache`. Such a request asks the origin to validate, which its conditional
 * headers do: the directive is dropped from a conditional GET/HEAD before the middleware sees it.
 */
export function revalidateStatic(req: IncomingMessage, _res: unknown, next: () => void) {
  const conditional = req.headers['if-none-match'] !== undefined || req.headers['if-modified-since'] !== undefined;
  if ((req.method === 'GET' || req.method === 'HEAD') && conditional) delete req.headers['cache-control'];
  next();
}
