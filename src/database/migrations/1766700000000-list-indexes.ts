import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

const INDEXES = [
  // A category's notices of one type, in list order.
  { name: 'ix_notice_list_cat_type', columnNames: ['status', 'category', 'type', 'published_at', 'id'] },
  // A category's announcements in deadline order (the deadline order, "open now").
  { name: 'ix_notice_deadline_category', columnNames: ['status', 'category', 'bid_deadline', 'id'] },
];

/**
 * Two list indexes (issue 11). A category with a type walked the type's index testing the category: a page of a
 * rare combination (a category's few tenders) read every notice of the type, 100,000 rows at 1,000,000 notices.
 * A category in deadline order (and "open now" with a category) walked every announcement's deadline testing
 * the category. NoticeQueryService chooses them (listPlan, deadlineIndex).
 */
export class ListIndexes1766700000000 implements MigrationInterface {
  name = 'ListIndexes1766700000000';

  async up(db: QueryRunner): Promise<void> {
    for (const index of INDEXES) await db.createIndex('notice', new TableIndex(index));
  }

  async down(db: QueryRunner): Promise<void> {
    for (const { name } of INDEXES) await db.dropIndex('notice', name);
  }
}
