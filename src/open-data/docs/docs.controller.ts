import { Controller, Get, Param, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { notFound } from '../../http/app-error.js';
import { sendJson } from '../../http/conditional.js';
import { checkParams } from '../http.js';
import { DocsService } from './docs.service.js';
import { OCDS_SCHEMA_NAMES, type OcdsSchemaName } from './ocds-schemas.js';

/** The API description: a Chinese page (no script), the OpenAPI document, and the OCDS schemas it refers to. */
@ApiExcludeController()
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

  @Get('ocds/:name')
  ocdsSchema(
    @Param('name') name: string,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    checkParams(query, []);
    if (!(OCDS_SCHEMA_NAMES as readonly string[]).includes(name)) throw notFound('OCDS 模式文件');
    sendJson(req, res, this.docs.ocdsSchema(name as OcdsSchemaName), null, 'application/schema+json; charset=utf-8');
  }
}
