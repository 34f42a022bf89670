import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Database } from '../database/database.js';
import { addToCounters, sqlMarks } from '../database/dialect.js';
import { regionPrefix, regionPrefixes } from '../domain/catalog.js';
import { addDays, chinaDate } from '../domain/china-time.js';
import type { NoticeFilter } from './notice-filter.js';

/**
 * How many published notices each list filter matches, kept in the publishing transaction (like the search's
 * key counts), so a list's total is a sum of a few rows however many notices there are. Table notice_count
 * (count_key, notices); a key names a filter, its parts in a fixed order, `*` for no filter:
 *
 * - every combination of category, type and region (at each of the region's prefix levels, regionPrefix:
 *   province `21`, city `2102`, county `210213`): `c=construction|t=tender|r=2102`, `r=21`, …;
 * - each of those combinations, and none, by China Standard Time day and month of publication: `d=2026-11-25`,
 *   `t=result|m=2026-11`, `c=water|r=210211|d=2026-11-25`. A date range sums at most two partial months of days
 *   and the whole months between (countRanges): bounded by the calendar, not by the notices. The dated keys
 *   with a category or a region came with migration 1766500000000 (before, those totals were counted up to a
 *   cap by reading the notices: thousands of rows a page at 1,000,000 notices);
 * - projects: `p` (those with a published notice) and the day and month of their first publication;
 * - announcements open for bids, by every combination of category, type and region and the China day of their bid
 *   deadline: `o=2026-12-10`, `c=water|r=2102|o=2026-12-10`. "Open now" sums the days after today and counts
 *   today's remaining deadlines on the deadline index (openRanges). These change with a project's deadline, its
 *   termination and a withdrawal: the publishing transaction applies the difference (openCountChange).
 *
 * Withdrawals keep a notice in the lists (it is marked, not removed) and published content never changes, so
 * the publication counts only ever grow. Migration 1765510000000 creates the table and fills it from existing notices with a
 * frozen copy of these keys: change a key's form only with a migration that rewrites the table.
 */
export const NOTICE_COUNT_TABLE = 'notice_count';

export interface CountedNotice {
  category: string;
  type: string;
  regionCode: string;
  publishedAt: Date;
}

type KeyParts = { category?: string; type?: string; region?: string; day?: string; month?: string; open?: string };

/** The key of a filter, by its parts (see above). */
export function countKey(parts: KeyParts): string {
  const out: string[] = [];
  if (parts.category) out.push(`c=${parts.category}`);
  if (parts.type) out.push(`t=${parts.type}`);
  if (parts.region) out.push(`r=${parts.region}`);
  if (parts.day) out.push(`d=${parts.day}`);
  if (parts.month) out.push(`m=${parts.month}`);
  if (parts.open) out.push(`o=${parts.open}`);
  return out.length ? out.join('|') : '*';
}

/** Every key a published notice adds one to. */
export function noticeCountKeys(n: CountedNotice): string[] {
  const day = chinaDate(n.publishedAt);
  const month = day.slice(0, 7);
  const keys: string[] = [];
  for (const category of [undefined, n.category]) {
    for (const type of [undefined, n.type]) {
      for (const region of [undefined, ...regionPrefixes(n.regionCode)])
        keys.push(
          countKey({ category, type, region }),
          countKey({ category, type, region, day }),
          countKey({ category, type, region, month }),
        );
    }
  }
  return keys;
}

/** An announcement as the open counts know it: open until its project's bid deadline. */
export interface OpenAnnouncement {
  category: string;
  type: string;
  regionCode: string;
}

/** The keys an announcement open until a deadline adds one to. */
export function openCountKeys(n: OpenAnnouncement, bidDeadline: Date): string[] {
  const open = chinaDate(bidDeadline);
  const keys: string[] = [];
  for (const category of [undefined, n.category]) {
    for (const type of [undefined, n.type]) {
      for (const region of [undefined, ...regionPrefixes(n.regionCode)])
        keys.push(countKey({ category, type, region, open }));
    }
  }
  return keys;
}

/**
 * What a publication on China day `today` changes in the open counts of its project: its live announcements
 * (published, not withdrawn) count at the project's deadline unless the project is terminated; the difference
 * between before and after. Deadline days before `today` are left alone: "open now" reads only days after its own
 * today, which is never earlier than a change's, so every change to a day it reads was applied (and a backdated
 * import of history adds nothing).
 */
