import { Controller, Get, Query, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { sendJson } from '../../http/conditional.js';
import { checkParams } from '../http.js';
import { DocsService } from './docs.service.js';

@Controller('api/docs')
export class DocsController {
  constructor(private readonly docs: DocsService) {}

  @Get()
  @Render('exports/api-docs')
  page(@Query() query: Record<string, unknown>) {
    checkParams(query, []);
    return this.docs.page();
  }

  @Get('openapi.json')
  openapi(@Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    checkParams(query, []);
    sendJson(req, res, this.docs.document(), null);
  }
}
