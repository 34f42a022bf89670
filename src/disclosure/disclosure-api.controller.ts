import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/decorators.js';
import { chinaDateTimeIso } from '../domain/china-time.js';
import type { ClockReading } from '../domain/disclosure-clock.js';
import { ApiReply } from '../http/api-reply.js';
import { validationFailed } from '../http/app-error.js';
import type { DisclosureRequest, DisclosureReview } from './disclosure.entities.js';
import { DisclosureService, type ListFilter, type RequestDetail } from './disclosure.service.js';
import {
  AnswerDto,
  ClarificationDto,
  DisclosureListQuery,
  DisclosureRequestDto,
  DisclosureRequestListDto,
  DisclosureRuleListDto,
  DisclosureRuleDto,
  ExtensionDto,
  PauseDto,
  RegisteredDto,
  RegisterRequestDto,
  ReviewDto,
  ReviewListDto,
  ReviewViewDto,
  StepDateDto,
  UpdateDisclosureRuleDto,
  UpdateReviewDto,
} from './dto.js';

const READERS = ['clerk', 'reviewer', 'admin'] as const;
const HANDLERS = ['clerk', 'admin'] as const;

export function summaryView(r: DisclosureRequest, clock: ClockReading) {
  return {
    trackingNo: r.trackingNo,
    channel: r.channel,
    applicantType: r.applicantType,
    receivedOn: r.receivedOn,
    status: r.status,
    outcome: r.outcome,
    outcomeReason: r.outcomeReason,
    answeredOn: r.answeredOn,
    clock,
  };
}

export function detailView(d: RequestDetail) {
  const r = d.request;
  return {
    ...summaryView(r, d.clock),
    personal: d.personal,
    description: r.description,
    purpose: r.purpose,
    deliveryForm: r.deliveryForm,
    deliveryChannel: r.deliveryChannel,
    clarificationRequestedOn: r.clarificationRequestedOn,
    clarificationDueOn: r.clarificationDueOn,
    clarificationText: r.clarificationText,
    clarifiedOn: r.clarifiedOn,
    extensionGrantedOn: r.extensionGrantedOn,
    extensionDays: r.extensionDays,
    extensionApprover: r.extensionApprover,
    extensionNotice: r.extensionNotice,
    extensionNotifiedOn: r.extensionNotifiedOn,
    replyText: r.replyText,
    identityDeletedAt: r.identityDeletedAt ? chinaDateTimeIso(r.identityDeletedAt) : null,
    steps: d.steps.map((s) => ({
      kind: s.kind,
      on: s.onDate,
      at: chinaDateTimeIso(s.at),
      actor: s.actorName,
      note: s.note,
    })),
    files: d.files.map((f) => ({
      id: f.id,
      kind: f.kind,
      fileName: f.fileName,
      contentType: f.contentType,
      size: f.size,
    })),
  };
}

const reviewJson = (r: DisclosureReview, trackingNo: string | null) => ({
  id: r.id,
  kind: r.kind,
  lawsuitRoute: r.lawsuitRoute,
  trackingNo,
  caseNumber: r.caseNumber,
  filedOn: r.filedOn,
  outcome: r.outcome,
  decidedOn: r.decidedOn,
  note: r.note,
});

/** Requests for disclosure on application as JSON under /api/admin/disclosure: the same steps as /admin/disclosure. */
@Controller()
export class DisclosureApiController {
  constructor(private readonly disclosure: DisclosureService) {}

  @Get('api/admin/disclosure')
  @ApiReply({
    summary: '依申请公开申请列表（按答复期限排序）',
    description: 'filter：open 办理中（默认）、overdue 已超期、due-soon 即将到期、closed 已办结、all 全部。',
    type: DisclosureRequestListDto,
    errors: [400],
  })
  @Roles(...READERS)
  async list(@Query() q: DisclosureListQuery) {
    const items = await this.disclosure.list((q.filter ?? 'open') as ListFilter, q.limit ?? 200);
    return { items: items.map((i) => summaryView(i.request, i.clock)) };
  }

  @Post('api/admin/disclosure')
  @ApiReply({
    summary: '登记信函、传真或当面提交的申请',
    description: '返回申请编号和查询码；查询码只出现在这一次响应中。',
    status: 201,
    type: RegisteredDto,
    errors: [400],
  })
  @Roles(...HANDLERS)
  async register(@CurrentActor() actor: Actor, @Body() dto: RegisterRequestDto) {
    return this.disclosure.register(actor, { ...dto });
  }

  @Get('api/admin/disclosure/requests/:trackingNo')
  @ApiReply({ summary: '查看一件申请（含申请人信息和每一步）', type: DisclosureRequestDto, errors: [404] })
  @Roles(...READERS)
  async detail(@Param('trackingNo') trackingNo: string) {
    return detailView(await this.disclosure.detail(trackingNo));
  }

  @Post('api/admin/disclosure/requests/:trackingNo/clarification')
  @ApiReply({ summary: '一次性告知申请人补正（条例第三十条）', type: DisclosureRequestDto, errors: [400, 404, 409] })
  @HttpCode(200)
  @Roles(...HANDLERS)
  async clarification(@CurrentActor() actor: Actor, @Param('trackingNo') t: string, @Body() dto: ClarificationDto) {
    await this.disclosure.requestClarification(actor, t, dto);
    return detailView(await this.disclosure.detail(t));
  }

