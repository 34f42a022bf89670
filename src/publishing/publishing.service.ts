import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { Clock } from '../common/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { Database } from '../database/database.js';
import { forUpdate } from '../database/dialect.js';
import { AppError, notFound, validationFailed } from '../http/app-error.js';
import { OutboxWriter } from '../outbox/outbox.writer.js';
import { ExportLines } from '../published/export-lines.js';
import { CalendarService } from '../trading/calendar.service.js';
import { categoryBySlug, isNoticeTypeAllowed, noticeTypeBySlug } from '../domain/catalog.js';
import { chinaDate, formatChinaDateTime, parseDateTimeInput } from '../domain/china-time.js';
import { evaluateTimingRules } from '../domain/timing-rules.js';
import { mintId } from '../trading/ids.js';
import { Notice } from '../trading/notice.entity.js';
import { NoticeCounts, openCountChange } from '../trading/notice-counts.js';
import { OrganizationIndex } from '../trading/organization-index.js';
import { IntegrityIndex } from '../trading/integrity-index.js';
import { ANNOUNCEMENT_TYPES } from '../trading/notice-query.service.js';
import { NoticeSearch } from '../trading/notice-search.js';
import { Project } from '../trading/project.entity.js';
import { effectiveDatesSetBy, timingFacts } from '../trading/timing-facts.js';
import { TimingRulesService } from '../trading/timing-rules.service.js';
import { addDeadlineKeys, removeDeadlineKeys, widenDeadlineSpan } from '../trading/deadline-keys.js';
import { contentHash } from '../transparency/canonical.js';
import { PublicationLogWriter } from '../transparency/publication-log.writer.js';
import type { NoticeDraftDto, UpdateNoticeDraftDto } from './dto.js';
import { validateDetails } from './notice-validation.js';

export interface PublishOptions {
  /** False for demo data: it never enters the upstream outbox. */
  pushUpstream?: boolean;
  /**
   * False only for the demo seeder: its notices are historical and may reach past the years the calendar
   * holds. A test proves the demo data satisfies the default rules anyway (demo/demo-data.spec.ts).
   */
  checkTiming?: boolean;
  /**
   * Sync only: a notice received from another platform keeps the publication time its source gave it (so its
   * content hash is the source's); the log still records when it was published here.
   */
  publishedAt?: Date;
}

/**
 * The staff workflow: draft → submitted → approved → published, four-eyes, with corrections and withdrawals
 * going through the same review. Publishing is one transaction that writes the notice, the publication log
 * (which is the change feed) and the outbox together.
 */
