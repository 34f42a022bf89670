import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Actor } from '../auth/actor.js';
import { ALL_ROLES, CurrentActor, Roles } from '../auth/decorators.js';
import { Database } from '../database/database.js';
import { DisclosureService } from '../disclosure/disclosure.service.js';
import { ReportsService } from '../reports/reports.service.js';
import { Notice } from '../trading/notice.entity.js';
import { flashOf, render } from './form-input.js';

/** The landing page: what waits for the signed-in user. */
@Controller()
@Roles(...ALL_ROLES)
export class AdminDashboardController {
  constructor(
    private readonly db: Database,
    private readonly disclosure: DisclosureService,
    private readonly reports: ReportsService,
  ) {}

  @Get('admin')
  async dashboard(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor) {
    const count = (where: Record<string, unknown>) => this.db.manager.countBy(Notice, where);
    const [drafts, rejected, submitted, scheduled] = await Promise.all([
      count({ status: 'draft', authorId: actor.userId }),
      count({ status: 'rejected', authorId: actor.userId }),
      count({ status: 'submitted' }),
      count({ status: 'approved' }),
    ]);
    const [reminders, annualReport] = await Promise.all([this.disclosure.reminders(), this.reports.reminder()]);
    const row = (i: (typeof reminders.overdue)[number]) => ({
      trackingNo: i.request.trackingNo,
      dueOn: i.clock.dueOn,
      remaining: i.clock.remainingWorkingDays,
    });
    render(res, 'admin/dashboard', {
      title: '工作台',
      flash: flashOf(req),
      counts: { drafts, rejected, submitted, scheduled },
      canDraft: actor.role !== 'reviewer',
      canReview: actor.role !== 'clerk',
      isAdmin: actor.role === 'admin',
      annualReport,
      disclosure: {
        dueSoon: reminders.dueSoon.map(row),
        overdue: reminders.overdue.map(row),
        calendarMissing: reminders.calendarMissing.length,
      },
    });
  }
}
