import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { checkParams, sendJson } from '../http.js';
import { PublishedReads } from '../../published/published-reads.js';
import { NoticesApiService } from './notices-api.service.js';

@Controller('api/v1')
export class NoticesApiController {
  constructor(private readonly api: NoticesApiService, private readonly read: PublishedReads) {}

  @Get('notices')
  async list(@Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const version = await this.read.dataVersion();
    sendJson(req, res, await this.api.list(query), version.at);
  }

  @Get('notices/:id')
  async notice(@Param('id') id: string, @Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    checkParams(query, []);
    const version = await this.read.dataVersion();
    sendJson(req, res, await this.api.notice(id), version.at);
  }

  @Get('projects/:id')
  async project(@Param('id') id: string, @Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    checkParams(query, []);
    const version = await this.read.dataVersion();
    sendJson(req, res, await this.api.project(id), version.at);
  }
}
