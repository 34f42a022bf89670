import { Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import type { Actor } from '../auth/actor.js';
import { formatChinaDateTime } from '../domain/china-time.js';
import type { Response } from 'express';
import { ALL_ROLES, CurrentActor, Roles } from '../auth/decorators.js';
import { AlertMailer } from './alert-mailer.js';
import { AlertsService } from './alerts.service.js';

const STATUS = { pending: '待确认', active: '有效', paused: '已暂停' } as Record<string, string>;
const FREQUENCY = { immediate: '即时', daily: '每日汇总' } as Record<string, string>;
const MAIL = { queued: '待发送', sent: '已发送', parked: '已搁置（发送失败）' } as Record<string, string>;

/** Staff see how many alerts and mails there are, never an address. */
@Controller()
@Roles(...ALL_ROLES)
export class AlertsAdminController {
  constructor(
    private readonly alerts: AlertsService,
    private readonly mailer: AlertMailer,
  ) {}

  @Get('admin/alerts')
  async counts(@CurrentActor() actor: Actor, @Res() res: Response) {
    const [rows, mails] = await Promise.all([this.alerts.counts(), this.mailer.outboxCounts()]);
    res.setHeader('Cache-Control', 'no-store');
    res.render('alerts/staff', {
      title: '订阅提醒统计',
      rows: rows.map((r) => ({
        status: STATUS[r.status] ?? r.status,
        frequency: r.email ? (FREQUENCY[r.frequency] ?? r.frequency) : '仅私有订阅源',
        alerts: r.alerts,
      })),
      mails: Object.entries(MAIL).map(([k, label]) => ({ label, count: mails[k] ?? 0 })),
      mailOn: this.alerts.mailOn,
      isAdmin: actor.role === 'admin',
    });
  }

  /** An administrator opens the addresses: a POST (with the CSRF token), recorded in the audit log. */
  @Post('admin/alerts/addresses')
  @Roles('admin')
  @HttpCode(200)
  async addresses(@CurrentActor() actor: Actor, @Res() res: Response) {
    const rows = await this.alerts.addressList(actor);
    res.setHeader('Cache-Control', 'no-store');
    res.render('alerts/staff-addresses', {
      title: '订阅地址',
      rows: rows.map((r) => ({
        ...r,
        status: STATUS[r.status] ?? r.status,
        frequency: FREQUENCY[r.frequency] ?? r.frequency,
        createdAt: formatChinaDateTime(r.createdAt),
      })),
    });
  }
}
