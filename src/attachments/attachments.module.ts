import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { AttachmentsController } from './attachments.controller.js';
import { AttachmentsService } from './attachments.service.js';
import { NoticeAttachment, NoticeAttachmentChunk } from './attachment.entity.js';

/** The tables this module owns (composed into the one DataSource by app.module.ts). */
export const ATTACHMENTS_ENTITIES = [NoticeAttachment, NoticeAttachmentChunk];

/** Notice attachments: stored in the database, served at /notices/{id}/attachments/{attachmentId}. */
@Module({
  imports: [AuditModule],
  controllers: [AttachmentsController],
  providers: [AttachmentsService],
  exports: [AttachmentsService],
})
export class AttachmentsModule {}
