import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { bigintColumn, jsonColumn, textColumn, timeColumn } from '../database/columns.js';

/** A nonce seen at /api/v1/ingest, kept until its timestamp leaves the signature window (replay protection). */
@Entity('sync_nonce')
export class SyncNonce {
  @PrimaryColumn({ name: 'key_id', type: 'varchar', length: 64 })
  keyId: string;

  @PrimaryColumn({ type: 'varchar', length: 128 })
  nonce: string;

  @Column(timeColumn('expires_at'))
  expiresAt: Date;
}

/** One message applied at /api/v1/ingest: a repeat of its Idempotency-Key gets `result` again and changes nothing. */
@Entity('sync_receipt')
export class SyncReceipt {
  @PrimaryGeneratedColumn()
  id: number;

  /** 交易平台标识码 of the sender (from its key), so one sender's keys never collide with another's. */
  @Column({ type: 'varchar', length: 24 })
  platform: string;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 160 })
  idempotencyKey: string;

  /** Hash of the record the key was first used for: the same key with another record is refused. */
  @Column({ name: 'record_hash', type: 'varchar', length: 64 })
  recordHash: string;

  @Column(jsonColumn('result'))
  result: Record<string, unknown>;

  @Column(timeColumn('received_at'))
  receivedAt: Date;
}

/** Where the pull of one peer's change feed stands. The cursor moves in the transaction that applies the page. */
@Entity('sync_peer')
export class SyncPeerState {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  name: string;

  /** The peer's opaque cursor after the last applied page; null: from the beginning. */
  @Column({ type: 'varchar', length: 500, nullable: true })
  cursor: string | null;

  @Column(bigintColumn('applied', { default: 0 }))
  applied: number;

  /** Failed runs since the last success. */
  @Column({ type: 'int', default: 0 })
  failures: number;

  @Column(timeColumn('last_success_at', { nullable: true }))
  lastSuccessAt: Date | null;

  @Column(timeColumn('last_attempt_at', { nullable: true }))
  lastAttemptAt: Date | null;

  @Column(textColumn('last_error', { nullable: true }))
  lastError: string | null;

  /**
   * The change the pull is stalled on: the importer rejected it, so the cursor stays before its page until the
   * peer's data or ours changes, or staff skip it (sync_skip). Null when the last rejection has been passed.
   * Failures of another kind (peer down, not a feed) leave this as it was: they say nothing about the change.
   */
  @Column({ name: 'stalled_change_id', type: 'varchar', length: 80, nullable: true })
  stalledChangeId: string | null;

  /** The peer's publication-log seq of that change, when its feed gives one. */
  @Column(bigintColumn('stalled_seq', { nullable: true }))
  stalledSeq: number | null;

  @Column({ name: 'stalled_kind', type: 'varchar', length: 16, nullable: true })
  stalledKind: string | null;

  @Column(textColumn('stalled_error', { nullable: true }))
  stalledError: string | null;

  @Column(timeColumn('stalled_at', { nullable: true }))
  stalledAt: Date | null;
}

/**
 * A change of a peer's feed that staff chose not to apply (a permanently invalid record the pull stalled on),
 * with who, why and the importer's error. The pull leaves it out of every page, so it moves the cursor past
 * exactly this change (and never stalls on it again, even if the cursor is reset); `passedAt` says when it did.
 * Each skip is also in the audit log (action sync.skip-change).
 */
@Entity('sync_skip')
export class SyncSkip {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 64 })
  peer: string;

  /** The id of the notice the change carries, as the peer's feed gives it. */
  @Column({ name: 'change_id', type: 'varchar', length: 80 })
  changeId: string;

  @Column(bigintColumn('seq', { nullable: true }))
  seq: number | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  kind: string | null;

  /** The peer's cursor the pull was stalled at: the change is in the page that follows it. */
  @Column({ type: 'varchar', length: 500, nullable: true })
  cursor: string | null;

  /** Why the importer rejected it. */
  @Column(textColumn('error'))
  error: string;

  /** Why staff skipped it. */
  @Column(textColumn('reason'))
  reason: string;

  @Column({ name: 'skipped_by_id', type: 'int', nullable: true })
  skippedById: number | null;

  @Column({ name: 'skipped_by', type: 'varchar', length: 64 })
  skippedBy: string;

  @Column(timeColumn('skipped_at'))
  skippedAt: Date;

  /** When a pull applied the page around it and moved the cursor past it; null until then. */
  @Column(timeColumn('passed_at', { nullable: true }))
  passedAt: Date | null;

  @Column({ name: 'passed_cursor', type: 'varchar', length: 500, nullable: true })
  passedCursor: string | null;
}
