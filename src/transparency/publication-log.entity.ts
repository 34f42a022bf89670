import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintColumn, integerTransformer, timeColumn } from '../database/columns.js';

export type PublicationEventKind = 'publication' | 'correction' | 'withdrawal';

/**
 * The append-only publication log. One entry per publication, correction and withdrawal, numbered in commit
 * order (see PublicationLogWriter) and hash-chained. It is at once the change feed and the transparency log.
 */
@Entity('publication_log')
export class PublicationLogEntry {
  @PrimaryColumn({ type: 'bigint', transformer: integerTransformer })
  seq: number;

  @Column({ type: 'varchar', length: 16 })
  kind: PublicationEventKind;

  @Column({ name: 'notice_id', type: 'varchar', length: 80 })
  noticeId: string;

  @Column({ name: 'project_id', type: 'varchar', length: 80 })
  projectId: string;

  @Column(timeColumn('recorded_at'))
  recordedAt: Date;

  @Column({ name: 'content_hash', type: 'varchar', length: 64 })
  contentHash: string;

  @Column({ name: 'prev_hash', type: 'varchar', length: 64 })
  prevHash: string;

  @Column({ name: 'entry_hash', type: 'varchar', length: 64 })
  entryHash: string;
}

/** The single row that serialises appends: its row lock is held until the publishing transaction commits. */
@Entity('publication_log_head')
export class PublicationLogHead {
  @PrimaryColumn({ type: 'int' })
  id: number;

  @Column(bigintColumn('seq'))
  seq: number;

  @Column({ type: 'varchar', length: 64 })
  hash: string;
}
