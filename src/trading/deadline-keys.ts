import type { EntityManager } from 'typeorm';
import { regionPrefix } from '../domain/catalog.js';
import { sqlMarks, sqlRows } from '../database/dialect.js';
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

/** Removes announcements' rows at a deadline (by primary key: each key's row at that deadline). */
export async function removeDeadlineKeys(em: EntityManager, notices: DeadlineKeyed[], deadline: Date | null) {
  if (!deadline) return;
  const at = storedPublishedAt(em.connection, deadline);
  for (const n of notices) {
    const keys = deadlineKeys(n);
    await em.query(
      `DELETE FROM ${DEADLINE_KEYS} WHERE k IN (${sqlMarks(keys)}) AND bid_deadline = ? AND notice_id = ?`,
      [...keys, at, n.id],
    );
  }
}

/**
 * notice_deadline_span (one row): the least and greatest lead of a published announcement's deadline over its
 * publication, in whole seconds rounded outwards. An announcement published within dates has its deadline within
 * the first date plus the least lead and the last date plus the greatest: the deadline order within publication
 * dates walks that range, not every deadline before it. Publications only ever widen it (a lead that no longer
 * exists, a correction having moved its deadline, leaves the range wider than needed, never too narrow).
 */
export const DEADLINE_SPAN = 'notice_deadline_span';

export interface DeadlineSpan {
  minLeadMs: number;
  maxLeadMs: number;
}

/** Something that runs SQL: an EntityManager or a DataSource. */
interface Sql {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** The span kept so far; null before any announcement with a deadline was published. */
export async function readDeadlineSpan(db: Sql): Promise<DeadlineSpan | null> {
  const rows = (await db.query(`SELECT min_lead_s, max_lead_s FROM ${DEADLINE_SPAN} WHERE id = 1`)) as {
    min_lead_s: unknown;
    max_lead_s: unknown;
  }[];
  const row = rows[0];
  if (!row || row.min_lead_s === null || row.max_lead_s === null) return null;
  return { minLeadMs: Number(row.min_lead_s) * 1000, maxLeadMs: Number(row.max_lead_s) * 1000 };
}

/**
 * Widens the span to hold announcements' leads (their deadline over their publication). Read first: it nearly
 * never changes, and each bound is then written only where the row still needs it (a concurrent publication can
 * only have widened it further).
 */
export async function widenDeadlineSpan(
  em: EntityManager,
  announcements: { deadline: Date | null; publishedAt: Date | null }[],
) {
  const leads = announcements
    .filter((a) => a.deadline && a.publishedAt)
    .map((a) => (a.deadline!.getTime() - a.publishedAt!.getTime()) / 1000);
  if (!leads.length) return;
  const least = Math.floor(Math.min(...leads));
  const greatest = Math.ceil(Math.max(...leads));
  const span = await readDeadlineSpan(em);
  if (!span || least * 1000 < span.minLeadMs)
    await em.query(
      `UPDATE ${DEADLINE_SPAN} SET min_lead_s = ? WHERE id = 1 AND (min_lead_s IS NULL OR min_lead_s > ?)`,
      [least, least],
    );
  if (!span || greatest * 1000 > span.maxLeadMs)
    await em.query(
      `UPDATE ${DEADLINE_SPAN} SET max_lead_s = ? WHERE id = 1 AND (max_lead_s IS NULL OR max_lead_s < ?)`,
      [greatest, greatest],
    );
}
