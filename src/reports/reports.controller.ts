import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { StaffAuthenticator } from '../auth/staff-auth.js';
import { CachedResponse } from '../cache/cache.interceptor.js';
import { Clock } from '../common/clock.js';
import { formatChinaDateTime } from '../domain/china-time.js';
import { AppError, notFound } from '../http/app-error.js';
import { ClockWatch, renderView, sendConditional } from '../http/conditional.js';
import { annualReportContentPath } from '../transparency/canonical.js';
import { freeze } from './annual-report.js';
import { reportCsv, reportViewModel } from './report-view.js';
import { ReportsService } from './reports.service.js';

const MAX_AGE = 300;

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * /reports/annual, /reports/annual/{year}, its CSV and its JSON: the published yearly reports on government
 * information disclosure, as frozen at publication. {year}.json is the frozen canonical JSON byte for byte, whose
 * SHA-256 the report's publication-log entry records (what a verifier recomputes). Before publication a year is
 * 404 to the public; signed-in staff see the live draft, marked 草稿, never cached.
 */
@Controller()
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly authenticator: StaffAuthenticator,
    private readonly clock: Clock,
  ) {}

  @Get('reports/annual')
  async list(@Req() req: Request, @Res() res: Response) {
    const years = await this.reports.publishedYears();
    const html = await renderView(res, 'reports/list', {
      title: '政府信息公开工作年度报告',
      years: years.map((y) => ({ year: y.year, publishedAt: formatChinaDateTime(y.publishedAt), hash: y.contentHash })),
    });
    sendConditional(req, res, html, 'html', {
      dataTime: years.reduce((t, y) => (y.publishedAt > t ? y.publishedAt : t), new Date(0)),
      watch: new ClockWatch(this.clock.now()),
      maxAgeSeconds: MAX_AGE,
    });
  }

  @Get('reports/annual/:file')
  @CachedResponse()
  async report(@Req() req: Request, @Res() res: Response, @Param('file') file: string) {
    const m = /^(\d{4})(?:\.(csv|json))?$/.exec(file);
    const year = m ? this.reports.parseYear(m[1]) : null;
    if (year === null) throw notFound('该年度的政府信息公开工作年度报告');
    const format = (m![2] ?? 'html') as 'html' | 'csv' | 'json';
    const published = await this.reports.published(year);
    if (!published) {
      const auth = await this.authenticator.resolve(req).catch(() => null);
      if (!auth || auth.actor.via !== 'session')
        throw new AppError('not-found', `${year}年政府信息公开工作年度报告尚未发布`);
      // A draft: computed now, for staff only, never cached or stored.
      const row = await this.reports.find(year);
      const report = await this.reports.compute(year, row);
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('X-Robots-Tag', 'noindex');
      if (format === 'csv') {
        res.setHeader('Content-Disposition', `attachment; filename="annual-report-${year}-draft.csv"`);
        res.type('text/csv; charset=utf-8').send(reportCsv(report));
        return;
      }
      if (format === 'json') {
        res.type(JSON_TYPE).send(freeze(report).json);
        return;
      }
      res.render('reports/report', {
        title: `${report.title}（草稿）`,
        ...reportViewModel(report),
        draft: true,
        csvHref: `/reports/annual/${year}.csv`,
      });
      return;
    }
    const { report, row } = published;
    const policy = { dataTime: row.publishedAt!, watch: new ClockWatch(this.clock.now()), maxAgeSeconds: MAX_AGE };
    if (format === 'csv') {
      res.setHeader('Content-Disposition', `attachment; filename="annual-report-${year}.csv"`);
      sendConditional(req, res, reportCsv(report), 'text/csv; charset=utf-8', policy);
      return;
    }
    if (format === 'json') {
      sendConditional(req, res, row.content!, JSON_TYPE, policy);
      return;
    }
    const entry = await this.reports.logEntry(year);
    const html = await renderView(res, 'reports/report', {
      title: report.title,
      ...reportViewModel(report),
      publishedAt: formatChinaDateTime(row.publishedAt!),
      contentHash: row.contentHash,
      logSeq: entry?.seq ?? null,
      csvHref: `/reports/annual/${year}.csv`,
      jsonHref: annualReportContentPath(year),
    });
    sendConditional(req, res, html, 'html', policy);
  }
}
