import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AttachmentsService } from '../attachments/attachments.service.js';
import { sendAttachment } from '../attachments/attachments.controller.js';
import type { Actor } from '../auth/actor.js';
import { ALL_ROLES, CurrentActor, Roles } from '../auth/decorators.js';
import { IdParam } from '../auth/id-param.js';
import { Clock } from '../common/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { AppError, type FieldError, validationFailed } from '../http/app-error.js';
import { statusForCode } from '../http/error-status.js';
import { validatePlain } from '../http/validation.js';
import { WithdrawDto } from '../publishing/dto.js';
import { PublishingService } from '../publishing/publishing.service.js';
import { categoryBySlug, isNoticeTypeAllowed, NOTICE_TYPES, noticeTypeBySlug } from '../domain/catalog.js';
import { chinaDateTimeIso } from '../domain/china-time.js';
import { DomainError } from '../domain/errors.js';
import type { TimingViolation } from '../domain/timing-rules.js';
import type { Notice } from '../trading/notice.entity.js';
import type { Project } from '../trading/project.entity.js';
import { AdminReadService } from './admin-read.service.js';
import { ADMIN_TEXT } from './admin-text.js';
import { errorMap, field, fieldErrorsOf, flashOf, render, seeOther } from './form-input.js';
import { addRowsRequest } from './form-schema.js';
import {
  checkNoticeInput,
  NoticeFormContext,
  noticeFormView,
  NoticeInput,
  readNoticeForm,
  timingViolations,
} from './notice-form.js';
import { renderPublicPreview } from './preview.js';
import { uploadFailure } from './upload.js';

const typeName = (slug: string) => noticeTypeBySlug(slug)?.name ?? slug;
const href = (id: string) => `/admin/notices/${encodeURIComponent(id)}`;
const STATUSES = ['draft', 'submitted', 'approved', 'published', 'rejected'];

