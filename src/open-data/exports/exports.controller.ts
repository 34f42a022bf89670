import { Controller, Get, Param, Query, Render, Req, Res } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { notFound } from '../../http/app-error.js';
import { csvDownload } from '../../http/csv.js';
import { checkParams } from '../http.js';
import { EXPORTS, type ExportSlug } from '../../published/export-rows.js';
import { ApiNoticeFilters, ApiPublicRead } from '../api/api-docs.js';
import { ExportsService } from './exports.service.js';
import { dictionaryView } from './dictionary.js';

@Controller('exports')
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  /** The data dictionary: every export, every column, what it holds. */
  @Get()
  @ApiPublicRead({ tag: 'exports', summary: '数据字典（HTML）', produces: 'text/html' })
  @Render('exports/dictionary')
  dictionary(@Query() query: Record<string, unknown>) {
    checkParams(query, []);
    return dictionaryView();
  }

  @Get(':file')
  @ApiPublicRead({
    tag: 'exports',
    summary: 'CSV 下载：notices.csv、bids.csv、awards.csv（UTF-8 带 BOM，RFC 4180）',
    produces: 'text/csv',
    notFound: true,
    conditional: false,
  })
  @ApiParam({ name: 'file', enum: Object.keys(EXPORTS).map((slug) => `${slug}.csv`) })
  @ApiNoticeFilters()
  async download(
    @Param('file') file: string,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const slug = file.replace(/\.csv$/, '') as ExportSlug;
    if (!file.endsWith('.csv') || !Object.hasOwn(EXPORTS, slug)) throw notFound('导出文件');
    const filter = this.exports.filterFor(slug, query);
    const aborted = csvDownload(res, this.exports.fileNames(slug, filter));
    await this.exports.write(slug, filter, res, aborted);
  }
}
