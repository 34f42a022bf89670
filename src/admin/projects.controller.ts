import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Actor } from '../auth/actor.js';
import { ALL_ROLES, CurrentActor, Roles } from '../auth/decorators.js';
import { AppError, type FieldError, validationFailed } from '../http/app-error.js';
import { validatePlain } from '../http/validation.js';
import { formatMoney } from '../portal/view-helpers.js';
import { CreateProjectDto } from '../publishing/dto.js';
import { ProjectsService } from '../publishing/projects.service.js';
import { PublishingService } from '../publishing/publishing.service.js';
import {
  categoryBySlug,
  isNoticeTypeAllowed,
  NOTICE_TYPES,
  partyRoleLabel,
  PROCUREMENT_METHODS,
  regionName,
  TRANSFER_MODES,
} from '../domain/catalog.js';
import { AdminReadService } from './admin-read.service.js';
import { ADMIN_TEXT } from './admin-text.js';
import { BID_CSV_COLUMNS, parseBidCsv } from './bid-csv.js';
import { field, fieldErrorsOf, flashOf, render, seeOther } from './form-input.js';
import { addRowsRequest, readForm, viewForm } from './form-schema.js';
import { noticeDetailSpecs, noticeHeadSpecs } from './notice-forms.js';
import { checkNoticeInput } from './notice-form.js';
import { PROJECT_SPECS } from './project-form.js';
import { CSV_MAX_BYTES, uploadFailure } from './upload.js';

const href = (id: string) => `/admin/projects/${encodeURIComponent(id)}`;

/** Projects: registration, their notices, and the bid-opening import. */
@Controller('admin/projects')
export class AdminProjectsController {
  constructor(
    private readonly read: AdminReadService,
    private readonly projects: ProjectsService,
    private readonly publishing: PublishingService,
  ) {}

  @Get()
  @Roles(...ALL_ROLES)
  async list(
    @Req() req: Request,
    @Res() res: Response,
    @Query() query: Record<string, unknown>,
    @CurrentActor() actor: Actor,
  ) {
    const q = field(query, 'q').trim().slice(0, 100);
    const projects = await this.read.projects(q);
    render(res, 'admin/projects', {
      title: '项目',
      flash: flashOf(req),
      q,
      canCreate: actor.role !== 'reviewer',
      rows: projects.map((p) => ({
        href: href(p.id),
        name: p.name,
        dealCode: p.dealCode,
        categoryName: categoryBySlug(p.category)?.name,
        regionName: regionName(p.regionCode) ?? p.regionCode,
        createdAt: p.createdAt,
        published: !!p.firstPublishedAt,
      })),
    });
  }

  @Get('new')
  @Roles('clerk', 'admin')
  newForm(@Res() res: Response) {
    this.form(res, { fullyOnline: true }, []);
  }

  @Post()
  @Roles('clerk', 'admin')
  async create(@Res() res: Response, @Body() body: Record<string, unknown>, @CurrentActor() actor: Actor) {
    const input = readForm(PROJECT_SPECS, body);
    const add = addRowsRequest(body);
    if (add) return this.form(res, input, [], add);
    const { value, errors } = await validatePlain(CreateProjectDto, { parties: [], ...input }, '');
    if (errors.length) return this.form(res, input, errors, null, 400);
    try {
      const project = await this.projects.create(actor, value);
      seeOther(res, `${href(project.id)}?done=saved`);
    } catch (e) {
      this.form(res, input, fieldErrorsOf(e), null, 400);
    }
  }

  @Get(':id')
  @Roles(...ALL_ROLES)
  async show(@Req() req: Request, @Res() res: Response, @Param('id') id: string, @CurrentActor() actor: Actor) {
    const p = await this.read.project(id);
    const notices = await this.read.notices({ projectId: p.id, limit: 500 });
    const family = categoryBySlug(p.category)?.family;
    render(res, 'admin/project', {
      title: p.name,
      flash: flashOf(req),
      project: {
        id: p.id,
        name: p.name,
        dealCode: p.dealCode,
        tenderCode: p.tenderCode,
        investmentCode: p.investmentCode,
        categoryName: categoryBySlug(p.category)?.name,
        regionName: `${regionName(p.regionCode) ?? ''}（${p.regionCode}）`,
        price: p.priceFen === null ? null : `${p.priceKind === 'reserve' ? '底价' : '预算'} ${formatMoney(p.priceFen)}`,
        methodName: PROCUREMENT_METHODS.find((m) => m.slug === p.procurementMethod)?.name,
        modeName: TRANSFER_MODES.find((m) => m.slug === p.transferMode)?.name,
        fundingSource: p.fundingSource,
        bidDeadline: p.bidDeadline,
        openingTime: p.openingTime,
        terminatedAt: p.terminatedAt,
        publicHref: p.firstPublishedAt ? `/projects/${encodeURIComponent(p.id)}` : null,
      },
      parties: p.parties.map((x) => ({ roleName: partyRoleLabel(x.role), name: x.name, creditCode: x.creditCode })),
      lots: p.lots.map((l) => ({
        code: l.code,
        name: l.name,
        budget: l.priceFen === null ? null : formatMoney(l.priceFen),
      })),
      notices: notices.map((n) => ({
        href: `/admin/notices/${encodeURIComponent(n.id)}`,
        title: n.title,
        typeName: NOTICE_TYPES.find((t) => t.slug === n.type)?.name,
        statusName: ADMIN_TEXT.status[n.status],
        status: n.status,
        updatedAt: n.updatedAt,
        withdrawn: !!n.withdrawnAt,
      })),
      canDraft: actor.role !== 'reviewer',
      // Corrections and withdrawals start from the published notice they concern.
      types: NOTICE_TYPES.filter((t) => t.kind === 'publication' && isNoticeTypeAllowed(t.slug, p.category)).map(
        (t) => ({ slug: t.slug, name: t.name }),
      ),
      canImport: actor.role !== 'reviewer' && family !== 'transfer',
    });
  }

