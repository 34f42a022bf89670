import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { columnTypes, dialectOf, forceIndexSql, sqlMarks } from '../dialect.js';
import { CATEGORY_KEY_LETTERS_1765400000000, filterKeys1765400000000 } from './1765400000000-search-filter-keys.js';
import { TYPE_KEY_LETTERS_1766900000000, typeFilterKeys1766900000000 } from './1766900000000-search-type-keys.js';

/** Announcements read per statement, in deadline order. */
const BATCH = 5000;
/** Rows per INSERT. */
const ROWS_PER_INSERT = 1000;

/**
 * The deadline order's filter keys (issue 11; trading/deadline-keys.ts): notice_deadline_key (k, bid_deadline,
 * notice_id), a row for each filter key of an announcement with a deadline, so that a list in deadline order with a
 * region or a type (with a category or not) reads its own announcements from the cursor on. Before, it walked the
 * deadline index (the category's, or every announcement's) testing each until a page matched: at 1,000,000 notices
 * a county's page in deadline order read the province's announcements up to the county's twentieth.
 *
 * And notice_deadline_span (month, min_lead_s, max_lead_s): for each China month of publication, the least and the
 * greatest lead of an announcement's deadline over its publication (bid_deadline − published_at, in whole seconds,
 * rounded outwards), so that the deadline order within publication dates starts its walk at the first date plus the
 * least lead of the months covered and ends at the last date plus the greatest, where it walked every deadline
 * before the dates. Filled here from every published announcement; publications keep them from then on (they only
 * ever widen).
 */
export class DeadlineKeys1767300000000 implements MigrationInterface {
  name = 'DeadlineKeys1767300000000';

  async up(db: QueryRunner): Promise<void> {
    const t = columnTypes(dialectOf(db));
    await db.createTable(
      new Table({
        name: 'notice_deadline_key',
        columns: [
          { name: 'k', type: 'varchar', length: '8', collation: t.binaryCollation, isPrimary: true },
          { name: 'bid_deadline', type: 'datetime', precision: 3, isPrimary: true },
          { name: 'notice_id', type: 'varchar', length: '80', isPrimary: true },
        ],
        // The primary key is the access path; SQLite then keeps the rows in it, as InnoDB always does.
        withoutRowid: true,
      }),
    );
    await db.createTable(
      new Table({
        name: 'notice_deadline_span',
        columns: [
          { name: 'month', type: 'char', length: '7', isPrimary: true },
          { name: 'min_lead_s', type: 'bigint' },
          { name: 'max_lead_s', type: 'bigint' },
        ],
      }),
    );
    await backfillDeadlineKeys(db);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.dropTable('notice_deadline_span');
    await db.dropTable('notice_deadline_key');
  }
}

// ---- a frozen copy of the keys this migration adds, as trading/deadline-keys.ts wrote them then ----

const ANNOUNCEMENTS = ['tender', 'prequalification', 'procurement', 'transfer'];

/**
 * The deadline keys of an announcement of this category, type and region (six digits): its search filter keys
 * but the category's alone (`@2102`, `&j2102`…), its type filter keys (`$A2102`, `Aj2102`…), and its type alone
 * and with its category (`$A`, `Aj`).
 */
export function deadlineKeys1767300000000(category: string, type: string, regionCode: string): string[] {
  const regional = filterKeys1765400000000(category, regionCode).filter((k) => !k.startsWith('#'));
  const typeLetter = Object.hasOwn(TYPE_KEY_LETTERS_1766900000000, type) ? TYPE_KEY_LETTERS_1766900000000[type] : '';
  const categoryLetter = Object.hasOwn(CATEGORY_KEY_LETTERS_1765400000000, category)
    ? CATEGORY_KEY_LETTERS_1765400000000[category]
    : '';
  const alone = typeLetter ? [`$${typeLetter}`, ...(categoryLetter ? [`${typeLetter}${categoryLetter}`] : [])] : [];
  return [...regional, ...typeFilterKeys1766900000000(type, category, regionCode), ...alone];
}

/**
 * Adds the rows of every published announcement with a deadline, along ix_notice_deadline (status, bid_deadline,
 * id). Exported for the bench and tests that fill tables directly.
 */
export async function backfillDeadlineKeys(db: QueryRunner): Promise<void> {
  type Row = {
    id: string;
    category: string;
    type: string;
    region_code: string;
    bid_deadline: unknown;
    published_at: unknown;
  };
  const months = new Map<string, { least: number; greatest: number }>();
  const index = forceIndexSql(dialectOf(db), 'ix_notice_deadline');
  let last: Row | undefined;
  for (;;) {
    const rows: Row[] = await db.query(
      `SELECT n.id, n.category, n.type, n.region_code, n.bid_deadline, n.published_at FROM notice n${index}
       WHERE n.status = 'published' AND n.bid_deadline IS NOT NULL${last ? ' AND n.bid_deadline >= ? AND (n.bid_deadline > ? OR n.id > ?)' : ''}
         AND n.type IN (${sqlMarks(ANNOUNCEMENTS)})
       ORDER BY n.bid_deadline, n.id LIMIT ${BATCH}`,
      [...(last ? [last.bid_deadline, last.bid_deadline, last.id] : []), ...ANNOUNCEMENTS],
    );
    for (const r of rows) {
      const published = time(r.published_at);
      const lead = (time(r.bid_deadline) - published) / 1000;
      // The China month of publication (UTC+8).
      const month = new Date(published + 8 * 3600_000).toISOString().slice(0, 7);
      const m = months.get(month) ?? { least: Infinity, greatest: -Infinity };
      months.set(month, {
        least: Math.min(m.least, Math.floor(lead)),
        greatest: Math.max(m.greatest, Math.ceil(lead)),
      });
    }
    if (!rows.length) break;
    last = rows[rows.length - 1];
    // In key order, so each key's new rows go in together.
    const values = rows
      .flatMap((r) => deadlineKeys1767300000000(r.category, r.type, r.region_code).map((k) => ({ k, r })))
      .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
      .map(({ k, r }) => [k, r.bid_deadline, r.id]);
    for (let i = 0; i < values.length; i += ROWS_PER_INSERT) {
      const chunk = values.slice(i, i + ROWS_PER_INSERT);
      await db.query(
        `INSERT INTO notice_deadline_key (k, bid_deadline, notice_id) VALUES ${Array(chunk.length).fill('(?, ?, ?)').join(', ')}`,
        chunk.flat(),
      );
    }
    if (rows.length < BATCH) break;
  }
  const spans = [...months].map(([month, m]) => [month, m.least, m.greatest]);
  for (let i = 0; i < spans.length; i += ROWS_PER_INSERT) {
    const chunk = spans.slice(i, i + ROWS_PER_INSERT);
    await db.query(
      `INSERT INTO notice_deadline_span (month, min_lead_s, max_lead_s) VALUES ${Array(chunk.length).fill('(?, ?, ?)').join(', ')}`,
      chunk.flat(),
    );
  }
}

/** A stored time as the driver gave it (a Date on MySQL/MariaDB, UTC text on SQLite), in ms. */
const time = (value: unknown) =>
  value instanceof Date ? value.getTime() : Date.parse(`${String(value).replace(' ', 'T')}Z`);
