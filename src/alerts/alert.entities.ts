import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { bigintColumn, textColumn, timeColumn } from '../database/columns.js';

export type AlertStatus = 'pending' | 'active' | 'paused';
export type AlertFrequency = 'immediate' | 'daily';

/**
 * A saved search (/alerts): the filters and `q` as chosen, who gets it (an address, or nobody: a feed-only
 * alert) and how often. `match_key` indexes it by category, type and region, so that a publication is tested
 * against the alerts that can match it, not all of them (alert-filter.ts).
 */
@Entity('alert')
export class Alert {
  @PrimaryGeneratedColumn()
  id: number;

  /** Personal data: never shown publicly, never logged, deleted with the alert. */
  @Column({ type: 'varchar', length: 254, nullable: true })
  email: string | null;

  /** sha256 of the lower-cased address: counts per address without reading addresses. */
  @Column({ name: 'email_hash', type: 'varchar', length: 64, nullable: true })
  emailHash: string | null;

  /** The saved filter as query-string pairs (filterToQuery), JSON. */
  @Column(textColumn('filter'))
  filter: string;

  @Column({ name: 'match_key', type: 'varchar', length: 80 })
  matchKey: string;

  /** One search key of its keyword that every matching notice holds (alert-filter.ts wordKey); null without `q`. */
  @Column({ name: 'word_key', type: 'varchar', length: 40, nullable: true })
  wordKey: string | null;

  @Column({ type: 'varchar', length: 16 })
  frequency: AlertFrequency;

  @Column({ type: 'varchar', length: 16 })
  status: AlertStatus;

  /** The publication log's head when it was confirmed: it receives what is published after. */
  @Column(bigintColumn('from_seq', { default: 0 }))
  fromSeq: number;

  /** Mails refused permanently in a row (reset by a mail that is accepted). */
  @Column({ type: 'int', default: 0 })
  failures: number;

  @Column({ name: 'ip_hash', type: 'varchar', length: 64, nullable: true })
  ipHash: string | null;

  /** China date of the last daily digest composed. */
  @Column({ name: 'last_digest_day', type: 'varchar', length: 10, nullable: true })
  lastDigestDay: string | null;

  @Column(timeColumn('created_at'))
  createdAt: Date;

  @Column(timeColumn('confirmed_at', { nullable: true }))
  confirmedAt: Date | null;
}

export type AlertTokenPurpose = 'confirm' | 'manage' | 'feed';

/** A token of an alert, kept as its sha256 only: confirmation (expiring), management, or the private feed. */
@Entity('alert_token')
export class AlertToken {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  hash: string;

  @Column({ name: 'alert_id', type: 'int' })
  alertId: number;

  @Column({ type: 'varchar', length: 16 })
  purpose: AlertTokenPurpose;

  @Column(timeColumn('expires_at', { nullable: true }))
  expiresAt: Date | null;

  @Column(timeColumn('created_at'))
  createdAt: Date;
}

/**
 * A notice recorded for an alert, once (unique alert, notice): by its filter (`reason` match) or because it
 * corrects or withdraws a notice the alert received (`follows`). `mail_id` null: not yet in a mail.
 */
@Entity('alert_delivery')
export class AlertDelivery {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'alert_id', type: 'int' })
  alertId: number;

  @Column({ name: 'notice_id', type: 'varchar', length: 80 })
  noticeId: string;

  @Column(bigintColumn('log_seq'))
  logSeq: number;

  @Column({ type: 'varchar', length: 16 })
  kind: 'publication' | 'correction' | 'withdrawal';

  @Column({ type: 'varchar', length: 16 })
  reason: 'match' | 'follows';

  @Column({ name: 'target_notice_id', type: 'varchar', length: 80, nullable: true })
  targetNoticeId: string | null;

  @Column({ name: 'mail_id', type: 'int', nullable: true })
  mailId: number | null;

  @Column(timeColumn('created_at'))
  createdAt: Date;
}

export type AlertMailStatus = 'queued' | 'sent' | 'parked';

/** One mail of the outbox: a confirmation, or a batch of deliveries (its Message-ID is fixed when it is queued). */
@Entity('alert_mail')
export class AlertMail {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'alert_id', type: 'int' })
  alertId: number;

  @Column({ type: 'varchar', length: 16 })
  kind: 'confirm' | 'notices' | 'digest';

  @Column({ name: 'message_id', type: 'varchar', length: 200 })
  messageId: string;

  @Column({ name: 'link_token', type: 'varchar', length: 64, nullable: true })
  linkToken: string | null;

  @Column({ type: 'varchar', length: 16 })
  status: AlertMailStatus;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column(timeColumn('next_attempt_at'))
  nextAttemptAt: Date;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError: string | null;

  @Column(timeColumn('created_at'))
  createdAt: Date;

  @Column(timeColumn('sent_at', { nullable: true }))
  sentAt: Date | null;
}

/** How far the matcher has followed the publication log. */
@Entity('alert_cursor')
export class AlertCursor {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  name: string;

  @Column(bigintColumn('seq'))
  seq: number;
}

/** One sign-up from a client address (hashed): what the per-address limit counts, whatever became of the alert. */
@Entity('alert_signup')
export class AlertSignUp {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'ip_hash', type: 'varchar', length: 64 })
  ipHash: string;

  @Column(timeColumn('created_at'))
  createdAt: Date;
}

export const ALERTS_ENTITIES = [Alert, AlertToken, AlertDelivery, AlertMail, AlertCursor, AlertSignUp];
