import { Injectable } from '@nestjs/common';
import { Database } from '../database/database.js';
import { PublishedReads } from '../published/published-reads.js';
import { forceIndexSql } from '../database/dialect.js';
import { categoryBySlug, CATEGORIES } from '../domain/catalog.js';
import { AppError } from '../http/app-error.js';
import { FLAG_COUNTS, FLAGS, flagRow, IntegrityIndex, type FlagRow } from '../trading/integrity-index.js';
import { INDICATORS, indicatorById, type Indicator, type Thresholds } from '../trading/integrity-rules.js';

export type { FlagRow };

export interface FlagFilter {
  indicator?: string;
  category?: string;
  year?: string;
}

export interface IndicatorSummary {
  indicator: Indicator;
  thresholds: Record<string, number>;
  total: number;
  byCategoryYear: { category: string; categoryName: string; year: string; flags: number }[];
}

export const FLAG_PAGE_MAX = 500;
const CURSOR = /^(\d{4})-(\d{1,12})$/;
const categoryName = (slug: string) => categoryBySlug(slug)?.name ?? slug;

/** Checks the list filters: a known indicator and category, a four-digit year. */
export function parseFlagFilter(params: Record<string, string | undefined>): FlagFilter {
  const errors: { field: string; message: string }[] = [];
  if (params.indicator !== undefined && !indicatorById(params.indicator))
    errors.push({ field: 'indicator', message: `不是可用的指标：${INDICATORS.map((i) => i.id).join('、')}` });
  if (params.category !== undefined && !CATEGORIES.some((c) => c.slug === params.category))
    errors.push({ field: 'category', message: '不是可用的交易类别' });
  if (params.year !== undefined && !/^(19|20)\d\d$/.test(params.year))
    errors.push({ field: 'year', message: '应为四位年份' });
  if (errors.length)
    throw new AppError('filter.invalid', errors.map((e) => `${e.field}：${e.message}`).join('；'), errors);
  return { indicator: params.indicator, category: params.category, year: params.year };
}

/**
 * The integrity pages' reads: the kept counts, and flags a keyset page at a time (newest year, then newest flag)
 * along an index that starts with the filter's columns (migration 1765710000000), whatever the number of flags.
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

  /** Every indicator with its current thresholds, its total and its counts by category and year. */
  async overview(): Promise<IndicatorSummary[]> {
    const [rows, t] = await Promise.all([
      this.db.manager.query(`SELECT count_key, flags FROM ${FLAG_COUNTS} WHERE count_key >= 'i=' AND count_key < 'i>'`),
      this.thresholds(),
    ]);
    const counts = new Map(
      (rows as { count_key: string; flags: unknown }[]).map((r) => [r.count_key, Number(r.flags)]),
    );
    return INDICATORS.map((indicator) => {
      const prefix = `i=${indicator.id}|c=`;
      const byCategoryYear = [...counts]
        .filter(([k, n]) => k.startsWith(prefix) && k.includes('|y=') && n > 0)
        .map(([k, n]) => {
          const [, c, y] = k.split('|');
          const category = c.slice(2);
          return { category, categoryName: categoryName(category), year: y.slice(2), flags: n };
        })
        .sort((a, b) => b.year.localeCompare(a.year) || a.category.localeCompare(b.category));
      return {
        indicator,
        thresholds: t[indicator.id] ?? {},
        total: counts.get(`i=${indicator.id}`) ?? 0,
        byCategoryYear,
      };
    });
  }

  /** The exact number of flags a filter matches, from the kept counts (no year without a category: summed). */
  async total(filter: FlagFilter): Promise<number> {
    const ids = filter.indicator ? [filter.indicator] : INDICATORS.map((i) => i.id);
    const keys = ids.map((i) =>
      filter.category
        ? filter.year
          ? `i=${i}|c=${filter.category}|y=${filter.year}`
          : `i=${i}|c=${filter.category}`
        : `i=${i}`,
    );
    if (filter.year && !filter.category) {
      // Per category with the year: at most indicators × categories rows.
      const all = ids.flatMap((i) => CATEGORIES.map((c) => `i=${i}|c=${c.slug}|y=${filter.year}`));
      return this.sumKeys(all);
    }
    return this.sumKeys(keys);
  }

  private async sumKeys(keys: string[]): Promise<number> {
    const rows: { total: unknown }[] = await this.db.manager.query(
      `SELECT SUM(flags) AS total FROM ${FLAG_COUNTS} WHERE count_key IN (${keys.map(() => '?').join(', ')})`,
      keys,
    );
    return Number(rows[0]?.total ?? 0);
  }

  /** One page of flags, newest year first, then newest flag. */
  async flags(
    filter: FlagFilter,
    after: string | undefined,
    limit: number,
  ): Promise<{ items: FlagRow[]; next: string | null }> {
    const where: string[] = [];
    const params: unknown[] = [];
    for (const column of ['indicator', 'category', 'year'] as const) {
      if (filter[column] !== undefined) {
        where.push(`${column} = ?`);
        params.push(filter[column]);
      }
    }
    if (after !== undefined) {
      const m = CURSOR.exec(after);
      if (!m)
        throw new AppError('filter.cursor', '分页游标 after 不正确', [
          { field: 'after', message: '不是本站给出的游标' },
        ]);
      // year <= y bounds the index range; the OR filters the rows of year y itself.
      if (filter.year === undefined) {
        where.push('year <= ? AND (year < ? OR id < ?)');
        params.push(m[1], m[1], Number(m[2]));
      } else {
        where.push('id < ?');
        params.push(Number(m[2]));
      }
    }
    // The index that holds this filter's rows in list order (migration 1765710000000).
    const index = filter.indicator
      ? filter.category
        ? 'ix_integrity_flag_ind_cat'
        : 'ix_integrity_flag_ind'
      : filter.category
        ? 'ix_integrity_flag_cat'
        : 'ix_integrity_flag_year';
    const rows: Record<string, unknown>[] = await this.db.manager.query(
      `SELECT * FROM ${FLAGS}${forceIndexSql(this.db.dialect, index)} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY year DESC, id DESC LIMIT ${limit + 1}`,
      params,
    );
    const items = await this.withProjects(rows.slice(0, limit).map(flagRow));
    const last = items[items.length - 1];
    return { items, next: rows.length > limit && last ? `${last.year}-${last.id}` : null };
  }

  private async withProjects(items: FlagRow[]): Promise<FlagRow[]> {
    const names = await this.read.projectNames(items.flatMap((i) => (i.projectId ? [i.projectId] : [])));
    for (const item of items) item.projectName = item.projectId ? (names.get(item.projectId) ?? null) : null;
    return items;
  }
}
