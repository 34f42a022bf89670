import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { EntityManager, LessThanOrEqual } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { Database } from '../database/database.js';
import { forUpdate } from '../database/dialect.js';
import { AppError, FieldError, notFound, validationFailed } from '../http/app-error.js';
import { chinaDateTimeIso } from '../domain/china-time.js';
import type { Actor } from './actor.js';
import { ApiKey } from './api-key.entity.js';
import { lockedOut, LoginThrottle } from './login-throttle.js';
import { dummyPasswordHash, hashPassword, passwordProblem, verifyPassword } from './passwords.js';
import { SecondFactorService } from './second-factor.service.js';
import { StaffSession } from './staff-session.entity.js';
import { STAFF_ROLES, StaffRole, StaffUser } from './staff-user.entity.js';

/** A staff user as shown to staff and clients: never the password hash. */
export interface PublicUser {
  id: number;
  username: string;
  displayName: string;
  role: StaffRole;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface PublicApiKey {
  id: number;
  userId: number;
  username: string | null;
  name: string;
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/** Resolved credentials of a request: the actor, and for a cookie session its id and CSRF token. */
export interface StaffAuth {
  actor: Actor;
  sessionId: string | null;
  csrfToken: string | null;
  expiresAt: Date | null;
  /** Two-factor sign-in is mandatory and this session's user has not enrolled yet: only enrolment is open. */
  mustEnrolTotp?: boolean;
}

export interface NewStaffUser {
  username: string;
  displayName: string;
  role: StaffRole;
  password: string;
}

export interface StaffUserChanges {
  displayName?: string;
  role?: StaffRole;
  active?: boolean;
  password?: string;
}

export const unauthenticated = (message = '请先登录') => new AppError('auth.unauthenticated', message);
const badCredentials = () => unauthenticated('用户名或密码错误');

const USERNAME = /^[a-z0-9][a-z0-9_.-]{1,63}$/;
const API_KEY = /^ggzy_[A-Za-z0-9_-]{43}$/;
const SESSION_TOKEN = /^[A-Za-z0-9_-]{43}$/;
export const API_KEY_PREFIX_LENGTH = 12;
/** Sliding expiry and last-used stamps are written at most this often, not on every request. */
const TOUCH_INTERVAL_MS = 60_000;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const randomToken = () => randomBytes(32).toString('base64url');
const iso = (d: Date | null) => (d ? chinaDateTimeIso(d) : null);
/** Usernames are compared lower-case: SQLite's unique index is case-sensitive, MySQL's collation is not. */
export const normaliseUsername = (s: string) => s.trim().toLowerCase();

export function toPublicUser(u: StaffUser): PublicUser {
  return {
    id: u.id, username: u.username, displayName: u.displayName, role: u.role, active: Boolean(u.active),
    createdAt: chinaDateTimeIso(u.createdAt), updatedAt: chinaDateTimeIso(u.updatedAt),
  };
}

const actorOf = (u: StaffUser, via: string, ip: string | null): Actor => ({
  userId: u.id, username: u.username, displayName: u.displayName, role: u.role, via, ip,
});

/** Staff accounts, sessions and API keys. Every change is written in one transaction with its audit entry. */
@Injectable()
export class AuthService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly throttle: LoginThrottle,
    readonly secondFactor: SecondFactorService,
  ) {}

  // ---- sessions ----

