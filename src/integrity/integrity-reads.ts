import { Injectable } from '@nestjs/common';
import { Database } from '../database/database.js';
import { keysetAfter, positional } from '../database/keyset.js';
import { PublishedReads } from '../published/published-reads.js';
import { categoryBySlug, CATEGORIES } from '../domain/catalog.js';
import { AppError, type FieldError } from '../http/app-error.js';
import {
  FLAG_COUNTS,
  FLAG_KEYS,
  flagFilterKey,
  FLAGS,
  flagRow,
  IntegrityIndex,
  type FlagRow,
} from '../trading/integrity-index.js';
import { INDICATORS, indicatorById, type Indicator, type Thresholds } from '../trading/integrity-rules.js';
import { sharedFilterChecks, shown } from '../trading/notice-filter.js';
import { sqlMarks } from '../database/dialect.js';

export type { FlagRow };

/** The flag lists' filters: as /notices (category, region, dates), with the indicator and the year. */
export interface FlagFilter {
  indicator?: string;
  category?: string;
  /** GB/T 2260 code: matches itself and every code under it. */
  region?: string;
  /** Inclusive China dates of the flag (the publication its facts last changed with). */
  from?: string;
  to?: string;
  /** Four digits: the same as from YYYY-01-01 to YYYY-12-31 (and with from/to, the days both allow). */
  year?: string;
}

export const FLAG_FILTER_PARAMS = ['indicator', 'category', 'region', 'from', 'to', 'year'] as const;

/** An indicator's flags in one category and year (the kept counts). */
export interface CategoryYearCount {
  category: string;
  categoryName: string;
  year: string;
  flags: number;
}

export interface IndicatorSummary {
  indicator: Indicator;
  thresholds: Record<string, number>;
  total: number;
  /** The latest OVERVIEW_YEARS years with flags, by category; every year on the indicator's page (breakdown). */
  byCategoryYear: CategoryYearCount[];
  /** Rows of every year. */
  byCategoryYearRows: number;
}

/**
 * Years of each indicator's counts by category on /integrity: the table grows by a year of categories a year
 * (a province's ten years, 14 categories and 9 indicators would be a page of over a thousand rows); the rest are
 * on the indicator's page.
 */
export const OVERVIEW_YEARS = 3;

export const FLAG_PAGE_MAX = 500;
/** A total not held by the kept counts (a region or dates) is counted up to this many, then said to be more. */
export const FLAG_TOTAL_CAP = 10_000;
const CURSOR = /^(\d{4}-\d{2}-\d{2})-(\d{1,12})$/;
const categoryName = (slug: string) => categoryBySlug(slug)?.name ?? slug;

/** Kept counts `i={indicator}|c={category}|y={year}` with flags, by indicator: the latest year first, then category. */
function categoryYearCounts(rows: { count_key: string; flags: unknown }[]): Map<string, CategoryYearCount[]> {
  const out = new Map<string, CategoryYearCount[]>();
  for (const r of rows) {
    const flags = Number(r.flags);
    const [i, c, y] = r.count_key.split('|');
    if (!y?.startsWith('y=') || !c?.startsWith('c=') || !(flags > 0)) continue;
    const [indicator, category] = [i.slice(2), c.slice(2)];
    if (!out.has(indicator)) out.set(indicator, []);
    out.get(indicator)!.push({ category, categoryName: categoryName(category), year: y.slice(2), flags });
  }
  for (const list of out.values())
    list.sort((a, b) => b.year.localeCompare(a.year) || a.category.localeCompare(b.category));
  return out;
}

/**
 * Checks the list filters, each refused with a message naming it (the /notices wording for the filters they
 * share): a known indicator and category, a six-digit region code, real dates in order, a four-digit year.
 */
