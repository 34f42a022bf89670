import { Inject, Injectable } from '@nestjs/common';
import { IsNull, LessThan, MoreThan, Not, type EntityManager } from 'typeorm';
import { AuditService, type AuditActor } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { Database } from '../database/database.js';
import { AppError, notFound } from '../http/app-error.js';
import { PublishedReads } from '../published/published-reads.js';
import type { NoticeFilter } from '../trading/notice-filter.js';
import type { Notice } from '../trading/notice.entity.js';
import {
  emailHash,
  filterInWords,
  filterOfSaved,
  isTokenShaped,
  keywordKeys,
  matchKey,
  newToken,
  normaliseEmail,
  savedQuery,
  sha256,
  tokenHash,
  wordKey,
} from './alert-filter.js';
import {
  Alert,
  AlertDelivery,
  AlertMail,
  AlertSignUp,
  AlertToken,
  type AlertFrequency,
  type AlertTokenPurpose,
} from './alert.entities.js';
import { queuedMail } from './alert-mail.js';

const HOUR_MS = 3600_000;
export const FEED_ITEMS = 50;
const ADDRESS_LIST_MAX = 1000;

export interface SignUp {
  filter: NoticeFilter;
  email?: unknown;
  frequency?: unknown;
  ip: string | null;
}

/** What a new or confirmed alert's owner is shown once: the managing and the feed link's tokens. */
export interface AlertLinks {
  alert: Alert;
  manageToken: string;
  feedToken: string;
}

/**
 * Sign-up with double opt-in, confirmation, management and the private feed's data. Tokens are random and kept
 * as their sha256 only; every change is one transaction; a token that does not exist is a 404 that writes
 * nothing.
 */