  @Get(':id/import')
  @Roles('clerk', 'admin')
  async importForm(@Res() res: Response, @Param('id') id: string) {
    const project = await this.read.project(id);
    this.importPage(res, project, { title: `${project.name}开标记录`, details: {} }, []);
  }

  /**
   * Imports a bid-opening record from the e-trading system's CSV as a draft. All or nothing: one bad row and
   * nothing is written; the report lists every bad row with its line number.
   */
  @Post(':id/import')
  @Roles('clerk', 'admin')
  async import(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id') id: string,
    @Body() body: Record<string, unknown>,
    @CurrentActor() actor: Actor,
  ) {
    const project = await this.read.project(id);
    if (!isNoticeTypeAllowed('bid-opening', project.category))
      throw validationFailed([{ field: 'type', message: '出让、转让项目没有开标记录' }]);
    const specs = this.importSpecs(project);
    const input = { ...readForm(specs.head, body), details: readForm(specs.details, body, 'details') } as {
      title?: string;
      body?: string;
      details: Record<string, unknown>;
    };
    const file = (req as Request & { file?: Express.Multer.File }).file;
    const failure =
      uploadFailure(req) ?? (!file ? validationFailed([{ field: 'file', message: '请选择要导入的 CSV 文件' }]) : null);
    if (failure) return this.importPage(res, project, input, failure.fields, 400);
    const parsed = parseBidCsv(file!.buffer);
    if (parsed.fileProblem || parsed.problems.length) {
      return this.importPage(
        res,
        project,
        input,
        parsed.fileProblem ? [{ field: 'file', message: parsed.fileProblem }] : [],
        422,
        parsed.problems,
      );
    }
    const details = { ...input.details, bids: parsed.bids };
    const ctx = { type: 'bid-opening', project, targets: null, editing: false };
    const problems = await checkNoticeInput(ctx, { ...input, details });
    // A row the notice's own rules refuse is reported by its line too.
    const byRow = problems
      .filter((p) => /^details\.bids\[\d+\]/.test(p.field))
      .map((p) => {
        const i = Number(/\[(\d+)\]/.exec(p.field)![1]);
        return { line: parsed.lines[i], bidder: parsed.bids[i].bidder, problems: [p.message] };
      });
    const others = problems.filter((p) => !/^details\.bids\[\d+\]/.test(p.field));
    if (problems.length) return this.importPage(res, project, input, others, byRow.length ? 422 : 400, byRow);
    try {
      const notice = await this.publishing.createDraft(actor, {
        projectId: project.id,
        type: 'bid-opening',
        title: input.title!,
        body: input.body ?? '',
        details,
      });
      seeOther(res, `/admin/notices/${encodeURIComponent(notice.id)}?done=imported`);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      this.importPage(res, project, input, fieldErrorsOf(e), 400);
    }
  }

  private importSpecs(project: import('../trading/project.entity.js').Project) {
    const lots = project.lots.map((l) => ({ value: l.code, label: `${l.code} ${l.name}` }));
    return {
      head: noticeHeadSpecs(null),
      details: noticeDetailSpecs('bid-opening', lots).filter((s) => s.key !== 'bids'),
    };
  }

  private importPage(
    res: Response,
    project: import('../trading/project.entity.js').Project,
    values: { title?: string; body?: string; details: Record<string, unknown> },
    errors: FieldError[],
    status = 200,
    rowProblems: { line: number; bidder: string; problems: string[] }[] = [],
  ) {
    const specs = this.importSpecs(project);
    const head = viewForm(
      specs.head,
      values,
      errors.filter((e) => !e.field.startsWith('details') && e.field !== 'file'),
    );
    const details = viewForm(
      specs.details,
      values.details,
      errors.filter((e) => e.field.startsWith('details')),
      'details',
    );
    render(
      res,
      'admin/import',
      {
        title: '导入开标记录',
        project: { name: project.name, href: href(project.id), id: project.id },
        head: head.fields,
        details: details.fields,
        summary: [...head.summary, ...details.summary],
        fileError: errors
          .filter((e) => e.field === 'file')
          .map((e) => e.message)
          .join('；'),
        rowProblems,
        columns: BID_CSV_COLUMNS,
        maxKb: CSV_MAX_BYTES / 1024,
      },
      status,
    );
  }

  private form(
    res: Response,
    values: Record<string, unknown>,
    errors: FieldError[],
    add: string | null = null,
    status = 200,
  ) {
    render(
      res,
      'admin/project-form',
      { title: '登记项目', form: viewForm(PROJECT_SPECS, values, errors, '', add) },
      status,
    );
  }
}
