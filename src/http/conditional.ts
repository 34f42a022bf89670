import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { isNotModified } from './conditional-request.js';

/**
 * Records every comparison a page makes against "now" (a deadline passed, a publicity period open), so the
 * page knows whether its content depends on the clock and since when its clock-dependent parts last changed.
 */
export class ClockWatch {
  private lastPassed: Date | null = null;
  dependsOnClock = false;

  constructor(readonly now: Date) {}

  /** Whether the instant has passed. */
  passed(t: Date | string | null | undefined): boolean {
    if (!t) return false;
    this.dependsOnClock = true;
    const d = t instanceof Date ? t : new Date(t);
    if (d.getTime() > this.now.getTime()) return false;
    this.sawPassed(d);
    return true;
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

export const weakEtag = (body: string) => `W/"${createHash('sha256').update(body, 'utf8').digest('base64url').slice(0, 27)}"`;

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
  res.setHeader('Last-Modified', new Date(Math.floor(lastModified.getTime() / 1000) * 1000).toUTCString());
  if (isNotModified(req.method, req.headers, { etag, lastModified })) {
    res.status(304).end();
    return;
  }
  res.type(type).send(body);
}

/** Renders a view (layout and res.locals included) to a string, so errors reach the exception filter. */
export function renderView(res: Response, view: string, locals: Record<string, unknown>): Promise<string> {
  return new Promise((resolve, reject) => res.render(view, locals, (err, html) => (err ? reject(err) : resolve(html))));
}

const httpDate = (d: Date) => new Date(Math.floor(d.getTime() / 1000) * 1000).toUTCString();

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

/** A JSON body with an ETag of its bytes, or 304. */
export function sendJson(req: Request, res: Response, body: unknown, lastModified: Date | null, type = 'application/json; charset=utf-8') {
  const text = JSON.stringify(body);
  if (notModified(req, res, weakEtag(text), lastModified)) return;
  res.type(type).send(text);
}
