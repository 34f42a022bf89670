import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { sendJson } from '../../http/conditional.js';
import { checkParams } from '../http.js';
import { OcdsService } from './ocds.service.js';

@Controller('api/ocds')
export class OcdsController {
  constructor(private readonly ocds: OcdsService) {}

  @Get('releases')
  async releases(@Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    sendJson(req, res, await this.ocds.releasePage(query), null);
  }

  @Get('records/:ocid')
  async record(@Param('ocid') ocid: string, @Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    checkParams(query, []);
    const record = await this.ocds.recordPackage(ocid);
    sendJson(req, res, record, new Date(record.publishedDate));
  }
}
