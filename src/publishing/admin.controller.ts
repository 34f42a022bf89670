import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/decorators.js';
import { Database } from '../database/database.js';
import { notFound } from '../http/app-error.js';
import { Notice } from '../trading/notice.entity.js';
import { ApproveDto, CreateProjectDto, NoticeDraftDto, ReasonDto, SubmitDto, UpdateNoticeDraftDto, WithdrawDto } from './dto.js';
import { noticeView, projectView } from './views.js';
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
  @Roles('clerk', 'admin')
  async createProject(@CurrentActor() actor: Actor, @Body() dto: CreateProjectDto) {
    return projectView(await this.projects.create(actor, dto));
  }

  @Get('api/admin/projects/:id')
  @Roles('clerk', 'reviewer', 'admin')
  async project(@Param('id') id: string) {
    return projectView(await this.projects.get(id));
  }

  @Get('api/admin/notices')
  @Roles('clerk', 'reviewer', 'admin')
  async notices(@Query() q: AdminListQuery) {
    const qb = this.db.manager.createQueryBuilder(Notice, 'n').orderBy('n.updated_at', 'DESC').addOrderBy('n.id', 'DESC').limit(q.limit ?? 50);
    if (q.status) qb.andWhere('n.status = :status', { status: q.status });
    if (q.projectId) qb.andWhere('n.project_id = :projectId', { projectId: q.projectId });
    return { items: (await qb.getMany()).map(noticeView) };
  }

  @Get('api/admin/notices/:id')
  @Roles('clerk', 'reviewer', 'admin')
  async notice(@Param('id') id: string) {
    const notice = await this.db.manager.findOneBy(Notice, { id });
    if (!notice) throw notFound('公告');
    return noticeView(notice);
  }

  @Post('api/admin/notices')
  @Roles('clerk', 'admin')
  async createNotice(@CurrentActor() actor: Actor, @Body() dto: NoticeDraftDto) {
    return noticeView(await this.publishing.createDraft(actor, dto));
  }

  @Patch('api/admin/notices/:id')
  @Roles('clerk', 'admin')
  async updateNotice(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: UpdateNoticeDraftDto) {
    return noticeView(await this.publishing.updateDraft(actor, id, dto));
  }

  @Post('api/admin/notices/:id/submit')
  @HttpCode(200)
  @Roles('clerk', 'admin')
  async submit(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: SubmitDto) {
    return noticeView(await this.publishing.submit(actor, id, dto.publishAt));
  }

  @Post('api/admin/notices/:id/approve')
  @HttpCode(200)
  @Roles('reviewer', 'admin')
  async approve(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: ApproveDto) {
    return noticeView(await this.publishing.approve(actor, id, dto.publishAt));
  }

  @Post('api/admin/notices/:id/reject')
  @HttpCode(200)
  @Roles('reviewer', 'admin')
  async reject(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: ReasonDto) {
    return noticeView(await this.publishing.reject(actor, id, dto.reason));
  }

  /** Drafts the withdrawal of a published notice; it is published after review like any notice. */
  @Post('api/admin/notices/:id/withdrawals')
  @Roles('clerk', 'admin')
  async withdraw(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: WithdrawDto) {
    return noticeView(await this.publishing.draftWithdrawal(actor, id, dto.reason, dto.title));
  }
}

