import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { LessThanOrEqual } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { Database } from '../database/database.js';
import { forUpdate } from '../database/dialect.js';
import { AppError, validationFailed } from '../http/app-error.js';
import type { Actor } from './actor.js';
import { AppSetting, LoginChallenge, StaffSecondFactor } from './staff-security.entities.js';
import { matchTotp, newTotpSecret } from './totp.js';

export const TOTP_REQUIRED_SETTING = 'staff.totp-required';
/** A pending second-factor sign-in lasts this long and allows this many wrong codes. */
const CHALLENGE_TTL_MS = 5 * 60_000;
const CHALLENGE_MAX_ATTEMPTS = 5;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const wrongCode = (field = 'code') =>
  validationFailed([{ field, message: '验证码不正确或已使用，请输入验证器当前显示的 6 位数字' }], '验证码不正确');

/** Two-factor sign-in with TOTP: enrolment, verification (each code once), the mandatory-2FA setting. */
@Injectable()
export class SecondFactorService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  async isEnabled(userId: number): Promise<boolean> {
    const row = await this.db.manager.findOneBy(StaffSecondFactor, { userId });
    return !!row?.confirmedAt;
  }

  async isRequired(): Promise<boolean> {
    const row = await this.db.manager.findOneBy(AppSetting, { key: TOTP_REQUIRED_SETTING });
    return row?.value === 'true';
  }

  /** Whether a signed-in user must enrol before doing anything else. */
  async mustEnrol(userId: number): Promise<boolean> {
    return (await this.isRequired()) && !(await this.isEnabled(userId));
  }

  async setRequired(actor: Actor, required: boolean): Promise<void> {
    await this.db.transaction(async (em) => {
      const before = (await em.findOneBy(AppSetting, { key: TOTP_REQUIRED_SETTING }))?.value === 'true';
      await em.delete(AppSetting, { key: TOTP_REQUIRED_SETTING });
      await em.insert(AppSetting, { key: TOTP_REQUIRED_SETTING, value: String(required), updatedAt: this.clock.now() });
      if (before !== required)
        await this.audit.record(
          em,
          actor,
          'setting.update',
          'setting',
          TOTP_REQUIRED_SETTING,
          { value: before },
          { value: required },
        );
    });
  }

  /** The secret being enrolled (a new one unless one is pending already); null when 2FA is already on. */
  async pendingSecret(userId: number): Promise<string | null> {
    return this.db.transaction(async (em) => {
      const row = await em.findOneBy(StaffSecondFactor, { userId });
      if (row?.confirmedAt) return null;
      if (row) return row.secret;
      const secret = newTotpSecret();
      await em.insert(StaffSecondFactor, {
        userId,
        secret,
        createdAt: this.clock.now(),
        confirmedAt: null,
        lastStep: null,
      });
      return secret;
    });
  }

  /** Turns 2FA on once the user proves their authenticator shows the right code. */
  async confirm(actor: Actor, code: string): Promise<void> {
    await this.db.transaction(async (em) => {
      const row = await this.lock(em, actor.userId);
      if (!row || row.confirmedAt)
        throw new AppError('workflow.totp-not-pending', '没有待完成的两步验证绑定，请重新开始');
      const step = matchTotp(row.secret, code, this.clock.now());
      if (step === null) throw wrongCode();
      await em.update(StaffSecondFactor, { userId: actor.userId }, { confirmedAt: this.clock.now(), lastStep: step });
      await this.audit.record(em, actor, 'staff-user.totp-enable', 'staff_user', String(actor.userId), null, null);
    });
  }

  /** Removes a user's 2FA: their own (with a current code) or anyone's by an administrator (a lost phone). */
  async disable(actor: Actor, userId: number, code?: string): Promise<void> {
    await this.db.transaction(async (em) => {
      const row = await this.lock(em, userId);
      if (!row) return;
      if (code !== undefined && row.confirmedAt && matchTotp(row.secret, code, this.clock.now(), row.lastStep) === null)
        throw wrongCode();
      await em.delete(StaffSecondFactor, { userId });
      if (row.confirmedAt)
        await this.audit.record(em, actor, 'staff-user.totp-disable', 'staff_user', String(userId), null, null);
    });
  }

  /** Checks a sign-in code; a code is accepted once (its step is remembered). */
  async verify(userId: number, code: string): Promise<boolean> {
    return this.db.transaction(async (em) => {
      const row = await this.lock(em, userId);
      if (!row?.confirmedAt) return false;
      const step = matchTotp(row.secret, code, this.clock.now(), row.lastStep);
      if (step === null) return false;
      await em.update(StaffSecondFactor, { userId }, { lastStep: step });
      return true;
    });
  }

  // ---- the pending sign-in between password and code ----

  async createChallenge(userId: number): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    await this.db.transaction(async (em) => {
      await em.delete(LoginChallenge, { expiresAt: LessThanOrEqual(now) });
      await em.insert(LoginChallenge, {
        id: sha256(token),
        userId,
        attempts: 0,
        expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS),
      });
    });
    return token;
  }

  async challengeUser(token: unknown): Promise<number | null> {
    if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
    const row = await this.db.manager.findOneBy(LoginChallenge, { id: sha256(token) });
    return row && row.expiresAt > this.clock.now() && row.attempts < CHALLENGE_MAX_ATTEMPTS ? row.userId : null;
  }

  /** Counts a wrong code against the pending sign-in; it ends after too many. */
  async failChallenge(token: string): Promise<void> {
    await this.db.transaction(async (em) => {
      const id = sha256(token);
      const row = await forUpdate(
        em.createQueryBuilder(LoginChallenge, 'c').where('c.id = :id', { id }),
        this.db.dialect,
      ).getOne();
      if (!row) return;
      if (row.attempts + 1 >= CHALLENGE_MAX_ATTEMPTS) await em.delete(LoginChallenge, { id });
      else await em.update(LoginChallenge, { id }, { attempts: row.attempts + 1 });
    });
  }

  async endChallenge(token: string): Promise<void> {
    await this.db.transaction((em) => em.delete(LoginChallenge, { id: sha256(token) }));
  }

  private lock(em: import('typeorm').EntityManager, userId: number) {
    return forUpdate(
      em.createQueryBuilder(StaffSecondFactor, 'f').where('f.user_id = :userId', { userId }),
      this.db.dialect,
    ).getOne();
  }
}
