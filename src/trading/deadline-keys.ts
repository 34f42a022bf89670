import type { EntityManager } from 'typeorm';
import { regionPrefix } from '../domain/catalog.js';
import { sqlMarks, sqlRows, type DialectName } from '../database/dialect.js';
import { chinaDate, chinaDayStart } from '../domain/china-time.js';
import { storedPublishedAt } from './notice.entity.js';
import { filterKey, filterKeys, typeFilterKey, typeFilterKeys } from './search-grams.js';

/**
 * The deadline order's filter keys: notice_deadline_key (k, bid_deadline, notice_id), primary key in that order,
 * a row for each filter key an announcement with a bid deadline holds (deadlineKeys), at its deadline. A list in
 * deadline order with a region, a type or both (with a category or not) reads its key's rows from the cursor on,
 * each a notice it shows, where walking the deadline index tested every announcement of the province (or of the
 * category) until a page of the county's turned up.
 *
 * The keys are the search index's filter keys (search-grams.ts) under the same names, here ordered by deadline:
 * a region prefix (`@2102`), with a category (`&j2102`); a type in a region prefix (`$A2102`), with a category
 * (`Aj2102`); and a type alone (`$A`) or with a category (`Aj`). A category alone and no filter have their own
 * deadline indexes (ix_notice_deadline_category, ix_notice_deadline).
 *
 * Written in the publishing transaction: a published announcement's rows at its deadline, and when a publication
 * moves its project's deadline (a correction) every announcement's rows move with their copy (notice.bid_deadline).
 */
export const DEADLINE_KEYS = 'notice_deadline_key';

/** Rows per INSERT. */
const ROWS_PER_INSERT = 500;

/** What the keys of an announcement come from. */
export interface DeadlineKeyed {
  id: string;
  category: string;
  type: string;
  regionCode: string;
}

/** Every deadline key of an announcement of this category, type and region (six digits): fourteen at most. */
export function deadlineKeys(n: Pick<DeadlineKeyed, 'category' | 'type' | 'regionCode'>): string[] {
  const categoryAlone = filterKey(n.category, undefined);
  return [
    ...filterKeys(n.category, n.regionCode).filter((k) => k !== categoryAlone),
    ...typeFilterKeys(n.type, n.category, n.regionCode),
    typeFilterKey(n.type, ''),
    typeFilterKey(n.type, '', n.category),
  ].filter((k): k is string => k !== undefined);
}

/**
 * The deadline key whose rows are exactly a filter's announcements' (its region and its one type, with its
 * category or not), undefined when the filter has neither a region nor one type (a deadline index serves it).
 */
export function deadlineKeyOf(filter: { category?: string; region?: string }, type: string | undefined) {
  const region = filter.region ? regionPrefix(filter.region) : undefined;
  if (type) return typeFilterKey(type, region ?? '', filter.category);
  return region ? filterKey(filter.category, region) : undefined;
}

/** Adds announcements' rows at a deadline (nothing without one: only announcements with a deadline are listed by it). */
export async function addDeadlineKeys(em: EntityManager, notices: DeadlineKeyed[], deadline: Date | null) {
  if (!deadline || !notices.length) return;
  const at = storedPublishedAt(em.connection, deadline);
  const rows = notices.flatMap((n) => deadlineKeys(n).map((k) => [k, at, n.id]));
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const chunk = rows.slice(i, i + ROWS_PER_INSERT);
    await em.query(
      `INSERT INTO ${DEADLINE_KEYS} (k, bid_deadline, notice_id) VALUES ${sqlRows(chunk.length, 3)}`,
      chunk.flat(),
    );
  }
}

/** Removes announcements' rows at each one's own deadline (by primary key: each key's row at that deadline). */
export async function removeDeadlineKeys(em: EntityManager, notices: (DeadlineKeyed & { bidDeadline: Date | null })[]) {
  for (const n of notices) {
    if (!n.bidDeadline) continue;
    const keys = deadlineKeys(n);
    await em.query(
      `DELETE FROM ${DEADLINE_KEYS} WHERE k IN (${sqlMarks(keys)}) AND bid_deadline = ? AND notice_id = ?`,
      [...keys, storedPublishedAt(em.connection, n.bidDeadline), n.id],
    );
  }
}

/**
 * notice_deadline_span (month, min_lead_s, max_lead_s): for each China month of publication, the least and greatest
 * lead of a published announcement's deadline over its publication, in whole seconds rounded outwards. An
 * announcement published within dates has its deadline between the first date plus the least lead of the months
 * the dates cover and the last date plus the greatest: the deadline order within publication dates walks that range,
 * not every deadline before it. Per month, so that one announcement whose deadline lies far from its publication
 * (a year out, a typing error) widens only the walks over its own month. Publications only ever widen a month (a
 * lead a correction replaced leaves it wider than needed, never too narrow).
 */
export const DEADLINE_SPAN = 'notice_deadline_span';