export function parseFlagFilter(params: Record<string, string | undefined>): FlagFilter {
  const errors: FieldError[] = [];
  const filter: FlagFilter = {};
  const { indicator, category, region, from, to, year } = params;
  if (indicator !== undefined) {
    if (indicatorById(indicator)) filter.indicator = indicator;
    else
      errors.push({
        field: 'indicator',
        message: `未知的指标${shown(indicator)}，可选：${INDICATORS.map((i) => i.id).join('、')}`,
      });
  }
  if (category !== undefined) filter.category = sharedFilterChecks.category(category, errors);
  if (region !== undefined) filter.region = sharedFilterChecks.region(region, errors);
  sharedFilterChecks.dates({ from, to }, filter, errors);
  if (year !== undefined) {
    if (/^(19|20)\d\d$/.test(year)) filter.year = year;
    else errors.push({ field: 'year', message: `年份${shown(year)}不正确，应为四位年份，如 2026` });
  }
  if (errors.length) throw new AppError('filter.invalid', errors.map((e) => e.message).join('；'), errors);
  return filter;
}

/** The days a filter allows (its dates and its year together), or null when they have none in common. */
function dateRange(filter: FlagFilter): { from: string; to: string } | null {
  let from = filter.from ?? '0000-01-01';
  let to = filter.to ?? '9999-12-31';
  if (filter.year) {
    if (from < `${filter.year}-01-01`) from = `${filter.year}-01-01`;
    if (to > `${filter.year}-12-31`) to = `${filter.year}-12-31`;
  }
  return from <= to ? { from, to } : null;
}

function parseCursor(after: string | undefined): { date: string; id: number } | undefined {
  if (after === undefined) return undefined;
  const m = CURSOR.exec(after);
  if (!m)
    throw new AppError('filter.cursor', '分页游标 after 不正确', [{ field: 'after', message: '不是本站给出的游标' }]);
  return { date: m[1], id: Number(m[2]) };
}

/**
 * The integrity pages' reads: the kept counts, and flags a keyset page at a time (newest date, then newest flag)
 * along the filter's list key (integrity_flag_key, migration 1766200000000), whatever the number of flags.
 */
@Injectable()
export class IntegrityReads {
  constructor(
    private readonly db: Database,
    private readonly index: IntegrityIndex,
    private readonly read: PublishedReads,
  ) {}

  thresholds(): Promise<Thresholds> {
    return this.index.thresholds();
  }

  /** Whether every flag is being recomputed, and lists may be incomplete until it is done (IntegrityIndex). */
  recomputing(): Promise<boolean> {
    return this.index.recomputing();
  }

  /** Every indicator with its current thresholds, its total and its counts by category and year. */
  async overview(): Promise<IndicatorSummary[]> {
    const [rows, t] = await Promise.all([
      this.db.manager.query(`SELECT count_key, flags FROM ${FLAG_COUNTS} WHERE count_key >= 'i=' AND count_key < 'i>'`),
      this.thresholds(),
    ]);
    const counts = rows as { count_key: string; flags: unknown }[];
    const totals = new Map(counts.map((r) => [r.count_key, Number(r.flags)]));
    const byIndicator = categoryYearCounts(counts);
    return INDICATORS.map((indicator) => {
      const all = byIndicator.get(indicator.id) ?? [];
      const years = [...new Set(all.map((r) => r.year))];
      const fromYear = years[Math.min(OVERVIEW_YEARS, years.length) - 1];
      return {
        indicator,
        thresholds: t[indicator.id] ?? {},
        total: totals.get(`i=${indicator.id}`) ?? 0,
        byCategoryYear: all.filter((r) => r.year >= fromYear),
        byCategoryYearRows: all.length,
      };
    });
  }

  /** An indicator's flags by category and year, every year (its page): one range of the kept counts. */
  async breakdown(indicatorId: string): Promise<CategoryYearCount[]> {
    const rows: { count_key: string; flags: unknown }[] = await this.db.manager.query(
      `SELECT count_key, flags FROM ${FLAG_COUNTS} WHERE count_key > ? AND count_key < ?`,
      [`i=${indicatorId}|c=`, `i=${indicatorId}|c>`],
    );
    return categoryYearCounts(rows).get(indicatorId) ?? [];
  }

