import { Body, Controller, Get, Param, ParseIntPipe, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { errorMap, field, fieldErrorsOf, render, seeOther } from '../admin/form-input.js';
import { doneMessage } from '../http/done-message.js';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/decorators.js';
import type { UpstreamFormat } from '../config/config.js';
import { SyncStatusService } from './sync-status.service.js';

/** The confirmations this page shows after an action (?done=…), from a fixed list. */
const DONE: Record<string, string> = {
  redriven: '已重新推送：该记录将在下一轮推送中发送。',
  'redriven-all': '该上级平台的全部已搁置记录已重新推送。',
  skipped: '已跳过该变更并记入审计日志：下一轮拉取将越过它，继续应用其后的变更。',
};

const KINDS: Record<string, string> = { publication: '发布', correction: '更正', withdrawal: '撤回' };

const FORMATS: Record<UpstreamFormat, string> = {
  'ggzy-json': 'ggzy-json（本平台的 JSON 消息，与 /api/v1/ingest 接收的相同）',
  ocds: 'OCDS 1.1 发布包（每条公告一个 release，与 /api/ocds/releases 相同）',
};

interface SkipForm {
  peer: string;
  reason: string;
  errors: Record<string, string>;
}

/** /admin/sync: the back-office page of platform sync (the same facts as GET /api/admin/sync), with re-drive and skip. */
@Controller('admin/sync')
export class SyncPageController {
  constructor(private readonly status: SyncStatusService) {}

  @Get()
  @Roles('reviewer', 'admin')
  async page(@Req() req: Request, @Res() res: Response, @CurrentActor() actor: Actor) {
    const done = doneMessage(DONE, req.query.done);
    await this.show(res, actor, { flash: done });
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

  /** Skips the change a peer's pull is stalled on; a missing reason shows the page again with the message by the field. */
  @Post('peers/:name/skip')
  @Roles('admin')
  async skipChange(
    @Res() res: Response,
    @CurrentActor() actor: Actor,
    @Param('name') name: string,
    @Body() body: Record<string, unknown>,
  ) {
    const input = { changeId: field(body, 'changeId'), reason: field(body, 'reason') };
    try {
      await this.status.skipChange(actor, name, input);
    } catch (e) {
      return this.show(
        res,
        actor,
        { skipForm: { peer: name, reason: input.reason, errors: errorMap(fieldErrorsOf(e)) } },
        400,
      );
    }
    seeOther(res, '/admin/sync?done=skipped');
  }

  /** The page; `skipForm`: a refused skip, shown again by its peer with the reason typed and the message. */
  private async show(res: Response, actor: Actor, o: { flash?: string; skipForm?: SkipForm }, status = 200) {
    const overview = await this.status.overview();
    const form = (peer: string) => (o.skipForm?.peer === peer ? o.skipForm : undefined);
    render(
      res,
      'admin/sync',
      {
        title: '平台同步',
        flash: o.flash,
        canRedrive: actor.role === 'admin',
        ...overview,
        upstreams: overview.upstreams.map((u) => ({ ...u, formatLabel: u.format ? FORMATS[u.format] : null })),
        peers: overview.peers.map((p) => ({
          ...p,
          stalledKind: p.stalled?.kind ? (KINDS[p.stalled.kind] ?? p.stalled.kind) : null,
          skipReason: form(p.name)?.reason ?? '',
          skipError: form(p.name) ? (form(p.name)!.errors.reason ?? form(p.name)!.errors.changeId) : null,
        })),
      },
      status,
    );
  }
}
