import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/decorators.js';
import { formatChinaDateTime } from '../domain/china-time.js';
import { formatYuan } from '../domain/money.js';
import { notFound, type FieldError } from '../http/app-error.js';
import { doneMessage, errorMap, field, fieldErrorsOf } from '../http/form-input.js';
import { BASELINE_FIELDS } from './annual-report.js';
import { reportViewModel } from './report-view.js';
import { REPORT_FORM_LABELS, ReportsService, STATUS_LABELS, type ReportForm } from './reports.service.js';

const DONE: Record<string, string> = {
  saved: '已保存。',
  submitted: '已提交审核。',
  rejected: '已退回起草人。',
  published: '年度报告已发布，数字已冻结。',
};

const FIELD_LABELS: Record<string, string> = { ...REPORT_FORM_LABELS, note: '退回意见' };

/** /admin/reports: the yearly disclosure reports, drafted by staff and published by a second person. */
@Controller()
@Roles('clerk', 'reviewer', 'admin')
export class ReportsAdminController {
  constructor(private readonly reports: ReportsService) {}

  @Get('admin/reports')
  async list(@Res() res: Response) {
    const rows = await this.reports.all();
    const current = this.reports.currentYear();
    const years = [...new Set([current, current - 1, ...rows.map((r) => r.year)])].sort((a, b) => b - a);
    res.render('reports/admin-list', {
      title: '政府信息公开工作年度报告',
      years: years.map((year) => {
        const row = rows.find((r) => r.year === year);
        return {
          year,
          status: row ? STATUS_LABELS[row.status] : '尚未起草',
          publishedAt: row?.publishedAt ? formatChinaDateTime(row.publishedAt) : '',
        };
      }),
    });
  }

  @Get('admin/reports/:year')
  async detail(
    @Param('year') raw: string,
    @Query('done') done: unknown,
    @CurrentActor() actor: Actor,
    @Res() res: Response,
  ) {
    const year = this.year(raw);
    await this.renderDetail(res, actor, year, { flash: doneMessage(DONE, done) });
  }

  @Post('admin/reports/:year')
  @Roles('clerk', 'admin')
  async save(
    @Param('year') raw: string,
    @Body() body: Record<string, unknown>,
    @CurrentActor() actor: Actor,
    @Res() res: Response,
  ) {
    const year = this.year(raw);
    const form: ReportForm = {};
    for (const k of [
      'overview',
      'problems',
      'other',
      'itemsTotal',
      'completed',
      'amountYuan',
      'requestsReceived',
    ] as const)
      form[k] = body?.[k] === undefined ? undefined : field(body, k);
    try {
      await this.reports.save(actor, year, form);
    } catch (e) {
      return this.renderDetail(res, actor, year, { errors: fieldErrorsOf(e), form: body ?? {} }, 400);
    }
    res.redirect(303, `/admin/reports/${year}?done=saved`);
  }

  @Post('admin/reports/:year/submit')
  @Roles('clerk', 'admin')
  async submit(@Param('year') raw: string, @CurrentActor() actor: Actor, @Res() res: Response) {
    const year = this.year(raw);
    await this.reports.submit(actor, year);
    res.redirect(303, `/admin/reports/${year}?done=submitted`);
  }

  @Post('admin/reports/:year/reject')
  @Roles('reviewer', 'admin')
  async reject(
    @Param('year') raw: string,
    @Body() body: Record<string, unknown>,
    @CurrentActor() actor: Actor,
    @Res() res: Response,
  ) {
    const year = this.year(raw);
    try {
      await this.reports.reject(actor, year, field(body, 'note'));
    } catch (e) {
      return this.renderDetail(res, actor, year, { errors: fieldErrorsOf(e) }, 400);
    }
    res.redirect(303, `/admin/reports/${year}?done=rejected`);
  }

  @Post('admin/reports/:year/publish')
  @Roles('reviewer', 'admin')
  async publish(@Param('year') raw: string, @CurrentActor() actor: Actor, @Res() res: Response) {
    const year = this.year(raw);
    await this.reports.publish(actor, year);
    res.redirect(303, `/admin/reports/${year}?done=published`);
  }

  private year(raw: string): number {
    const year = this.reports.parseYear(raw);
    if (year === null) throw notFound(`${raw}年度报告`);
    return year;
  }

  private async renderDetail(
    res: Response,
    actor: Actor,
    year: number,
    extra: { flash?: string; errors?: FieldError[]; form?: Record<string, unknown> },
    status = 200,
  ) {
    const row = await this.reports.find(year);
    const published = row?.status === 'published' ? await this.reports.published(year) : null;
    const report = published ? published.report : await this.reports.compute(year, row);
    const errors = errorMap(extra.errors ?? []);
    const value = (k: string, saved: string) => (extra.form ? field(extra.form, k) : saved);
    const baseline = row ? (JSON.parse(row.baseline) as Record<string, number | string>) : {};
    const savedFigure = (k: string) => {
      if (k === 'amountYuan') return baseline.amountFen !== undefined ? formatYuan(BigInt(baseline.amountFen)) : '';
      return baseline[k] !== undefined ? String(baseline[k]) : '';
    };
    const status_ = row?.status ?? null;
    const isAuthor = !!row && (row.submittedBy === actor.userId || row.editedBy === actor.userId);
    res.status(status).render('reports/admin-detail', {
      title: `${year}年政府信息公开工作年度报告`,
      year_: year,
      flash: extra.flash,
      summary: (extra.errors ?? []).map((e) => ({
        label: FIELD_LABELS[e.field] ?? e.field,
        message: e.message,
        href: `#f-${e.field}`,
      })),
      errors,
      status: row ? STATUS_LABELS[row.status] : '尚未起草',
      reviewNote: row?.status === 'draft' ? row.reviewNote : null,
      published: status_ === 'published',
      publishedAt: row?.publishedAt ? formatChinaDateTime(row.publishedAt) : '',
      contentHash: row?.contentHash,
      canEdit: status_ !== 'published' && actor.role !== 'reviewer',
      canSubmit: status_ === 'draft' && actor.role !== 'reviewer',
      canReview: status_ === 'submitted' && actor.role !== 'clerk',
      isAuthor,
      yearEnded: year < this.reports.currentYear(),
      texts: [
        {
          name: 'overview',
          label: FIELD_LABELS.overview,
          value: value('overview', row?.overviewText ?? ''),
          error: errors.overview,
        },
        {
          name: 'problems',
          label: FIELD_LABELS.problems,
          value: value('problems', row?.problemsText ?? ''),
          error: errors.problems,
        },
        { name: 'other', label: FIELD_LABELS.other, value: value('other', row?.otherText ?? ''), error: errors.other },
      ],
      figures: BASELINE_FIELDS.map((f) => {
        const name = f.key === 'amountFen' ? 'amountYuan' : f.key;
        return { name, label: FIELD_LABELS[name], value: value(name, savedFigure(name)), error: errors[name] };
      }),
      previousYear: year - 1,
      preview: { ...reportViewModel(report), draft: !published },
      previewHref: `/reports/annual/${year}`,
    });
  }
}