  /**
   * The number of flags a filter matches: exact from the kept counts for an indicator, a category and a year;
   * with a region or dates, counted along the filter's list keys up to FLAG_TOTAL_CAP (`exact: false` past it).
   */
  async total(filter: FlagFilter): Promise<{ count: number; exact: boolean }> {
    if (!filter.region && !filter.from && !filter.to) return { count: await this.keptTotal(filter), exact: true };
    const range = dateRange(filter);
    if (!range) return { count: 0, exact: true };
    const rows: { total: unknown }[] = await this.db.manager.query(
      `SELECT COUNT(*) AS total FROM (SELECT flag_id FROM ${FLAG_KEYS} WHERE filter_key = ? AND flag_date >= ? AND flag_date <= ? LIMIT ${FLAG_TOTAL_CAP + 1}) matches`,
      [flagFilterKey(filter), range.from, range.to],
    );
    const count = Number(rows[0]?.total ?? 0);
    return count > FLAG_TOTAL_CAP ? { count: FLAG_TOTAL_CAP, exact: false } : { count, exact: true };
  }

  /** The kept counts of an indicator, category and year (no year without a category: summed over categories). */
  private async keptTotal(filter: FlagFilter): Promise<number> {
    const ids = filter.indicator ? [filter.indicator] : INDICATORS.map((i) => i.id);
    if (filter.year && !filter.category) {
      // Per category with the year: at most indicators × categories rows.
      return this.sumKeys(ids.flatMap((i) => CATEGORIES.map((c) => `i=${i}|c=${c.slug}|y=${filter.year}`)));
    }
    return this.sumKeys(
      ids.map((i) =>
        filter.category
          ? filter.year
            ? `i=${i}|c=${filter.category}|y=${filter.year}`
            : `i=${i}|c=${filter.category}`
          : `i=${i}`,
      ),
    );
  }

  private async sumKeys(keys: string[]): Promise<number> {
    const rows: { total: unknown }[] = await this.db.manager.query(
      `SELECT SUM(flags) AS total FROM ${FLAG_COUNTS} WHERE count_key IN (${sqlMarks(keys)})`,
      keys,
    );
    return Number(rows[0]?.total ?? 0);
  }

  /**
   * One page of flags, newest date first, then newest flag: one range of the filter's list key (indicator,
   * category and region in one key, dates a range of it: integrity_flag_key's primary key), then the page's
   * flags by id.
   */
  async flags(
    filter: FlagFilter,
    after: string | undefined,
    limit: number,
  ): Promise<{ items: FlagRow[]; next: string | null }> {
    const cursor = parseCursor(after);
    const range = dateRange(filter);
    if (!range) return { items: [], next: null };
    const params: unknown[] = [flagFilterKey(filter), range.from, range.to];
    let where = 'filter_key = ? AND flag_date >= ? AND flag_date <= ?';
    if (cursor)
      where += ` AND ${keysetAfter({ key: 'flag_date', id: 'flag_id' }, { key: cursor.date, id: cursor.id }, 'DESC', positional(params))}`;
    const keys: { flag_date: string; flag_id: unknown }[] = await this.db.manager.query(
      `SELECT flag_date, flag_id FROM ${FLAG_KEYS} WHERE ${where} ORDER BY flag_date DESC, flag_id DESC LIMIT ${limit + 1}`,
      params,
    );
    const page = keys.slice(0, limit).map((k) => Number(k.flag_id));
    const byId = new Map<number, FlagRow>();
    for (let i = 0; i < page.length; i += 100) {
      const chunk = page.slice(i, i + 100);
      const rows: Record<string, unknown>[] = await this.db.manager.query(
        `SELECT * FROM ${FLAGS} WHERE id IN (${sqlMarks(chunk)})`,
        chunk,
      );
      for (const r of rows) byId.set(Number(r.id), flagRow(r));
    }
    const items = await this.withProjects(page.flatMap((id) => byId.get(id) ?? []));
    const last = keys[limit - 1];
    return { items, next: keys.length > limit ? `${last.flag_date}-${Number(last.flag_id)}` : null };
  }

  private async withProjects(items: FlagRow[]): Promise<FlagRow[]> {
    const names = await this.read.projectNames(items.flatMap((i) => (i.projectId ? [i.projectId] : [])));
    for (const item of items) item.projectName = item.projectId ? (names.get(item.projectId) ?? null) : null;
    return items;
  }
}
