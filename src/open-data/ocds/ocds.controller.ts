import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CachedResponse } from '../../cache/cache.interceptor.js';
import { checkParams, sendJson } from '../http.js';
import { OcdsService } from './ocds.service.js';

@Controller('api/ocds')
export class OcdsController {
  constructor(private readonly ocds: OcdsService) {}

  /**
   * A release package, or past the end 204 No Content with `Link: <next>; rel="next"`: the same cursor, to poll
   * with until something is published. (An empty package would break the schema's minItems 1.)
   */
  @Get('releases')
  async releases(@Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const page = await this.ocds.releasePage(query);
    if (!page.package) {
      res.setHeader('Cache-Control', 'no-cache');
      res.setHeader('Link', `<${page.next}>; rel="next"`);
      res.status(204).end();
      return;
    }
    sendJson(req, res, page.package, null);
  }

  @Get('records/:ocid')
  @CachedResponse()
  async record(@Param('ocid') ocid: string, @Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    checkParams(query, []);
    const record = await this.ocds.recordPackage(ocid);
    sendJson(req, res, record, new Date(record.publishedDate));
  }
}
