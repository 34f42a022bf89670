import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { addToCounters, columnTypes, dialectOf, sqlDateTime } from '../dialect.js';

const BATCH = 5000;

/**
 * Bounded public reads (issue 11):
 * - notice_count: how many published notices each list filter matches, kept in the publishing transaction
 *   (trading/notice-counts.ts) and filled here from the notices already published;
 * - list indexes that end in the list's order (published_at, id), so a filtered page reads its own rows only:
 *   by category and by type. They replace ix_notice_category and ix_notice_region (a region is filtered by its
 *   prefix through the search index's filter keys, which are in list order; a LIKE range on region_code never was);
 * - notice.bid_deadline, an announcement's copy of its project's deadline, and its index (status, bid_deadline,
 *   id): the deadline order and "open now" on one table, in index order.
 * About a minute at a million notices.
 */
export class BoundedReads1765510000000 implements MigrationInterface {
  name = 'BoundedReads1765510000000';

  async up(db: QueryRunner): Promise<void> {
    const dialect = dialectOf(db);
    await db.createTable(
      new Table({
        name: 'notice_count',
        columns: [
          {
            name: 'count_key',
            type: 'varchar',
            length: '64',
            isPrimary: true,
            collation: columnTypes(dialect).binaryCollation,
          },
          { name: 'notices', type: 'int' },
        ],
        withoutRowid: true,
      }),
    );
    await db.createIndex(
      'notice',
      new TableIndex({ name: 'ix_notice_list_category', columnNames: ['status', 'category', 'published_at', 'id'] }),
    );
    await db.createIndex(
      'notice',
      new TableIndex({ name: 'ix_notice_list_type', columnNames: ['status', 'type', 'published_at', 'id'] }),
    );
    await db.dropIndex('notice', 'ix_notice_category');
    await db.dropIndex('notice', 'ix_notice_region');
    // Plain ADD COLUMN: TypeORM's addColumn copies the whole table on SQLite.
    await db.query(
      `ALTER TABLE notice ADD COLUMN bid_deadline ${dialect === 'mysql' ? 'datetime(3)' : 'datetime'} NULL`,
    );
    await db.query(`UPDATE notice SET bid_deadline = (SELECT p.bid_deadline FROM project p WHERE p.id = notice.project_id)
      WHERE status = 'published' AND type IN ('tender', 'prequalification', 'procurement', 'transfer')`);
    await db.createIndex(
      'notice',
      new TableIndex({ name: 'ix_notice_deadline', columnNames: ['status', 'bid_deadline', 'id'] }),
    );
    await backfillCounts(db);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.createIndex(
      'notice',
      new TableIndex({ name: 'ix_notice_category', columnNames: ['category', 'status', 'published_at'] }),
    );
    await db.createIndex(
      'notice',
      new TableIndex({ name: 'ix_notice_region', columnNames: ['region_code', 'status', 'published_at'] }),
    );
    await db.dropIndex('notice', 'ix_notice_deadline');
    await db.dropColumn('notice', 'bid_deadline');
    await db.dropIndex('notice', 'ix_notice_list_type');
    await db.dropIndex('notice', 'ix_notice_list_category');
    await db.dropTable('notice_count');
  }
}

// ---- a frozen copy of the keys of trading/notice-counts.ts as they were when this migration was written ----

const chinaDay = (at: Date) => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

function key(parts: (string | undefined)[]): string {
  const present = parts.filter((p): p is string => p !== undefined);
  return present.length ? present.join('|') : '*';
}

function noticeKeys(category: string, type: string, regionCode: string, publishedAt: Date): string[] {
  const day = chinaDay(publishedAt);
  const regions = [...new Set([2, 4, 6].map((n) => regionCode.slice(0, n)))];
  const keys: string[] = [];
  for (const c of [undefined, `c=${category}`]) {
    for (const t of [undefined, `t=${type}`]) {
      for (const r of [undefined, ...regions.map((p) => `r=${p}`)]) keys.push(key([c, t, r]));
    }
  }
  for (const t of [undefined, `t=${type}`]) keys.push(key([t, `d=${day}`]), key([t, `m=${day.slice(0, 7)}`]));
  return keys;
}

const projectKeys = (firstPublishedAt: Date) => {
  const day = chinaDay(firstPublishedAt);
  return ['p', `p|d=${day}`, `p|m=${day.slice(0, 7)}`];
};

/**
 * Counts every published notice and every project with one, a batch at a time by id; the counts (a few
 * thousand keys per year of history) are summed in memory and written at the end. Exported for the bench and
 * tests that fill tables directly.
 */
export async function backfillCounts(db: QueryRunner): Promise<void> {
  const counts = new Map<string, number>();
  const add = (keys: string[]) => {
    for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  };
  let after = '';
  for (;;) {
    const rows: { id: string; category: string; type: string; region_code: string; published_at: unknown }[] =
      await db.query(
        `SELECT id, category, type, region_code, published_at FROM notice WHERE status = 'published' AND id > ? ORDER BY id LIMIT ${BATCH}`,
        [after],
      );
    if (!rows.length) break;
    after = rows[rows.length - 1].id;
    for (const r of rows) add(noticeKeys(r.category, r.type, r.region_code, sqlDateTime(r.published_at)!));
  }
  after = '';
  for (;;) {
    const rows: { id: string; first_published_at: unknown }[] = await db.query(
      `SELECT id, first_published_at FROM project WHERE first_published_at IS NOT NULL AND id > ? ORDER BY id LIMIT ${BATCH}`,
      [after],
    );
    if (!rows.length) break;
    after = rows[rows.length - 1].id;
    for (const r of rows) add(projectKeys(sqlDateTime(r.first_published_at)!));
  }
  await addToCounters(db, dialectOf(db), 'notice_count', { key: 'count_key', counter: 'notices' }, counts);
}
