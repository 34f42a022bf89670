import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { Clock } from '../common/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { Database } from '../database/database.js';
import { forUpdate } from '../database/dialect.js';
import { AppError, notFound, validationFailed } from '../http/app-error.js';
import { Notice } from '../trading/notice.entity.js';
import { NoticeAttachment, NoticeAttachmentChunk } from './attachment.entity.js';
import { cleanFileName, detectFileType } from './file-types.js';

/** Bytes per stored chunk: well inside one MySQL packet (a BLOB literal travels as hex, twice its size). */
const CHUNK_BYTES = 512 * 1024;
export const MAX_ATTACHMENTS_PER_NOTICE = 20;

export interface AttachmentView {
  id: number;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  /** The public address (answers only once the notice is published). */
  href: string;
}

export const attachmentHref = (noticeId: string, id: number) =>
  `/notices/${encodeURIComponent(noticeId)}/attachments/${id}`;

const view = (a: NoticeAttachment): AttachmentView => ({
  id: a.id,
  fileName: a.fileName,
  contentType: a.contentType,
  size: a.size,
  sha256: a.sha256,
  href: attachmentHref(a.noticeId, a.id),
});

/**
 * Files on notices. Their bytes live in the database in chunks, so every instance serves them; each is checked by
 * its magic bytes and stored with its SHA-256. Like the notice itself, a published notice's files never change.
 */
@Injectable()
export class AttachmentsService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get maxBytes(): number {
    return this.config.staff.attachmentMaxBytes;
  }

  async add(actor: Actor, noticeId: string, originalName: string, bytes: Buffer): Promise<AttachmentView> {
    const fileName = cleanFileName(originalName);
    if (!bytes.length) throw validationFailed([{ field: 'file', message: `文件“${fileName}”是空的` }]);
    if (bytes.length > this.maxBytes) throw tooLarge(this.maxBytes);
    const detected = detectFileType(fileName, bytes);
    if ('problem' in detected) throw validationFailed([{ field: 'file', message: detected.problem }]);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    return this.db.transaction(async (em) => {
      await this.lockEditable(em, actor, noticeId);
      if ((await em.countBy(NoticeAttachment, { noticeId })) >= MAX_ATTACHMENTS_PER_NOTICE) {
        throw validationFailed([{ field: 'file', message: `每条公告最多 ${MAX_ATTACHMENTS_PER_NOTICE} 个附件` }]);
      }
      const row = em.create(NoticeAttachment, {
        noticeId,
        fileName,
        contentType: detected.type.contentType,
        size: bytes.length,
        sha256,
        createdAt: this.clock.now(),
        createdBy: actor.userId || null,
      });
      await em.save(row);
      for (let seq = 0; seq * CHUNK_BYTES < bytes.length; seq++) {
        await em.insert(NoticeAttachmentChunk, {
          attachmentId: row.id,
          seq,
          data: bytes.subarray(seq * CHUNK_BYTES, (seq + 1) * CHUNK_BYTES),
        });
      }
      await this.audit.record(em, actor, 'notice.attachment-add', 'notice', noticeId, null, view(row));
      return view(row);
    });
  }

  async remove(actor: Actor, noticeId: string, id: number): Promise<void> {
    await this.db.transaction(async (em) => {
      await this.lockEditable(em, actor, noticeId);
      const row = await em.findOneBy(NoticeAttachment, { id, noticeId });
      if (!row) throw notFound('附件');
      await em.delete(NoticeAttachmentChunk, { attachmentId: id });
      await em.delete(NoticeAttachment, { id });
      await this.audit.record(em, actor, 'notice.attachment-remove', 'notice', noticeId, view(row), null);
    });
  }

  async list(noticeId: string): Promise<AttachmentView[]> {
    return (await this.db.manager.find(NoticeAttachment, { where: { noticeId }, order: { id: 'ASC' } })).map(view);
  }

  /** The attachments the public may see: those of a published notice (withdrawn ones included). */
  async publicList(noticeId: string): Promise<AttachmentView[]> {
    const notice = await this.db.manager.findOneBy(Notice, { id: noticeId, status: 'published' });
    return notice ? this.list(noticeId) : [];
  }

  /** One attachment of a notice; `publishedOnly` for the public address. */
  async find(noticeId: string, id: number, publishedOnly: boolean): Promise<NoticeAttachment> {
    const row = await this.db.manager.findOneBy(NoticeAttachment, { id, noticeId });
    if (!row) throw notFound('附件');
    if (publishedOnly && !(await this.db.manager.existsBy(Notice, { id: noticeId, status: 'published' })))
      throw notFound('附件');
    return row;
  }

  /** The bytes, a chunk at a time: constant memory whatever the size. */
  async *content(row: NoticeAttachment): AsyncGenerator<Buffer> {
    for (let seq = 0; seq * CHUNK_BYTES < row.size; seq++) {
      const chunk = await this.db.manager.findOne(NoticeAttachmentChunk, { where: { attachmentId: row.id, seq } });
      if (!chunk) throw new Error(`attachment ${row.id}: chunk ${seq} missing`);
      yield Buffer.from(chunk.data);
    }
  }

  /** Attachments change only with the notice's content: a draft or a rejected notice, by its author or an administrator. */
  private async lockEditable(em: EntityManager, actor: Actor, noticeId: string): Promise<Notice> {
    const notice = await forUpdate(
      em.createQueryBuilder(Notice, 'n').where('n.id = :id', { id: noticeId }),
      this.db.dialect,
    ).getOne();
    if (!notice) throw notFound('公告');
    if (notice.status !== 'draft' && notice.status !== 'rejected') {
      throw new AppError(
        'workflow.not-editable',
        '只有草稿或被退回的公告可以增删附件；已提交或已发布的公告附件不能改动',
      );
    }
    if (actor.role !== 'admin' && actor.userId !== notice.authorId)
      throw new AppError('auth.not-author', '只有公告的录入人或管理员可以修改它的附件');
    return notice;
  }
}

export const tooLarge = (max: number) =>
  validationFailed([{ field: 'file', message: `文件超过 ${+(max / 1024 / 1024).toFixed(1)} MB 的上限` }]);