export function openCountChange(
  before: { announcements: OpenAnnouncement[]; bidDeadline: Date | null; terminated: boolean },
  after: { announcements: OpenAnnouncement[]; bidDeadline: Date | null; terminated: boolean },
  today: string,
): Map<string, number> {
  const change = new Map<string, number>();
  for (const [state, sign] of [
    [before, -1],
    [after, 1],
  ] as const) {
    if (!state.bidDeadline || state.terminated || chinaDate(state.bidDeadline) < today) continue;
    for (const n of state.announcements)
      for (const k of openCountKeys(n, state.bidDeadline)) change.set(k, (change.get(k) ?? 0) + sign);
  }
  for (const [k, v] of change) if (v === 0) change.delete(k);
  return change;
}

/**
 * The key ranges whose counts sum to the announcements of an "open now" filter whose deadline falls after
 * `today` (a China day): the rest of today is read from the deadline index. Undefined for a keyword or dates of
 * publication (counted up to the cap).
 */
export function openRanges(
  filter: NoticeFilter,
  deadlineTypes: readonly string[],
  today: string,
): KeyRange[] | undefined {
  if (!filter.open || filter.q || filter.from !== undefined || filter.to !== undefined) return undefined;
  const types = (filter.type ? [filter.type] : filter.types)?.filter((t) => deadlineTypes.includes(t));
  const region = filter.region ? regionPrefix(filter.region) : undefined;
  const from = addDays(today, 1);
  return (types ?? [undefined]).map((type): KeyRange => {
    const key = countKey({ category: filter.category, type, region });
    const prefix = key === '*' ? '' : `${key}|`;
    return [`${prefix}o=${from}`, `${prefix}o=${DAY_MAX}`];
  });
}

/** The keys a project's first publication adds one to. */
export function projectCountKeys(firstPublishedAt: Date): string[] {
  const day = chinaDate(firstPublishedAt);
  return ['p', `p|d=${day}`, `p|m=${day.slice(0, 7)}`];
}

/** A range of keys [from, to], compared as strings (both databases compare count_key byte for byte). */
export type KeyRange = [string, string];

const DAY_MIN = '0000-01-01';
const DAY_MAX = '9999-12-31';

const monthOf = (day: string) => day.slice(0, 7);
const lastDayOfMonth = (month: string) => {
  const [y, m] = month.split('-').map(Number);
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
};
const addMonths = (month: string, n: number) => {
  const [y, m] = month.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
};

/**
 * The key ranges whose counts sum to the notices published in the China days [from, to] (either end open),
 * under a key prefix (`t=result|`, `c=water|r=2102|`, '' for all notices, `p|` for projects): the days of a partial first and
 * last month, and the whole months between. At most 62 day rows plus one row per month of history.
 */
export function dateRanges(prefix: string, from = DAY_MIN, to = DAY_MAX): KeyRange[] {
  if (from > to) return [];
  const day = (d: string) => `${prefix}d=${d}`;
  const month = (m: string) => `${prefix}m=${m}`;
  const wholeFirst = from.endsWith('-01');
  const wholeLast = to === lastDayOfMonth(monthOf(to));
  if (monthOf(from) === monthOf(to) && !(wholeFirst && wholeLast)) return [[day(from), day(to)]];
  const ranges: KeyRange[] = [];
  if (!wholeFirst) ranges.push([day(from), day(lastDayOfMonth(monthOf(from)))]);
  const firstMonth = wholeFirst ? monthOf(from) : addMonths(monthOf(from), 1);
  const lastMonth = wholeLast ? monthOf(to) : addMonths(monthOf(to), -1);
  if (firstMonth <= lastMonth) ranges.push([month(firstMonth), month(lastMonth)]);
  if (!wholeLast) ranges.push([day(`${monthOf(to)}-01`), day(to)]);
  return ranges;
}

/**
 * The key ranges whose counts sum to the filter's total, or undefined when the counts do not hold it (a
 * keyword, "open now"): such totals are counted up to a cap.
 */
