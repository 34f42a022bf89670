import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AuditService } from '../audit/audit.service.js';
import { AuditQuery } from './audit-api.controller.js';
import { Roles } from '../auth/decorators.js';
import { render } from './form-input.js';

const FILTERS = ['actor', 'action', 'entityType', 'entityId', 'from', 'to'] as const;

/** The audit log, searchable by who, what, which record and when; newest first. */
@Controller('admin/audit')
@Roles('admin')
export class AdminAuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  async search(@Res() res: Response, @Query() query: AuditQuery) {
    const page = await this.audit.search({ ...query, limit: query.limit ?? 50 });
    const kept = Object.fromEntries(FILTERS.filter((k) => query[k]).map((k) => [k, String(query[k])]));
    render(res, 'admin/audit', {
      title: '审计日志',
      filter: kept,
      items: page.items.map((a) => ({
        ...a,
        before: a.before === null ? null : JSON.stringify(a.before, null, 2),
        after: a.after === null ? null : JSON.stringify(a.after, null, 2),
      })),
      next: page.nextBefore
        ? `/admin/audit?${new URLSearchParams({ ...kept, before: String(page.nextBefore) })}`
        : null,
    });
  }
}
