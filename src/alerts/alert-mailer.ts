import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import nodemailer, { type Mail } from 'nodemailer';
import { IsNull, LessThan } from 'typeorm';
import { Clock } from '../common/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { Database } from '../database/database.js';
import { forUpdateSkipLocked } from '../database/dialect.js';
import { chinaDate } from '../domain/china-time.js';
import type { JobContext } from '../jobs/job-runner.js';
import { PublishedReads } from '../published/published-reads.js';
import { noticePageUrl } from '../open-data/public-json.js';
import { filterInWords, filterOfSaved, filterTitle } from './alert-filter.js';
import {
  confirmationMail,
  queuedMail,
  noticesMail,
  redactAddresses,
  type MailContent,
  type MailItem,
} from './alert-mail.js';
import { Alert, AlertDelivery, AlertMail, AlertToken } from './alert.entities.js';
import { AlertsService } from './alerts.service.js';

const SEND_BATCH = 50;
/** How long the managing link of a mail keeps working: a year of newer mails each carry their own. */
const MANAGE_LINK_DAYS = 365;

/** The outcome of one SMTP attempt, decided by plain rules (retryDecision). */
export type SendFailure = { permanent: boolean; message: string };

/**
 * Turns recorded deliveries into mails and sends the outbox over SMTP (nodemailer), on one instance at a time
 * (the `alerts` job's lease).
 *
 * - compose: an immediate alert's unmailed deliveries become one mail per run (batched per ALERT_INTERVAL_MS);
 *   a daily alert's become the day's digest once it is ALERT_DIGEST_HOUR in China. The mail row and the
 *   deliveries' link to it are one transaction; its Message-ID is fixed then.
 * - send: each due mail is sent, then marked sent. A crash between the server's acceptance and the mark
 *   repeats that one mail, with the same Message-ID, never more. Connection errors and 4xx replies retry with
 *   backoff up to ALERT_MAIL_MAX_ATTEMPTS, then park; a 5xx parks at once and counts against the alert, which
 *   is paused after ALERT_PAUSE_AFTER_FAILURES of them in a row.
 */
