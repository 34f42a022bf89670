import { MigrationInterface, QueryRunner } from 'typeorm';
import { dialectOf, forceIndexSql, sqlDateTime, sqlMarks } from '../dialect.js';
import { addCountKeys } from './count-backfill.js';

/** Announcements read per statement, in deadline order. */
const BATCH = 5000;

/**
 * Kept counts of "open now" (issue 11): notice_count gains, for every announcement open for bids (published, not
 * withdrawn, its project not terminated), every combination of its category, type and region prefix by the China
 * day of its bid deadline (`o=2026-12-10`, `c=water|r=2102|o=2026-12-10`; trading/notice-counts.ts). "Open now"
 * then sums the days after today and reads only today's remaining deadlines, where it counted every open
 * announcement (up to 10,000) on every list page and on the home page. Filled here for deadlines from today on
 * (earlier days are never read); publications keep them from then on.
 */
export class OpenCounts1766600000000 implements MigrationInterface {
  name = 'OpenCounts1766600000000';

  async up(db: QueryRunner): Promise<void> {
    await backfillOpenCounts(db, chinaDay(new Date()));
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DELETE FROM notice_count WHERE count_key LIKE 'o=%' OR count_key LIKE '%|o=%'`);
  }
}

// ---- a frozen copy of the keys this migration adds, as trading/notice-counts.ts wrote them then ----

const chinaDay = (at: Date) => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
const ANNOUNCEMENTS = ['tender', 'prequalification', 'procurement', 'transfer'];

function openKeys(category: string, type: string, regionCode: string, deadline: Date): string[] {
  const regions = [...new Set([2, 4, 6].map((n) => regionCode.slice(0, n)))];
  const keys: string[] = [];
  for (const c of [undefined, `c=${category}`]) {
    for (const t of [undefined, `t=${type}`]) {
      for (const r of [undefined, ...regions.map((p) => `r=${p}`)])
        keys.push([c, t, r, `o=${chinaDay(deadline)}`].filter((p): p is string => p !== undefined).join('|'));
    }
  }
  return keys;
}

/**
 * Adds the open counts of every announcement open for bids whose deadline falls on China day `today` or later.
 * Exported for the bench and tests that fill tables directly.
 */
export async function backfillOpenCounts(db: QueryRunner, today: string): Promise<void> {
  type Row = { id: string; category: string; type: string; region_code: string; bid_deadline: unknown };
  // From the start of `today` in China (UTC+8), as both databases compare a stored datetime with text; along
  // ix_notice_deadline (status, bid_deadline, id), each later key passed back as the driver gave it.
  const dayStart = new Date(Date.parse(`${today}T00:00:00Z`) - 8 * 3600_000)
    .toISOString()
    .replace('T', ' ')
    .slice(0, 23);
  const index = forceIndexSql(dialectOf(db), 'ix_notice_deadline');
  await addCountKeys<Row>(
    db,
    BATCH,
    (last) =>
      db.query(
        `SELECT n.id, n.category, n.type, n.region_code, n.bid_deadline
         FROM notice n${index} JOIN project p ON p.id = n.project_id
         WHERE n.status = 'published' AND n.bid_deadline >= ?${last ? ' AND (n.bid_deadline > ? OR n.id > ?)' : ''}
           AND n.withdrawn_at IS NULL AND p.terminated_at IS NULL AND n.type IN (${sqlMarks(ANNOUNCEMENTS)})
         ORDER BY n.bid_deadline, n.id LIMIT ${BATCH}`,
        [last ? last.bid_deadline : dayStart, ...(last ? [last.bid_deadline, last.id] : []), ...ANNOUNCEMENTS],
      ),
    (r) => openKeys(r.category, r.type, r.region_code, sqlDateTime(r.bid_deadline)!),
  );
}