/** Deadlines of the announcements published within dates lie within [from, to] (either open). */
export interface DeadlineRange {
  from?: Date;
  to?: Date;
}

/** Something that runs SQL: an EntityManager or a DataSource. */
interface Sql {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

type SpanRow = { month: string; min_lead_s: unknown; max_lead_s: unknown };

/** The China month of an instant, `2026-03`. */
const chinaMonth = (at: Date) => chinaDate(at).slice(0, 7);

/** The first and last instants of a China month. */
function monthBounds(month: string): { start: number; end: number } {
  const [y, m] = month.split('-').map(Number);
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return { start: chinaDayStart(`${month}-01`).getTime(), end: chinaDayStart(`${next}-01`).getTime() - 1 };
}

/**
 * Where the deadlines of the announcements published within `from`…`to` (China days, either open) lie, from the
 * kept leads of the months they cover: null when no announcement was published then (nothing to list).
 */
export async function deadlineRange(db: Sql, from?: Date, to?: Date): Promise<DeadlineRange | null> {
  const where = [from && 'month >= ?', to && 'month <= ?'].filter(Boolean).join(' AND ');
  const rows = (await db.query(
    `SELECT month, min_lead_s, max_lead_s FROM ${DEADLINE_SPAN}${where ? ` WHERE ${where}` : ''}`,
    [...(from ? [chinaMonth(from)] : []), ...(to ? [chinaMonth(to)] : [])],
  )) as SpanRow[];
  return rangeOfMonths(
    rows.map((r) => ({ month: r.month, minLeadS: Number(r.min_lead_s), maxLeadS: Number(r.max_lead_s) })),
    from,
    to,
  );
}

/**
 * Where the deadlines of announcements published within `from`…`to` lie, given the leads kept for the months the
 * dates cover: each month's part of the dates moved by its own leads. Null without a month (nothing published).
 */
export function rangeOfMonths(
  months: { month: string; minLeadS: number; maxLeadS: number }[],
  from?: Date,
  to?: Date,
): DeadlineRange | null {
  if (!months.length) return null;
  let least = Infinity;
  let greatest = -Infinity;
  for (const m of months) {
    const { start, end } = monthBounds(m.month);
    least = Math.min(least, Math.max(start, from?.getTime() ?? start) + m.minLeadS * 1000);
    greatest = Math.max(greatest, Math.min(end, to?.getTime() ?? end) + m.maxLeadS * 1000);
  }
  return { from: from && new Date(least), to: to && new Date(greatest) };
}

/**
 * Widens the months of announcements' publications to hold their leads (deadline over publication). Read first: a
 * month nearly never changes, and is written only where it needs to (an upsert that keeps the wider bounds, so a
 * concurrent publication's widening is never undone).
 */
export async function widenDeadlineSpan(
  em: EntityManager,
  dialect: DialectName,
  announcements: { deadline: Date | null; publishedAt: Date | null }[],
) {
  const months = new Map<string, { least: number; greatest: number }>();
  for (const a of announcements) {
    if (!a.deadline || !a.publishedAt) continue;
    const lead = (a.deadline.getTime() - a.publishedAt.getTime()) / 1000;
    const month = chinaMonth(a.publishedAt);
    const m = months.get(month) ?? { least: Infinity, greatest: -Infinity };
    months.set(month, { least: Math.min(m.least, Math.floor(lead)), greatest: Math.max(m.greatest, Math.ceil(lead)) });
  }
  if (!months.size) return;
  const keys = [...months.keys()].sort();
  const kept = (await em.query(
    `SELECT month, min_lead_s, max_lead_s FROM ${DEADLINE_SPAN} WHERE month IN (${sqlMarks(keys)})`,
    keys,
  )) as SpanRow[];
  const known = new Map(kept.map((r) => [r.month, { least: Number(r.min_lead_s), greatest: Number(r.max_lead_s) }]));
  for (const month of keys) {
    const { least, greatest } = months.get(month)!;
    const k = known.get(month);
    if (k && k.least <= least && k.greatest >= greatest) continue;
    await em.query(widenSql(dialect), [month, least, greatest]);
  }
}

/** Inserts a month's leads, or widens the kept ones to hold them. */
function widenSql(dialect: DialectName): string {
  const insert = `INSERT INTO ${DEADLINE_SPAN} (month, min_lead_s, max_lead_s) VALUES (?, ?, ?)`;
  return dialect === 'mysql'
    ? `${insert} ON DUPLICATE KEY UPDATE min_lead_s = LEAST(min_lead_s, VALUES(min_lead_s)), max_lead_s = GREATEST(max_lead_s, VALUES(max_lead_s))`
    : `${insert} ON CONFLICT (month) DO UPDATE SET min_lead_s = MIN(min_lead_s, excluded.min_lead_s), max_lead_s = MAX(max_lead_s, excluded.max_lead_s)`;
}
