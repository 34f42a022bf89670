import { Inject, Injectable, Logger } from '@nestjs/common';
import { In, LessThanOrEqual, Not } from 'typeorm';
import { Clock } from '../common/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig, UpstreamConfig } from '../config/config.js';
import { Database } from '../database/database.js';
import { forUpdateSkipLocked } from '../database/dialect.js';
import { OcdsService } from '../open-data/ocds/ocds.service.js';
import { PublishedReads } from '../published/published-reads.js';
import { chinaDateTimeIso } from '../domain/china-time.js';
import { TransparencyService } from '../transparency/transparency.service.js';
import { SyncHttpClient, TransportError } from './http-client.js';
import type { JobContext } from '../jobs/job-runner.js';
import { OCDS_NO_PROJECT_RECORD, ocdsReleasePackage } from './ocds-message.js';
import { OutboxEntry } from '../outbox/outbox.entity.js';
import { noticeMessage, projectMessage, type SyncMessage } from './records.js';
import { decide, type AttemptResult, type Decision } from './retry-policy.js';
import { signedHeaders } from './signing.js';

const BATCH = 50;
const PARALLEL = 8;

/** Why entries of an upstream that UPSTREAMS no longer names are parked (kept on each entry, shown to staff). */
export const UNCONFIGURED_REASON = '上游平台已不在配置中（UPSTREAMS）：重新配置该平台后可重新推送';

/**
 * How old a pending entry of an unknown upstream must be before it is parked. During a rolling restart that
 * adds an upstream, an instance still on the old configuration may hold the relay's lease while instances on
 * the new one already queue entries for it: those must not be parked in the meantime.
 */
export const UNCONFIGURED_GRACE_MS = 10 * 60_000;

export interface RelayRun {
  delivered: number;
  retried: number;
  parked: number;
  /** Done without a request: nothing of that entry exists in the upstream's format (see OutboxEntry.note). */
  notSent: number;
}

type Outcome = Decision['action'] | 'not-sent';
const TALLY: Record<Outcome, keyof RelayRun> = {
  delivered: 'delivered',
  retry: 'retried',
  park: 'parked',
  'not-sent': 'notSent',
};

/**
 * Delivers the outbox to the upstream platforms. Each round claims the entries that are due and at the head of
 * their project's queue for their upstream (nothing earlier of the same project still undelivered, so a project's
 * record precedes its notices and notices keep their order), sends them signed afresh, and records the outcome.
 * Rounds repeat until nothing is due, so a project's queue drains in one run.
 */
