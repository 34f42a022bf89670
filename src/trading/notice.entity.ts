import { Column, Entity, PrimaryColumn, type DataSource } from 'typeorm';
import { bigintColumn, jsonColumn, textColumn, timeColumn } from '../database/columns.js';

export type NoticeStatus = 'draft' | 'submitted' | 'approved' | 'published' | 'rejected';

/**
 * A notice (公告) of any type, from draft to publication. Once published its content columns (title, body,
 * details, type, project) never change: a correction is a new notice that targets it, a withdrawal is a new
 * notice of type "withdrawal" that targets it. Only the derived columns below the line may change afterwards.
 */
@Entity('notice')
export class Notice {
  @PrimaryColumn({ type: 'varchar', length: 80 })
  id: string;

  @Column({ name: 'project_id', type: 'varchar', length: 80 })
  projectId: string;

  @Column({ type: 'varchar', length: 32 })
  type: string;

  // Copied from the project so lists filter on one table.
  @Column({ type: 'varchar', length: 32 })
  category: string;

  @Column({ name: 'region_code', type: 'varchar', length: 6 })
  regionCode: string;

  @Column({ type: 'varchar', length: 300 })
  title: string;

  @Column(textColumn('body'))
  body: string;

  /** The type's own validated fields (see trading/notice-details.ts). */
  @Column(jsonColumn('details'))
  details: Record<string, unknown>;

  /** The notice a correction corrects or a withdrawal withdraws. */
  @Column({ name: 'target_notice_id', type: 'varchar', length: 80, nullable: true })
  targetNoticeId: string | null;

  @Column({ type: 'varchar', length: 16 })
  status: NoticeStatus;

  @Column({ name: 'author_id', type: 'int', nullable: true })
  authorId: number | null;

  @Column({ name: 'reviewer_id', type: 'int', nullable: true })
  reviewerId: number | null;

  @Column(textColumn('review_comment', { nullable: true }))
  reviewComment: string | null;

  @Column(timeColumn('submitted_at', { nullable: true }))
  submittedAt: Date | null;

  @Column(timeColumn('reviewed_at', { nullable: true }))
  reviewedAt: Date | null;

  /** Approved notices with a future time here are published by the scheduler. */
  @Column(timeColumn('scheduled_at', { nullable: true }))
  scheduledAt: Date | null;

  @Column(timeColumn('published_at', { nullable: true }))
  publishedAt: Date | null;

  @Column({ name: 'source_platform', type: 'varchar', length: 24 })
  sourcePlatform: string;

  /** The identifier the source platform gave it (equal to id for notices minted here). */
  @Column({ name: 'source_id', type: 'varchar', length: 80 })
  sourceId: string;

  @Column({ name: 'content_hash', type: 'varchar', length: 64, nullable: true })
  contentHash: string | null;

  @Column(bigintColumn('log_seq', { nullable: true }))
  logSeq: number | null;

  @Column(timeColumn('created_at'))
  createdAt: Date;

  @Column(timeColumn('updated_at'))
  updatedAt: Date;

  @Column(bigintColumn('version', { default: 1 }))
  version: number;

  // ---- derived after publication -------------------------------------------------------------------
  @Column(timeColumn('withdrawn_at', { nullable: true }))
  withdrawnAt: Date | null;

  @Column({ name: 'withdrawn_by', type: 'varchar', length: 80, nullable: true })
  withdrawnBy: string | null;

  /**
   * An announcement's copy of its project's effective bid deadline (a correction moves it on every published
   * announcement of the project); null on every other type. Lists sort by it and "open now" tests it on one table.
   */
  @Column(timeColumn('bid_deadline', { nullable: true }))
  bidDeadline: Date | null;
}

/**
 * A time as the driver binds it into raw SQL, exactly as notice.published_at is stored (a UTC string on SQLite, a
 * Date on MySQL/MariaDB): what the search index, the organisation and indicator indexes compare with it.
 */
export function storedPublishedAt(connection: DataSource, date: Date): unknown {
  return connection.driver.preparePersistentValue(
    date,
    connection.getMetadata(Notice).findColumnWithPropertyName('publishedAt')!,
  );
}
