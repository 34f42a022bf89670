import { Injectable, Logger } from '@nestjs/common';
import { In, IsNull, LessThan } from 'typeorm';
import type { Notice } from '../trading/notice.entity.js';
import { Database } from '../database/database.js';
import type { JobContext } from '../jobs/job-runner.js';
import { PublishedReads, type PublicChange } from '../published/published-reads.js';
import { Clock } from '../common/clock.js';
import { filterOfSaved, noticeMatchKeys } from './alert-filter.js';
import { Alert, AlertCursor, AlertDelivery } from './alert.entities.js';

const CURSOR = 'matcher';
const BATCH = 200;
/** Word keys per IN list (a long notice holds thousands): well under either database's parameter limit. */
const WORDS_PER_QUERY = 1000;

/**
 * Follows the publication log (the change feed's log) from a stored cursor, in seq order, which is commit order.
 * For each entry it finds the alerts that receive it and, in one transaction, records a delivery per alert and
 * moves the cursor past the entry: a crash or restart resumes at the first entry not recorded, so each notice is
 * recorded once per alert. A recorded delivery without a mail is the queued mail (AlertMailer batches them).
 *
 * Which alerts: those whose index key can match the notice (alert-filter.ts noticeMatchKeys: 16 keys, however
 * many alerts there are), confirmed before the entry, each checked by the /notices list's own query with
 * `n.id = :id` (PublishedReads.listIncludes); and for a correction or withdrawal, every alert that received
 * the notice it targets.
 */
@Injectable()
export class AlertMatcher {
  private readonly logger = new Logger('alerts');

  constructor(
    private readonly db: Database,
    private readonly reads: PublishedReads,
    private readonly clock: Clock,
  ) {}

  /** Matches every entry after the cursor; returns how many entries it went past. */
  async run(ctx: JobContext = { held: true }): Promise<number> {
    let cursor = await this.cursor();
    let done = 0;
    while (ctx.held) {
      const changes = await this.reads.changes(cursor, BATCH);
      if (!changes.length) break;
      for (const change of changes) {
        if (!ctx.held) break;
        const deliveries = await this.deliveriesOf(change);
        await this.record(cursor, change.entry.seq, deliveries);
        cursor = change.entry.seq;
        done++;
      }
      if (changes.length < BATCH) break;
    }
    return done;
  }

  /**
   * The stored cursor. On the very first run: the earliest point any confirmed alert starts from (its from_seq),
   * or the log's head when there is none — nothing before it can be owed to anybody.
   */
  private async cursor(): Promise<number> {
    const row = await this.db.manager.findOneBy(AlertCursor, { name: CURSOR });
    if (row) return row.seq;
    const earliest = await this.db.manager
      .createQueryBuilder(Alert, 'a')
      .select('MIN(a.from_seq)', 'seq')
      .where("a.status <> 'pending'")
      .getRawOne<{ seq: unknown }>();
    const head =
      earliest?.seq === null || earliest?.seq === undefined
        ? (await this.reads.dataVersion()).seq
        : Number(earliest.seq);
    await this.db.transaction((em) =>
      em.createQueryBuilder().insert().into(AlertCursor).values({ name: CURSOR, seq: head }).orIgnore().execute(),
    );
    return (await this.db.manager.findOneByOrFail(AlertCursor, { name: CURSOR })).seq;
  }

  /** The deliveries one log entry makes (read only; `run` records them). */
  async deliveriesOf(change: PublicChange): Promise<Omit<AlertDelivery, 'id' | 'mailId' | 'createdAt'>[]> {
    const { entry, notice } = change;
    if (!notice) return [];
    const base = { noticeId: notice.id, logSeq: entry.seq, kind: entry.kind, targetNoticeId: notice.targetNoticeId };
    const out = new Map<number, Omit<AlertDelivery, 'id' | 'mailId' | 'createdAt'>>();
    const candidates = await this.candidates(notice, entry.seq);
    for (const alert of candidates) {
      if (await this.reads.listIncludes(filterOfSaved(alert.filter), notice.id))
        out.set(alert.id, { alertId: alert.id, reason: 'match', ...base });
    }
    if (notice.targetNoticeId && entry.kind !== 'publication') {
      const received = await this.db.manager
        .createQueryBuilder(AlertDelivery, 'd')
        .innerJoin(Alert, 'a', 'a.id = d.alert_id')
        .select('d.alert_id', 'alertId')
        .where('d.notice_id = :target AND a.status = :active', { target: notice.targetNoticeId, active: 'active' })
        .getRawMany<{ alertId: number | string }>();
      for (const r of received) {
        const alertId = Number(r.alertId);
        if (!out.has(alertId)) out.set(alertId, { alertId, reason: 'follows', ...base });
      }
    }
    return [...out.values()];
  }

  /**
   * The alerts that can match the notice, read by index: those without a keyword under one of its 16 filter
   * keys (ix_alert_match), and those whose word key its text holds (ix_alert_word), kept when their filter key
   * is one of the 16. Either read follows the alerts that can match, not the alerts there are.
   */
  async candidates(
    notice: Pick<Notice, 'id' | 'category' | 'type' | 'regionCode'>,
    seq: number,
  ): Promise<Pick<Alert, 'id' | 'filter'>[]> {
    const keys = noticeMatchKeys(notice);
    const found = await this.db.manager.find(Alert, {
      where: { matchKey: In(keys), wordKey: IsNull(), status: 'active', fromSeq: LessThan(seq) },
      select: { id: true, filter: true },
    });
    const words = await this.reads.searchKeys(notice.id);
    const keySet = new Set(keys);
    for (let i = 0; i < words.length; i += WORDS_PER_QUERY) {
      const worded = await this.db.manager.find(Alert, {
        where: { wordKey: In(words.slice(i, i + WORDS_PER_QUERY)), status: 'active', fromSeq: LessThan(seq) },
        select: { id: true, filter: true, matchKey: true },
      });
      found.push(...worded.filter((a) => keySet.has(a.matchKey)));
    }
    return found;
  }

  /** The entry's deliveries and the cursor past it, together; a cursor moved by someone else aborts both. */
  private async record(from: number, to: number, deliveries: Omit<AlertDelivery, 'id' | 'mailId' | 'createdAt'>[]) {
    const now = this.clock.now();
    await this.db.transaction(async (em) => {
      const moved = await em
        .createQueryBuilder()
        .update(AlertCursor)
        .set({ seq: to })
        .where('name = :name AND seq = :from', { name: CURSOR, from })
        .execute();
      if (moved.affected !== 1) throw new Error(`alert matcher: cursor is no longer at ${from}; another run moved it`);
      for (let i = 0; i < deliveries.length; i += 500)
        await em
          .createQueryBuilder()
          .insert()
          .into(AlertDelivery)
          .values(deliveries.slice(i, i + 500).map((d) => ({ ...d, mailId: null, createdAt: now })))
          .orIgnore()
          .execute();
      // An alert deleted since it was found (unsubscribed meanwhile) keeps no delivery.
      if (deliveries.length)
        await em
          .createQueryBuilder()
          .delete()
          .from(AlertDelivery)
          .where('notice_id = :noticeId AND alert_id NOT IN (SELECT a.id FROM alert a)', {
            noticeId: deliveries[0].noticeId,
          })
          .execute();
    });
    if (deliveries.length) this.logger.debug(`log entry ${to}: ${deliveries.length} alert deliveries`);
  }
}
