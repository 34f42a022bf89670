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
}