@Injectable()
export class AlertsService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly reads: PublishedReads,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get mailOn(): boolean {
    return this.config.alerts.smtpUrl !== null;
  }

  /**
   * A new alert. With an address (e-mail on): pending, with an expiring confirmation token and the confirmation
   * mail queued — the only mail an unconfirmed address ever gets. Without one: a feed-only alert, active at once.
   */
  async signUp(input: SignUp): Promise<{ pending: true } | ({ pending: false } & AlertLinks)> {
    const limits = this.config.alerts;
    const frequency = parseFrequency(input.frequency);
    // E-mail off, or no address given: a feed-only alert.
    const noAddress = input.email === undefined || (typeof input.email === 'string' && input.email.trim() === '');
    const email = !this.mailOn || noAddress ? null : normaliseEmail(input.email);
    const now = this.clock.now();
    const ipHash = input.ip ? sha256(`alert-ip:${input.ip}`) : null;
    const filterJson = JSON.stringify(savedQuery(input.filter));
    const key = matchKey(input.filter);
    // Indexed by the key of its keyword that the fewest notices hold now: the rarest word reaches the fewest.
    const word = wordKey(input.filter, await this.reads.searchKeyCounts(keywordKeys(input.filter)));
    return this.db.transaction(async (em) => {
      if (ipHash) {
        // Counted from the sign-ups, not the alerts: deleting alerts makes no room for more.
        await em.delete(AlertSignUp, { createdAt: LessThan(new Date(now.getTime() - 24 * HOUR_MS)) });
        const fromIp = await em.countBy(AlertSignUp, {
          ipHash,
          createdAt: MoreThan(new Date(now.getTime() - HOUR_MS)),
        });
        if (fromIp >= limits.signupsPerIpPerHour)
          throw new AppError(
            'rate-limited',
            `此网络地址一小时内的订阅次数已达 ${limits.signupsPerIpPerHour} 次，请稍后再试`,
            [],
            {
              retryAfter: 3600,
            },
          );
        // Rolled back with the sign-up when it is refused below (bad input writes nothing).
        await em.insert(AlertSignUp, { ipHash, createdAt: now });
      }
      if (email === null) {
        const alert = await em.save(
          em.create(Alert, {
            email: null,
            emailHash: null,
            filter: filterJson,
            matchKey: key,
            wordKey: word,
            frequency,
            status: 'active',
            fromSeq: (await this.reads.dataVersion()).seq,
            failures: 0,
            ipHash,
            lastDigestDay: null,
            createdAt: now,
            confirmedAt: now,
          }),
        );
        return { pending: false as const, ...(await this.issueLinks(em, alert)) };
      }
      const hash = emailHash(email);
      const held = await em.countBy(Alert, { emailHash: hash });
      if (held >= limits.maxPerAddress)
        throw new AppError(
          'alert.too-many',
          `这个电子邮件地址已有 ${limits.maxPerAddress} 个订阅，已达上限；请先在订阅邮件中的管理链接删除不需要的订阅`,
        );
      const unconfirmedToday = await em.countBy(Alert, {
        emailHash: hash,
        confirmedAt: IsNull(),
        createdAt: MoreThan(new Date(now.getTime() - 24 * HOUR_MS)),
      });
      if (unconfirmedToday >= limits.signupsPerAddressPerDay)
        throw new AppError('rate-limited', '这个电子邮件地址今天已收到多封确认邮件，请先确认或明天再试', [], {
          retryAfter: 24 * 3600,
        });
      const alert = await em.save(
        em.create(Alert, {
          email,
          emailHash: hash,
          filter: filterJson,
          matchKey: key,
          frequency,
          status: 'pending',
          fromSeq: 0,
          failures: 0,
          ipHash,
          lastDigestDay: null,
          createdAt: now,
          confirmedAt: null,
        }),
      );
      const token = await this.addToken(
        em,
        alert.id,
        'confirm',
        new Date(now.getTime() + limits.confirmHours * HOUR_MS),
      );
      await em.insert(
        AlertMail,
        queuedMail({ alertId: alert.id, kind: 'confirm', linkToken: token }, this.config.publicBaseUrl, now),
      );
      return { pending: true as const };
    });
  }

  /** The pending alert a confirmation link opens: 404 for no such link, 410 once it has expired. */
  async pendingAlert(token: string): Promise<Alert> {
    const row = await this.token(this.db.manager, token, 'confirm');
    if (row.expiresAt && row.expiresAt <= this.clock.now())
      throw new AppError('alert.link-expired', '确认链接已过期，请重新订阅');
    const alert = await this.db.manager.findOneBy(Alert, { id: row.alertId, status: 'pending' });
    if (!alert) throw notFound('订阅');
    return alert;
  }

  /** Confirms: the alert becomes active from the log's current head; the link is used up; links are issued. */
  async confirm(token: string): Promise<AlertLinks> {
    const now = this.clock.now();
    const head = (await this.reads.dataVersion()).seq;
    return this.db.transaction(async (em) => {
      const row = await this.token(em, token, 'confirm');
      if (row.expiresAt && row.expiresAt <= now) throw new AppError('alert.link-expired', '确认链接已过期，请重新订阅');
      const alert = await em.findOneBy(Alert, { id: row.alertId, status: 'pending' });
      if (!alert) throw notFound('订阅');
      await em.delete(AlertToken, { hash: row.hash });
      alert.status = 'active';
      alert.confirmedAt = now;
      alert.fromSeq = head;
      await em.save(alert);
      return this.issueLinks(em, alert);
    });
  }

  /** The alert a managing link opens (404 otherwise; pending alerts have no managing link). */
  async managed(token: string, em: EntityManager = this.db.manager): Promise<Alert> {
    const row = await this.token(em, token, 'manage');
    const alert = await em.findOneBy(Alert, { id: row.alertId });
    if (!alert) throw notFound('订阅');
    return alert;
  }

  async setFrequency(token: string, frequency: unknown): Promise<void> {
    const value = parseFrequency(frequency);
    await this.db.transaction(async (em) => {
      const alert = await this.managed(token, em);
      await em.update(Alert, { id: alert.id }, { frequency: value });
    });
  }

  async setPaused(token: string, paused: boolean): Promise<void> {
    await this.db.transaction(async (em) => {
      const alert = await this.managed(token, em);
      // Resuming also forgets the refusals that paused it: the owner says the address works again.
      await em.update(Alert, { id: alert.id }, paused ? { status: 'paused' } : { status: 'active', failures: 0 });
    });
  }

  /** Deletes the alert and everything of it: its address, tokens, deliveries and mails. */
  async remove(token: string): Promise<void> {
    await this.db.transaction(async (em) => {
      const alert = await this.managed(token, em);
      await this.deleteAlert(em, alert.id);
    });
  }

  /** A new private feed link; the old one stops working. */
  async renewFeedToken(token: string): Promise<{ alert: Alert; feedToken: string }> {
    return this.db.transaction(async (em) => {
      const alert = await this.managed(token, em);
      await em.delete(AlertToken, { alertId: alert.id, purpose: 'feed' });
      return { alert, feedToken: await this.addToken(em, alert.id, 'feed', null) };
    });
  }

  /** The alert of a private feed link and its newest deliveries with their notices (newest first). */
  async feed(token: string): Promise<{ alert: Alert; filter: NoticeFilter; notices: Notice[] }> {
    const row = await this.token(this.db.manager, token, 'feed');
    const alert = await this.db.manager.findOneBy(Alert, { id: row.alertId });
    if (!alert) throw notFound('订阅');
    const deliveries = await this.db.manager.find(AlertDelivery, {
      where: { alertId: alert.id },
      order: { logSeq: 'DESC', id: 'DESC' },
      take: FEED_ITEMS,
    });
    const notices = await this.reads.noticesByIds(deliveries.map((d) => d.noticeId));
    return {
      alert,
      filter: filterOfSaved(alert.filter),
      notices: deliveries.map((d) => notices.get(d.noticeId)).filter((n): n is Notice => n !== undefined),
    };
  }

  /** Counts for staff: never an address. */
  async counts(): Promise<{ status: string; frequency: string; email: boolean; alerts: number }[]> {
    const rows: { status: string; frequency: string; email: unknown; alerts: unknown }[] = await this.db.manager
      .createQueryBuilder(Alert, 'a')
      .select('a.status', 'status')
      .addSelect('a.frequency', 'frequency')
      .addSelect('CASE WHEN a.email IS NULL THEN 0 ELSE 1 END', 'email')
      .addSelect('COUNT(*)', 'alerts')
      .groupBy('a.status')
      .addGroupBy('a.frequency')
      .addGroupBy('CASE WHEN a.email IS NULL THEN 0 ELSE 1 END')
      .orderBy('a.status')
      .getRawMany();
    return rows.map((r) => ({
      status: r.status,
      frequency: r.frequency,
      email: Number(r.email) === 1,
      alerts: Number(r.alerts),
    }));
  }

  /**
   * The addresses, for an administrator who must see them (a complaint, a request under the personal
   * information law): reading them is itself recorded in the audit log, with the count and never an address.
   */
  async addressList(
    actor: AuditActor,
  ): Promise<{ id: number; email: string; words: string[]; status: string; frequency: string; createdAt: Date }[]> {
    return this.db.transaction(async (em) => {
      const rows = await em.find(Alert, {
        where: { email: Not(IsNull()) },
        order: { id: 'ASC' },
        take: ADDRESS_LIST_MAX,
      });
      await this.audit.record(em, actor, 'alert.addresses-viewed', 'alert', '*', null, { shown: rows.length });
      return rows.map((a) => ({
        id: a.id,
        email: a.email!,
        words: filterInWords(filterOfSaved(a.filter)),
        status: a.status,
        frequency: a.frequency,
        createdAt: a.createdAt,
      }));
    });
  }

  /** Unconfirmed alerts whose link has expired are deleted with their address. */
  async deleteExpiredPending(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - this.config.alerts.confirmHours * HOUR_MS);
    const stale = await this.db.manager.find(Alert, {
      select: { id: true },
      where: { status: 'pending', createdAt: LessThan(cutoff) },
      take: 500,
    });
    if (!stale.length) return 0;
    await this.db.transaction(async (em) => {
      for (const a of stale) await this.deleteAlert(em, a.id);
    });
    return stale.length;
  }

  async deleteAlert(em: EntityManager, alertId: number): Promise<void> {
    await em.delete(AlertToken, { alertId });
    await em.delete(AlertDelivery, { alertId });
    await em.delete(AlertMail, { alertId });
    await em.delete(Alert, { id: alertId });
  }

  async addToken(
    em: EntityManager,
    alertId: number,
    purpose: AlertTokenPurpose,
    expiresAt: Date | null,
  ): Promise<string> {
    const token = newToken();
    await em.insert(AlertToken, { hash: tokenHash(token), alertId, purpose, expiresAt, createdAt: this.clock.now() });
    return token;
  }

  private async issueLinks(em: EntityManager, alert: Alert): Promise<AlertLinks> {
    return {
      alert,
      manageToken: await this.addToken(em, alert.id, 'manage', null),
      feedToken: await this.addToken(em, alert.id, 'feed', null),
    };
  }

  private async token(em: EntityManager, token: string, purpose: AlertTokenPurpose): Promise<AlertToken> {
    if (!isTokenShaped(token)) throw notFound('订阅');
    const row = await em.findOneBy(AlertToken, { hash: tokenHash(token), purpose });
    if (!row) throw notFound('订阅');
    return row;
  }
}

export function parseFrequency(raw: unknown): AlertFrequency {
  if (raw === undefined || raw === '' || raw === 'immediate') return 'immediate';
  if (raw === 'daily') return 'daily';
  throw new AppError('validation.failed', '发送频率应为 immediate（即时）或 daily（每日汇总）', [
    { field: 'frequency', message: '发送频率应为即时或每日汇总' },
  ]);
}
