import { Controller, Get, Param, ParseIntPipe, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { render, seeOther } from '../admin/form-input.js';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/decorators.js';
import { SyncStatusService } from './sync-status.service.js';

/** The confirmations this page shows after a re-drive (?done=…), from a fixed list. */
const DONE: Record<string, string> = {
  redriven: '已重新推送：该记录将在下一轮推送中发送。',
  'redriven-all': '该上级平台的全部已搁置记录已重新推送。',
};

/** /admin/sync: the back-office page of platform sync (the same facts as GET /api/admin/sync), with re-drive. */
@Controller('admin/sync')
export class SyncPageController {
  constructor(private readonly status: SyncStatusService) {}

  @Get()
  @Roles('reviewer', 'admin')
  async page(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor) {
    const done = typeof req.query.done === 'string' ? DONE[req.query.done] : undefined;
    render(res, 'admin/sync', { title: '平台同步', flash: done, canRedrive: actor.role === 'admin', ...(await this.status.overview()) });
  }

  @Post('outbox/:id/redrive')
  @Roles('admin')
  async redriveEntry(@Res() res: Response, @CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    await this.status.redrive(actor, { id });
    seeOther(res, '/admin/sync?done=redriven');
  }

  @Post('upstreams/:name/redrive')
  @Roles('admin')
  async redriveUpstream(@Res() res: Response, @CurrentActor() actor: Actor, @Param('name') name: string) {
    await this.status.redrive(actor, { upstream: name });
    seeOther(res, '/admin/sync?done=redriven-all');
  }
}
