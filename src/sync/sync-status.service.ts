import { Inject, Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { Clock } from '../common/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig, UpstreamConfig } from '../config/config.js';
import { Database } from '../database/database.js';
import { forUpdate, sqlDateTime } from '../database/dialect.js';
import { AppError, notFound, validationFailed } from '../http/app-error.js';
import { chinaDateTimeIso } from '../domain/china-time.js';
import { JobLeases } from '../jobs/job-leases.js';
import { OutboxEntry, type OutboxStatus } from '../outbox/outbox.entity.js';
import { SyncPeerState, SyncSkip } from './sync.entities.js';

const iso = (d: Date | null | undefined) => (d ? chinaDateTimeIso(new Date(d)) : null);

export function outboxView(e: OutboxEntry) {
  return {
    id: e.id,
    upstream: e.upstream,
    kind: e.kind,
    projectId: e.projectId,
    noticeId: e.noticeId,
    logSeq: e.logSeq,
    idempotencyKey: e.idempotencyKey,
    status: e.status,
    attempts: e.attempts,
    nextAttemptAt: e.status === 'pending' ? iso(e.nextAttemptAt) : null,
    lastAttemptAt: iso(e.lastAttemptAt),
    lastError: e.lastError,
    note: e.note,
    createdAt: iso(e.createdAt),
    deliveredAt: iso(e.deliveredAt),
    parkedAt: iso(e.parkedAt),
  };
}

export function skipView(s: SyncSkip) {
  return {
    id: s.id,
    peer: s.peer,
    changeId: s.changeId,
    seq: s.seq,
    kind: s.kind,
    cursor: s.cursor,
    error: s.error,
    reason: s.reason,
    skippedBy: s.skippedBy,
    skippedAt: iso(s.skippedAt),
    passedAt: iso(s.passedAt),
  };
}

const upstreamUnconfigured = (name: string) =>
  new AppError(
    'workflow.upstream-unconfigured',
    `上级平台 ${name} 已不在配置中（UPSTREAMS）：请先重新配置该平台，再重新推送`,
  );

/**
 * What staff see of platform sync (/api/admin/sync, /admin/sync), the re-drive of parked entries, and the skip
 * of a change a peer's pull is stalled on.
 */
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
    const configured = await Promise.all(this.config.upstreams.map((u) => this.upstream(u.name, u)));
    // An upstream removed from UPSTREAMS still owes what was queued for it: shown under its name until settled.
    const gone = await Promise.all((await this.unconfiguredUpstreams()).map((name) => this.upstream(name, null)));
    const states = new Map((await this.db.manager.find(SyncPeerState)).map((s) => [s.name, s]));
    const peers = this.config.peers.map((p) => {
      const s = states.get(p.name);
      return {
        name: p.name,
        url: p.url,
        cursor: s?.cursor ?? null,
        applied: s?.applied ?? 0,
        lastSuccessAt: iso(s?.lastSuccessAt),
        lastAttemptAt: iso(s?.lastAttemptAt),
        failures: s?.failures ?? 0,
        lastError: s?.lastError ?? null,
        stalled: s?.stalledChangeId
          ? {
              changeId: s.stalledChangeId,
              seq: s.stalledSeq,
              kind: s.stalledKind,
              error: s.stalledError,
              since: iso(s.stalledAt),
            }
          : null,
      };
    });
    const skipped = (await this.db.manager.find(SyncSkip, { order: { id: 'DESC' }, take: 50 })).map(skipView);
    const jobs = (await this.leases.all()).map((l) => ({
      name: l.name,
      holder: l.holder,
      expiresAt: iso(l.expiresAt),
      thisInstance: l.mine,
    }));
    return {
      platform: this.config.platformCode,
      upstreams: [...configured, ...gone],
      peers,
      skippedChanges: skipped,
      jobs,
      ingestKeys: this.config.ingestKeys.map((k) => ({
        keyId: k.keyId,
        platformCode: k.platformCode,
        relays: k.relays,
      })),
    };
  }

  /** Names in the outbox, not in UPSTREAMS, with entries still pending or parked. */
  private async unconfiguredUpstreams(): Promise<string[]> {
    const names = this.config.upstreams.map((u) => u.name);
    const qb = this.db.manager
      .createQueryBuilder(OutboxEntry, 'o')
      .select('o.upstream', 'upstream')
      .where("o.status <> 'delivered'");
    if (names.length) qb.andWhere('o.upstream NOT IN (:...names)', { names });
    return (await qb.groupBy('o.upstream').orderBy('o.upstream', 'ASC').getRawMany<{ upstream: string }>()).map(
      (r) => r.upstream,
    );
  }

  /** One upstream's figures; `config` null: no longer in UPSTREAMS. */
  private async upstream(name: string, config: UpstreamConfig | null) {
    const counts = await this.db.manager
      .createQueryBuilder(OutboxEntry, 'o')
      .select('o.status', 'status')
      .addSelect('COUNT(*)', 'n')
      .addSelect('SUM(CASE WHEN o.attempts > 0 THEN 1 ELSE 0 END)', 'failing')
      .addSelect('SUM(CASE WHEN o.note IS NOT NULL THEN 1 ELSE 0 END)', 'notSent')
      .addSelect('MIN(o.created_at)', 'oldest')
      .addSelect('MAX(CASE WHEN o.note IS NULL THEN o.delivered_at END)', 'lastDelivered')
      .where('o.upstream = :name', { name })
      .groupBy('o.status')
      .getRawMany<{
        status: OutboxStatus;
        n: unknown;
        failing: unknown;
        notSent: unknown;
        oldest: unknown;
        lastDelivered: unknown;
      }>();
    const of = (status: OutboxStatus) => counts.find((c) => c.status === status);
    const pending = of('pending');
    const lastFailure = await this.db.manager
      .createQueryBuilder(OutboxEntry, 'o')
      .where("o.upstream = :name AND o.status <> 'delivered' AND o.last_error IS NOT NULL", { name })
      .orderBy('o.last_attempt_at', 'DESC')
      .limit(1)
      .getOne();
    const parked = await this.entries({ upstream: name, status: 'parked', limit: 50 });
    const notSent = Number(of('delivered')?.notSent ?? 0);
    return {
      name,
      url: config?.url ?? null,
      format: config?.format ?? null,
      configured: config !== null,
      // Acknowledged by the upstream; entries that needed no request (see notSent) are neither successes nor deliveries.
      lastSuccessAt: iso(sqlDateTime(of('delivered')?.lastDelivered)),
      delivered: Number(of('delivered')?.n ?? 0) - notSent,
      notSent,
      backlog: Number(pending?.n ?? 0),
      oldestPendingAt: iso(sqlDateTime(pending?.oldest)),
      failing: Number(pending?.failing ?? 0),
      lastError: lastFailure
        ? {
            at: iso(lastFailure.lastAttemptAt ?? lastFailure.parkedAt),
            entryId: lastFailure.id,
            message: lastFailure.lastError,
          }
        : null,
      parked: Number(of('parked')?.n ?? 0),
      parkedEntries: parked,
    };
  }

  async entries(q: { upstream?: string; status?: OutboxStatus; limit?: number }) {
    const qb = this.db.manager
      .createQueryBuilder(OutboxEntry, 'o')
      .orderBy('o.id', 'ASC')
      .limit(q.limit ?? 100);
    if (q.upstream) qb.andWhere('o.upstream = :upstream', { upstream: q.upstream });
    if (q.status) qb.andWhere('o.status = :status', { status: q.status });
    return (await qb.getMany()).map(outboxView);
  }

  /**
   * Sends parked entries again from a clean slate: their attempts start over and they are due at once. Only to
   * a configured upstream: the relay would park an entry of an unknown one again at once.
   */
  async redrive(actor: Actor, where: { id: number } | { upstream: string }) {
    if ('upstream' in where && !this.isConfigured(where.upstream)) {
      if (await this.db.manager.existsBy(OutboxEntry, { upstream: where.upstream }))
        throw upstreamUnconfigured(where.upstream);
      throw notFound('上级平台');
    }
    return this.db.transaction(async (em) => {
      const qb = em.createQueryBuilder(OutboxEntry, 'o').where('o.status = :parked', { parked: 'parked' });
      if ('id' in where) qb.andWhere('o.id = :id', { id: where.id });
      else qb.andWhere('o.upstream = :upstream', { upstream: where.upstream });
      const parked = await forUpdate(qb, this.db.dialect).getMany();
      if ('id' in where && !parked.length) {
        if (!(await em.existsBy(OutboxEntry, { id: where.id }))) throw notFound('推送记录');
        throw new AppError('workflow.not-parked', '只有已搁置的推送记录可以重新推送');
      }
      if ('id' in where && !this.isConfigured(parked[0].upstream)) throw upstreamUnconfigured(parked[0].upstream);
      if (parked.length) {
        await em.update(
          OutboxEntry,
          { id: In(parked.map((e) => e.id)) },
          { status: 'pending', attempts: 0, nextAttemptAt: this.clock.now(), parkedAt: null },
        );
        for (const e of parked)
          await this.audit.record(em, actor, 'sync.redrive', 'outbox', String(e.id), outboxView(e), {
            status: 'pending',
          });
      }
      return { redriven: parked.map((e) => e.id) };
    });
  }

  /**
   * Skips the change a peer's pull is stalled on: records it (sync_skip, and the audit log with who and why) and
   * clears the stall. The next pull leaves it out of its page, so the cursor moves past exactly that change and
   * the changes after it are applied. Refused unless the pull is stalled on exactly the change named: a page
   * opened before the stall moved on must not skip another change.
   */
  async skipChange(actor: Actor, peer: string, input: { changeId: unknown; reason: unknown }) {
    if (!this.config.peers.some((p) => p.name === peer)) throw notFound('对等平台');
    const changeId = typeof input.changeId === 'string' ? input.changeId.trim() : '';
    const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
    const errors = [
      ...(changeId && changeId.length <= 80
        ? []
        : [{ field: 'changeId', message: '请指明要跳过的变更（停滞的那一条的编号）' }]),
      ...(reason.length >= 2 && reason.length <= 2000
        ? []
        : [{ field: 'reason', message: '请填写跳过原因（2 到 2000 个字符），它将记入审计日志' }]),
    ];
    if (errors.length) throw validationFailed(errors);
    return this.db.transaction(async (em) => {
      const state = await forUpdate(
        em.createQueryBuilder(SyncPeerState, 's').where('s.name = :peer', { peer }),
        this.db.dialect,
      ).getOne();
      if (!state?.stalledChangeId) {
        throw new AppError(
          'workflow.pull-not-stalled',
          `从对等平台 ${peer} 的拉取没有停滞在被拒绝的变更上，没有可跳过的变更`,
        );
      }
      if (state.stalledChangeId !== changeId) {
        throw new AppError(
          'workflow.not-the-stalled-change',
          `从对等平台 ${peer} 的拉取停滞在变更 ${state.stalledChangeId} 上，而不是 ${changeId}：只能跳过停滞的那一条，请刷新后核对`,
        );
      }
      const stalled = {
        cursor: state.cursor,
        changeId,
        seq: state.stalledSeq,
        kind: state.stalledKind,
        error: state.stalledError,
        since: iso(state.stalledAt),
      };
      const skip = await em.save(
        em.create(SyncSkip, {
          peer,
          changeId,
          seq: state.stalledSeq,
          kind: state.stalledKind,
          cursor: state.cursor,
          error: state.stalledError ?? state.lastError ?? '',
          reason,
          skippedById: actor.userId > 0 ? actor.userId : null,
          skippedBy: actor.username.slice(0, 64),
          skippedAt: this.clock.now(),
          passedAt: null,
          passedCursor: null,
        }),
      );
      await em.update(
        SyncPeerState,
        { name: peer },
        { stalledChangeId: null, stalledSeq: null, stalledKind: null, stalledError: null, stalledAt: null },
      );
      await this.audit.record(
        em,
        actor,
        'sync.skip-change',
        'sync_peer',
        peer,
        { stalled },
        { skipped: skipView(skip) },
      );
      return { skipped: skipView(skip) };
    });
  }

  private isConfigured(upstream: string) {
    return this.config.upstreams.some((u) => u.name === upstream);
  }
}
