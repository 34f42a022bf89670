import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { textColumn, timeColumn } from '../database/columns.js';

export type AnnualReportStatus = 'draft' | 'submitted' | 'published';

/**
 * A year's report on government information disclosure: the staff's texts and entered previous-year figures
 * while it is a draft; once published, the whole report as computed then, frozen as canonical JSON with its
 * SHA-256 (`content`, `content_hash`). A published report is never edited (a correction is not supported: the
 * service refuses every change after publication). One report per year.
 */
@Entity('annual_report')
@Index('ux_annual_report_year', ['year'], { unique: true })
export class AnnualReportRow {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'int' })
  year: number;

  @Column({ type: 'varchar', length: 16 })
  status: AnnualReportStatus;

  @Column(textColumn('overview_text'))
  overviewText: string;

  @Column(textColumn('problems_text'))
  problemsText: string;

  @Column(textColumn('other_text'))
  otherText: string;

  /** JSON of the entered previous-year figures (Baseline in annual-report.ts). */
  @Column(textColumn('baseline'))
  baseline: string;

  /** Who last changed the texts or figures: may not approve (four-eyes). */
  @Column({ name: 'edited_by', type: 'int', nullable: true })
  editedBy: number | null;

  @Column({ name: 'submitted_by', type: 'int', nullable: true })
  submittedBy: number | null;

  @Column(timeColumn('submitted_at', { nullable: true }))
  submittedAt: Date | null;

  /** Why the reviewer returned it, shown to the author. */
  @Column(textColumn('review_note', { nullable: true }))
  reviewNote: string | null;

  @Column({ name: 'published_by', type: 'int', nullable: true })
  publishedBy: number | null;

  @Column(timeColumn('published_at', { nullable: true }))
  publishedAt: Date | null;

  /** The frozen report: canonical JSON (keys sorted, no whitespace, UTF-8). */
  @Column(textColumn('content', { nullable: true }))
  content: string | null;

  /** Lowercase hex SHA-256 of `content`'s UTF-8 bytes. */
  @Column({ name: 'content_hash', type: 'varchar', length: 64, nullable: true })
  contentHash: string | null;

  @Column(timeColumn('created_at'))
  createdAt: Date;

  @Column(timeColumn('updated_at'))
  updatedAt: Date;
}

export const REPORTS_ENTITIES = [AnnualReportRow];
