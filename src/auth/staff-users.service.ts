import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { Database } from '../database/database.js';
import { forUpdate } from '../database/dialect.js';
import { AppError, FieldError, notFound, validationFailed } from '../http/app-error.js';
import { chinaDateTimeIso } from '../domain/china-time.js';
import { unauthenticated, type Actor } from './actor.js';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.js';
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

const USERNAME = /^[a-z0-9][a-z0-9_.-]{1,63}$/;

/** Usernames are compared lower-case: SQLite's unique index is case-sensitive, MySQL's collation is not. */
export const normaliseUsername = (s: string) => s.trim().toLowerCase();

export function toPublicUser(u: StaffUser): PublicUser {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    active: Boolean(u.active),
    createdAt: chinaDateTimeIso(u.createdAt),
    updatedAt: chinaDateTimeIso(u.updatedAt),
  };
}

/**
 * Staff accounts: who may sign in, with which role and password. Every change is written in one transaction with
 * its audit entry; disabling a user or changing a password ends their sessions.
 */
@Injectable()
export class StaffUsersService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  async listUsers(): Promise<PublicUser[]> {
    return (await this.db.manager.find(StaffUser, { order: { id: 'ASC' } })).map(toPublicUser);
  }

  findUserById(id: number): Promise<StaffUser | null> {
    return this.db.manager.findOneBy(StaffUser, { id });
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
    const taken = () =>
      new AppError('conflict.username-taken', `用户名“${username}”已被使用`, [
        { field: 'username', message: '用户名已被使用' },
      ]);
    try {
      return await this.db.transaction(async (em) => {
        if (await em.existsBy(StaffUser, { username })) throw taken();
        const now = this.clock.now();
        const user = em.create(StaffUser, {
          username,
          displayName: input.displayName.trim(),
          role: input.role,
          passwordHash,
          active: true,
          createdAt: now,
          updatedAt: now,
        });
        await em.save(user);
        await this.audit.record(
          em,
          actor,
          'staff-user.create',
          'staff_user',
          String(user.id),
          null,
          toPublicUser(user),
        );
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
    if (Object.values(changes).every((v) => v === undefined))
      throw new AppError('validation.empty', '请至少提供一个要修改的字段');
    const existing = await this.db.manager.findOneBy(StaffUser, { id });
    if (!existing) throw notFound('用户');
    const problems = this.checkProfile(changes, false);
    if (changes.password !== undefined)
      problems.push(...this.checkPassword('password', changes.password, existing.username));
    if (problems.length) throw validationFailed(problems);
    // Hash before the transaction: it takes tens of milliseconds and SQLite transactions are queued.
    const passwordHash = changes.password !== undefined ? await hashPassword(changes.password) : undefined;
    return this.db.transaction(async (em) => {
      const user = await this.lockUser(em, id);
      if (!user) throw notFound('用户');
      const before = toPublicUser(user);
      const losesAdmin =
        user.role === 'admin' &&
        user.active &&
        ((changes.role && changes.role !== 'admin') || changes.active === false);
      if (losesAdmin && (await this.otherActiveAdmins(em, user.id)) === 0) {
        throw new AppError('conflict.last-admin', '至少需要保留一个启用的管理员账号');
      }
      if (changes.displayName !== undefined) user.displayName = changes.displayName.trim();
      if (changes.role !== undefined) user.role = changes.role;
      if (changes.active !== undefined) user.active = changes.active;
      if (passwordHash) user.passwordHash = passwordHash;
      user.updatedAt = this.clock.now();
      await em.update(
        StaffUser,
        { id },
        {
          displayName: user.displayName,
          role: user.role,
          active: user.active,
          passwordHash: user.passwordHash,
          updatedAt: user.updatedAt,
        },
      );
      if (changes.active === false || passwordHash) await em.delete(StaffSession, { userId: id });
      const after = toPublicUser(user);
      const onlyPassword = Object.values(changes).filter((v) => v !== undefined).length === 1;
      const action = passwordHash && onlyPassword ? 'staff-user.reset-password' : 'staff-user.update';
      await this.audit.record(
        em,
        actor,
        action,
        'staff_user',
        String(id),
        before,
        passwordHash ? { ...after, passwordReset: true } : after,
      );
      return after;
    });
  }

  /** A user changes their own password; their other sessions end, the one they use (if any) stays. */
  async changeOwnPassword(
    actor: Actor,
    currentPassword: string,
    newPassword: string,
    keepSessionId: string | null = null,
  ): Promise<void> {
    const user = await this.db.manager.findOneBy(StaffUser, { id: actor.userId });
    if (!user || !user.active) throw unauthenticated();
    if (!(await verifyPassword(user.passwordHash, String(currentPassword)))) {
      throw validationFailed([{ field: 'currentPassword', message: '当前密码不正确' }]);
    }
    const problems = this.checkPassword('newPassword', newPassword, user.username);
    if (!problems.length && newPassword === currentPassword)
      problems.push({ field: 'newPassword', message: '新密码不能与当前密码相同' });
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
      em
        .createQueryBuilder(StaffUser, 'u')
        .where('u.role = :role AND u.active = :active AND u.id <> :id', { role: 'admin', active: true, id }),
      this.db.dialect,
    ).getMany();
    return admins.length;
  }

  private checkUsername(username: string): FieldError[] {
    return USERNAME.test(username)
      ? []
      : [
          {
            field: 'username',
            message: '用户名须为 2 至 64 个字符，由字母、数字、点、下划线或连字符组成，并以字母或数字开头',
          },
        ];
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