/** Notices in the back office: forms for every type, review, correction and withdrawal, attachments, preview. */
@Controller()
export class AdminNoticesController {
  constructor(
    private readonly read: AdminReadService,
    private readonly publishing: PublishingService,
    private readonly attachments: AttachmentsService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('admin/notices')
  @Roles(...ALL_ROLES)
  async list(
    @Req() req: Request,
    @Res() res: Response,
    @Query() query: Record<string, unknown>,
    @CurrentActor() actor: Actor,
  ) {
    const status = STATUSES.includes(field(query, 'status')) ? field(query, 'status') : undefined;
    const mine = field(query, 'mine') === '1';
    const notices = await this.read.notices({ status, authorId: mine ? actor.userId : undefined });
    render(res, 'admin/notices', {
      title: '公告',
      flash: flashOf(req),
      rows: await this.rows(notices),
      statuses: STATUSES.map((s) => ({ value: s, label: ADMIN_TEXT.status[s], selected: s === status })),
      mine,
    });
  }

  @Get('admin/review')
  @Roles('reviewer', 'admin')
  async queue(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor) {
    const [submitted, scheduled] = await Promise.all([
      this.read.notices({ status: 'submitted' }),
      this.read.notices({ status: 'approved' }),
    ]);
    render(res, 'admin/review', {
      title: '审核队列',
      flash: flashOf(req),
      submitted: (await this.rows(submitted)).map((r) => ({ ...r, ownDraft: r.authorId === actor.userId })),
      scheduled: await this.rows(scheduled),
    });
  }

  @Get('admin/notices/new')
  @Roles('clerk', 'admin')
  async newForm(@Res() res: Response, @Query() query: Record<string, unknown>) {
    const ctx = await this.context(await this.read.project(field(query, 'project')), field(query, 'type'));
    const target = field(query, 'target');
    const values: NoticeInput = {
      details: {},
      ...(ctx.targets?.some((n) => n.id === target) ? { targetNoticeId: target } : {}),
    };
    this.form(res, ctx, values, []);
  }

  @Post('admin/notices')
  @Roles('clerk', 'admin')
  async create(@Res() res: Response, @Body() body: Record<string, unknown>, @CurrentActor() actor: Actor) {
    const ctx = await this.context(await this.read.project(field(body, 'projectId')), field(body, 'type'));
    const input = readNoticeForm(ctx, body);
    const add = addRowsRequest(body);
    if (add) return this.form(res, ctx, input, [], add);
    const problems = await checkNoticeInput(ctx, input);
    if (problems.length) return this.form(res, ctx, input, problems, null, [], 400);
    let notice: Notice;
    try {
      notice = await this.publishing.createDraft(actor, {
        projectId: ctx.project.id,
        type: ctx.type,
        title: input.title!,
        body: input.body ?? '',
        details: input.details,
        targetNoticeId: input.targetNoticeId,
      });
    } catch (e) {
      return this.form(res, ctx, input, fieldErrorsOf(e), null, [], 400);
    }
    await this.afterSave(res, actor, notice, { ...ctx, editing: true }, input, field(body, '_then') === 'submit');
  }

  @Get('admin/notices/:id')
  @Roles(...ALL_ROLES)
  async show(@Req() req: Request, @Res() res: Response, @Param('id') id: string, @CurrentActor() actor: Actor) {
    await this.page(res, actor, await this.read.notice(id), { flash: flashOf(req) });
  }

  @Get('admin/notices/:id/edit')
  @Roles('clerk', 'admin')
  async editForm(@Res() res: Response, @Param('id') id: string) {
    const notice = await this.read.notice(id);
    this.requireEditable(notice);
    const ctx = await this.context(await this.read.project(notice.projectId), notice.type, true);
    this.form(res, ctx, { title: notice.title, body: notice.body, details: notice.details }, [], null, [], 200, notice);
  }

  @Post('admin/notices/:id/edit')
  @Roles('clerk', 'admin')
  async update(
    @Res() res: Response,
    @Param('id') id: string,
    @Body() body: Record<string, unknown>,
    @CurrentActor() actor: Actor,
  ) {
    const existing = await this.read.notice(id);
    this.requireEditable(existing);
    const ctx = await this.context(await this.read.project(existing.projectId), existing.type, true);
    const input = readNoticeForm(ctx, body);
    const add = addRowsRequest(body);
    if (add) return this.form(res, ctx, input, [], add, [], 200, existing);
    const problems = await checkNoticeInput(ctx, input);
    if (problems.length) return this.form(res, ctx, input, problems, null, [], 400, existing);
    let notice: Notice;
    try {
      notice = await this.publishing.updateDraft(actor, id, {
        title: input.title,
        body: input.body ?? '',
        details: input.details,
      });
    } catch (e) {
      return this.form(res, ctx, input, fieldErrorsOf(e), null, [], 400, existing);
    }
    await this.afterSave(res, actor, notice, ctx, input, field(body, '_then') === 'submit');
  }

  @Post('admin/notices/:id/submit')
  @Roles('clerk', 'admin')
  async submit(
    @Res() res: Response,
    @Param('id') id: string,
    @Body() body: Record<string, unknown>,
    @CurrentActor() actor: Actor,
  ) {
    const publishAt = field(body, 'publishAt').trim();
    try {
      await this.publishing.submit(actor, id, publishAt || undefined);
    } catch (e) {
      if (e instanceof AppError && e.fields.length)
        return this.page(
          res,
          actor,
          await this.read.notice(id),
          { submitErrors: errorMap(e.fields), submitPublishAt: publishAt },
          400,
        );
      const violations = timingViolations(e);
      if (!violations && !(e instanceof DomainError && e.code.startsWith('calendar.'))) throw e;
      return this.page(
        res,
        actor,
        await this.read.notice(id),
        { violations: violations ?? [], refusal: (e as Error).message, submitPublishAt: publishAt },
        violations ? 422 : statusForCode((e as DomainError).code),
      );
    }
    seeOther(res, `${href(id)}?done=submitted`);
  }

  /**
   * Publishes now (the time left blank), or at the time given (scheduled publication); the form starts with the
   * time the author asked for. Four-eyes is the service's rule too.
   */
  @Post('admin/notices/:id/approve')
  @Roles('reviewer', 'admin')
  async approve(
    @Res() res: Response,
    @Param('id') id: string,
    @Body() body: Record<string, unknown>,
    @CurrentActor() actor: Actor,
  ) {
    const publishAt = field(body, 'publishAt').trim();
    let notice: Notice;
    try {
      if (publishAt && !/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$/.test(publishAt))
        throw validationFailed([{ field: 'publishAt', message: '发布时间格式不正确，应为 2026-11-25 09:30' }]);
      notice = await this.publishing.approve(actor, id, publishAt || null);
    } catch (e) {
      const violations = timingViolations(e);
      if (!violations && !(e instanceof AppError && e.fields.length) && !(e instanceof DomainError)) throw e;
      return this.page(
        res,
        actor,
        await this.read.notice(id),
        {
          violations: violations ?? [],
          refusal: (e as Error).message,
          reviewErrors: e instanceof AppError ? errorMap(e.fields) : {},
          publishAt,
        },
        violations ? 422 : 400,
      );
    }
    seeOther(res, `${href(id)}?done=${notice.status === 'published' ? 'published' : 'scheduled'}`);
  }

  @Post('admin/notices/:id/reject')
  @Roles('reviewer', 'admin')
  async reject(
    @Res() res: Response,
    @Param('id') id: string,
    @Body() body: Record<string, unknown>,
    @CurrentActor() actor: Actor,
  ) {
    const reason = field(body, 'reason').trim();
    if (reason.length < 2 || reason.length > 2000) {
      return this.page(
        res,
        actor,
        await this.read.notice(id),
        { reviewErrors: { reason: '请填写退回理由（2 到 2000 个字符）' }, reason },
        400,
      );
    }
    await this.publishing.reject(actor, id, reason);
    seeOther(res, `${href(id)}?done=rejected`);
  }

  /** Drafts the withdrawal of a published notice; the reason is required and becomes public. */
  @Post('admin/notices/:id/withdraw')
  @Roles('clerk', 'admin')
  async withdraw(
    @Res() res: Response,
    @Param('id') id: string,
    @Body() body: Record<string, unknown>,
    @CurrentActor() actor: Actor,
  ) {
    const input = {
      reason: field(body, 'reason').trim(),
      ...(field(body, 'title').trim() ? { title: field(body, 'title').trim() } : {}),
    };
    const { errors } = await validatePlain(WithdrawDto, input, '');
    let withdrawal: Notice;
    try {
      if (errors.length)
        throw validationFailed(
          errors.map((e) =>
            e.field === 'reason' ? { ...e, message: '请填写撤回原因（2 到 2000 个字符），它将随撤回声明公开' } : e,
          ),
        );
      withdrawal = await this.publishing.draftWithdrawal(actor, id, input.reason, input.title);
    } catch (e) {
      return this.page(
        res,
        actor,
        await this.read.notice(id),
        { withdrawErrors: errorMap(fieldErrorsOf(e)), withdraw: input },
        400,
      );
    }
    seeOther(res, `${href(withdrawal.id)}?done=withdrawal`);
  }

  /** The public notice page itself, rendered for this notice whatever its status. */
  @Get('admin/notices/:id/preview')
  @Roles(...ALL_ROLES)
  async preview(@Res() res: Response, @Param('id') id: string) {
    const notice = await this.read.notice(id);
    const project = await this.read.project(notice.projectId);
    // Until publication the public address does not answer: staff fetch the files through /admin.
    const files = (await this.attachments.list(id)).map((a) =>
      notice.status === 'published' ? a : { ...a, href: `/admin${a.href}` },
    );
    await renderPublicPreview(
      res,
      notice,
      project,
      await this.read.trail(project.id),
      this.clock.now(),
      this.config,
      files,
    );
  }

  @Get('admin/notices/:id/attachments/:attachmentId')
  @Roles(...ALL_ROLES)
  async attachment(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id') id: string,
    @Param('attachmentId', IdParam()) attachmentId: number,
  ) {
    await sendAttachment(
      req,
      res,
      this.attachments,
      await this.attachments.find(id, attachmentId, false),
      'private, no-store',
    );
  }

  @Post('admin/notices/:id/attachments')
  @Roles('clerk', 'admin')
  async upload(@Req() req: Request, @Res() res: Response, @Param('id') id: string, @CurrentActor() actor: Actor) {
    const file = (req as Request & { file?: Express.Multer.File }).file;
    try {
      const failure = uploadFailure(req);
      if (failure) throw failure;
      if (!file) throw validationFailed([{ field: 'file', message: '请选择要上传的文件' }]);
      await this.attachments.add(actor, id, file.originalname, file.buffer);
    } catch (e) {
      return this.page(res, actor, await this.read.notice(id), { uploadErrors: errorMap(fieldErrorsOf(e)) }, 400);
    }
    seeOther(res, `${href(id)}?done=attachment-added#attachments`);
  }

  @Post('admin/notices/:id/attachments/:attachmentId/delete')
  @Roles('clerk', 'admin')
  async removeAttachment(
    @Res() res: Response,
    @Param('id') id: string,
    @Param('attachmentId', IdParam()) attachmentId: number,
    @CurrentActor() actor: Actor,
  ) {
    await this.attachments.remove(actor, id, attachmentId);
    seeOther(res, `${href(id)}?done=attachment-removed#attachments`);
  }

  // ---- helpers ----

  private async afterSave(
    res: Response,
    actor: Actor,
    notice: Notice,
    ctx: NoticeFormContext,
    input: NoticeInput,
    thenSubmit: boolean,
  ) {
    if (!thenSubmit) return seeOther(res, `${href(notice.id)}?done=saved`);
    try {
      await this.publishing.submit(actor, notice.id);
    } catch (e) {
      const violations = timingViolations(e);
      if (!violations && !(e instanceof DomainError && e.code.startsWith('calendar.'))) throw e;
      // Saved as a draft; the form comes back with the rules it broke, at its own address.
      const refusal: FieldError[] = violations ? [] : [{ field: 'publishedAt', message: (e as Error).message }];
      return this.form(res, { ...ctx, editing: true }, input, refusal, null, violations ?? [], 422, notice);
    }
    seeOther(res, `${href(notice.id)}?done=submitted`);
  }

  private async context(project: Project, type: string, editing = false): Promise<NoticeFormContext> {
    if (!noticeTypeBySlug(type) || !isNoticeTypeAllowed(type, project.category)) {
      throw validationFailed([
        {
          field: 'type',
          message: `${categoryBySlug(project.category)?.name ?? project.category}项目没有“${typeName(type)}”这种公告`,
        },
      ]);
    }
    const needsTarget = noticeTypeBySlug(type)!.kind !== 'publication';
    return { type, project, editing, targets: needsTarget ? await this.read.targets(project.id) : null };
  }

  private form(
    res: Response,
    ctx: NoticeFormContext,
    values: NoticeInput,
    errors: FieldError[],
    add: string | null = null,
    violations: TimingViolation[] = [],
    status = 200,
    notice?: Notice,
  ) {
    const target = notice?.targetNoticeId ?? null;
    render(
      res,
      'admin/notice-form',
      {
        title: notice ? `编辑：${notice.title}` : `新建${typeName(ctx.type)}`,
        typeName: typeName(ctx.type),
        action: notice ? `${href(notice.id)}/edit` : '/admin/notices',
        notice: notice
          ? { id: notice.id, href: href(notice.id), target: target ? { href: href(target) } : null }
          : null,
        project: {
          id: ctx.project.id,
          name: ctx.project.name,
          href: `/admin/projects/${encodeURIComponent(ctx.project.id)}`,
        },
        type: ctx.type,
        noTargets: !!ctx.targets && !ctx.editing && ctx.targets.length === 0,
        form: noticeFormView(ctx, values, errors, add, violations),
      },
      status,
    );
  }

  private requireEditable(notice: Notice) {
    if (notice.status !== 'draft' && notice.status !== 'rejected') {
      throw new AppError('workflow.not-editable', '只有草稿或被退回的公告可以修改；已发布的公告只能更正或撤回');
    }
  }

  private async rows(notices: Notice[]) {
    const names = await this.read.userNames(notices.map((n) => n.authorId));
    return notices.map((n) => ({
      id: n.id,
      href: href(n.id),
      title: n.title,
      typeName: typeName(n.type),
      status: n.status,
      statusName: ADMIN_TEXT.status[n.status],
      authorId: n.authorId,
      author: n.authorId ? (names.get(n.authorId) ?? '') : '',
      updatedAt: n.updatedAt,
      scheduledAt: n.scheduledAt,
      publishedAt: n.publishedAt,
      withdrawn: !!n.withdrawnAt,
    }));
  }

  /** The notice's page: its state, what the signed-in user may do with it, and any refusal to show. */
  private async page(res: Response, actor: Actor, notice: Notice, extra: Record<string, unknown> = {}, status = 200) {
    const [project, names, files] = await Promise.all([
      this.read.project(notice.projectId),
      this.read.userNames([notice.authorId, notice.reviewerId]),
      this.attachments.list(notice.id),
    ]);
    const editable =
      (notice.status === 'draft' || notice.status === 'rejected') &&
      actor.role !== 'reviewer' &&
      (actor.role === 'admin' || actor.userId === notice.authorId);
    const isAuthor = actor.userId === notice.authorId;
    const kind = noticeTypeBySlug(notice.type)?.kind;
    const published = notice.status === 'published';
    const mayChangePublished = published && !notice.withdrawnAt && kind !== 'withdrawal' && actor.role !== 'reviewer';
    // While it waits for review, scheduledAt is the time the author asked for; once it has passed, approval publishes at once.
    const requestedAt = notice.status === 'submitted' ? notice.scheduledAt : null;
    const requestPassed = !!requestedAt && requestedAt.getTime() <= this.clock.now().getTime();
    render(
      res,
      'admin/notice',
      {
        title: notice.title,
        notice: {
          id: notice.id,
          title: notice.title,
          typeName: typeName(notice.type),
          status: notice.status,
          statusName: ADMIN_TEXT.status[notice.status],
          author: notice.authorId ? names.get(notice.authorId) : null,
          reviewer: notice.reviewerId ? names.get(notice.reviewerId) : null,
          reviewComment: notice.reviewComment,
          createdAt: notice.createdAt,
          updatedAt: notice.updatedAt,
          submittedAt: notice.submittedAt,
          reviewedAt: notice.reviewedAt,
          scheduledAt: notice.scheduledAt,
          scheduledAsked: !!requestedAt,
          publishedAt: notice.publishedAt,
          withdrawnAt: notice.withdrawnAt,
          contentHash: notice.contentHash,
          publicHref: published ? `/notices/${encodeURIComponent(notice.id)}` : null,
          target: notice.targetNoticeId ? { href: href(notice.targetNoticeId) } : null,
          withdrawnBy: notice.withdrawnBy ? { href: href(notice.withdrawnBy) } : null,
        },
        project: { name: project.name, href: `/admin/projects/${encodeURIComponent(project.id)}` },
        attachments: files.map((f) => ({
          ...f,
          staffHref: `${href(notice.id)}/attachments/${f.id}`,
          sizeKb: Math.max(1, Math.round(f.size / 1024)),
        })),
        can: {
          edit: editable,
          submit: editable,
          upload: editable,
          review: notice.status === 'submitted' && actor.role !== 'clerk' && !isAuthor,
          reject:
            (notice.status === 'submitted' || notice.status === 'approved') && actor.role !== 'clerk' && !isAuthor,
          correct: mayChangePublished && NOTICE_TYPES.some((t) => t.slug === 'correction'),
          withdraw: mayChangePublished,
        },
        request: requestedAt ? { at: requestedAt, passed: requestPassed } : null,
        publishAt: requestedAt && !requestPassed ? chinaDateTimeIso(requestedAt).slice(0, 16) : '',
        ownSubmission:
          (notice.status === 'submitted' || notice.status === 'approved') && isAuthor && actor.role !== 'clerk',
        correctHref: `/admin/notices/new?project=${encodeURIComponent(project.id)}&type=correction&target=${encodeURIComponent(notice.id)}`,
        maxUploadMb: +(this.attachments.maxBytes / 1024 / 1024).toFixed(1),
        ...extra,
      },
      status,
    );
  }
}
