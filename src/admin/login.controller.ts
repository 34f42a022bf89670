import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Actor } from '../auth/actor.js';
import { ALL_ROLES, CurrentActor, OpenDuringTotpEnrolment, Public, Roles } from '../auth/decorators.js';
import { SecondFactorService } from '../auth/second-factor.service.js';
import { clearSessionCookie, readCookie, SESSION_COOKIE, setSessionCookie, staffAuthOf } from '../auth/staff-auth.js';
import { StaffSessionsService } from '../auth/staff-sessions.service.js';
import { StaffUsersService } from '../auth/staff-users.service.js';
import { AppError } from '../http/app-error.js';
import { clientAddress } from '../http/client-address.js';
import { LOGIN_PATH, safeAdminPath, TOTP_ENROLMENT_PATH } from './admin-gate.js';
import { ADMIN_TEXT } from './admin-text.js';
import { field, flashOf, render, seeOther } from './form-input.js';

/** Before a session exists the login form is protected by a double-submit cookie: a random token in both. */
const LOGIN_CSRF_COOKIE = 'ggzy_login_csrf';
/** The pending second-factor step of a sign-in. */
const CHALLENGE_COOKIE = 'ggzy_login_2fa';
const cookieOptions = (req: Request) => ({
  httpOnly: true,
  sameSite: 'strict' as const,
  path: LOGIN_PATH,
  secure: req.secure,
});

function sameToken(a: string, b: string | null): boolean {
  return !!b && a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** Signing in (password, then the TOTP code when enabled) and out of the back office. */
@Controller()
export class AdminLoginController {
  constructor(
    private readonly sessions: StaffSessionsService,
    private readonly users: StaffUsersService,
    private readonly secondFactor: SecondFactorService,
  ) {}

  @Get('admin/login')
  @Public()
  async loginPage(@Req() req: Request, @Res() res: Response, @Query('next') next: unknown) {
    if (await this.sessions.resolveSession(readCookie(req, SESSION_COOKIE) ?? ''))
      return seeOther(res, safeAdminPath(next));
    render(res, 'admin/login', {
      title: '工作人员登录',
      csrf: this.loginCsrf(req, res),
      next: safeAdminPath(next),
      flash: flashOf(req),
    });
  }

  @Post('admin/login')
  @Public()
  async login(@Req() req: Request, @Res() res: Response, @Body() body: Record<string, unknown>) {
    const next = safeAdminPath(field(body, 'next'));
    const username = field(body, 'username').trim();
    const again = (message: string, status: number) =>
      render(
        res,
        'admin/login',
        { title: '工作人员登录', csrf: this.loginCsrf(req, res), next, username, error: message },
        status,
      );
    if (!this.checkLoginCsrf(req, body)) return again(ADMIN_TEXT.loginCsrf, 403);
    if (!username || !field(body, 'password')) return again('请输入用户名和密码', 400);
    try {
      const user = await this.sessions.verifyCredentials(username, field(body, 'password'), clientAddress(req));
      if (await this.secondFactor.isEnabled(user.id)) {
        res.cookie(CHALLENGE_COOKIE, await this.secondFactor.createChallenge(user.id), cookieOptions(req));
        return seeOther(res, `${LOGIN_PATH}/2fa?next=${encodeURIComponent(next)}`);
      }
      await this.startSession(req, res, user.id, next);
    } catch (e) {
      if (e instanceof AppError && (e.code === 'auth.unauthenticated' || e.code.startsWith('rate-limited')))
        return again(e.message, e.code === 'auth.unauthenticated' ? 401 : 429);
      throw e;
    }
  }

  @Get('admin/login/2fa')
  @Public()
  async totpPage(@Req() req: Request, @Res() res: Response, @Query('next') next: unknown) {
    if (!(await this.secondFactor.challengeUser(readCookie(req, CHALLENGE_COOKIE)))) return seeOther(res, LOGIN_PATH);
    render(res, 'admin/login-2fa', { title: '两步验证', csrf: this.loginCsrf(req, res), next: safeAdminPath(next) });
  }

  @Post('admin/login/2fa')
  @Public()
  async totp(@Req() req: Request, @Res() res: Response, @Body() body: Record<string, unknown>) {
    const next = safeAdminPath(field(body, 'next'));
    const token = readCookie(req, CHALLENGE_COOKIE) ?? '';
    const again = (message: string, status: number) =>
      render(
        res,
        'admin/login-2fa',
        { title: '两步验证', csrf: this.loginCsrf(req, res), next, error: message },
        status,
      );
    if (!this.checkLoginCsrf(req, body)) return again(ADMIN_TEXT.loginCsrf, 403);
    const userId = await this.secondFactor.challengeUser(token);
    const user = userId ? await this.users.findUserById(userId) : null;
    if (!user || !user.active) {
      res.clearCookie(CHALLENGE_COOKIE, cookieOptions(req));
      return render(
        res,
        'admin/login',
        { title: '工作人员登录', csrf: this.loginCsrf(req, res), next, error: ADMIN_TEXT.challengeExpired },
        401,
      );
    }
    try {
      await this.sessions.checkTotp(user, field(body, 'code'), clientAddress(req));
    } catch (e) {
      if (!(e instanceof AppError) || !(e.code === 'auth.totp-invalid' || e.code.startsWith('rate-limited'))) throw e;
      await this.secondFactor.failChallenge(token);
      return again(e.message, e.code === 'auth.totp-invalid' ? 401 : 429);
    }
    await this.secondFactor.endChallenge(token);
    res.clearCookie(CHALLENGE_COOKIE, cookieOptions(req));
    await this.startSession(req, res, user.id, next);
  }

  @Post('admin/logout')
  @Roles(...ALL_ROLES)
  @OpenDuringTotpEnrolment()
  async logout(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor) {
    const token = readCookie(req, SESSION_COOKIE);
    if (token && staffAuthOf(req)?.sessionId) await this.sessions.logout(token, actor);
    clearSessionCookie(req, res);
    seeOther(res, `${LOGIN_PATH}?done=logged-out`);
  }

  private async startSession(req: Request, res: Response, userId: number, next: string) {
    const user = (await this.users.findUserById(userId))!;
    const session = await this.sessions.openSession(user, clientAddress(req));
    setSessionCookie(req, res, session.token);
    res.clearCookie(LOGIN_CSRF_COOKIE, cookieOptions(req));
    const mustEnrol = await this.secondFactor.mustEnrol(user.id);
    seeOther(res, mustEnrol ? TOTP_ENROLMENT_PATH : next);
  }

  /** The login form's token: the one in the browser's cookie, or a new one set now. */
  private loginCsrf(req: Request, res: Response): string {
    const existing = readCookie(req, LOGIN_CSRF_COOKIE);
    if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
    const token = randomBytes(32).toString('base64url');
    res.cookie(LOGIN_CSRF_COOKIE, token, cookieOptions(req));
    return token;
  }

  private checkLoginCsrf(req: Request, body: Record<string, unknown>): boolean {
    return sameToken(field(body, '_csrf'), readCookie(req, LOGIN_CSRF_COOKIE));
  }
}
