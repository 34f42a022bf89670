import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { notModified } from '../../http/conditional.js';
import { ApiAfter, ApiLimit, ApiPublicRead } from './api-docs.js';
import { CHANGES_LIMIT, ChangesService } from './changes.service.js';
import { ChangePageDto } from './dto.js';

@Controller('api/v1/changes')
export class ChangesController {
  constructor(private readonly changes: ChangesService) {}

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
    const version = await this.changes.version(parsed);
    if (notModified(req, res, version.etag, version.at)) return;
    res.type('application/json; charset=utf-8').send(await this.changes.page(parsed));
  }
}
