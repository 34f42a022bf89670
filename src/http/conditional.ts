import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { currentRender } from './render-scope.js';
import { isNotModified } from './conditional-request.js';

/**
 * Records every comparison a page makes against "now" (a deadline passed, a publicity period open), so the
 * page knows whether its content depends on the clock, since when its clock-dependent parts last changed, and
 * when they next change (the earliest future instant it compared against: a cached copy is valid until then).
 */
export class ClockWatch {
  private lastPassed: Date | null = null;
  private next: Date | null = null;
  dependsOnClock = false;

  constructor(readonly now: Date) {}

  /** Whether the instant has passed. */
  passed(t: Date | string | null | undefined): boolean {
    if (!t) return false;
    this.dependsOnClock = true;
    const d = t instanceof Date ? t : new Date(t);
    if (d.getTime() > this.now.getTime()) {
      this.changesAt(d);
      return false;
    }
    this.sawPassed(d);
    return true;
  }

  /** A clock-dependent transition still to come at `d` (e.g. midnight, when "today" moves). */
  changesAt(d: Date | null) {
    if (!d || d.getTime() <= this.now.getTime()) return;
    this.dependsOnClock = true;
    if (!this.next || d < this.next) this.next = d;
  }

  /** The earliest future instant the page compared against: when its content may next change without new data. */
  get nextChange(): Date | null {
    return this.next;
  }

  /** A clock-dependent transition that happened at `d` (e.g. the latest deadline that has passed). */
  sawPassed(d: Date | null) {
    this.dependsOnClock = true;
    if (d && (!this.lastPassed || d > this.lastPassed)) this.lastPassed = d;
  }

  /** The data's own time, or the last clock-dependent change if that came later. */
  lastModified(dataTime: Date): Date {
    return this.lastPassed && this.lastPassed > dataTime ? this.lastPassed : dataTime;
  }
}

export interface CachePolicy {
  /** When the data behind the page last changed (the publication log's head). */
  dataTime: Date;
  watch: ClockWatch;
  /** max-age for pages that do not depend on the clock. */
  maxAgeSeconds: number;
}

/** An HTTP date, to the second (Last-Modified). */
const httpDate = (d: Date) => new Date(Math.floor(d.getTime() / 1000) * 1000).toUTCString();

/** A weak ETag of a body: of its UTF-8 bytes, given as text or (cheaper, already encoded) as those bytes. */
export const weakEtag = (body: string | Buffer) =>
  `W/"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;

/**
 * Sends a body with a weak ETag of its bytes and Last-Modified, answering 304 to a matching If-None-Match or
 * If-Modified-Since. A page that read the clock is `no-cache`: caches must revalidate, so it is never stale.
 */
export function sendConditional(req: Request, res: Response, body: string, type: string, policy: CachePolicy) {
  const lastModified = policy.watch.lastModified(policy.dataTime);
  res.setHeader('Cache-Control', policy.watch.dependsOnClock ? 'no-cache' : `public, max-age=${policy.maxAgeSeconds}`);
  // The large-text mode (a cookie) changes the page.
  res.setHeader('Vary', 'Cookie');
  const etag = weakEtag(body);
  res.setHeader('ETag', etag);
  res.setHeader('Last-Modified', httpDate(lastModified));
  const render = currentRender();
  if (render) {
    render.offer({
      type,
      body,
      etag,
      lastModified,
      headers: headersOf(res, ['Cache-Control', 'Vary', 'Last-Modified']),
    });
    render.changesAt(policy.watch.nextChange);
  }
  if (isNotModified(req.method, req.headers, { etag, lastModified })) {
    res.status(304).end();
    return;
  }
  res.type(type).send(body);
}

const headersOf = (res: Response, names: string[]) =>
  Object.fromEntries(names.map((n) => [n, String(res.getHeader(n))]));

/** Renders a view (layout and res.locals included) to a string, so errors reach the exception filter. */
export function renderView(res: Response, view: string, locals: Record<string, unknown>): Promise<string> {
  return new Promise((resolve, reject) => res.render(view, locals, (err, html) => (err ? reject(err) : resolve(html))));
}

/**
 * Sets ETag and Last-Modified and answers 304 when the client's copy is current. Returns true when it has
 * answered; the caller then sends nothing. Clients must revalidate (no-cache): data changes with each publication.
 */
export function notModified(req: Request, res: Response, etag: string, lastModified: Date | null): boolean {
  res.setHeader('Cache-Control', 'public, no-cache');
  res.setHeader('ETag', etag);
  if (lastModified) res.setHeader('Last-Modified', httpDate(lastModified));
  if (isNotModified(req.method, req.headers, { etag, lastModified })) {
    res.status(304).end();
    return true;
  }
  return false;
}

/** A JSON body with an ETag of its bytes, or 304. The text is encoded once, for the ETag and the response alike. */
export function sendJson(
  req: Request,
  res: Response,
  body: unknown,
  lastModified: Date | null,
  type = 'application/json; charset=utf-8',
) {
  const bytes = Buffer.from(JSON.stringify(body));
  sendText(req, res, bytes, type, weakEtag(bytes), lastModified);
}

/** A body with the given validators, or 304; a cacheable route's response is handed to the cache here. */
export function sendText(
  req: Request,
  res: Response,
  text: string | Buffer,
  type: string,
  etag: string,
  lastModified: Date | null,
) {
  const answered = notModified(req, res, etag, lastModified);
  currentRender()?.offer({
    type,
    body: text,
    etag,
    lastModified,
    headers: {
      'Cache-Control': String(res.getHeader('Cache-Control')),
      ...(lastModified ? { 'Last-Modified': httpDate(lastModified) } : {}),
    },
  });
  if (!answered) res.type(type).send(text);
}
