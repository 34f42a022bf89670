import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Clock } from '../common/clock.js';
import { validationFailed } from '../http/app-error.js';
import { ClockWatch, renderView, sendConditional } from '../http/conditional.js';
import { chinaDate, chinaDayStart } from '../domain/china-time.js';
import { csvRows, CSV_HEADER, displayChange, displayValue, figureGroups, groupChart, toCsv } from './report.js';
import { StatisticsService } from './statistics.service.js';

const MIN_YEAR = 2000;
const MAX_YEAR = 2100;
const MAX_AGE = 300;

/** /statistics and /statistics.csv: the yearly disclosure figures, computed from the published data. */
@Controller()
export class StatisticsController {
  constructor(
    private readonly statistics: StatisticsService,
    private readonly clock: Clock,
  ) {}

  @Get('statistics')
  async page(@Req() req: Request, @Res() res: Response, @Query() query: Record<string, unknown>) {
    const year = this.parseYear(query.year);
    const [{ groups, dataTime }, span] = await Promise.all([this.figures(year), this.statistics.yearsWithData()]);
    const thisYear = this.currentYear();
    const firstYear = Math.min(span ? Number(chinaDate(span.first).slice(0, 4)) : thisYear, year);
    const lastYear = Math.max(span ? Number(chinaDate(span.last).slice(0, 4)) : thisYear, thisYear, year);
    const sections = groups.map((g) => ({
      key: g.key,
      title: g.title,
      chart: groupChart(g, year),
      rows: g.rows.map((r) => ({
        item: r.item,
        current: displayValue(r.kind, r.current, r.unit),
        previous: displayValue(r.kind, r.previous, r.unit),
        change: r.kind === 'percent' ? '' : displayChange(r.change),
        total: r.item === '合计',
      })),
    }));
    const row = (key: string, item: string) => groups.find((g) => g.key === key)!.rows.find((r) => r.item === item)!;
    const summary = [
      { label: '发布信息', row: row('items', '合计') },
      { label: '完成交易项目', row: row('completed', '合计') },
      { label: '交易金额', row: row('amount', '合计') },
      { label: '节约资金', row: row('savings', '节约资金') },
      { label: '国有资产和土地增值', row: row('premium', '增值金额') },
      { label: '全流程电子化交易占比', row: row('online', '占完成项目的比例') },
    ].map(({ label, row: r }) => ({
      label,
      value: displayValue(r.kind, r.current, r.unit),
      change: r.kind === 'percent' ? null : displayChange(r.change),
    }));
    const html = await renderView(res, 'statistics/index', {
      title: `${year}年信息公开统计`,
      // not `year`: that name is a view helper
      statYear: year,
      previousYear: year - 1,
      years: Array.from({ length: lastYear - firstYear + 1 }, (_, i) => lastYear - i).map((y) => ({
        value: y,
        selected: y === year,
      })),
      summary,
      sections,
      csvHref: `/statistics.csv?year=${year}`,
    });
    const watch = new ClockWatch(this.clock.now());
    // Without ?year= the page is this year's, which changes at midnight on 1 January.
    if (query.year === undefined) watch.sawPassed(chinaDayStart(`${thisYear}-01-01`));
    sendConditional(req, res, html, 'html', { dataTime, watch, maxAgeSeconds: MAX_AGE });
  }

  @Get('statistics.csv')
  async csv(@Req() req: Request, @Res() res: Response, @Query() query: Record<string, unknown>) {
    const year = this.parseYear(query.year);
    const { groups, dataTime } = await this.figures(year);
    res.setHeader('Content-Disposition', `attachment; filename="statistics-${year}.csv"`);
    sendConditional(req, res, toCsv([CSV_HEADER, ...csvRows(year, groups)]), 'text/csv; charset=utf-8', {
      dataTime,
      watch: new ClockWatch(this.clock.now()),
      maxAgeSeconds: MAX_AGE,
    });
  }

  private async figures(year: number) {
    const [current, previous, dataTime] = await Promise.all([
      this.statistics.year(year),
      this.statistics.year(year - 1),
      this.statistics.dataTime(),
    ]);
    return { groups: figureGroups(current, previous), dataTime };
  }

  private currentYear() {
    return Number(chinaDate(this.clock.now()).slice(0, 4));
  }

  private parseYear(raw: unknown): number {
    if (raw === undefined) return this.currentYear();
    if (typeof raw !== 'string' || !/^\d{4}$/.test(raw) || Number(raw) < MIN_YEAR || Number(raw) > MAX_YEAR) {
      throw validationFailed(
        [{ field: 'year', message: `年份应为 ${MIN_YEAR} 到 ${MAX_YEAR} 之间的四位数字，且只出现一次` }],
        '年份不正确',
      );
    }
    return Number(raw);
  }
}
