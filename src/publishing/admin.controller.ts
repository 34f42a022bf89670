import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/decorators.js';
import { Database } from '../database/database.js';
import { ApiReply } from '../http/api-reply.js';
import { notFound } from '../http/app-error.js';
import { Notice } from '../trading/notice.entity.js';
import {
  ApproveDto,
  CreateProjectDto,
  NoticeDraftDto,
  ReasonDto,
  SubmitDto,
  UpdateNoticeDraftDto,
  WithdrawDto,
} from './dto.js';
import { noticeView, projectView } from './views.js';
import { NoticeViewDto, NoticeViewListDto, ProjectViewDto } from './views.dto.js';
import { ProjectsService } from './projects.service.js';
import { PublishingService } from './publishing.service.js';
import { AdminListQuery } from './rules.dto.js';

/** The staff workflow as JSON under /api/admin, for the back office and the e-trading system (API key). */
@Controller()
export class PublishingAdminController {
  constructor(
    private readonly projects: ProjectsService,
    private readonly publishing: PublishingService,
    private readonly db: Database,
  ) {}

  @Post('api/admin/projects')
  @ApiReply({ summary: '新建项目', status: 201, type: ProjectViewDto, errors: [400, 409] })
  @Roles('clerk', 'admin')
  async createProject(@CurrentActor() actor: Actor, @Body() dto: CreateProjectDto) {
    return projectView(await this.projects.create(actor, dto));
  }

  @Get('api/admin/projects/:id')
  @ApiReply({ summary: '查看项目（含未发布的）', type: ProjectViewDto, errors: [404] })
  @Roles('clerk', 'reviewer', 'admin')
  async project(@Param('id') id: string) {
    return projectView(await this.projects.get(id));
  }

  @Get('api/admin/notices')
  @ApiReply({ summary: '公告列表（各种状态，最近修改的在前）', type: NoticeViewListDto, errors: [400] })
  @Roles('clerk', 'reviewer', 'admin')
  async notices(@Query() q: AdminListQuery) {
    const qb = this.db.manager
      .createQueryBuilder(Notice, 'n')
      .orderBy('n.updated_at', 'DESC')
      .addOrderBy('n.id', 'DESC')
      .limit(q.limit ?? 50);
    if (q.status) qb.andWhere('n.status = :status', { status: q.status });
    if (q.projectId) qb.andWhere('n.project_id = :projectId', { projectId: q.projectId });
    return { items: (await qb.getMany()).map(noticeView) };
  }

  @Get('api/admin/notices/:id')
  @ApiReply({ summary: '查看公告（任何状态）', type: NoticeViewDto, errors: [404] })
  @Roles('clerk', 'reviewer', 'admin')
  async notice(@Param('id') id: string) {
    const notice = await this.db.manager.findOneBy(Notice, { id });
    if (!notice) throw notFound('公告');
    return noticeView(notice);
  }

  @Post('api/admin/notices')
  @ApiReply({
    summary: '新建公告草稿（含更正公告）',
    description: 'details 按公告类型校验；更正公告以 targetNoticeId 指向已发布的公告。',
    status: 201,
    type: NoticeViewDto,
    errors: [400, 404, 409, 422],
  })
  @Roles('clerk', 'admin')
  async createNotice(@CurrentActor() actor: Actor, @Body() dto: NoticeDraftDto) {
    return noticeView(await this.publishing.createDraft(actor, dto));
  }

  @Patch('api/admin/notices/:id')
  @ApiReply({ summary: '修改公告草稿', type: NoticeViewDto, errors: [400, 404, 409, 422] })
  @Roles('clerk', 'admin')
  async updateNotice(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: UpdateNoticeDraftDto) {
    return noticeView(await this.publishing.updateDraft(actor, id, dto));
  }

  @Post('api/admin/notices/:id/submit')
  @ApiReply({ summary: '提交审核', type: NoticeViewDto, errors: [400, 404, 409, 422] })
  @HttpCode(200)
  @Roles('clerk', 'admin')
  async submit(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: SubmitDto) {
    return noticeView(await this.publishing.submit(actor, id, dto.publishAt));
  }

  @Post('api/admin/notices/:id/approve')
  @ApiReply({
    summary: '审核通过并发布（或定时发布）',
    description: '审核人不能是录入人（双人复核）。',
    type: NoticeViewDto,
    errors: [400, 404, 409, 422],
  })
  @HttpCode(200)
  @Roles('reviewer', 'admin')
  async approve(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: ApproveDto) {
    return noticeView(await this.publishing.approve(actor, id, dto.publishAt));
  }

  @Post('api/admin/notices/:id/reject')
  @ApiReply({ summary: '退回公告', type: NoticeViewDto, errors: [400, 404, 409] })
  @HttpCode(200)
  @Roles('reviewer', 'admin')
  async reject(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: ReasonDto) {
    return noticeView(await this.publishing.reject(actor, id, dto.reason));
  }

  /** Drafts the withdrawal of a published notice; it is published after review like any notice. */
  @Post('api/admin/notices/:id/withdrawals')
  @ApiReply({
    summary: '起草撤回公告',
    description: '撤回已发布的公告：生成一份撤回公告草稿，审核通过后发布。',
    status: 201,
    type: NoticeViewDto,
    errors: [400, 404, 409],
  })
  @Roles('clerk', 'admin')
  async withdraw(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: WithdrawDto) {
    return noticeView(await this.publishing.draftWithdrawal(actor, id, dto.reason, dto.title));
  }
}