@Injectable()
export class RelayService {
  private readonly logger = new Logger('sync-relay');

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly http: SyncHttpClient,
    private readonly transparency: TransparencyService,
    /** The OCDS mapping of /api/ocds/releases: an OCDS upstream receives exactly what the public feed serves. */
    private readonly ocds: OcdsService,
    private readonly reads: PublishedReads,
  ) {}

  async run(ctx: JobContext = { held: true }): Promise<RelayRun> {
    const total: RelayRun = { delivered: 0, retried: 0, parked: await this.parkUnconfigured(), notSent: 0 };
    while (ctx.held) {
      const claimed = await this.claim();
      if (!claimed.length) break;
      for (let i = 0; i < claimed.length; i += PARALLEL) {
        const outcomes = await Promise.all(claimed.slice(i, i + PARALLEL).map((e) => this.deliver(e)));
        for (const o of outcomes) total[TALLY[o]]++;
      }
    }
    return total;
  }

  /**
   * Entries owed to an upstream that UPSTREAMS no longer names would stay pending forever (nothing claims them):
   * they are parked with the reason, shown under that upstream's name, and re-driven once it is configured again.
   */
  private async parkUnconfigured(): Promise<number> {
    const now = this.clock.now();
    const configured = this.config.upstreams.map((u) => u.name);
    const cutoff = new Date(now.getTime() - UNCONFIGURED_GRACE_MS);
    const parked = await this.db.transaction(async (em) => {
      const qb = em
        .createQueryBuilder(OutboxEntry, 'o')
        .select('o.upstream', 'upstream')
        .addSelect('COUNT(*)', 'n')
        .where('o.status = :pending AND o.created_at <= :cutoff', { pending: 'pending', cutoff });
      if (configured.length) qb.andWhere('o.upstream NOT IN (:...configured)', { configured });
      const groups = await qb.groupBy('o.upstream').getRawMany<{ upstream: string; n: unknown }>();
      if (groups.length) {
        const unconfigured = {
          status: 'pending' as const,
          createdAt: LessThanOrEqual(cutoff),
          ...(configured.length ? { upstream: Not(In(configured)) } : {}),
        };
        await em.update(OutboxEntry, unconfigured, { status: 'parked', parkedAt: now, lastError: UNCONFIGURED_REASON });
      }
      return groups.map((g) => ({ upstream: g.upstream, entries: Number(g.n) }));
    });
    for (const { upstream, entries } of parked) {
      this.logger.error(
        `${entries} outbox entr${entries === 1 ? 'y' : 'ies'} to ${upstream} parked: upstream no longer configured (UPSTREAMS)`,
      );
      await this.alert({
        event: 'sync.upstream-unconfigured',
        platform: this.config.platformCode,
        upstream,
        entries,
        reason: UNCONFIGURED_REASON,
        at: chinaDateTimeIso(now),
      });
    }
    return parked.reduce((n, p) => n + p.entries, 0);
  }

  /**
   * Takes due queue heads. Candidates come from a plain read, in which an entry in flight elsewhere is still
   * undelivered and so still holds back its successors; then the candidates are locked (FOR UPDATE SKIP LOCKED on
   * MySQL: an instance never waits for, nor takes, another's rows) and claimed by moving their next attempt past
   * the request timeout. A sender that dies mid-attempt thus leaves its entries to be retried after the claim.
   */
  private async claim(): Promise<OutboxEntry[]> {
    const upstreams = this.config.upstreams.map((u) => u.name);
    if (!upstreams.length) return [];
    const now = this.clock.now();
    return this.db.transaction(async (em) => {
      const candidates = await em
        .createQueryBuilder(OutboxEntry, 'o')
        .select('o.id', 'id')
        .where('o.status = :pending AND o.next_attempt_at <= :now AND o.upstream IN (:...upstreams)', {
          pending: 'pending',
          now,
          upstreams,
        })
        .andWhere(
          `NOT EXISTS (SELECT 1 FROM outbox e WHERE e.upstream = o.upstream AND e.project_id = o.project_id AND e.id < o.id AND e.status <> 'delivered')`,
        )
        .orderBy('o.id', 'ASC')
        .limit(BATCH)
        .getRawMany<{ id: number }>();
      if (!candidates.length) return [];
      const locked = await forUpdateSkipLocked(
        em
          .createQueryBuilder(OutboxEntry, 'o')
          .where('o.id IN (:...ids) AND o.status = :pending AND o.next_attempt_at <= :now', {
            ids: candidates.map((c) => Number(c.id)),
            pending: 'pending',
            now,
          })
          .orderBy('o.id', 'ASC'),
        this.db.dialect,
      ).getMany();
      if (locked.length) {
        await em.update(
          OutboxEntry,
          { id: In(locked.map((e) => e.id)) },
          { nextAttemptAt: new Date(now.getTime() + this.claimMs()), lastAttemptAt: now },
        );
      }
      return locked;
    });
  }

  private claimMs() {
    return this.config.sync.httpTimeoutMs + 5_000;
  }

  private async deliver(entry: OutboxEntry): Promise<Outcome> {
    const upstream = this.config.upstreams.find((u) => u.name === entry.upstream)!;
    const attempts = entry.attempts + 1;
    let decision: Decision;
    try {
      const payload = await this.payload(upstream, entry);
      if ('notSent' in payload) {
        await this.recordNotSent(entry, payload.notSent);
        return 'not-sent';
      }
      const { result, detail } = await this.send(upstream, entry, payload.body);
      decision = decide(result, attempts, this.policy, this.clock.now());
      if (decision.action !== 'delivered' && detail)
        decision = { ...decision, reason: `${decision.reason}：${detail}` };
    } catch (e) {
      // A record that cannot be read back will not heal by retrying: staff must look.
      decision = { action: 'park', reason: `无法生成推送内容：${(e as Error).message}` };
    }
    await this.record(entry, attempts, decision);
    if (decision.action === 'park') await this.parked(entry, upstream, attempts, decision.reason);
    return decision.action;
  }

  private get policy() {
    return {
      maxAttempts: this.config.sync.maxAttempts,
      baseMs: this.config.sync.retryBaseMs,
      maxMs: this.config.sync.retryMaxMs,
    };
  }

  /** One attempt, signed afresh. No answer at all (refused, reset, timed out) is a result too. */
  private async send(
    upstream: UpstreamConfig,
    entry: OutboxEntry,
    body: string,
  ): Promise<{ result: AttemptResult; detail: string }> {
    const headers = {
      'Content-Type': 'application/json; charset=utf-8',
      ...signedHeaders({
        keyId: upstream.keyId,
        secret: upstream.secret,
        body,
        idempotencyKey: entry.idempotencyKey,
        now: this.clock.now(),
      }),
    };
    try {
      const answer = await this.http.request('POST', upstream.url, {
        headers,
        body,
        timeoutMs: this.config.sync.httpTimeoutMs,
      });
      return {
        result: { status: answer.status, retryAfter: answer.headers.get('retry-after') },
        detail: answerMessage(answer.text),
      };
    } catch (e) {
      if (!(e instanceof TransportError)) throw e;
      return { result: { transportError: e.message }, detail: '' };
    }
  }

  /** The body of one attempt in the upstream's format, or why that format has nothing for this entry. */
  private async payload(upstream: UpstreamConfig, entry: OutboxEntry): Promise<{ body: string } | { notSent: string }> {
    if (upstream.format === 'ocds') {
      // OCDS knows a project only as the contracting process its releases describe: the first notice carries it.
      if (entry.kind === 'project') return { notSent: OCDS_NO_PROJECT_RECORD };
      return { body: JSON.stringify(await ocdsReleasePackage(this.ocds, entry.logSeq, entry.noticeId!)) };
    }
    return { body: JSON.stringify(await this.message(entry)) };
  }

  /** Done without an attempt: delivered, with the reason as its note, and no attempt or success on record. */
  private async recordNotSent(entry: OutboxEntry, note: string) {
    const change: Partial<OutboxEntry> = {
      status: 'delivered',
      deliveredAt: this.clock.now(),
      lastAttemptAt: null,
      lastError: null,
      note,
    };
    await this.db.transaction((em) => em.update(OutboxEntry, { id: entry.id, status: 'pending' }, change));
  }

  private async record(entry: OutboxEntry, attempts: number, decision: Decision) {
    const now = this.clock.now();
    const change: Partial<OutboxEntry> =
      decision.action === 'delivered'
        ? { status: 'delivered', deliveredAt: now, attempts, lastError: null }
        : decision.action === 'retry'
          ? {
              attempts,
              nextAttemptAt: new Date(now.getTime() + decision.delayMs),
              lastError: decision.reason.slice(0, 2000),
            }
          : { status: 'parked', parkedAt: now, attempts, lastError: decision.reason.slice(0, 2000) };
    // Only a still-pending entry: if our claim ran out and another run delivered it meanwhile, that outcome stands.
    await this.db.transaction((em) => em.update(OutboxEntry, { id: entry.id, status: 'pending' }, change));
  }

  /** Parked: out of the relay's hands until staff re-drive it. Logged at error level and sent to the alert webhook. */
  private async parked(entry: OutboxEntry, upstream: UpstreamConfig, attempts: number, reason: string) {
    this.logger.error(
      `outbox ${entry.id} (${entry.idempotencyKey}) to ${upstream.name} parked after ${attempts} attempt(s): ${reason}`,
    );
    await this.alert({
      event: 'sync.outbox-parked',
      platform: this.config.platformCode,
      upstream: upstream.name,
      entryId: entry.id,
      idempotencyKey: entry.idempotencyKey,
      kind: entry.kind,
      projectId: entry.projectId,
      noticeId: entry.noticeId,
      attempts,
      reason,
      at: chinaDateTimeIso(this.clock.now()),
    });
  }

  private async alert(alert: Record<string, unknown>) {
    const hook = this.config.sync.alertWebhook;
    if (!hook) return;
    try {
      const answer = await this.http.request('POST', hook, {
        headers: { 'Content-Type': 'application/json; charset=utf-8' },
        body: JSON.stringify(alert),
        timeoutMs: this.config.sync.httpTimeoutMs,
      });
      if (answer.status >= 300) this.logger.warn(`alert webhook answered HTTP ${answer.status}`);
    } catch (e) {
      this.logger.warn(`alert webhook failed: ${(e as Error).message}`);
    }
  }

  /** The body of one attempt: built afresh each time, with the latest signed checkpoint of our log. */
  async message(entry: OutboxEntry): Promise<SyncMessage> {
    const links = { baseUrl: this.config.publicBaseUrl, ocidPrefix: this.config.ocidPrefix };
    const checkpoint = await this.transparency.latestCheckpoint();
    if (entry.kind === 'project') {
      const project = (await this.reads.projectsByIds([entry.projectId], true)).get(entry.projectId);
      if (!project) throw new Error(`project ${entry.projectId} not found`);
      return projectMessage(this.config.platformCode, chinaDateTimeIso(entry.createdAt), project, links, checkpoint);
    }
    const change = await this.reads.change(entry.logSeq!);
    return noticeMessage(this.config.platformCode, change.entry, change.notice, change.project, links, checkpoint);
  }
}

/** The receiver's message, when it answered with our JSON error shape, for the status page. */
function answerMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown; errors?: { field: string; message: string }[] };
    const fields = Array.isArray(body.errors)
      ? body.errors
          .slice(0, 5)
          .map((e) => `${e.field} ${e.message}`)
          .join('；')
      : '';
    return typeof body.message === 'string' ? `${body.message}${fields ? `（${fields}）` : ''}`.slice(0, 1000) : '';
  } catch {
    return text.slice(0, 200);
  }
}
