import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiPublicRead, ApiAfter, ApiLimit, ApiNoticeFilters } from './api-docs.js';
import { NoticeListDto, ProjectWithNoticesDto, PublicNoticeDto } from './dto.js';
import { CachedResponse, hotPage } from '../../cache/cache.interceptor.js';
import { sendJson } from '../../http/conditional.js';
import { checkParams } from '../http.js';
import { PublishedReads } from '../../published/published-reads.js';
import { NOTICE_LIST_LIMIT, NoticesApiService } from './notices-api.service.js';

@Controller('api/v1')
export class NoticesApiController {
  constructor(
    private readonly api: NoticesApiService,
    private readonly read: PublishedReads,
  ) {}

  @Get('notices')
  @ApiPublicRead({ tag: 'api', summary: '已发布公告列表（键集分页）', type: NoticeListDto })
  @ApiNoticeFilters()
  @ApiLimit(NOTICE_LIST_LIMIT)
  @ApiAfter('分页游标')
  @CachedResponse({ when: hotPage })
  async list(@Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const version = await this.read.dataVersion();
    sendJson(req, res, await this.api.list(query), version.at);
  }

  @Get('notices/:id')
  @ApiPublicRead({ tag: 'api', summary: '一条已发布公告', type: PublicNoticeDto, notFound: true })
  @CachedResponse()
  async notice(
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    checkParams(query, []);
    const version = await this.read.dataVersion();
    sendJson(req, res, await this.api.notice(id), version.at);
  }

  @Get('projects/:id')
  @ApiPublicRead({
    tag: 'api',
    summary: '一个项目及其全部已发布公告（按发布顺序）',
    type: ProjectWithNoticesDto,
    notFound: true,
  })
  @CachedResponse()
  async project(
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    checkParams(query, []);
    const version = await this.read.dataVersion();
    sendJson(req, res, await this.api.project(id), version.at);
  }
}