@Injectable()
export class PublishingService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly log: PublicationLogWriter,
    private readonly outbox: OutboxWriter,
    private readonly rules: TimingRulesService,
    private readonly calendar: CalendarService,
    private readonly search: NoticeSearch,
    private readonly counts: NoticeCounts,
    private readonly organizations: OrganizationIndex,
    private readonly integrity: IntegrityIndex,
    private readonly exportLines: ExportLines,
  ) {}

  // ---- drafts -----------------------------------------------------------------------------------------
  async createDraft(actor: Actor, dto: NoticeDraftDto): Promise<Notice> {
    const details = await validateDetails(dto.type, dto.details);
    return this.db.transaction(async (em) => {
      const project = await em.findOneBy(Project, { id: dto.projectId });
      if (!project) throw validationFailed([{ field: 'projectId', message: '项目不存在' }]);
      if (!isNoticeTypeAllowed(dto.type, project.category)) {
        throw validationFailed([
          {
            field: 'type',
            message: `${categoryBySlug(project.category)?.name ?? project.category}项目不能发布“${noticeTypeBySlug(dto.type)?.name}”`,
          },
        ]);
      }
      const targetNoticeId = await this.checkTarget(em, dto.type, dto.targetNoticeId, project.id);
      const now = this.clock.now();
      const notice = em.create(Notice, {
        id: mintId(this.config.platformCode, now),
        projectId: project.id,
        type: dto.type,
        category: project.category,
        regionCode: project.regionCode,
        title: dto.title.trim(),
        body: dto.body,
        details,
        targetNoticeId,
        status: 'draft',
        authorId: actor.userId,
        reviewerId: null,
        reviewComment: null,
        submittedAt: null,
        reviewedAt: null,
        scheduledAt: null,
        publishedAt: null,
        sourcePlatform: this.config.platformCode,
        contentHash: null,
        logSeq: null,
        createdAt: now,
        updatedAt: now,
        version: 1,
        withdrawnAt: null,
        withdrawnBy: null,
        bidDeadline: null,
      });
      notice.sourceId = notice.id;
      await em.insert(Notice, notice as QueryDeepPartialEntity<Notice>);
      await this.audit.record(em, actor, 'notice.create', 'notice', notice.id, null, notice);
      return notice;
    });
  }

  async updateDraft(actor: Actor, id: string, dto: UpdateNoticeDraftDto): Promise<Notice> {
    return this.db.transaction(async (em) => {
      const notice = await this.lockNotice(em, id);
      if (notice.status !== 'draft' && notice.status !== 'rejected') {
        throw new AppError('workflow.not-editable', '只有草稿或被退回的公告可以修改；已发布的公告只能更正或撤回');
      }
      this.requireAuthorOrAdmin(actor, notice);
      const before = { ...notice };
      if (dto.details !== undefined) notice.details = await validateDetails(notice.type, dto.details);
      if (dto.title !== undefined) notice.title = dto.title.trim();
      if (dto.body !== undefined) notice.body = dto.body;
      notice.status = 'draft';
      notice.updatedAt = this.clock.now();
      notice.version += 1;
      await em.save(notice);
      await this.audit.record(em, actor, 'notice.update', 'notice', id, before, notice);
      return notice;
    });
  }

  /** Creates the draft withdrawal of a published notice; it is reviewed like any notice. */
  async draftWithdrawal(actor: Actor, targetId: string, reason: string, title?: string): Promise<Notice> {
    const target = await this.db.manager.findOneBy(Notice, { id: targetId });
    if (!target) throw notFound('公告');
    return this.createDraft(actor, {
      projectId: target.projectId,
      type: 'withdrawal',
      title: title ?? `关于撤回《${target.title}》的声明`,
      body: reason,
      details: { reason },
      targetNoticeId: targetId,
    });
  }

  /**
   * Submits a draft for review, optionally asking for publication at `publishAt` (which must lie ahead). The
   * request waits in `scheduledAt` until the reviewer decides (see approve).
   */
  async submit(actor: Actor, id: string, publishAt?: string): Promise<Notice> {
    const requested = publishAt ? this.futurePublishAt(publishAt) : null;
    return this.db.transaction(async (em) => {
      const notice = await this.lockNotice(em, id);
      if (notice.status !== 'draft' && notice.status !== 'rejected')
        throw new AppError('workflow.not-draft', '只有草稿或被退回的公告可以提交审核');
      this.requireAuthorOrAdmin(actor, notice);
      // Early warning: the rules are checked again, authoritatively, at publication.
      const project = await em.findOneByOrFail(Project, { id: notice.projectId });
      const now = this.clock.now();
      await this.checkTiming(em, notice, project, requested ?? now);
      const before = { ...notice };
      Object.assign(notice, {
        status: 'submitted',
        submittedAt: now,
        updatedAt: now,
        reviewComment: null,
        scheduledAt: requested,
      });
      await em.save(notice);
      await this.audit.record(em, actor, 'notice.submit', 'notice', id, before, notice);
      return notice;
    });
  }

  async reject(actor: Actor, id: string, reason: string): Promise<Notice> {
    return this.db.transaction(async (em) => {
      const notice = await this.lockNotice(em, id);
      if (notice.status !== 'submitted' && notice.status !== 'approved')
        throw new AppError('workflow.not-submitted', '只有待审核或待发布的公告可以退回');
      this.requireOtherThanAuthor(actor, notice);
      const before = { ...notice };
      const now = this.clock.now();
      Object.assign(notice, {
        status: 'rejected',
        reviewerId: actor.userId,
        reviewedAt: now,
        reviewComment: reason,
        scheduledAt: null,
        updatedAt: now,
      });
      await em.save(notice);
      await this.audit.record(em, actor, 'notice.reject', 'notice', id, before, notice);
      return notice;
    });
  }

  /**
   * Approves a submitted notice and schedules it at `publishAt` (which must lie ahead), or publishes it now when
   * `publishAt` is null. Without `publishAt` it follows the time the author asked for, if that is still ahead;
   * a requested time that passed while the notice waited for review publishes it now.
   */
  async approve(actor: Actor, id: string, publishAt?: string | null): Promise<Notice> {
    const chosen = publishAt ? this.futurePublishAt(publishAt) : publishAt === undefined ? undefined : null;
    return this.db.transaction(async (em) => {
      const notice = await this.lockNotice(em, id);
      if (notice.status !== 'submitted') throw new AppError('workflow.not-submitted', '只有待审核的公告可以审核通过');
      this.requireOtherThanAuthor(actor, notice);
      const before = { ...notice };
      const now = this.clock.now();
      const requested = notice.scheduledAt && notice.scheduledAt.getTime() > now.getTime() ? notice.scheduledAt : null;
      const at = chosen === undefined ? requested : chosen;
      Object.assign(notice, { reviewerId: actor.userId, reviewedAt: now, updatedAt: now, scheduledAt: null });
      if (at) {
        const project = await em.findOneByOrFail(Project, { id: notice.projectId });
        await this.checkTiming(em, notice, project, at);
        Object.assign(notice, { status: 'approved', scheduledAt: at });
        await em.save(notice);
        await this.audit.record(em, actor, 'notice.schedule', 'notice', id, before, notice);
        return notice;
      }
      await this.audit.record(em, actor, 'notice.approve', 'notice', id, before, notice);
      return this.publishLocked(em, notice, actor, now);
    });
  }

  /** Publishes approved notices whose time has come; run by the scheduler on any instance. */
  async publishDue(actor: Actor): Promise<{ published: string[]; failed: { id: string; message: string }[] }> {
    const now = this.clock.now();
    const due = await this.db.manager
      .createQueryBuilder(Notice, 'n')
      .select(['n.id'])
      .where('n.status = :s AND n.scheduled_at <= :now', { s: 'approved', now })
      .orderBy('n.scheduled_at', 'ASC')
      .limit(100)
      .getMany();
    const result = { published: [] as string[], failed: [] as { id: string; message: string }[] };
    for (const { id } of due) {
      try {
        const done = await this.db.transaction(async (em) => {
          const notice = await this.lockNotice(em, id);
          // Another instance may have published it meanwhile: the locked re-read decides.
          if (notice.status !== 'approved' || !notice.scheduledAt || notice.scheduledAt > now) return false;
          await this.publishLocked(em, notice, actor, now);
          return true;
        });
        if (done) result.published.push(id);
      } catch (e) {
        if (!(e instanceof AppError) && !(e as { code?: string }).code?.startsWith?.('calendar.')) throw e;
        // The rules refused it at its scheduled time: return it to its author with the reason.
        const message = (e as Error).message;
        await this.db.transaction(async (em) => {
          const notice = await this.lockNotice(em, id);
          if (notice.status !== 'approved') return;
          const before = { ...notice };
          Object.assign(notice, {
            status: 'rejected',
            reviewComment: `定时发布未成功：${message}`,
            scheduledAt: null,
            updatedAt: now,
          });
          await em.save(notice);
          await this.audit.record(em, actor, 'notice.schedule-failed', 'notice', id, before, notice);
        });
        result.failed.push({ id, message });
      }
    }
    return result;
  }

  /**
   * Publishes a notice in the caller's transaction (the demo seed and ingest use this too). The notice must be
   * locked by the caller; its content is frozen from here on.
   */
  async publishLocked(
    em: EntityManager,
    notice: Notice,
    actor: Actor,
    now: Date,
    options: PublishOptions = {},
  ): Promise<Notice> {
    const project = await forUpdate(
      em.createQueryBuilder(Project, 'p').where('p.id = :id', { id: notice.projectId }),
      this.db.dialect,
    ).getOneOrFail();
    const type = noticeTypeBySlug(notice.type)!;
    const target = notice.targetNoticeId ? await this.lockNotice(em, notice.targetNoticeId) : null;
    if (target && (target.status !== 'published' || target.withdrawnAt)) {
      throw new AppError('workflow.target-not-published', '被更正或撤回的公告未发布或已撤回');
    }
    if (options.checkTiming !== false) await this.checkTiming(em, notice, project, now);

    const before = { ...notice };
    const publishedAt = options.publishedAt ?? now;
    notice.status = 'published';
    notice.publishedAt = publishedAt;
    notice.updatedAt = now;
    notice.contentHash = contentHash({ ...notice, publishedAt });

    const firstOfProject = !project.firstPublishedAt;
    const deadlineBefore = project.bidDeadline?.getTime();
    // "Open now" is counted by deadline day: this publication may move the deadline, end the project, withdraw an
    // announcement or add one.
    const openBefore = {
      announcements: await this.counts.liveAnnouncements(em, project.id, ANNOUNCEMENT_TYPES),
      bidDeadline: project.bidDeadline,
      terminated: !!project.terminatedAt,
    };
    this.applyToProject(project, notice, now);
    // Lists sort announcements by their copy of the deadline: a correction that moves it moves every copy.
    if (ANNOUNCEMENT_TYPES.includes(notice.type)) notice.bidDeadline = project.bidDeadline;
    if (project.bidDeadline?.getTime() !== deadlineBefore) {
      // The deadline order's key rows move with each copy (trading/deadline-keys.ts).
      const moved = await em.find(Notice, {
        select: { id: true, category: true, type: true, regionCode: true, bidDeadline: true, publishedAt: true },
        where: { projectId: project.id, status: 'published', type: In(ANNOUNCEMENT_TYPES) },
      });
      await removeDeadlineKeys(em, moved);
      await addDeadlineKeys(em, moved, project.bidDeadline);
      await widenDeadlineSpan(
        em,
        this.db.dialect,
        moved.map((n) => ({ deadline: project.bidDeadline, publishedAt: n.publishedAt })),
      );
      await em.update(
        Notice,
        { projectId: project.id, status: 'published', type: In(ANNOUNCEMENT_TYPES) },
        { bidDeadline: project.bidDeadline },
      );
    }
    const { bidDeadline, openingTime, terminatedAt, firstPublishedAt, updatedAt, version } = project;
    await em.update(
      Project,
      { id: project.id },
      { bidDeadline, openingTime, terminatedAt, firstPublishedAt, updatedAt, version },
    );
    if (target && type.kind === 'withdrawal') {
      await em.update(Notice, { id: target.id }, { withdrawnAt: now, withdrawnBy: notice.id });
    }
    const withdrawn = target && type.kind === 'withdrawal' ? target.id : null;
    await this.counts.addOpenChange(
      em,
      openCountChange(
        openBefore,
        {
          announcements: [
            ...openBefore.announcements.filter((a) => a.id !== withdrawn),
            ...(ANNOUNCEMENT_TYPES.includes(notice.type) ? [notice] : []),
          ],
          bidDeadline: project.bidDeadline,
          terminated: !!project.terminatedAt,
        },
        chinaDate(now),
      ),
    );

    const entry = await this.log.append(em, {
      kind: type.kind,
      noticeId: notice.id,
      projectId: notice.projectId,
      recordedAt: now,
      contentHash: notice.contentHash,
    });
    await this.search.indexPublished(em, notice);
    if (ANNOUNCEMENT_TYPES.includes(notice.type)) {
      await addDeadlineKeys(em, [notice], notice.bidDeadline);
      await widenDeadlineSpan(em, this.db.dialect, [{ deadline: notice.bidDeadline, publishedAt }]);
    }
    await this.counts.addPublished(
      em,
      { category: notice.category, type: notice.type, regionCode: notice.regionCode, publishedAt },
      firstOfProject ? project.firstPublishedAt : null,
    );
    await this.organizations.indexPublished(
      em,
      notice,
      firstOfProject,
      target && type.kind === 'withdrawal' ? target : null,
    );
    notice.logSeq = entry.seq;
    // save, not update: callers (approval, the seeder, ingest) hand over a notice with reviewer fields set.
    await em.save(notice);
    await this.exportLines.keep(em, notice);
    // After the save: the indicators read the project's published notices, this one included.
    await this.integrity.projectChangedOrLater(em, notice.projectId);
    if (options.pushUpstream !== false) await this.outbox.enqueue(em, entry, firstOfProject);
    await this.audit.record(em, actor, 'notice.publish', 'notice', notice.id, before, notice);
    return notice;
  }

  /** The project's effective values follow its announcement and the structured changes of its corrections. */
  private applyToProject(project: Project, notice: Notice, now: Date) {
    const { deadline, opening } = effectiveDatesSetBy(notice.type, notice.details);
    project.bidDeadline = deadline ?? project.bidDeadline;
    project.openingTime = opening ?? project.openingTime;
    if (notice.type === 'termination') project.terminatedAt = now;
    project.firstPublishedAt ??= now;
    project.updatedAt = now;
    project.version += 1;
  }

  /** A publication time given by staff: it must lie ahead, or the notice would be published at once, unasked. */
  private futurePublishAt(input: string): Date {
    let at: Date;
    try {
      at = parseDateTimeInput(input);
    } catch (e) {
      throw validationFailed([{ field: 'publishAt', message: (e as Error).message.replace(/^日期时间/, '发布时间') }]);
    }
    if (at.getTime() <= this.clock.now().getTime()) {
      throw validationFailed([
        {
          field: 'publishAt',
          message: `发布时间 ${formatChinaDateTime(at)}（北京时间）已过：请填写将来的时间，或留空`,
        },
      ]);
    }
    return at;
  }

  private async checkTiming(em: EntityManager, notice: Notice, project: Project, publishedAt: Date) {
    const rules = await this.rules.all(em);
    const calendar = await this.calendar.load(em);
    const violations = evaluateTimingRules(rules, timingFacts(notice, project, publishedAt), calendar);
    if (violations.length) {
      throw new AppError('timing.violation', violations.map((v) => v.message).join('；'), [], { violations });
    }
  }

  private async checkTarget(
    em: EntityManager,
    type: string,
    targetId: string | undefined,
    projectId: string,
  ): Promise<string | null> {
    const kind = noticeTypeBySlug(type)!.kind;
    if (kind === 'publication') {
      if (targetId)
        throw validationFailed([{ field: 'targetNoticeId', message: '只有更正公告和撤回声明可以指定目标公告' }]);
      return null;
    }
    if (!targetId)
      throw validationFailed([
        { field: 'targetNoticeId', message: kind === 'correction' ? '请指定被更正的公告' : '请指定被撤回的公告' },
      ]);
    const target = await em.findOneBy(Notice, { id: targetId });
    if (!target || target.status !== 'published')
      throw validationFailed([{ field: 'targetNoticeId', message: '目标公告不存在或尚未发布' }]);
    if (target.projectId !== projectId)
      throw validationFailed([{ field: 'targetNoticeId', message: '目标公告不属于该项目' }]);
    if (target.withdrawnAt) throw validationFailed([{ field: 'targetNoticeId', message: '目标公告已撤回' }]);
    if (target.type === 'withdrawal')
      throw validationFailed([{ field: 'targetNoticeId', message: '撤回声明不能被更正或撤回' }]);
    return targetId;
  }

  private async lockNotice(em: EntityManager, id: string): Promise<Notice> {
    const notice = await forUpdate(
      em.createQueryBuilder(Notice, 'n').where('n.id = :id', { id }),
      this.db.dialect,
    ).getOne();
    if (!notice) throw notFound('公告');
    return notice;
  }

  private requireAuthorOrAdmin(actor: Actor, notice: Notice) {
    if (actor.role !== 'admin' && actor.userId !== notice.authorId)
      throw new AppError('auth.not-author', '只有公告的录入人或管理员可以修改或提交它');
  }

  /** Four-eyes: whoever drafted a notice may not approve (or reject) it. */
  private requireOtherThanAuthor(actor: Actor, notice: Notice) {
    if (actor.userId === notice.authorId)
      throw new AppError('workflow.four-eyes', '审核人不能是公告的录入人（双人复核）');
  }
}