  @Post('api/admin/disclosure/requests/:trackingNo/clarified')
  @ApiReply({
    summary: '登记收到补正后的申请（答复期限重新起算）',
    type: DisclosureRequestDto,
    errors: [400, 404, 409],
  })
  @HttpCode(200)
  @Roles(...HANDLERS)
  async clarified(@CurrentActor() actor: Actor, @Param('trackingNo') t: string, @Body() dto: StepDateDto) {
    await this.disclosure.recordClarified(actor, t, dto);
    return detailView(await this.disclosure.detail(t));
  }

  @Post('api/admin/disclosure/requests/:trackingNo/extension')
  @ApiReply({
    summary: '延长答复期限（一次，经负责人同意并告知申请人）',
    type: DisclosureRequestDto,
    errors: [400, 404, 409],
  })
  @HttpCode(200)
  @Roles(...HANDLERS)
  async extension(@CurrentActor() actor: Actor, @Param('trackingNo') t: string, @Body() dto: ExtensionDto) {
    await this.disclosure.extend(actor, t, dto);
    return detailView(await this.disclosure.detail(t));
  }

  @Post('api/admin/disclosure/requests/:trackingNo/pause')
  @ApiReply({ summary: '征求第三方意见，暂停计时', type: DisclosureRequestDto, errors: [400, 404, 409] })
  @HttpCode(200)
  @Roles(...HANDLERS)
  async pause(@CurrentActor() actor: Actor, @Param('trackingNo') t: string, @Body() dto: PauseDto) {
    await this.disclosure.pause(actor, t, dto);
    return detailView(await this.disclosure.detail(t));
  }

  @Post('api/admin/disclosure/requests/:trackingNo/resume')
  @ApiReply({ summary: '收到第三方意见，恢复计时', type: DisclosureRequestDto, errors: [400, 404, 409] })
  @HttpCode(200)
  @Roles(...HANDLERS)
  async resume(@CurrentActor() actor: Actor, @Param('trackingNo') t: string, @Body() dto: StepDateDto) {
    await this.disclosure.resume(actor, t, dto);
    return detailView(await this.disclosure.detail(t));
  }

  @Post('api/admin/disclosure/requests/:trackingNo/answer')
  @ApiReply({
    summary: '答复申请（办理结果取自年报格式的固定列表）',
    description: '附件以 Base64 随请求提交（PDF、图片或压缩包）。',
    type: DisclosureRequestDto,
    errors: [400, 404, 409],
  })
  @HttpCode(200)
  @Roles(...HANDLERS)
  async answer(@CurrentActor() actor: Actor, @Param('trackingNo') t: string, @Body() dto: AnswerDto) {
    const files = (dto.attachments ?? []).map((a, i) => {
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(a.contentBase64))
        throw validationFailed([{ field: `attachments[${i}].contentBase64`, message: '答复附件：不是 Base64' }]);
      return { originalname: a.fileName, buffer: Buffer.from(a.contentBase64, 'base64') };
    });
    await this.disclosure.answer(actor, t, dto, files);
    return detailView(await this.disclosure.detail(t));
  }

  @Get('api/admin/disclosure/reviews')
  @ApiReply({ summary: '政府信息公开行政复议和行政诉讼', type: ReviewListDto })
  @Roles(...READERS)
  async reviews() {
    const rows = await this.disclosure.reviews();
    return {
      items: await Promise.all(rows.map(async (r) => reviewJson(r, await this.disclosure.trackingNoOf(r.requestId)))),
    };
  }

  @Post('api/admin/disclosure/reviews')
  @ApiReply({ summary: '登记行政复议或行政诉讼', status: 201, type: ReviewViewDto, errors: [400] })
  @Roles(...HANDLERS)
  async createReview(@CurrentActor() actor: Actor, @Body() dto: ReviewDto) {
    const r = await this.disclosure.createReview(actor, { ...dto });
    return reviewJson(r, await this.disclosure.trackingNoOf(r.requestId));
  }

  @Patch('api/admin/disclosure/reviews/:id')
  @ApiReply({ summary: '登记复议或诉讼的结果', type: ReviewViewDto, errors: [400, 404] })
  @Roles(...HANDLERS)
  async updateReview(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: UpdateReviewDto) {
    const r = await this.disclosure.updateReview(actor, /^\d{1,9}$/.test(id) ? Number(id) : -1, { ...dto });
    return reviewJson(r, await this.disclosure.trackingNoOf(r.requestId));
  }

  @Get('api/admin/disclosure/rules')
  @ApiReply({ summary: '依申请公开时限规则及其依据', type: DisclosureRuleListDto })
  @Roles(...READERS)
  async rules() {
    return { items: (await this.disclosure.ruleRows()).map(ruleJson) };
  }

  @Patch('api/admin/disclosure/rules/:code')
  @ApiReply({ summary: '修改依申请公开时限规则', type: DisclosureRuleDto, errors: [400, 404] })
  @Roles('admin')
  async updateRule(@CurrentActor() actor: Actor, @Param('code') code: string, @Body() dto: UpdateDisclosureRuleDto) {
    return ruleJson(await this.disclosure.updateRule(actor, code, dto));
  }
}

const ruleJson = (r: { code: string; label: string; basis: string; amount: number; enabled: boolean }) => ({
  code: r.code,
  label: r.label,
  basis: r.basis,
  amount: r.amount,
  enabled: !!r.enabled,
});
