import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { AppError } from '../http/app-error.js';
import { clientAddress } from '../http/client-address.js';
import { unauthenticated, type StaffAuth } from './actor.js';
import { ApiKeysService } from './api-keys.service.js';
import { StaffSessionsService } from './staff-sessions.service.js';

/**
 * Credentials on a request, shared by the /api/admin guard and any server-rendered /admin page: a bearer API key
 * (for the e-trading system) or the `ggzy_session` cookie (for people in a browser).
 */
export const SESSION_COOKIE = 'ggzy_session';
export const CSRF_HEADER = 'x-csrf-token';
/** Hidden form field carrying the CSRF token on server-rendered forms. */
export const CSRF_FIELD = '_csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function readCookie(req: Request, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(
        part
          .slice(eq + 1)
          .trim()
          .replace(/^"(.*)"$/, '$1'),
      );
    } catch {
      return null;
    }
  }
  return null;
}

const cookieOptions = (req: Request) => ({ httpOnly: true, sameSite: 'lax' as const, path: '/', secure: req.secure });

/** A browser-session cookie (no Max-Age): the server decides expiry, sliding on use. */
export function setSessionCookie(req: Request, res: Response, token: string) {
  res.cookie(SESSION_COOKIE, token, cookieOptions(req));
}

export function clearSessionCookie(req: Request, res: Response) {
  res.clearCookie(SESSION_COOKIE, cookieOptions(req));
}

const resolved = new WeakMap<Request, StaffAuth | null>();

/** What the guard resolved for this request (undefined when the route needed no authentication). */
export function staffAuthOf(req: Request): StaffAuth | null | undefined {
  return resolved.get(req);
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

@Injectable()
export class StaffAuthenticator {
  constructor(
    private readonly sessions: StaffSessionsService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  /**
   * The staff member behind the request, or null. An Authorization header wins over the cookie and, if it is not
   * a valid bearer key, the request is anonymous: a bad key never falls back to an ambient cookie.
   */
  async resolve(req: Request): Promise<StaffAuth | null> {
    if (resolved.has(req)) return resolved.get(req)!;
    let auth: StaffAuth | null;
    const header = req.headers.authorization;
    if (header !== undefined) {
      const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
      auth = bearer ? await this.apiKeys.resolveApiKey(bearer[1]) : null;
    } else {
      const token = readCookie(req, SESSION_COOKIE);
      auth = token ? await this.sessions.resolveSession(token) : null;
    }
    if (auth) auth.actor.ip = clientAddress(req);
    resolved.set(req, auth);
    return auth;
  }

  /** Like resolve, but throws 401 when nobody is signed in and 403 when a cookie request lacks its CSRF token. */
  async require(req: Request): Promise<StaffAuth> {
    const auth = await this.resolve(req);
    if (!auth) throw unauthenticated();
    this.checkCsrf(req, auth);
    return auth;
  }

  /** The cookie is sent by the browser on its own; an unsafe request must also prove it came from our page. */
  checkCsrf(req: Request, auth: StaffAuth) {
    if (!auth.csrfToken || SAFE_METHODS.has(req.method.toUpperCase())) return;
    const header = req.headers[CSRF_HEADER];
    const body = req.body as Record<string, unknown> | undefined;
    const sent =
      typeof header === 'string' ? header : typeof body?.[CSRF_FIELD] === 'string' ? (body[CSRF_FIELD] as string) : '';
    if (!sameSecret(sent, auth.csrfToken)) throw new AppError('auth.csrf', '缺少或无效的 CSRF 令牌');
  }
}
