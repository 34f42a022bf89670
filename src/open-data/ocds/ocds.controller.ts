import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiParam, ApiResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CachedResponse } from '../../cache/cache.interceptor.js';
import { sendJson } from '../../http/conditional.js';
import { checkParams } from '../http.js';
import { ApiAfter, ApiLimit, ApiPublicRead } from '../api/api-docs.js';
import { OCDS_RELEASES_LIMIT, OcdsService } from './ocds.service.js';

@Controller('api/ocds')
export class OcdsController {
  constructor(private readonly ocds: OcdsService) {}

  /**
   * A release package, or past the end 204 No Content with `Link: <next>; rel="next"`: the same cursor, to poll
   * with until something is published. (An empty package would break the schema's minItems 1.)
   */
  @Get('releases')
  @ApiPublicRead({
    tag: 'ocds',
    summary: 'OCDS 1.1.5 发布包（每条公告一个 release，links.next 分页）',
    description:
      '按提交顺序，与变更流同一游标；从头沿 links.next 读取，每个 release 恰好出现一次。读到末尾之后返回 204（无内容），' +
      'Link 头（rel="next"）给出同一游标的地址，用它轮询即可取得之后发布的 release；有内容的页都是符合模式的发布包。' +
      '模式为 OCDS 1.1.5 发布包，含投标扩展与分页扩展（links）；官方模式原文（draft-04）见 /api/docs/ocds/release-package-schema.json。',
    schema: { $ref: '#/components/schemas/OcdsReleasePackage' },
  })
  @ApiResponse({
    status: 204,
    description: '已读到末尾：没有新的 release。Link 头给出下一次轮询的地址',
    headers: { Link: { description: '<…/api/ocds/releases?after=…>; rel="next"', schema: { type: 'string' } } },
  })
  @ApiAfter('变更游标')
  @ApiLimit(OCDS_RELEASES_LIMIT)
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
  @ApiPublicRead({
    tag: 'ocds',
    summary: 'OCDS 1.1.5 记录包（含 compiledRelease）',
    notFound: true,
    description:
      '一个交易项目（ocid）的全部 release 与合并后的 compiledRelease；模式为 OCDS 1.1.5 记录包，官方模式原文（draft-04）见 /api/docs/ocds/record-package-schema.json。',
    schema: { $ref: '#/components/schemas/OcdsRecordPackage' },
  })
  @ApiParam({
    name: 'ocid',
    description: '开放合同标识：前缀加统一交易标识码',
    example: 'ocds-dl2102-E3205810101202605001',
  })
  @CachedResponse()
  async record(
    @Param('ocid') ocid: string,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    checkParams(query, []);
    const record = await this.ocds.recordPackage(ocid);
    sendJson(req, res, record, new Date(record.publishedDate));
  }
}
