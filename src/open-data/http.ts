import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { currentRender } from '../cache/render-scope.js';
import { AppError } from '../http/app-error.js';
import { isNotModified } from '../http/conditional-request.js';
import { unknownParam } from '../trading/notice-filter.js';

/** Small HTTP pieces shared by the open-data endpoints: query checks and conditional responses. */

/** Refuses query parameters outside `allowed` and repeated ones, naming each. */
export function checkParams(query: Record<string, unknown>, allowed: readonly string[]): Record<string, string | undefined> {
  const errors: { field: string; message: string }[] = [];
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(query)) {
    if (!allowed.includes(key)) errors.push(unknownParam(key));
    else if (typeof value !== 'string') errors.push({ field: key, message: '只能出现一次' });
    else out[key] = value.trim() === '' ? undefined : value.trim();
  }
  if (errors.length) throw new AppError('filter.invalid', errors.map((e) => e.message).join('；'), errors);
  return out;
}

/** `limit`: an integer from 1 to max; absent means the default. */
export function parseLimit(raw: unknown, fallback: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (!/^\d{1,7}$/.test(text) || Number(text) < 1 || Number(text) > max) {
    throw new AppError('filter.limit', `每页条数 limit 应为 1 到 ${max} 之间的整数`, [{ field: 'limit', message: `应为 1 到 ${max} 之间的整数` }]);
  }
  return Number(text);
}

export const weakEtag = (seed: string) => `W/"${createHash('sha256').update(seed, 'utf8').digest('base64url').slice(0, 27)}"`;

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
  sendText(req, res, text, type, weakEtag(text), lastModified);
}

/** A body with the given validators, or 304; a cacheable route's response is handed to the cache here. */
export function sendText(req: Request, res: Response, text: string, type: string, etag: string, lastModified: Date | null) {
  const answered = notModified(req, res, etag, lastModified);
  currentRender()?.offer({ type, body: text, etag, lastModified, headers: { 'Cache-Control': String(res.getHeader('Cache-Control')), ...(lastModified ? { 'Last-Modified': httpDate(lastModified) } : {}) } });
  if (!answered) res.type(type).send(text);
}
