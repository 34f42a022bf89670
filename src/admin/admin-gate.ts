import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { StaffAuthenticator } from '../auth/staff-auth.js';
import { ADMIN_TEXT } from './admin-text.js';

export const LOGIN_PATH = '/admin/login';
export const TOTP_ENROLMENT_PATH = '/admin/account/2fa';

/** Only a back-office path may be returned to after signing in (no open redirect). */
export function safeAdminPath(next: unknown): string {
  return typeof next === 'string' &&
    next.length <= 2000 &&
    /^\/admin(\/|\?|$)/.test(next) &&
    !/[\\\r\n]|\/\//.test(next) &&
    !next.startsWith(LOGIN_PATH)
    ? next
    : '/admin';
}

export const loginUrl = (next?: string) =>
  next && safeAdminPath(next) !== '/admin'
    ? `${LOGIN_PATH}?next=${encodeURIComponent(safeAdminPath(next))}`
    : LOGIN_PATH;

const isLoginPath = (path: string) => path === LOGIN_PATH || path.startsWith(`${LOGIN_PATH}/`);
// What a user who must still enrol in two-factor sign-in may reach.
const ENROLMENT_PATHS = [TOTP_ENROLMENT_PATH, `${TOTP_ENROLMENT_PATH}/confirm`, '/admin/logout'];

/**
 * Runs before every /admin request, whichever module serves it: anonymous visitors go to the login page (with
 * the way back), users who must enrol in 2FA go to enrolment, and every page gets the back-office layout with
 * the signed-in user, their navigation and the CSRF token for its forms. Roles stay with the guard (@Roles).
 */
@Injectable()
export class AdminGate implements NestMiddleware {
  constructor(private readonly authenticator: StaffAuthenticator) {}

  async use(req: Request, res: Response, next: NextFunction) {
    const path = req.originalUrl.split('?')[0];
    res.locals.layout = 'layouts/admin';
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Robots-Tag', 'noindex');
    if (isLoginPath(path)) return next();
    let auth;
    try {
      auth = await this.authenticator.resolve(req);
    } catch (e) {
      return next(e);
    }
    if (!auth || auth.actor.via !== 'session') {
      // A page is for people in a browser: API keys use /api/admin.
      return res.redirect(303, req.method === 'GET' ? loginUrl(req.originalUrl) : LOGIN_PATH);
    }
    if (auth.mustEnrolTotp && !ENROLMENT_PATHS.includes(path)) return res.redirect(303, TOTP_ENROLMENT_PATH);
    const role = auth.actor.role;
    res.locals.admin = {
      me: {
        username: auth.actor.username,
        displayName: auth.actor.displayName,
        roleName: { clerk: '录入员', reviewer: '审核员', admin: '管理员' }[role],
      },
      csrf: auth.csrfToken,
      nav: auth.mustEnrolTotp
        ? []
        : ADMIN_TEXT.nav
            .filter((n) => n.roles.includes(role))
            .map((n) => ({
              href: n.href,
              label: n.label,
              current: n.href === '/admin' ? path === '/admin' : path === n.href || path.startsWith(`${n.href}/`),
            })),
    };
    next();
  }
}
