import { createHash } from 'node:crypto';
import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { notModified } from '../../http/conditional.js';
import { stringifyJsonBytes } from '../../http/raw-json.js';
import { PublishedReads } from '../../published/published-reads.js';
import { OpenDataReadService } from '../open-data-read.service.js';
import { ApiAfter, ApiLimit, ApiPublicRead } from './api-docs.js';
import { CHANGES_LIMIT, ChangesService } from './changes.service.js';
import { ChangePageDto } from './dto.js';

@Controller('api/v1/changes')
export class ChangesController {
  constructor(
    private readonly changes: ChangesService,
    private readonly reads: PublishedReads,
    private readonly read: OpenDataReadService,
  ) {}

  @Get()
  @ApiPublicRead({
    tag: 'api',
    summary: '变更流：每次发布、更正、撤回，按提交顺序',
    type: ChangePageDto,
    description:
      '从头沿 next 读取，每个变更恰好出现一次（并发发布时亦然）；空页返回相同的 next 供轮询；游标无效为 400。' +
      '只含公告的条目：公示日志中的年度报告条目（annual-report）不在变更流中，序号因此可能不连续，prevHash 可能指向它。',
  })
  @ApiAfter('变更游标')
  @ApiLimit(CHANGES_LIMIT)
  async page(@Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const parsed = this.changes.query(query);
    // A page's entries never change and its notices change only by publications, each of which moves the log's
    // head: the head labels the page, read before it (a page read later is never older than its label, so a 304
    // never keeps a client on an older page). A conditional request is answered from the head alone.
    const version = await this.reads.dataVersion();
    const etag = `W/"${version.seq}-${createHash('sha256').update(`${this.read.links.baseUrl}${req.originalUrl}`).digest('base64url').slice(0, 16)}"`;
    if (notModified(req, res, etag, version.at)) return;
    res.type('application/json; charset=utf-8').send(stringifyJsonBytes(await this.changes.page(parsed)));
  }
}
