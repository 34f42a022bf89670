import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Database } from '../database/database.js';
import { utcNowSql } from '../database/dialect.js';
import { JobLease } from './job-lease.entity.js';

/**
 * Leases that make a scheduled job run on one instance at a time however many share the database. A lease is a
 * row (name, holder, expires_at) taken or renewed by a conditional UPDATE — renew if we hold it, take over if it
 * has expired — or created by an INSERT that loses quietly to a concurrent one. A holder that dies stops
 * renewing, and after `ttlMs` another instance takes over. Times are the database's clock, so instances whose
 * clocks disagree still agree on who holds a lease.
 */
@Injectable()
export class JobLeases {
  /** This process's name in job_lease.holder. */
  readonly holder = `${hostname().slice(0, 80)}:${process.pid}:${randomBytes(4).toString('hex')}`;

  constructor(private readonly db: Database) {}

  /** Takes or renews the lease for `ttlMs`; true while this process holds it. */
  async acquire(name: string, ttlMs: number): Promise<boolean> {
    const now = utcNowSql(this.db.dialect);
    const until = utcNowSql(this.db.dialect, 'ttl');
    const params = { name, me: this.holder, ttl: ttlMs };
    return this.db.transaction(async (em) => {
      const renewed = await em
        .createQueryBuilder()
        .update(JobLease)
        .set({ expiresAt: () => until })
        .where('name = :name AND holder = :me', params)
        .execute();
      if (!renewed.affected) {
        await em
          .createQueryBuilder()
          .update(JobLease)
          .set({ holder: this.holder, expiresAt: () => until, acquiredAt: () => now })
          // <=: a lease handed back (release) expires "now", and may be taken in the same millisecond.
          .where(`name = :name AND holder <> :me AND expires_at <= ${now}`, params)
          .execute();
        await em
          .createQueryBuilder()
          .insert()
          .into(JobLease)
          .values({ name, holder: this.holder, expiresAt: () => until, acquiredAt: () => now })
          .orIgnore()
          .setParameters(params)
          .execute();
      }
      const row = await em.findOneBy(JobLease, { name });
      return row?.holder === this.holder;
    });
  }

  /** Gives the lease up (on shutdown) so another instance need not wait for it to expire. */
  async release(name: string): Promise<void> {
    await this.db.transaction((em) =>
      em
        .createQueryBuilder()
        .update(JobLease)
        .set({ expiresAt: () => utcNowSql(this.db.dialect) })
        .where('name = :name AND holder = :me', { name, me: this.holder })
        .execute(),
    );
  }

  async all(): Promise<{ name: string; holder: string; expiresAt: Date; mine: boolean }[]> {
    const rows = await this.db.consistentRead((em) => em.find(JobLease, { order: { name: 'ASC' } }));
    return rows.map((r) => ({
      name: r.name,
      holder: r.holder,
      expiresAt: r.expiresAt,
      mine: r.holder === this.holder,
    }));
  }
}
