import { Inject, Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { Clock } from '../common/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { Database } from '../database/database.js';
import { forUpdate, sqlDateTime } from '../database/dialect.js';
import { AppError, notFound } from '../http/app-error.js';
import { chinaDateTimeIso } from '../trading/domain/china-time.js';
import { JobLeases } from './job-leases.js';
import { OutboxEntry, type OutboxStatus } from './outbox.entity.js';
import { SyncPeerState } from './sync.entities.js';

const iso = (d: Date | null | undefined) => (d ? chinaDateTimeIso(new Date(d)) : null);

export function outboxView(e: OutboxEntry) {
  return {
    id: e.id, upstream: e.upstream, kind: e.kind, projectId: e.projectId, noticeId: e.noticeId, logSeq: e.logSeq, idempotencyKey: e.idempotencyKey,
    status: e.status, attempts: e.attempts, nextAttemptAt: e.status === 'pending' ? iso(e.nextAttemptAt) : null, lastAttemptAt: iso(e.lastAttemptAt),
    lastError: e.lastError, createdAt: iso(e.createdAt), deliveredAt: iso(e.deliveredAt), parkedAt: iso(e.parkedAt),
  };
}

/** What staff see of platform sync (/api/admin/sync, /admin/sync), and the re-drive of parked entries. */
@Injectable()
export class SyncStatusService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly leases: JobLeases,
    private readonly audit: AuditService,
  ) {}

  async overview() {
    const upstreams = await Promise.all(this.config.upstreams.map((u) => this.upstream(u.name, u.url)));
    const states = new Map((await this.db.manager.find(SyncPeerState)).map((s) => [s.name, s]));
    const peers = this.config.peers.map((p) => {
      const s = states.get(p.name);
      return {
        name: p.name, url: p.url, cursor: s?.cursor ?? null, applied: s?.applied ?? 0, lastSuccessAt: iso(s?.lastSuccessAt),
        lastAttemptAt: iso(s?.lastAttemptAt), failures: s?.failures ?? 0, lastError: s?.lastError ?? null,
      };
    });
    const jobs = (await this.leases.all()).map((l) => ({ name: l.name, holder: l.holder, expiresAt: iso(l.expiresAt), thisInstance: l.mine }));
    return { platform: this.config.platformCode, upstreams, peers, jobs, ingestKeys: this.config.ingestKeys.map((k) => ({ keyId: k.keyId, platformCode: k.platformCode, relays: k.relays })) };
  }

  private async upstream(name: string, url: string) {
    const counts = await this.db.manager.createQueryBuilder(OutboxEntry, 'o')
      .select('o.status', 'status').addSelect('COUNT(*)', 'n').addSelect('SUM(CASE WHEN o.attempts > 0 THEN 1 ELSE 0 END)', 'failing')
      .addSelect('MIN(o.created_at)', 'oldest').addSelect('MAX(o.delivered_at)', 'lastDelivered')
      .where('o.upstream = :name', { name }).groupBy('o.status').getRawMany<{ status: OutboxStatus; n: unknown; failing: unknown; oldest: unknown; lastDelivered: unknown }>();
    const of = (status: OutboxStatus) => counts.find((c) => c.status === status);
    const pending = of('pending');
    const lastFailure = await this.db.manager.createQueryBuilder(OutboxEntry, 'o')
      .where("o.upstream = :name AND o.status <> 'delivered' AND o.last_error IS NOT NULL", { name }).orderBy('o.last_attempt_at', 'DESC').limit(1).getOne();
    const parked = await this.entries({ upstream: name, status: 'parked', limit: 50 });
    return {
      name,
      url,
      lastSuccessAt: iso(sqlDateTime(of('delivered')?.lastDelivered)),
      delivered: Number(of('delivered')?.n ?? 0),
      backlog: Number(pending?.n ?? 0),
      oldestPendingAt: iso(sqlDateTime(pending?.oldest)),
      failing: Number(pending?.failing ?? 0),
      lastError: lastFailure ? { at: iso(lastFailure.lastAttemptAt), entryId: lastFailure.id, message: lastFailure.lastError } : null,
      parked: Number(of('parked')?.n ?? 0),
      parkedEntries: parked,
    };
  }

  async entries(q: { upstream?: string; status?: OutboxStatus; limit?: number }) {
    const qb = this.db.manager.createQueryBuilder(OutboxEntry, 'o').orderBy('o.id', 'ASC').limit(q.limit ?? 100);
    if (q.upstream) qb.andWhere('o.upstream = :upstream', { upstream: q.upstream });
    if (q.status) qb.andWhere('o.status = :status', { status: q.status });
    return (await qb.getMany()).map(outboxView);
  }

  /** Sends parked entries again from a clean slate: their attempts start over and they are due at once. */
  async redrive(actor: Actor, where: { id: number } | { upstream: string }) {
    if ('upstream' in where && !this.config.upstreams.some((u) => u.name === where.upstream)) throw notFound('上级平台');
    return this.db.transaction(async (em) => {
      const qb = em.createQueryBuilder(OutboxEntry, 'o').where('o.status = :parked', { parked: 'parked' });
      if ('id' in where) qb.andWhere('o.id = :id', { id: where.id });
      else qb.andWhere('o.upstream = :upstream', { upstream: where.upstream });
      const parked = await forUpdate(qb, this.db.dialect).getMany();
      if ('id' in where && !parked.length) {
        if (!(await em.existsBy(OutboxEntry, { id: where.id }))) throw notFound('推送记录');
        throw new AppError('workflow.not-parked', '只有已搁置的推送记录可以重新推送');
      }
      if (parked.length) {
        await em.update(OutboxEntry, { id: In(parked.map((e) => e.id)) }, { status: 'pending', attempts: 0, nextAttemptAt: this.clock.now(), parkedAt: null });
        for (const e of parked) await this.audit.record(em, actor, 'sync.redrive', 'outbox', String(e.id), outboxView(e), { status: 'pending' });
      }
      return { redriven: parked.map((e) => e.id) };
    });
  }
}