  /** Signs in with a password and, when the user has enabled two-factor sign-in, the current TOTP code. */
  async login(username: string, password: string, ip: string | null, totpCode?: string) {
    const user = await this.verifyCredentials(username, password, ip);
    if (await this.secondFactor.isEnabled(user.id)) {
      if (!totpCode) throw new AppError('auth.totp-required', '该账号已启用两步验证，请同时提供验证器显示的 6 位验证码');
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
      await this.auditFailedSignIn(name, user, ip, !user ? 'unknown-user' : !user.active ? 'inactive' : 'password', locked);
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
    throw new AppError('auth.totp-invalid', '两步验证码不正确或已使用，请输入验证器当前显示的 6 位数字', [{ field: 'code', message: '验证码不正确' }]);
  }

  /**
   * A failed sign-in in the audit log: who was tried, from where, which step failed, and whether it locked the
   * account or the address. Nobody is signed in, so the actor is no user: the name is the one that was tried.
   */
  private async auditFailedSignIn(name: string, user: StaffUser | null, ip: string | null, failed: 'unknown-user' | 'inactive' | 'password' | 'totp', lockedUntil: Date | null) {
    const actor: Actor = { userId: 0, username: name.slice(0, 100), displayName: '', role: 'clerk', via: 'sign-in', ip };
    await this.db.transaction((em) => this.audit.record(em, actor, lockedUntil ? 'auth.login-locked' : 'auth.login-failed', 'staff_user', user ? String(user.id) : name.slice(0, 100), null, { failed, lockedUntil }));
  }

  findUserById(id: number): Promise<StaffUser | null> {
    return this.db.manager.findOneBy(StaffUser, { id });
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
      await em.insert(StaffSession, { id: sessionId, userId: user.id, csrfToken, createdAt: now, expiresAt, lastSeenAt: now, ip: ip?.slice(0, 64) ?? null });
      await this.audit.record(em, actorOf(user, 'session', ip), 'auth.login', 'staff_user', String(user.id), null, null);
    });
    return { token, csrfToken, sessionId, expiresAt, user: toPublicUser(user) };
  }

  async logout(token: string, actor?: Actor): Promise<void> {
    if (!SESSION_TOKEN.test(token)) return;
    await this.db.transaction(async (em) => {
      const result = await em.delete(StaffSession, { id: sha256(token) });
      if (actor && result.affected) await this.audit.record(em, actor, 'auth.logout', 'staff_user', String(actor.userId), null, null);
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
    return { actor: actorOf(user, 'session', null), sessionId: session.id, csrfToken: session.csrfToken, expiresAt, mustEnrolTotp };
  }

  // ---- API keys ----

  /** The owner acting through a key, or null when the key is malformed, unknown, revoked or its owner disabled. */
  async resolveApiKey(key: string): Promise<StaffAuth | null> {
    if (typeof key !== 'string' || !API_KEY.test(key)) return null;
    const apiKey = await this.db.manager.findOneBy(ApiKey, { keyHash: sha256(key) });
    if (!apiKey || apiKey.revokedAt) return null;
    const user = await this.db.manager.findOneBy(StaffUser, { id: apiKey.userId });
    if (!user || !user.active) return null;
    const now = this.clock.now();
    if (!apiKey.lastUsedAt || now.getTime() - apiKey.lastUsedAt.getTime() >= TOUCH_INTERVAL_MS) {
      await this.db.transaction((em) => em.update(ApiKey, { id: apiKey.id }, { lastUsedAt: now }));
    }
    return { actor: actorOf(user, `api-key:${apiKey.id}`, null), sessionId: null, csrfToken: null, expiresAt: null };
  }

  /** Creates a key for a staff user; the plaintext key is returned here once and never stored. */
  async createApiKey(actor: Actor, ownerUserId: number, name: string): Promise<PublicApiKey & { key: string }> {
    const cleanName = String(name ?? '').trim();
    if (!cleanName || cleanName.length > 100) throw validationFailed([{ field: 'name', message: '名称不能为空，且不超过 100 个字符' }]);
    const key = `ggzy_${randomToken()}`;
    return this.db.transaction(async (em) => {
      const owner = await em.findOneBy(StaffUser, { id: ownerUserId });
      if (!owner || !owner.active) throw validationFailed([{ field: 'userId', message: '用户不存在或已停用' }]);
      const row = em.create(ApiKey, {
        userId: owner.id, name: cleanName, prefix: key.slice(0, API_KEY_PREFIX_LENGTH), keyHash: sha256(key),
        createdAt: this.clock.now(), revokedAt: null, lastUsedAt: null,
      });
      await em.save(row);
      const shown = this.toPublicApiKey(row, owner.username);
      await this.audit.record(em, actor, 'api-key.create', 'api_key', String(row.id), null, shown);
      return { ...shown, key };
    });
  }

  async revokeApiKey(actor: Actor, id: number): Promise<PublicApiKey> {
    return this.db.transaction(async (em) => {
      const row = await forUpdate(em.createQueryBuilder(ApiKey, 'k').where('k.id = :id', { id }), this.db.dialect).getOne();
      if (!row) throw notFound('API 密钥');
      const before = this.toPublicApiKey(row, null);
      if (!row.revokedAt) {
        row.revokedAt = this.clock.now();
        await em.update(ApiKey, { id }, { revokedAt: row.revokedAt });
        await this.audit.record(em, actor, 'api-key.revoke', 'api_key', String(id), before, this.toPublicApiKey(row, null));
      }
      return this.toPublicApiKey(row, null);
    });
  }

  async listApiKeys(): Promise<PublicApiKey[]> {
    const [keys, users] = await Promise.all([this.db.manager.find(ApiKey, { order: { id: 'DESC' } }), this.db.manager.find(StaffUser)]);
    const names = new Map(users.map((u) => [u.id, u.username]));
    return keys.map((k) => this.toPublicApiKey(k, names.get(k.userId) ?? null));
  }

  private toPublicApiKey(k: ApiKey, username: string | null): PublicApiKey {
    return {
      id: k.id, userId: k.userId, username, name: k.name, prefix: k.prefix,
      createdAt: chinaDateTimeIso(k.createdAt), revokedAt: iso(k.revokedAt), lastUsedAt: iso(k.lastUsedAt),
    };
  }

  // ---- users ----

  async listUsers(): Promise<PublicUser[]> {
    return (await this.db.manager.find(StaffUser, { order: { id: 'ASC' } })).map(toPublicUser);
  }

  findUserByUsername(username: string): Promise<StaffUser | null> {
    return this.db.manager.findOneBy(StaffUser, { username: normaliseUsername(username) });
  }

  async createUser(actor: Actor, input: NewStaffUser): Promise<PublicUser> {
    const username = normaliseUsername(String(input.username ?? ''));
    const problems = [
      ...this.checkUsername(username),
      ...this.checkProfile(input, true),
      ...this.checkPassword('password', input.password, username),
    ];
    if (problems.length) throw validationFailed(problems);
    const passwordHash = await hashPassword(input.password);
    const taken = () => new AppError('conflict.username-taken', `用户名“${username}”已被使用`, [{ field: 'username', message: '用户名已被使用' }]);
    try {
      return await this.db.transaction(async (em) => {
        if (await em.existsBy(StaffUser, { username })) throw taken();
        const now = this.clock.now();
        const user = em.create(StaffUser, { username, displayName: input.displayName.trim(), role: input.role, passwordHash, active: true, createdAt: now, updatedAt: now });
        await em.save(user);
        await this.audit.record(em, actor, 'staff-user.create', 'staff_user', String(user.id), null, toPublicUser(user));
        return toPublicUser(user);
      });
    } catch (e) {
      // A concurrent create of the same name trips the unique index: report it as the conflict it is.
      if (!(e instanceof AppError) && (await this.db.manager.existsBy(StaffUser, { username }))) throw taken();
      throw e;
    }
  }

  /** Changes a user. Disabling a user or resetting their password ends all of their sessions. */
  async updateUser(actor: Actor, id: number, changes: StaffUserChanges): Promise<PublicUser> {
    if (Object.values(changes).every((v) => v === undefined)) throw new AppError('validation.empty', '请至少提供一个要修改的字段');
    const existing = await this.db.manager.findOneBy(StaffUser, { id });
    if (!existing) throw notFound('用户');
    const problems = this.checkProfile(changes, false);
    if (changes.password !== undefined) problems.push(...this.checkPassword('password', changes.password, existing.username));
    if (problems.length) throw validationFailed(problems);
    // Hash before the transaction: it takes tens of milliseconds and SQLite transactions are queued.
    const passwordHash = changes.password !== undefined ? await hashPassword(changes.password) : undefined;
    return this.db.transaction(async (em) => {
      const user = await this.lockUser(em, id);
      if (!user) throw notFound('用户');
      const before = toPublicUser(user);
      const losesAdmin = user.role === 'admin' && user.active && ((changes.role && changes.role !== 'admin') || changes.active === false);
      if (losesAdmin && (await this.otherActiveAdmins(em, user.id)) === 0) {
        throw new AppError('conflict.last-admin', '至少需要保留一个启用的管理员账号');
      }
      if (changes.displayName !== undefined) user.displayName = changes.displayName.trim();
      if (changes.role !== undefined) user.role = changes.role;
      if (changes.active !== undefined) user.active = changes.active;
      if (passwordHash) user.passwordHash = passwordHash;
      user.updatedAt = this.clock.now();
      await em.update(StaffUser, { id }, { displayName: user.displayName, role: user.role, active: user.active, passwordHash: user.passwordHash, updatedAt: user.updatedAt });
      if (changes.active === false || passwordHash) await em.delete(StaffSession, { userId: id });
      const after = toPublicUser(user);
      const onlyPassword = Object.values(changes).filter((v) => v !== undefined).length === 1;
      const action = passwordHash && onlyPassword ? 'staff-user.reset-password' : 'staff-user.update';
      await this.audit.record(em, actor, action, 'staff_user', String(id), before, passwordHash ? { ...after, passwordReset: true } : after);
      return after;
    });
  }

  /** A user changes their own password; their other sessions end, the one they use (if any) stays. */
  async changeOwnPassword(actor: Actor, currentPassword: string, newPassword: string, keepSessionId: string | null = null): Promise<void> {
    const user = await this.db.manager.findOneBy(StaffUser, { id: actor.userId });
    if (!user || !user.active) throw unauthenticated();
    if (!(await verifyPassword(user.passwordHash, String(currentPassword)))) {
      throw validationFailed([{ field: 'currentPassword', message: '当前密码不正确' }]);
    }
    const problems = this.checkPassword('newPassword', newPassword, user.username);
    if (!problems.length && newPassword === currentPassword) problems.push({ field: 'newPassword', message: '新密码不能与当前密码相同' });
    if (problems.length) throw validationFailed(problems);
    const passwordHash = await hashPassword(newPassword);
    await this.db.transaction(async (em) => {
      const now = this.clock.now();
      await em.update(StaffUser, { id: user.id }, { passwordHash, updatedAt: now });
      const others = em.createQueryBuilder().delete().from(StaffSession).where('user_id = :id', { id: user.id });
      if (keepSessionId) others.andWhere('id <> :keep', { keep: keepSessionId });
      await others.execute();
      await this.audit.record(em, actor, 'staff-user.change-password', 'staff_user', String(user.id), null, null);
    });
  }

  private lockUser(em: EntityManager, id: number) {
    return forUpdate(em.createQueryBuilder(StaffUser, 'u').where('u.id = :id', { id }), this.db.dialect).getOne();
  }

  private async otherActiveAdmins(em: EntityManager, id: number): Promise<number> {
    const admins = await forUpdate(
      em.createQueryBuilder(StaffUser, 'u').where('u.role = :role AND u.active = :active AND u.id <> :id', { role: 'admin', active: true, id }),
      this.db.dialect,
    ).getMany();
    return admins.length;
  }

  private checkUsername(username: string): FieldError[] {
    return USERNAME.test(username) ? [] : [{ field: 'username', message: '用户名须为 2 至 64 个字符，由字母、数字、点、下划线或连字符组成，并以字母或数字开头' }];
  }

  private checkProfile(input: { displayName?: unknown; role?: unknown }, required: boolean): FieldError[] {
    const out: FieldError[] = [];
    if (input.displayName !== undefined || required) {
      const name = typeof input.displayName === 'string' ? input.displayName.trim() : '';
      if (!name || name.length > 100) out.push({ field: 'displayName', message: '姓名不能为空，且不超过 100 个字符' });
    }
    if ((input.role !== undefined || required) && !Object.hasOwn(STAFF_ROLES, String(input.role))) {
      out.push({ field: 'role', message: `角色必须是以下之一：${Object.keys(STAFF_ROLES).join('、')}` });
    }
    return out;
  }

  private checkPassword(field: string, password: unknown, username?: string): FieldError[] {
    const problem = passwordProblem(password, username);
    return problem ? [{ field, message: problem }] : [];
  }
}
