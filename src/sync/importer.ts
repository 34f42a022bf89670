import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import type { Actor } from '../auth/actor.js';
import { Clock } from '../common/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { AppError, validationFailed } from '../http/app-error.js';
import { validatePlain } from '../http/validation.js';
import { validateDetails } from '../publishing/notice-validation.js';
import { ProjectsService } from '../publishing/projects.service.js';
import { PublishingService } from '../publishing/publishing.service.js';
import { categoryBySlug, isNoticeTypeAllowed, noticeTypeBySlug } from '../domain/catalog.js';
import { parseDateTimeInput } from '../domain/china-time.js';
import { Notice } from '../trading/notice.entity.js';
import { Project } from '../trading/project.entity.js';
import { NoticeRecordDto, ProjectRecordDto } from './dto.js';
import { detailsAsInput, importedId, noticeInput, projectInput } from './records.js';

export interface ImportResult {
  /** 'applied': stored now; 'present': already here with the same content (sent twice, or by two routes). */
  status: 'applied' | 'present';
  kind: 'project' | 'notice';
  id: string;
  logSeq?: number | null;
}

/** Which source platforms a sender may deliver records of: its own code, and those it relays (or '*'). */
export type SourceRule = (sourcePlatform: string) => boolean;

/**
 * Applies records received from other platforms (ingest and pull), inside the caller's transaction: validated
 * like the staff API, stored under their source's id, and published as received — no draft or review, no
 * timing check (the source published them under its own rules) — with the log entry and outbox rows of any
 * publication here, so they travel on to this platform's own upstreams.
 */
@Injectable()
export class RecordImporter {
  constructor(
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly projects: ProjectsService,
    private readonly publishing: PublishingService,
  ) {}

  /** `record`: the project's public JSON (/api/v1/projects/{id}). */
  async importProject(em: EntityManager, actor: Actor, record: unknown, allowed: SourceRule): Promise<ImportResult> {
    const dto = await valid(ProjectRecordDto, projectInput(record), 'project');
    const id = importedId(dto.sourcePlatform, dto.id);
    const existing = await em.findOneBy(Project, { dealCode: dto.dealCode });
    if (existing?.id === id) return { status: 'present', kind: 'project', id };
    this.checkSource(dto.sourcePlatform, allowed, 'project');
    if (existing) throw conflicting(`统一交易标识码 ${dto.dealCode} 已属于项目 ${existing.id}`);
    if (await em.findOneBy(Project, { id })) throw conflicting(`项目 ${id} 已存在，但统一交易标识码不同`);
    await this.projects.importInto(em, actor, dto, { id, platform: dto.sourcePlatform });
    return { status: 'applied', kind: 'project', id };
  }

