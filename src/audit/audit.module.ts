import { Module } from '@nestjs/common';
import { AuditService } from './audit.service.js';
import { AuditLogEntry } from './audit-log.entity.js';

/** The tables this module owns (composed into the one DataSource by app.module.ts). */
export const AUDIT_ENTITIES = [AuditLogEntry];

/**
 * The audit log (table audit_log): a feature records its changes with AuditService.record inside its own
 * transaction. Administrators read it at /api/admin/audit and /admin/audit (both in admin/, above auth).
 */
@Module({ providers: [AuditService], exports: [AuditService] })
export class AuditModule {}
