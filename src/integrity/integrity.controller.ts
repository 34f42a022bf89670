import { applyDecorators, Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { StaffAuthenticator } from '../auth/staff-auth.js';
import { CachedResponse } from '../cache/cache.interceptor.js';
import { Clock } from '../common/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { CATEGORIES, REGIONS, regionName } from '../domain/catalog.js';
import { chinaDateTimeIso, formatChinaDateTime } from '../domain/china-time.js';
import { notFound } from '../http/app-error.js';
import { ClockWatch, renderView, sendConditional, sendJson } from '../http/conditional.js';
import { csvCell, csvDownload, csvLine, streamCsv } from '../http/csv.js';
import {
  ApiAfter,
  ApiCategoryQuery,
  ApiDateQuery,
  ApiLimit,
  ApiPublicRead,
  ApiRegionQuery,
} from '../open-data/api/api-docs.js';
import { checkParams, parseLimit } from '../open-data/http.js';
import { PublishedReads } from '../published/published-reads.js';
import { describeValues, INDICATORS, indicatorById, INTEGRITY_NOTICE } from '../trading/integrity-rules.js';
import { FlagListDto } from './dto.js';
import {
  FLAG_FILTER_PARAMS,
  FLAG_PAGE_MAX,
  FLAG_TOTAL_CAP,
  IntegrityReads,
  OVERVIEW_YEARS,
  parseFlagFilter,
  type CategoryYearCount,
  type FlagFilter,
  type FlagRow,
} from './integrity-reads.js';

const PAGE_MAX_AGE = 300;
const LIST_LIMIT = { default: 100, max: FLAG_PAGE_MAX };
const PAGE_ROWS = 50;
const CSV_BATCH = 500;
const FILTERS = FLAG_FILTER_PARAMS;

const enc = encodeURIComponent;

/** A filter's parameters in a fixed order, for links that keep it (paging, CSV, JSON). */
const filterPairs = (f: FlagFilter): [string, string][] =>
  FILTERS.flatMap((k) => (f[k] ? [[k, f[k]] as [string, string]] : []));

/** The list filters in the API description: those of /notices it shares, with the indicator and the year. */
const ApiFlagFilters = () =>
  applyDecorators(
    ApiQuery({ name: 'indicator', required: false, description: '指标', enum: INDICATORS.map((i) => i.id) }),
    ApiCategoryQuery(),
    ApiRegionQuery('项目的 GB/T 2260 行政区划代码，匹配其本身及其下所有区划', '210200'),
    ApiDateQuery('from', '提示日期起（含，北京时间）：据以计算的公告的发布日期', '2026-01-01'),
    ApiDateQuery('to', '提示日期止（含，北京时间）', '2026-12-31'),
    ApiQuery({
      name: 'year',
      required: false,
      description: '提示所属年度（即该年 1 月 1 日至 12 月 31 日；与 from、to 同时给出时取两者都包含的日期）',
      schema: { type: 'string', pattern: '^\\d{4}$', example: '2026' },
    }),
  );

/**
 * The integrity indicators: /integrity (every indicator with its definition, source, thresholds and counts),
 * /integrity/{indicator} (the flagged projects), /api/v1/flags and /exports/flags.csv. With INTEGRITY_PUBLIC=false
 * they answer signed-in staff and API-key holders only (401 for others), and are never cached for them.
 */
@Controller()
export class IntegrityController {
  constructor(
    private readonly reads: IntegrityReads,
    private readonly read: PublishedReads,
    private readonly authenticator: StaffAuthenticator,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Refuses anonymous callers when the indicators are for staff and auditors only. */
  private async allowed(req: Request) {
    if (!this.config.integrityPublic) await this.authenticator.require(req);
  }

  private policy(at: Date | null) {
    return { dataTime: at ?? new Date(0), watch: new ClockWatch(this.clock.now()), maxAgeSeconds: PAGE_MAX_AGE };
  }

  @Get('integrity')
  @CachedResponse()
  async overview(@Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    await this.allowed(req);
    checkParams(query, []);
    const [summaries, recomputing, version] = await Promise.all([
      this.reads.overview(),
      this.reads.recomputing(),
      this.read.dataVersion(),
    ]);
    const html = await renderView(res, 'integrity/index', {
      title: '红旗指标',
      notice: INTEGRITY_NOTICE,
      recomputing,
      indicators: summaries.map((s) => ({
        ...s.indicator,
        total: s.total,
        thresholds: s.indicator.thresholds.map((t) => ({ label: t.label, value: s.thresholds[t.key] })),
        byCategoryYear: s.byCategoryYear.map((r) => byCategoryYearRow(s.indicator.id, r)),
        // Older years are on the indicator's page.
        byCategoryYearMore: s.byCategoryYearRows > s.byCategoryYear.length ? s.byCategoryYearRows : null,
      })),
      overviewSpan: `最近 ${OVERVIEW_YEARS} 个年度`,
    });
    sendConditional(req, res, html, 'html', this.policy(version.at));
  }

  @Get('integrity/:indicator')
  @CachedResponse({ when: (req) => req.query.after === undefined })
  async list(
    @Param('indicator') id: string,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.allowed(req);
    const indicator = indicatorById(id);
    if (!indicator) throw notFound('指标');
    const params = checkParams(query, ['category', 'region', 'from', 'to', 'year', 'after']);
    const filter = parseFlagFilter({ ...params, indicator: id });
    const kept = filterPairs({ ...filter, indicator: undefined });
    // The unfiltered first page shows the indicator's flags by category and year, every year (the overview the
    // latest OVERVIEW_YEARS).
    const withBreakdown = kept.length === 0 && params.after === undefined;
    const [page, total, recomputing, version, breakdown] = await Promise.all([
      this.reads.flags(filter, params.after, PAGE_ROWS),
      this.reads.total(filter),
      this.reads.recomputing(),
      this.read.dataVersion(),
      withBreakdown ? this.reads.breakdown(id) : [],
    ]);
    const next = page.next ? `/integrity/${id}?${new URLSearchParams([...kept, ['after', page.next]])}` : null;
    const html = await renderView(res, 'integrity/list', {
      title: indicator.name,
      notice: INTEGRITY_NOTICE,
      recomputing,
      indicator,
      total: total.count,
      // A total counted up to the cap: "超过 10,000 条".
      totalMore: total.exact ? null : FLAG_TOTAL_CAP.toLocaleString('en-US'),
      categoryName: filter.category ? CATEGORIES.find((c) => c.slug === filter.category)?.name : null,
      regionName: filter.region ? (regionName(filter.region) ?? filter.region) : null,
      filter,
      categories: CATEGORIES.map((c) => ({ slug: c.slug, name: c.name, selected: c.slug === filter.category })),
      regions: REGIONS.map((r) => ({
        code: r.code,
        name: r.name,
        historical: r.historical,
        selected: r.code === filter.region,
      })),
      filtered: kept.length > 0,
      rows: page.items.map(flagView),
      byCategoryYear: breakdown.map((r) => byCategoryYearRow(id, r)),
      next,
      csv: `/exports/flags.csv?${new URLSearchParams([['indicator', id], ...kept])}`,
      json: `/api/v1/flags?${new URLSearchParams([['indicator', id], ...kept])}`,
    });
    sendConditional(req, res, html, 'html', this.policy(version.at));
  }

  @Get('api/v1/flags')
  @ApiPublicRead({
    tag: 'api',
    summary: '红旗指标的提示（每条带指标版本、阈值与计算值），最新日期在前，键集分页',
    description:
      '筛选条件与 /api/v1/notices 相同者（category、region、from、to）含义相同；日期为据以计算的公告的发布日期（北京时间）。',
    type: FlagListDto,
  })
  @ApiFlagFilters()
  @ApiLimit(LIST_LIMIT)
  @ApiAfter('分页游标')
  @CachedResponse({ when: (req) => req.query.after === undefined })
  async flagsJson(@Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    await this.allowed(req);
    const params = checkParams(query, [...FILTERS, 'limit', 'after']);
    const filter = parseFlagFilter(params);
    const limit = parseLimit(params.limit, LIST_LIMIT.default, LIST_LIMIT.max);
    const [page, total, recomputing, version] = await Promise.all([
      this.reads.flags(filter, params.after, limit),
      this.reads.total(filter),
      this.reads.recomputing(),
      this.read.dataVersion(),
    ]);
    const base = this.config.publicBaseUrl;
    const kept: [string, string][] = [...filterPairs(filter), ['limit', String(limit)]];
    sendJson(
      req,
      res,
      {
        notice: INTEGRITY_NOTICE,
        total: total.count,
        totalExact: total.exact,
        recomputing,
        limit,
        next: page.next,
        nextUrl: page.next ? `${base}/api/v1/flags?${new URLSearchParams([...kept, ['after', page.next]])}` : null,
        items: page.items.map((f) => flagJson(f, base)),
      },
      version.at,
    );
  }

  @Get('exports/flags.csv')
  @ApiPublicRead({
    tag: 'exports',
    summary: '红旗指标的全部提示，CSV（UTF-8 带 BOM，RFC 4180），每行带指标版本与阈值',
    produces: 'text/csv',
    conditional: false,
  })
  @ApiFlagFilters()
  async csv(@Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    await this.allowed(req);
    const filter = parseFlagFilter(checkParams(query, FILTERS));
    const name = ['flags', ...filterPairs(filter).map(([, v]) => v)].join('-');
    const aborted = csvDownload(res, { ascii: `${name}.csv`, utf8: `红旗指标-${name}.csv` });
    const base = this.config.publicBaseUrl;
    const cells = (f: FlagRow) => CSV_COLUMNS.map((c) => csvCell(c.kind, c.value(f, base)));
    await streamCsv(res, CSV_COLUMNS, aborted, async (send) => {
      let after: string | undefined;
      do {
        if (aborted()) return;
        const page = await this.reads.flags(filter, after, CSV_BATCH);
        if (page.items.length) await send(page.items.map((f) => csvLine(cells(f))).join(''));
        after = page.next ?? undefined;
      } while (after);
    });
  }
}

/** A flag as the pages show it. */
export function flagView(f: FlagRow) {
  return {
    ...f,
    projectUrl: f.projectId ? `/projects/${enc(f.projectId)}` : null,
    noticeUrl: f.noticeId ? `/notices/${enc(f.noticeId)}` : null,
    valuesText: describeValues(f.values),
    thresholdsText: describeValues(f.thresholds),
  };
}

function flagJson(f: FlagRow, base: string) {
  return {
    id: f.id,
    indicator: f.indicator,
    indicatorName: f.indicatorName,
    indicatorVersion: f.indicatorVersion,
    projectId: f.projectId,
    projectName: f.projectName,
    lotCode: f.lotCode,
    buyerCode: f.buyerCode,
    orgCode: f.orgCode,
    category: f.category,
    regionCode: f.regionCode,
    year: f.year,
    date: f.date,
    noticeId: f.noticeId,
    values: f.values,
    thresholds: f.thresholds,
    cohort: f.cohort,
    computedAt: chinaDateTimeIso(f.computedAt),
    project: f.projectId ? `${base}/projects/${enc(f.projectId)}` : null,
  };
}

type Column = { header: string; kind: 'text' | 'number' | 'time'; value: (f: FlagRow, base: string) => string };

const CSV_COLUMNS: Column[] = [
  { header: '指标', kind: 'text', value: (f) => f.indicator },
  { header: '指标名称', kind: 'text', value: (f) => f.indicatorName },
  { header: '指标版本', kind: 'number', value: (f) => String(f.indicatorVersion) },
  { header: '交易类别', kind: 'text', value: (f) => f.categoryName },
  { header: '年份', kind: 'number', value: (f) => f.year },
  { header: '日期', kind: 'time', value: (f) => f.date },
  { header: '地区代码', kind: 'text', value: (f) => f.regionCode },
  { header: '项目编号', kind: 'text', value: (f) => f.projectId ?? '' },
  { header: '项目名称', kind: 'text', value: (f) => f.projectName ?? '' },
  { header: '标段（包）', kind: 'text', value: (f) => f.lotCode },
  { header: '招标人/采购人代码', kind: 'text', value: (f) => f.buyerCode ?? '' },
  { header: '涉及单位代码', kind: 'text', value: (f) => f.orgCode ?? '' },
  { header: '计算值', kind: 'text', value: (f) => JSON.stringify(f.values) },
  { header: '阈值', kind: 'text', value: (f) => JSON.stringify(f.thresholds) },
  { header: 'Q1', kind: 'number', value: (f) => (f.cohort ? String(f.cohort.q1) : '') },
  { header: 'Q3', kind: 'number', value: (f) => (f.cohort ? String(f.cohort.q3) : '') },
  { header: '同组标段数', kind: 'number', value: (f) => (f.cohort ? String(f.cohort.n) : '') },
  { header: '计算时间', kind: 'time', value: (f) => formatChinaDateTime(f.computedAt) },
  { header: '项目地址', kind: 'text', value: (f, base) => (f.projectId ? `${base}/projects/${enc(f.projectId)}` : '') },
];

/** A row of an indicator's table by category and year, linking to those flags. */
const byCategoryYearRow = (indicatorId: string, r: CategoryYearCount) => ({
  ...r,
  href: `/integrity/${indicatorId}?category=${r.category}&year=${r.year}`,
});