  /** `record`: the notice's public JSON (/api/v1/notices/{id}, or `notice` of a change feed item). */
  async importNotice(
    em: EntityManager,
    actor: Actor,
    record: unknown,
    allowed: SourceRule,
    kind?: string,
  ): Promise<ImportResult> {
    const dto = await valid(NoticeRecordDto, noticeInput(record), 'notice');
    const type = noticeTypeBySlug(dto.type)!;
    if (kind && kind !== type.kind)
      throw validationFailed([{ field: 'kind', message: `“${type.name}”的事件类型应为 ${type.kind}` }]);
    const id = importedId(dto.sourcePlatform, dto.id);

    const sourceId = dto.sourceId ?? dto.id;
    const existing =
      (await em.findOneBy(Notice, { id })) ??
      (await em.findOneBy(Notice, { sourcePlatform: dto.sourcePlatform, sourceId }));
    if (existing) {
      const same =
        existing.id === id &&
        existing.status === 'published' &&
        (!dto.contentHash || dto.contentHash === existing.contentHash);
      if (same) return { status: 'present', kind: 'notice', id, logSeq: existing.logSeq };
      throw conflicting(`公告 ${existing.id}（来源 ${dto.sourcePlatform} 编号 ${sourceId}）已存在，与收到的不同`);
    }
    this.checkSource(dto.sourcePlatform, allowed, 'notice');
    const project = await this.resolve(em, Project, dto.projectId, dto.sourcePlatform);
    if (!project)
      throw parentMissing(
        `项目 ${importedId(dto.sourcePlatform, dto.projectId)} 尚未收到：请先推送项目，再推送它的公告`,
      );
    if (!isNoticeTypeAllowed(dto.type, project.category)) {
      throw validationFailed([
        {
          field: 'notice.type',
          message: `${categoryBySlug(project.category)?.name ?? project.category}项目不能发布“${type.name}”`,
        },
      ]);
    }
    let targetNoticeId: string | null = null;
    if (type.kind !== 'publication') {
      if (!dto.targetNoticeId)
        throw validationFailed([{ field: 'notice.targetNoticeId', message: '更正公告和撤回声明必须指定目标公告' }]);
      const target = await this.resolve(em, Notice, dto.targetNoticeId, dto.sourcePlatform);
      if (!target) throw parentMissing(`目标公告 ${importedId(dto.sourcePlatform, dto.targetNoticeId)} 尚未收到`);
      if (target.projectId !== project.id)
        throw validationFailed([{ field: 'notice.targetNoticeId', message: '目标公告不属于该项目' }]);
      targetNoticeId = target.id;
    } else if (dto.targetNoticeId) {
      throw validationFailed([{ field: 'notice.targetNoticeId', message: '只有更正公告和撤回声明可以指定目标公告' }]);
    }
    const details = await validateDetails(dto.type, detailsAsInput(dto.details)).catch((e: unknown) => {
      throw e instanceof AppError
        ? validationFailed(
            e.fields.map((f) => ({ ...f, field: `notice.${f.field}` })),
            e.message,
          )
        : e;
    });

    const now = this.clock.now();
    const notice = em.create(Notice, {
      id,
      projectId: project.id,
      type: dto.type,
      category: project.category,
      regionCode: project.regionCode,
      title: dto.title.trim(),
      body: dto.body,
      details,
      targetNoticeId,
      status: 'approved',
      authorId: null,
      reviewerId: null,
      reviewComment: null,
      submittedAt: null,
      reviewedAt: null,
      scheduledAt: null,
      publishedAt: null,
      sourcePlatform: dto.sourcePlatform,
      sourceId,
      contentHash: null,
      logSeq: null,
      createdAt: now,
      updatedAt: now,
      version: 1,
      withdrawnAt: null,
      withdrawnBy: null,
      bidDeadline: null,
    });
    await em.insert(Notice, notice as QueryDeepPartialEntity<Notice>);
    await this.publishing.publishLocked(em, notice, actor, now, {
      checkTiming: false,
      publishedAt: parseDateTimeInput(dto.publishedAt),
    });

    // Same id, same references: the content is the source's, byte for byte, so its hash must be the source's too.
    const sameIds = id === dto.id && project.id === dto.projectId && targetNoticeId === (dto.targetNoticeId ?? null);
    if (dto.contentHash && sameIds && dto.contentHash !== notice.contentHash) {
      throw new AppError(
        'ingest.content-hash',
        `公告 ${id} 的内容哈希与来源平台给出的不符：内容在传输或转换中发生了变化`,
      );
    }
    return { status: 'applied', kind: 'notice', id, logSeq: notice.logSeq };
  }

  /** A reference by the source's id: under its platform prefix first, then as a global id another platform minted. */
  private async resolve<T extends Project | Notice>(
    em: EntityManager,
    entity: new () => T,
    ref: string,
    sourcePlatform: string,
  ): Promise<T | null> {
    const byPrefix = await em.findOneBy(entity as never, { id: importedId(sourcePlatform, ref) } as never);
    return (byPrefix as T | null) ?? ((await em.findOneBy(entity as never, { id: ref } as never)) as T | null);
  }

  private checkSource(sourcePlatform: string, allowed: SourceRule, field: string) {
    if (sourcePlatform === this.config.platformCode) {
      throw new AppError(
        'ingest.forbidden',
        `${field}.sourcePlatform 是本平台的标识码 ${sourcePlatform}：本平台的记录不能从外部写入`,
      );
    }
    if (!allowed(sourcePlatform))
      throw new AppError('ingest.forbidden', `此密钥不能提交来源平台为 ${sourcePlatform} 的记录`);
  }
}

async function valid<T extends object>(cls: new () => T, record: unknown, prefix: string): Promise<T> {
  const { value, errors } = await validatePlain(cls, record, prefix);
  if (errors.length) throw validationFailed(errors);
  return value;
}

const parentMissing = (message: string) => new AppError('conflict.parent-missing', message);
const conflicting = (message: string) => new AppError('ingest.conflicting-record', message);
