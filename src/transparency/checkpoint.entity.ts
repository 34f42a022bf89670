import { Column, Entity, PrimaryColumn } from 'typeorm';
import { integerTransformer, textColumn, timeColumn } from '../database/columns.js';

/**
 * A signed statement of the log's head: "entry `seq` has hash `hash`". The primary key on seq lets several
 * instances race to record the same head: one row wins, the others' inserts are ignored.
 */
@Entity('transparency_checkpoint')
export class TransparencyCheckpoint {
  @PrimaryColumn({ type: 'bigint', transformer: integerTransformer })
  seq: number;

  @Column({ type: 'varchar', length: 64 })
  hash: string;

  @Column(timeColumn('recorded_at'))
  recordedAt: Date;

  /** 交易平台标识码 of the portal that signed it (part of the signed statement). */
  @Column({ type: 'varchar', length: 24 })
  platform: string;

  @Column({ name: 'key_fingerprint', type: 'varchar', length: 64 })
  keyFingerprint: string;

  /** Base64 Ed25519 signature of checkpointStatement (canonical.ts). */
  @Column({ type: 'varchar', length: 128 })
  signature: string;
}

/**
 * Every key that has signed checkpoints, so old checkpoints stay verifiable after a key change. The private key is
 * kept only for a key the portal generated itself (LOG_SIGNING_KEY unset); `generated` is unique, so instances
 * racing to generate one agree on a single key.
 */
@Entity('transparency_signing_key')
export class TransparencySigningKey {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  fingerprint: string;

  @Column(textColumn('public_key_pem'))
  publicKeyPem: string;

  @Column(textColumn('private_key_pem', { nullable: true }))
  privateKeyPem: string | null;

  /** 1 for the generated key, null for configured ones (GENERATED is a reserved word in MySQL 8). */
  @Column({ name: 'generated_key', type: 'int', nullable: true })
  generated: number | null;

  @Column(timeColumn('created_at'))
  createdAt: Date;
}
