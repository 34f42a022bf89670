import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { chinaDateTimeIso } from '../../domain/china-time.js';
import { notModified, sendJson, weakEtag } from '../../http/conditional.js';
import { checkParams } from '../http.js';
import { OpenDataReadService } from '../open-data-read.service.js';
import { ApiPublicRead } from '../api/api-docs.js';
import { BulkService, type BulkFileInfo } from './bulk.service.js';
import { BulkManifestDto } from './dto.js';

const DESCRIPTIONS: Record<BulkFileInfo['kind'], string> = {
  changes: '当日变更流（gzip 压缩的 JSON Lines，每行一条，与 /api/v1/changes 的条目相同）',
  notices: '当日发布的公告（gzip 压缩的 CSV，列同 /exports/notices.csv）',
};

@Controller('bulk')
export class BulkController {
  constructor(
    private readonly bulk: BulkService,
    private readonly read: OpenDataReadService,
  ) {}

  private manifest(files: BulkFileInfo[]) {
    const base = this.read.links.baseUrl;
    return {
      description: '每日批量文件：一个北京时间日一组，当日结束后生成，此后永不改变。sha256 为所下载字节的摘要。',
      files: files.map((f) => ({
        name: f.name,
        day: f.day,
        kind: f.kind,
        description: DESCRIPTIONS[f.kind],
        url: `${base}/bulk/${f.name}`,
        contentType: f.contentType,
        size: f.size,
        sha256: f.sha256,
        items: f.items,
        createdAt: chinaDateTimeIso(f.createdAt),
      })),
    };
  }

  @Get()
  @ApiPublicRead({ tag: 'bulk', summary: '每日批量文件列表（HTML）', produces: 'text/html' })
  async index(@Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    checkParams(query, []);
    const files = await this.bulk.list();
    if (notModified(req, res, weakEtag(`html|${files.length}|${files[0]?.name ?? ''}`), files[0]?.createdAt ?? null))
      return;
    res.render('exports/bulk', { title: '批量下载', ...this.manifest(files) });
  }

  @Get('manifest.json')
  @ApiPublicRead({ tag: 'bulk', summary: '每日批量文件清单：大小与 sha256', type: BulkManifestDto })
  async manifestJson(@Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    checkParams(query, []);
    const files = await this.bulk.list();
    sendJson(req, res, this.manifest(files), files[0]?.createdAt ?? null);
  }

  @Get(':name')
  @ApiPublicRead({ tag: 'bulk', summary: '一个每日批量文件（gzip）', produces: 'application/gzip', notFound: true })
  async download(
    @Param('name') name: string,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    checkParams(query, []);
    const file = await this.bulk.file(name);
    res.setHeader('Content-Disposition', `attachment; filename="${file.name}"`);
    if (notModified(req, res, `"${file.sha256}"`, file.createdAt)) return;
    // A finished day never changes: cache it for good.
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    res.type(file.contentType).send(file.bytes);
  }
}
