import { Inject, Injectable } from '@nestjs/common';
import { LessThan } from 'typeorm';
import { Clock } from '../common/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { Database } from '../database/database.js';
import { forUpdate, isUniqueViolation } from '../database/dialect.js';
import { AppError } from '../http/app-error.js';
import { formatChinaDateTime } from '../domain/china-time.js';
import { LoginThrottleRow } from './staff-security.entities.js';

/** 429 with the time the lock ends, in China time, and Retry-After. */
export function lockedOut(until: Date, now: Date): AppError {
  return new AppError(
    'rate-limited.login',
    `登录失败次数过多，已暂时锁定。请于 ${formatChinaDateTime(until)}（北京时间）之后再试。`,
    [],
    {
      retryAfter: Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000)),
    },
  );
}

/**
 * Failed sign-ins counted per account and per IP address in the database, so every instance sees them. After
 * too many failures within the window the account (or address) is locked for the lockout time, even for the
 * right password. Unknown usernames are counted too, so the lock says nothing about which accounts exist.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private keys(username: string, ip: string | null): { key: string; max: number }[] {
    const keys = [{ key: `user:${username.slice(0, 100)}`, max: this.config.staff.maxFailuresPerAccount }];
    if (ip) keys.push({ key: `ip:${ip.slice(0, 64)}`, max: this.config.staff.maxFailuresPerIp });
    return keys;
  }

  /** Throws the lockout when the account or the address is locked now. */
  async assertOpen(username: string, ip: string | null): Promise<void> {
    const now = this.clock.now();
    const rows = await this.db.manager.findBy(
      LoginThrottleRow,
      this.keys(username, ip).map(({ key }) => ({ key })),
    );
    const until = latest(rows.map((r) => r.lockedUntil).filter((d): d is Date => !!d && d > now));
    if (until) throw lockedOut(until, now);
  }

  /** Counts a failure; returns the end of the lock when this failure locked the account or the address. */
  async recordFailure(username: string, ip: string | null): Promise<Date | null> {
    const now = this.clock.now();
    const windowMs = this.config.staff.lockoutMinutes * 60_000;
    const locks: Date[] = [];
    for (const { key, max } of this.keys(username, ip)) {
      const count = () =>
        this.db.transaction(async (em) => {
          const row = await forUpdate(
            em.createQueryBuilder(LoginThrottleRow, 't').where('t.throttle_key = :key', { key }),
            this.db.dialect,
          ).getOne();
          const fresh =
            !row ||
            now.getTime() - row.windowStart.getTime() >= windowMs ||
            (row.lockedUntil !== null && row.lockedUntil <= now);
          const failures = fresh ? 1 : row.failures + 1;
          const lockedUntil = failures >= max ? new Date(now.getTime() + windowMs) : fresh ? null : row.lockedUntil;
          if (!row) await em.insert(LoginThrottleRow, { key, failures, windowStart: now, lockedUntil });
          else
            await em.update(
              LoginThrottleRow,
              { key },
              { failures, windowStart: fresh ? now : row.windowStart, lockedUntil },
            );
          if (lockedUntil && lockedUntil > now) locks.push(lockedUntil);
        });
      // Two first failures at once on MySQL: the second insert meets the first; count again, now as an update.
      await count().catch((e) => (isUniqueViolation(e) ? count() : Promise.reject(e)));
    }
    // Old counters are forgotten; a stale row would only ever be reset anyway.
    await this.db
      .transaction((em) =>
        em.delete(LoginThrottleRow, { windowStart: LessThan(new Date(now.getTime() - 24 * 3600_000)) }),
      )
      .catch(() => undefined);
    return latest(locks);
  }

  /** A successful sign-in clears its account's counter (not the address's: one's own account must not reset it). */
  async recordSuccess(username: string): Promise<void> {
    await this.db.transaction((em) => em.delete(LoginThrottleRow, { key: `user:${username.slice(0, 100)}` }));
  }
}

const latest = (dates: Date[]) => (dates.length ? dates.reduce((a, b) => (a > b ? a : b)) : null);
