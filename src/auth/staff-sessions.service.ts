import { Inject, Injectable } from '@nestjs/common';
import { LessThanOrEqual } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { Database } from '../database/database.js';
import { AppError } from '../http/app-error.js';
import { actorOf, unauthenticated, type Actor, type StaffAuth } from './actor.js';
import { lockedOut, LoginThrottle } from './login-throttle.js';
import { dummyPasswordHash, verifyPassword } from './passwords.js';
import { SecondFactorService } from './second-factor.service.js';
import { StaffSession } from './staff-session.entity.js';
import { StaffUser } from './staff-user.entity.js';
import { normaliseUsername, toPublicUser } from './staff-users.service.js';
import { randomToken, sha256, TOUCH_INTERVAL_MS } from './tokens.js';

const badCredentials = () => unauthenticated('用户名或密码错误');
const SESSION_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Signing in and out, and the cookie sessions of people in a browser: password and second-factor checks
 * (throttled by LoginThrottle, failures audited), sessions opened, resolved with sliding expiry, and closed.
 */
@Injectable()
export class StaffSessionsService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly throttle: LoginThrottle,
    private readonly secondFactor: SecondFactorService,
  ) {}

  /** Signs in with a password and, when the user has enabled two-factor sign-in, the current TOTP code. */
  async login(username: string, password: string, ip: string | null, totpCode?: string) {
    const user = await this.verifyCredentials(username, password, ip);
    if (await this.secondFactor.isEnabled(user.id)) {
      if (!totpCode)
        throw new AppError('auth.totp-required', '该账号已启用两步验证，请同时提供验证器显示的 6 位验证码');
      await this.checkTotp(user, totpCode, ip);
    }
    return this.openSession(user, ip);
  }

  /**
   * The user behind a username and password, throttled: a locked account or address is refused before the
   * password is even checked, and every failure counts. The same answer for every kind of failure.
   */
  async verifyCredentials(username: string, password: string, ip: string | null): Promise<StaffUser> {
    const name = normaliseUsername(String(username));
    await this.throttle.assertOpen(name, ip);
    const user = await this.db.manager.findOneBy(StaffUser, { username: name });
    // Verify even for an unknown user so the answer takes as long, and say the same thing in every case.
    const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), String(password));
    if (!user || !ok || !user.active) {
      const locked = await this.throttle.recordFailure(name, ip);
      await this.auditFailedSignIn(
        name,
        user,
        ip,
        !user ? 'unknown-user' : !user.active ? 'inactive' : 'password',
        locked,
      );
      if (locked) throw lockedOut(locked, this.clock.now());
      throw badCredentials();
    }
    return user;
  }

  /** The second step of a sign-in; a wrong code counts as a failed sign-in. */
  async checkTotp(user: StaffUser, code: string, ip: string | null): Promise<void> {
    await this.throttle.assertOpen(user.username, ip);
    if (await this.secondFactor.verify(user.id, code)) return;
    const locked = await this.throttle.recordFailure(user.username, ip);
    await this.auditFailedSignIn(user.username, user, ip, 'totp', locked);
    if (locked) throw lockedOut(locked, this.clock.now());
    throw new AppError('auth.totp-invalid', '两步验证码不正确或已使用，请输入验证器当前显示的 6 位数字', [
      { field: 'code', message: '验证码不正确' },
    ]);
  }

  /**
   * A failed sign-in in the audit log: who was tried, from where, which step failed, and whether it locked the
   * account or the address. Nobody is signed in, so the actor is no user: the name is the one that was tried.
   */
  private async auditFailedSignIn(
    name: string,
    user: StaffUser | null,
    ip: string | null,
    failed: 'unknown-user' | 'inactive' | 'password' | 'totp',
    lockedUntil: Date | null,
  ) {
    const actor: Actor = {
      userId: 0,
      username: name.slice(0, 100),
      displayName: '',
      role: 'clerk',
      via: 'sign-in',
      ip,
    };
    await this.db.transaction((em) =>
      this.audit.record(
        em,
        actor,
        lockedUntil ? 'auth.login-locked' : 'auth.login-failed',
        'staff_user',
        user ? String(user.id) : name.slice(0, 100),
        null,
        { failed, lockedUntil },
      ),
    );
  }

  /** Opens a session for a user who has passed every sign-in step; their failure count starts again. */
  async openSession(user: StaffUser, ip: string | null) {
    await this.throttle.recordSuccess(user.username);
    const token = randomToken();
    const csrfToken = randomToken();
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.config.sessionTtlMinutes * 60_000);
    const sessionId = sha256(token);
    await this.db.transaction(async (em) => {
      await em.delete(StaffSession, { expiresAt: LessThanOrEqual(now) });
      await em.insert(StaffSession, {
        id: sessionId,
        userId: user.id,
        csrfToken,
        createdAt: now,
        expiresAt,
        lastSeenAt: now,
        ip: ip?.slice(0, 64) ?? null,
      });
      await this.audit.record(
        em,
        actorOf(user, 'session', ip),
        'auth.login',
        'staff_user',
        String(user.id),
        null,
        null,
      );
    });
    return { token, csrfToken, sessionId, expiresAt, user: toPublicUser(user) };
  }

  async logout(token: string, actor?: Actor): Promise<void> {
    if (!SESSION_TOKEN.test(token)) return;
    await this.db.transaction(async (em) => {
      const result = await em.delete(StaffSession, { id: sha256(token) });
      if (actor && result.affected)
        await this.audit.record(em, actor, 'auth.logout', 'staff_user', String(actor.userId), null, null);
    });
  }

  /** The session behind a cookie token, or null when unknown, expired or its user is disabled. Slides expiry. */
  async resolveSession(token: string): Promise<StaffAuth | null> {
    if (typeof token !== 'string' || !SESSION_TOKEN.test(token)) return null;
    const session = await this.db.manager.findOneBy(StaffSession, { id: sha256(token) });
    const now = this.clock.now();
    if (!session || session.expiresAt.getTime() <= now.getTime()) return null;
    const user = await this.db.manager.findOneBy(StaffUser, { id: session.userId });
    if (!user || !user.active) return null;
    let expiresAt = session.expiresAt;
    if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS) {
      expiresAt = new Date(now.getTime() + this.config.sessionTtlMinutes * 60_000);
      await this.db.transaction((em) => em.update(StaffSession, { id: session.id }, { lastSeenAt: now, expiresAt }));
    }
    const mustEnrolTotp = await this.secondFactor.mustEnrol(user.id);
    return {
      actor: actorOf(user, 'session', null),
      sessionId: session.id,
      csrfToken: session.csrfToken,
      expiresAt,
      mustEnrolTotp,
    };
  }
}
