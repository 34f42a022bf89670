import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintColumn, integerTransformer, timeColumn } from '../database/columns.js';
import { ANNUAL_REPORT_KIND } from './canonical.js';

export { ANNUAL_REPORT_KIND };

/** What a trading notice's publication records: the change feed, OCDS, the pushes and alerts follow these. */
export type NoticeEventKind = 'publication' | 'correction' | 'withdrawal';
export const NOTICE_EVENT_KINDS: readonly NoticeEventKind[] = ['publication', 'correction', 'withdrawal'];

/*
 * ANNUAL_REPORT_KIND (canonical.ts): what a published yearly disclosure report records (src/reports), hashed and
 * signed like a notice, but not a trading notice, so nothing that follows trading (change feed, OCDS, bulk files,
 * pushes, alerts) carries it.
 */
export type PublicationEventKind = NoticeEventKind | typeof ANNUAL_REPORT_KIND;

/**
 * The append-only publication log. One entry per publication, correction and withdrawal of a notice, and one
 * per published yearly report, numbered in commit order (see PublicationLogWriter) and hash-chained. It is the
 * transparency log; its notice entries are the change feed.
 */
@Entity('publication_log')
export class PublicationLogEntry {
  @PrimaryColumn({ type: 'bigint', transformer: integerTransformer })
  seq: number;

  @Column({ type: 'varchar', length: 16 })
  kind: PublicationEventKind;

  /** The notice of a notice entry; null for a yearly report's. */
  @Column({ name: 'notice_id', type: 'varchar', length: 80, nullable: true })
  noticeId: string | null;

  @Column({ name: 'project_id', type: 'varchar', length: 80, nullable: true })
  projectId: string | null;

  /** The year of an annual-report entry's report; null for a notice entry. */
  @Column({ name: 'report_year', type: 'int', nullable: true })
  reportYear: number | null;

  @Column(timeColumn('recorded_at'))
  recordedAt: Date;

  @Column({ name: 'content_hash', type: 'varchar', length: 64 })
  contentHash: string;

  @Column({ name: 'prev_hash', type: 'varchar', length: 64 })
  prevHash: string;

  @Column({ name: 'entry_hash', type: 'varchar', length: 64 })
  entryHash: string;
}

/** A notice's entry: what the change feed, OCDS, the pushes and alerts read (PublishedReads reads only these). */
export type NoticeLogEntry = PublicationLogEntry & { kind: NoticeEventKind; noticeId: string; projectId: string };

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
