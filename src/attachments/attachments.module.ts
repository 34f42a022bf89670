import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { AttachmentsController } from './attachments.controller.js';
import { AttachmentsService } from './attachments.service.js';

/** Notice attachments: stored in the database, served at /notices/{id}/attachments/{attachmentId}. */
@Module({
  imports: [AuditModule],
  controllers: [AttachmentsController],
  providers: [AttachmentsService],
  exports: [AttachmentsService],
})
export class AttachmentsModule {}
