import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { sendJson } from '../../http/conditional.js';
import { ChangesService } from './changes.service.js';

@Controller('api/v1/changes')
export class ChangesController {
  constructor(private readonly changes: ChangesService) {}

  @Get()
  async page(@Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    sendJson(req, res, await this.changes.page(query), null);
  }
}