export function countRanges(filter: NoticeFilter, deadlineTypes: readonly string[]): KeyRange[] | undefined {
  if (filter.q || filter.open) return undefined;
  const dated = filter.from !== undefined || filter.to !== undefined;
  // Each restriction on types narrows the set: the type filter, an export's types, the deadline order's announcements.
  let types: readonly string[] | undefined;
  for (const set of [
    filter.type ? [filter.type] : undefined,
    filter.types,
    filter.sort === 'deadline' ? deadlineTypes : undefined,
  ]) {
    if (set) types = types ? types.filter((t) => set.includes(t)) : set;
  }
  const region = filter.region ? regionPrefix(filter.region) : undefined;
  return (types ?? [undefined]).flatMap((type): KeyRange[] => {
    const key = countKey({ category: filter.category, type, region });
    return dated ? dateRanges(key === '*' ? '' : `${key}|`, filter.from, filter.to) : [[key, key]];
  });
}

/** Reads and keeps the counts. */
@Injectable()
export class NoticeCounts {
  constructor(private readonly db: Database) {}

  /** Adds a newly published notice (and its project's first publication) in the publishing transaction. */
  async addPublished(em: EntityManager, notice: CountedNotice, projectFirstPublishedAt: Date | null): Promise<void> {
    const keys = [
      ...noticeCountKeys(notice),
      ...(projectFirstPublishedAt ? projectCountKeys(projectFirstPublishedAt) : []),
    ];
    await addToCounts(em, this.db.dialect, new Map(keys.map((k) => [k, 1])));
  }

  /** The sum of the counts in the ranges: one indexed read of at most a few hundred rows. */
  async sum(ranges: KeyRange[], em: EntityManager = this.db.manager): Promise<number> {
    if (!ranges.length) return 0;
    const where = ranges.map(([a, b]) => (a === b ? 'count_key = ?' : 'count_key BETWEEN ? AND ?')).join(' OR ');
    const params = ranges.flatMap(([a, b]) => (a === b ? [a] : [a, b]));
    const rows: { total: unknown }[] = await em.query(
      `SELECT SUM(notices) AS total FROM ${NOTICE_COUNT_TABLE} WHERE ${where}`,
      params,
    );
    return Number(rows[0]?.total ?? 0);
  }

  /** The counts of these keys, one read (0 for a key no notice has added to). */
  async byKey(keys: string[]): Promise<Map<string, number>> {
    const unique = [...new Set(keys)];
    const counts = new Map(unique.map((k) => [k, 0]));
    const rows: { count_key: string; notices: unknown }[] = await this.db.manager.query(
      `SELECT count_key, notices FROM ${NOTICE_COUNT_TABLE} WHERE count_key IN (${sqlMarks(unique)})`,
      unique,
    );
    for (const r of rows) counts.set(r.count_key, Number(r.notices));
    return counts;
  }

  /** A project's announcements counted as open until its deadline: published and not withdrawn. */
  async liveAnnouncements(
    em: EntityManager,
    projectId: string,
    types: readonly string[],
  ): Promise<(OpenAnnouncement & { id: string })[]> {
    const rows: { id: string; category: string; type: string; region_code: string }[] = await em.query(
      `SELECT id, category, type, region_code FROM notice
       WHERE project_id = ? AND status = 'published' AND withdrawn_at IS NULL AND type IN (${sqlMarks(types)})`,
      [projectId, ...types],
    );
    return rows.map((r) => ({ id: r.id, category: r.category, type: r.type, regionCode: r.region_code }));
  }

  /** Applies a publication's change to the open counts (openCountChange), in its transaction. */
  async addOpenChange(em: EntityManager, change: Map<string, number>): Promise<void> {
    await addToCounts(em, this.db.dialect, change);
  }

  /** Projects first published in the China days [from, to]. */
  projectsPublished(from?: string, to?: string): Promise<number> {
    return this.sum(from || to ? dateRanges('p|', from, to) : [['p', 'p']]);
  }

  /** All published notices. */
  allNotices(): Promise<number> {
    return this.sum([['*', '*']]);
  }
}

/** Adds to counters, in one key order in every writer so concurrent ones wait for each other rather than deadlock. */
export async function addToCounts(
  em: EntityManager,
  dialect: Database['dialect'],
  counts: Map<string, number>,
): Promise<void> {
  await addToCounters(em, dialect, NOTICE_COUNT_TABLE, { key: 'count_key', counter: 'notices' }, counts);
}
