import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { contentDisposition } from '../attachments/file-types.js';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/decorators.js';
import { formatChinaDateTime } from '../domain/china-time.js';
import {
  APPLICANT_TYPES,
  DELIVERY_CHANNELS,
  DELIVERY_FORMS,
  ID_DOCUMENT_TYPES,
  labelOf,
  LAWSUIT_ROUTES,
  OUTCOME_GROUPS,
  OUTCOME_REASONS,
  outcomeLabel,
  RECEIPT_CHANNELS,
  REQUEST_STATUSES,
  REVIEW_KINDS,
  REVIEW_OUTCOMES,
} from '../domain/disclosure.js';
import { AppError, type FieldError } from '../http/app-error.js';
import { doneMessage, field, fieldErrorsOf } from '../http/form-input.js';
import { clockModel, formModel, reviewView, STEP_LABELS } from './disclosure-views.js';
import { uploadFailure } from './disclosure-upload.js';
import { DisclosureService, LIST_FILTERS, type ListFilter, type UploadedFile } from './disclosure.service.js';

const FILTER_LABELS: Record<ListFilter, string> = {
  open: '办理中',
  overdue: '已超期',
  'due-soon': '即将到期',
  closed: '已办结',
  all: '全部',
};
const ACTIONS = ['clarification', 'clarified', 'extension', 'pause', 'resume', 'answer'] as const;
const DONE: Record<string, string> = {
  registered: '申请已登记。',
  clarification: '已登记告知补正。',
  clarified: '已登记收到补正后的申请，答复期限重新起算。',
  extension: '已登记延期。',
  pause: '已暂停计时。',
  resume: '已恢复计时。',
  answer: '已登记答复。',
  review: '已保存。',
};

/** The back office of disclosure on application (/admin/disclosure): list, register, every step, reviews. */
@Controller()
@Roles('clerk', 'reviewer', 'admin')
export class DisclosureAdminController {
  constructor(private readonly disclosure: DisclosureService) {}

  @Get('admin/disclosure')
  async list(@Query('filter') filter: unknown, @Res() res: Response) {
    const f = (LIST_FILTERS as string[]).includes(String(filter)) ? (filter as ListFilter) : 'open';
    const [items, rules] = await Promise.all([this.disclosure.list(f), this.disclosure.ruleRows()]);
    res.render('disclosure/admin-list', {
      title: '依申请公开',
      filters: LIST_FILTERS.map((code) => ({ code, label: FILTER_LABELS[code], current: code === f })),
      items: items.map(({ request: r, clock }) => ({
        trackingNo: r.trackingNo,
        applicantType: labelOf(APPLICANT_TYPES, r.applicantType),
        channel: labelOf(RECEIPT_CHANNELS, r.channel),
        receivedOn: r.receivedOn,
        status: labelOf(REQUEST_STATUSES, r.status),
        outcome: outcomeLabel(r.outcome, r.outcomeReason),
        clock: clockModel(clock),
      })),
      rules,
    });
  }

  @Get('admin/disclosure/new')
  @Roles('clerk', 'admin')
  registerForm(@Res() res: Response) {
    res.render('disclosure/admin-new', { ...formModel({}, [], ''), title: '登记申请' });
  }

  @Post('admin/disclosure/new')
  @Roles('clerk', 'admin')
  async register(
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ) {
    const again = (errors: FieldError[]) =>
      res.status(400).render('disclosure/admin-new', { ...formModel(body ?? {}, errors, ''), title: '登记申请' });
    const failure = uploadFailure(req);
    if (failure) return again([failure]);
    try {
      const files = (req as Request & { files?: UploadedFile[] }).files ?? [];
      const receipt = await this.disclosure.register(actor, body ?? {}, files[0]);
      res.status(201).render('disclosure/admin-registered', { title: '申请已登记', ...receipt });
    } catch (e) {
      return again(fieldErrorsOf(e));
    }
  }

  @Get('admin/disclosure/requests/:trackingNo')
  async detail(
    @Param('trackingNo') trackingNo: string,
    @Query('done') done: unknown,
    @Res() res: Response,
    @CurrentActor() actor: Actor,
  ) {
    await this.renderDetail(res, actor, trackingNo, { flash: doneMessage(DONE, done) });
  }

  private async renderDetail(
    res: Response,
    actor: Actor,
    trackingNo: string,
    extra: Record<string, unknown>,
    status = 200,
  ) {
    const d = await this.disclosure.detail(trackingNo);
    const r = d.request;
    const open = r.status !== 'answered' && r.status !== 'withdrawn';
    res.status(status).render('disclosure/admin-detail', {
      title: `申请 ${r.trackingNo}`,
      r,
      personal: d.personal,
      undecryptable: d.personal === null,
      applicantType: labelOf(APPLICANT_TYPES, r.applicantType),
      idType: labelOf(ID_DOCUMENT_TYPES, d.personal?.idType),
      channel: labelOf(RECEIPT_CHANNELS, r.channel),
      deliveryForm: labelOf(DELIVERY_FORMS, r.deliveryForm),
      deliveryChannel: labelOf(DELIVERY_CHANNELS, r.deliveryChannel),
      status: labelOf(REQUEST_STATUSES, r.status),
      outcome: outcomeLabel(r.outcome, r.outcomeReason),
      clock: clockModel(d.clock),
      steps: d.steps.map((s) => ({ ...s, label: STEP_LABELS[s.kind] ?? s.kind, at: formatChinaDateTime(s.at) })),
      files: d.files.map((f) => ({ ...f, identity: f.kind === 'identity' })),
      canAct: open && actor.role !== 'reviewer',
      can: {
        clarify: r.status === 'received' && !r.clarificationRequestedOn,
        clarified: r.status === 'awaiting-clarification',
        extend: r.status === 'received' && !r.extensionGrantedOn,
        pause: r.status === 'received',
        resume: r.status === 'consulting',
        answer: r.status === 'received',
      },
      outcomes: [
        ...OUTCOME_GROUPS.filter((g) => g.code === 'disclosed' || g.code === 'partly-disclosed').map((g) => ({
          value: g.code,
          label: g.label,
        })),
        ...OUTCOME_REASONS.map((x) => ({ value: `${x.group}:${x.code}`, label: outcomeLabel(x.group, x.code) })),
      ],
      today: this.disclosure.today(),
      ...extra,
    });
  }

