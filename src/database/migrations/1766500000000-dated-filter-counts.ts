import { MigrationInterface, QueryRunner } from 'typeorm';
import { dialectOf, forceIndexSql, sqlDateTime } from '../dialect.js';
import { addCountKeys } from './count-backfill.js';

/** Notices read per statement, in list order. */
const BATCH = 5000;

/**
 * Kept totals for dates together with a category or a region (issue 11): notice_count gains, for every
 * combination of category, type and region prefix that has a category or a region, the China day and month of
 * publication (`c=water|r=210211|d=2026-11-25`, `r=2102|m=2026-11`; trading/notice-counts.ts). A list filtered by
 * dates and a category or region then sums a few count rows instead of counting its notices up to a cap (2,500
 * rows read for a category over three months at 1,000,000 notices). Filled here from the published notices, read
 * in publication order so that each day's keys are summed together.
 */
export class DatedFilterCounts1766500000000 implements MigrationInterface {
  name = 'DatedFilterCounts1766500000000';

  async up(db: QueryRunner): Promise<void> {
    await backfillDatedFilterCounts(db);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(
      `DELETE FROM notice_count WHERE (count_key LIKE 'c=%' OR count_key LIKE 'r=%' OR count_key LIKE '%|r=%')
         AND (count_key LIKE '%|d=%' OR count_key LIKE '%|m=%')`,
    );
  }
}

// ---- a frozen copy of the keys this migration adds, as trading/notice-counts.ts wrote them then ----

const chinaDay = (at: Date) => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

/** The dated keys with a category or a region of one notice. */
function datedFilterKeys(category: string, type: string, regionCode: string, publishedAt: Date): string[] {
  const day = chinaDay(publishedAt);
  const regions = [...new Set([2, 4, 6].map((n) => regionCode.slice(0, n)))];
  const keys: string[] = [];
  for (const c of [undefined, `c=${category}`]) {
    for (const t of [undefined, `t=${type}`]) {
      for (const r of [undefined, ...regions.map((p) => `r=${p}`)]) {
        if (!c && !r) continue;
        const parts = [c, t, r].filter((p): p is string => p !== undefined);
        keys.push([...parts, `d=${day}`].join('|'), [...parts, `m=${day.slice(0, 7)}`].join('|'));
      }
    }
  }
  return keys;
}

/**
 * Adds the dated keys with a category or a region of every published notice to notice_count. Exported for the
 * bench and tests that fill tables directly (after the 1765510000000 backfill).
 */
export async function backfillDatedFilterCounts(db: QueryRunner): Promise<void> {
  type Row = { id: string; category: string; type: string; region_code: string; published_at: unknown };
  const index = forceIndexSql(dialectOf(db), 'ix_notice_list');
  await addCountKeys<Row>(
    db,
    BATCH,
    // By ix_notice_list (status, published_at, id); the key passed back as the driver gave it.
    (last) =>
      db.query(
        `SELECT id, category, type, region_code, published_at FROM notice${index}
         WHERE status = 'published'${last ? ' AND published_at >= ? AND (published_at > ? OR id > ?)' : ''}
         ORDER BY published_at, id LIMIT ${BATCH}`,
        last ? [last.published_at, last.published_at, last.id] : [],
      ),
    (r) => datedFilterKeys(r.category, r.type, r.region_code, sqlDateTime(r.published_at)!),
  );
}
