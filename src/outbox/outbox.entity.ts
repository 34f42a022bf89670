import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { bigintColumn, textColumn, timeColumn } from '../database/columns.js';

export type OutboxStatus = 'pending' | 'delivered' | 'parked';

/** One delivery owed to one upstream platform, written in the same transaction as the publication. */
@Entity('outbox')
export class OutboxEntry {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 64 })
  upstream: string;

  @Column(bigintColumn('log_seq'))
  logSeq: number;

  @Column({ name: 'project_id', type: 'varchar', length: 80 })
  projectId: string;

  @Column({ name: 'notice_id', type: 'varchar', length: 80, nullable: true })
  noticeId: string | null;

  /** 'project' (the project's record, sent before its first notice) or the publication event kind. */
  @Column({ type: 'varchar', length: 16 })
  kind: string;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 160 })
  idempotencyKey: string;

  @Column({ type: 'varchar', length: 16 })
  status: OutboxStatus;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  /** When the relay may try next. While an attempt is in flight it is pushed ahead (the claim), so a sender that
   *  dies mid-attempt leaves the entry to be retried once the claim runs out. */
  @Column(timeColumn('next_attempt_at'))
  nextAttemptAt: Date;

  @Column(textColumn('last_error', { nullable: true }))
  lastError: string | null;

  @Column(timeColumn('created_at'))
  createdAt: Date;

  @Column(timeColumn('delivered_at', { nullable: true }))
  deliveredAt: Date | null;

  @Column(timeColumn('last_attempt_at', { nullable: true }))
  lastAttemptAt: Date | null;

  @Column(timeColumn('parked_at', { nullable: true }))
  parkedAt: Date | null;

  /**
   * Set when the entry counts as delivered although nothing was sent, and why (an OCDS upstream takes no
   * separate project record): the status page counts these apart from acknowledged deliveries.
   */
  @Column({ type: 'varchar', length: 500, nullable: true })
  note: string | null;
}