  @Post('admin/disclosure/requests/:trackingNo/:action')
  @Roles('clerk', 'admin')
  async act(
    @CurrentActor() actor: Actor,
    @Param('trackingNo') trackingNo: string,
    @Param('action') action: string,
    @Req() req: Request,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ) {
    if (!(ACTIONS as readonly string[]).includes(action)) throw new AppError('not-found', '没有这个操作');
    const b = body ?? {};
    const on = field(b, 'on') || undefined;
    try {
      if (action === 'clarification')
        await this.disclosure.requestClarification(actor, trackingNo, {
          on,
          dueOn: field(b, 'dueOn') || undefined,
          text: field(b, 'text'),
        });
      else if (action === 'clarified') await this.disclosure.recordClarified(actor, trackingNo, { on });
      else if (action === 'extension')
        await this.disclosure.extend(actor, trackingNo, {
          on,
          workingDays: Number(field(b, 'workingDays')),
          approver: field(b, 'approver'),
          notice: field(b, 'notice'),
          notifiedOn: field(b, 'notifiedOn') || undefined,
        });
      else if (action === 'pause') await this.disclosure.pause(actor, trackingNo, { on, note: field(b, 'note') });
      else if (action === 'resume') await this.disclosure.resume(actor, trackingNo, { on });
      else {
        const failure = uploadFailure(req);
        if (failure) throw new AppError('validation.failed', failure.message, [failure]);
        const [outcome, reason] = field(b, 'outcome').split(':');
        const files = (req as Request & { files?: UploadedFile[] }).files ?? [];
        await this.disclosure.answer(
          actor,
          trackingNo,
          { on, outcome, reason, replyText: field(b, 'replyText') },
          files,
        );
      }
    } catch (e) {
      // Not fieldErrorsOf: a step refused as not editable (409, no fields) is shown on the page too.
      if (e instanceof AppError && (e.fields.length || e.code === 'workflow.not-editable'))
        return this.renderDetail(
          res,
          actor,
          trackingNo,
          { errors: e.fields.length ? e.fields : [{ field: action, message: e.message }] },
          e.fields.length ? 400 : 409,
        );
      throw e;
    }
    res.redirect(303, `/admin/disclosure/requests/${encodeURIComponent(trackingNo)}?done=${action}`);
  }

  @Get('admin/disclosure/requests/:trackingNo/files/:fileId')
  async file(
    @CurrentActor() actor: Actor,
    @Param('trackingNo') t: string,
    @Param('fileId') fileId: string,
    @Res() res: Response,
  ) {
    const file = await this.disclosure.staffFile(actor, t, /^\d{1,9}$/.test(fileId) ? Number(fileId) : -1);
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('Content-Disposition', contentDisposition(file.fileName));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.send(file.bytes);
  }

  @Get('admin/disclosure/reviews')
  async reviews(@Query('done') done: unknown, @Res() res: Response) {
    await this.renderReviews(res, { flash: doneMessage(DONE, done) });
  }

  private async renderReviews(res: Response, extra: Record<string, unknown>, status = 200) {
    const rows = await this.disclosure.reviews();
    res.status(status).render('disclosure/admin-reviews', {
      title: '行政复议和行政诉讼',
      items: await Promise.all(rows.map(async (r) => reviewView(r, await this.disclosure.trackingNoOf(r.requestId)))),
      kinds: REVIEW_KINDS,
      routes: LAWSUIT_ROUTES,
      outcomes: REVIEW_OUTCOMES,
      ...extra,
    });
  }

  @Post('admin/disclosure/reviews')
  @Roles('clerk', 'admin')
  async createReview(@CurrentActor() actor: Actor, @Body() body: Record<string, unknown>, @Res() res: Response) {
    try {
      await this.disclosure.createReview(actor, { ...body, _csrf: undefined });
    } catch (e) {
      return this.renderReviews(res, { errors: fieldErrorsOf(e), values: body }, 400);
    }
    res.redirect(303, '/admin/disclosure/reviews?done=review');
  }

  @Post('admin/disclosure/reviews/:id')
  @Roles('clerk', 'admin')
  async updateReview(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ) {
    try {
      await this.disclosure.updateReview(actor, /^\d{1,9}$/.test(id) ? Number(id) : -1, {
        outcome: field(body, 'outcome'),
        decidedOn: field(body, 'decidedOn'),
      });
    } catch (e) {
      return this.renderReviews(res, { errors: fieldErrorsOf(e) }, 400);
    }
    res.redirect(303, '/admin/disclosure/reviews?done=review');
  }
}