@Injectable()
export class AlertMailer implements OnModuleDestroy {
  private readonly logger = new Logger('alerts');
  private readonly transport: Mail | null;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly reads: PublishedReads,
    private readonly alerts: AlertsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    const c = config.alerts;
    this.transport = c.smtpUrl
      ? nodemailer.createTransport({
          url: c.smtpUrl,
          // One connection kept open and reused (a new one per mail costs a greeting and EHLO each time).
          pool: true,
          maxConnections: 1,
          connectionTimeout: c.smtpTimeoutMs,
          greetingTimeout: c.smtpTimeoutMs,
          socketTimeout: c.smtpTimeoutMs,
          ...(c.dkim ? { dkim: c.dkim } : {}),
        } as Parameters<typeof nodemailer.createTransport>[0])
      : null;
  }

  onModuleDestroy() {
    this.transport?.close();
  }

  /** Batches unmailed deliveries of confirmed alerts with an address into mails; returns how many mails. */
  async compose(): Promise<number> {
    // E-mail off: deliveries stay in the private feeds; nothing is queued that could not be sent.
    if (!this.transport) return 0;
    const now = this.clock.now();
    const today = chinaDate(now);
    const digestTime = chinaHour(now) >= this.config.alerts.digestHour;
    const waiting: { alertId: unknown; frequency: string; lastDigestDay: string | null }[] = await this.db.manager
      .createQueryBuilder(AlertDelivery, 'd')
      .innerJoin(Alert, 'a', 'a.id = d.alert_id')
      .select('d.alert_id', 'alertId')
      .addSelect('a.frequency', 'frequency')
      .addSelect('a.last_digest_day', 'lastDigestDay')
      .where("d.mail_id IS NULL AND a.status = 'active' AND a.email IS NOT NULL")
      .groupBy('d.alert_id')
      .addGroupBy('a.frequency')
      .addGroupBy('a.last_digest_day')
      .getRawMany();
    let composed = 0;
    for (const w of waiting) {
      const digest = w.frequency === 'daily';
      if (digest && (!digestTime || (w.lastDigestDay !== null && w.lastDigestDay >= today))) continue;
      const alertId = Number(w.alertId);
      await this.db
        .transaction(async (em) => {
          const manageToken = await this.alerts.addToken(em, alertId, 'manage', null);
          // Every mail brings a fresh managing link; those older than a year stop working (newer mails hold one).
          await em.delete(AlertToken, {
            alertId,
            purpose: 'manage',
            createdAt: LessThan(new Date(now.getTime() - MANAGE_LINK_DAYS * 86_400_000)),
          });
          const mail = await em.save(
            em.create(
              AlertMail,
              queuedMail(
                { alertId, kind: digest ? 'digest' : 'notices', linkToken: manageToken },
                this.config.publicBaseUrl,
                now,
              ),
            ),
          );
          const linked = await em.update(AlertDelivery, { alertId, mailId: IsNull() }, { mailId: mail.id });
          if (!linked.affected) throw new Error('nothing to mail'); // another run took them: roll back
          if (digest) await em.update(Alert, { id: alertId }, { lastDigestDay: today });
        })
        .then(
          () => composed++,
          (e: Error) => this.logger.warn(`alert ${alertId}: mail not composed: ${e.message}`),
        );
    }
    return composed;
  }

  /** Sends the due mails; returns how many the server accepted. Without SMTP_URL nothing is sent. */
  async send(ctx: JobContext = { held: true }): Promise<number> {
    if (!this.transport) return 0;
    let sent = 0;
    while (ctx.held) {
      const due = await this.db.transaction((em) =>
        forUpdateSkipLocked(
          em
            .createQueryBuilder(AlertMail, 'm')
            .where("m.status = 'queued' AND m.next_attempt_at <= :now", { now: this.clock.now() })
            .orderBy('m.id', 'ASC')
            .limit(SEND_BATCH),
          this.db.dialect,
        ).getMany(),
      );
      if (!due.length) break;
      for (const mail of due) {
        if (!ctx.held) break;
        if (await this.sendOne(mail)) sent++;
      }
      if (due.length < SEND_BATCH) break;
    }
    return sent;
  }

  /** One attempt at one mail: true when the server accepted it. */
  async sendOne(mail: AlertMail): Promise<boolean> {
    const alert = await this.db.manager.findOneBy(Alert, { id: mail.alertId });
    if (!alert?.email || (mail.kind !== 'confirm' && alert.status === 'pending')) {
      await this.db.transaction((em) => em.delete(AlertMail, { id: mail.id }));
      return false;
    }
    if (mail.kind !== 'confirm' && alert.status === 'paused') {
      // Paused: kept for when it is resumed, looked at again in an hour.
      const later = new Date(this.clock.now().getTime() + 3600_000);
      await this.db.transaction((em) => em.update(AlertMail, { id: mail.id }, { nextAttemptAt: later }));
      return false;
    }
    const content = await this.content(mail, alert);
    if (!content) {
      await this.db.transaction((em) => em.delete(AlertMail, { id: mail.id }));
      return false;
    }
    const base = this.config.publicBaseUrl;
    const unsubscribe = mail.kind === 'confirm' ? null : `${base}/alerts/${mail.linkToken}/unsubscribe`;
    try {
      await this.transport!.sendMail({
        from: this.config.alerts.mailFrom,
        to: alert.email,
        subject: content.subject,
        text: content.text,
        html: content.html,
        messageId: mail.messageId,
        headers: unsubscribe
          ? { 'List-Unsubscribe': `<${unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
          : {},
      });
    } catch (e) {
      await this.failed(mail, alert, classify(e));
      return false;
    }
    await this.markSent(mail);
    return true;
  }

  /** Recorded after the server's acceptance: the one step whose loss repeats a mail (same Message-ID). */
  async markSent(mail: AlertMail): Promise<void> {
    await this.db.transaction(async (em) => {
      await em.update(
        AlertMail,
        { id: mail.id },
        { status: 'sent', sentAt: this.clock.now(), linkToken: null, attempts: mail.attempts + 1, lastError: null },
      );
      await em.update(Alert, { id: mail.alertId }, { failures: 0 });
    });
  }

  private async failed(mail: AlertMail, alert: Alert, failure: SendFailure) {
    const c = this.config.alerts;
    const attempts = mail.attempts + 1;
    const park = failure.permanent || attempts >= c.mailMaxAttempts;
    const message = redactAddresses(failure.message);
    this.logger.warn(`alert mail ${mail.id}: ${park ? 'parked' : 'will retry'}: ${message}`);
    await this.db.transaction(async (em) => {
      await em.update(
        AlertMail,
        { id: mail.id },
        park
          ? { status: 'parked', attempts, lastError: message, linkToken: null }
          : {
              attempts,
              lastError: message,
              nextAttemptAt: new Date(this.clock.now().getTime() + backoffMs(attempts, c.retryBaseMs, c.retryMaxMs)),
            },
      );
      if (failure.permanent) {
        const failures = alert.failures + 1;
        const pause = failures >= c.pauseAfterFailures && alert.status === 'active';
        await em.update(Alert, { id: alert.id }, pause ? { failures, status: 'paused' } : { failures });
        if (pause) this.logger.warn(`alert ${alert.id} paused after ${failures} refused mails`);
      }
    });
  }

  private async content(mail: AlertMail, alert: Alert): Promise<MailContent | null> {
    const base = this.config.publicBaseUrl;
    const site = this.config.site.name;
    const filter = filterOfSaved(alert.filter);
    if (mail.kind === 'confirm') {
      if (!mail.linkToken) return null;
      return confirmationMail({
        site,
        filterWords: filterInWords(filter),
        confirmUrl: `${base}/alerts/confirm/${mail.linkToken}`,
        hours: this.config.alerts.confirmHours,
      });
    }
    const deliveries = await this.db.manager.find(AlertDelivery, {
      where: { mailId: mail.id },
      order: { logSeq: 'ASC', id: 'ASC' },
    });
    const notices = await this.reads.noticesByIds([
      ...deliveries.map((d) => d.noticeId),
      ...deliveries.flatMap((d) => (d.targetNoticeId ? [d.targetNoticeId] : [])),
    ]);
    const links = { baseUrl: base, ocidPrefix: this.config.ocidPrefix };
    const items: MailItem[] = deliveries.flatMap((d) => {
      const n = notices.get(d.noticeId);
      if (!n) return [];
      const target = d.targetNoticeId ? notices.get(d.targetNoticeId) : undefined;
      return [
        {
          title: n.title,
          type: n.type,
          regionCode: n.regionCode,
          deadline: n.bidDeadline,
          url: noticePageUrl(links, n.id),
          kind: d.kind,
          follows: d.reason === 'follows' && target ? target.title : null,
        },
      ];
    });
    if (!items.length || !mail.linkToken) return null;
    return noticesMail({
      site,
      filterTitle: filterTitle(filter),
      filterWords: filterInWords(filter),
      items,
      manageUrl: `${base}/alerts/${mail.linkToken}`,
      unsubscribeUrl: `${base}/alerts/${mail.linkToken}/unsubscribe`,
      digest: mail.kind === 'digest',
    });
  }

  /** Counts of the outbox by status, for staff. */
  async outboxCounts(): Promise<Record<string, number>> {
    const rows: { status: string; n: unknown }[] = await this.db.manager
      .createQueryBuilder(AlertMail, 'm')
      .select('m.status', 'status')
      .addSelect('COUNT(*)', 'n')
      .groupBy('m.status')
      .getRawMany();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }
}

/** SMTP 5xx (the server refuses the message or the address for good): permanent; anything else may pass later. */
export function classify(e: unknown): SendFailure {
  const err = e as { responseCode?: number; code?: string; message?: string; response?: string };
  const code = typeof err.responseCode === 'number' ? err.responseCode : undefined;
  const message = `${err.code ?? 'error'}${code ? ` ${code}` : ''}: ${err.response ?? err.message ?? String(e)}`;
  return { permanent: code !== undefined && code >= 500 && code < 600, message };
}

/** Exponential backoff with equal jitter, as the platform push does. */
export function backoffMs(failures: number, baseMs: number, maxMs: number, random = Math.random): number {
  const step = Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(failures - 1, 40)));
  return Math.round(step / 2 + random() * (step / 2));
}

const chinaHour = (d: Date) => new Date(d.getTime() + 8 * 3600_000).getUTCHours();
