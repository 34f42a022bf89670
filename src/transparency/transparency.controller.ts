import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Clock } from '../common/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { ClockWatch, renderView, sendConditional, sendJson } from '../http/conditional.js';
import { annualReportContentPath, CANONICAL_FIELDS } from './canonical.js';
import { ApiTransparencyRead, CheckpointPageDto, LogPageDto } from './dto.js';
import { parsePaging, TransparencyService } from './transparency.service.js';

const PAGE_MAX_AGE = 60;

/** The publication log and its signed checkpoints: JSON for verifiers (conditional like all open data), and the /transparency page. */
@Controller()
export class TransparencyController {
  constructor(
    private readonly transparency: TransparencyService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('api/v1/transparency/log')
  @ApiTransparencyRead('公示日志：每次发布、更正、撤回公告和发布年度报告各一条，哈希链相连', LogPageDto)
  async log(@Req() req: Request, @Res() res: Response, @Query() query: Record<string, unknown>) {
    const paging = parsePaging(query);
    const [page, head] = await Promise.all([this.transparency.log(paging), this.transparency.head()]);
    sendJson(req, res, { ...page, head }, latestTime(head.recordedAt));
  }

  @Get('api/v1/transparency/checkpoints')
  @ApiTransparencyRead('签名检查点与公钥', CheckpointPageDto)
  async checkpoints(@Req() req: Request, @Res() res: Response, @Query() query: Record<string, unknown>) {
    const paging = parsePaging(query);
    const [page, latest, keys] = await Promise.all([
      this.transparency.checkpoints(paging),
      this.transparency.latestCheckpoint(),
      this.transparency.publicKeys(),
    ]);
    sendJson(req, res, { platform: this.config.platformCode, keys, latest, ...page }, latestTime(latest?.time ?? null));
  }

  @Get('transparency')
  async page(@Req() req: Request, @Res() res: Response) {
    const [head, checkpoints, keys, reports] = await Promise.all([
      this.transparency.head(),
      this.transparency.recentCheckpoints(10),
      this.transparency.publicKeys(),
      this.transparency.annualReportEntries(),
    ]);
    const html = await renderView(res, 'transparency/index', {
      title: '公示日志与验证',
      head,
      checkpoints,
      currentKey: keys.find((k) => k.current),
      earlierKeys: keys.filter((k) => !k.current),
      canonicalFields: CANONICAL_FIELDS,
      reportEntries: reports.map((e) => ({
        ...e,
        pageHref: `/reports/annual/${e.reportYear}`,
        contentHref: annualReportContentPath(e.reportYear!),
      })),
      baseUrl: this.config.publicBaseUrl,
      platform: this.config.platformCode,
    });
    sendConditional(req, res, html, 'html', {
      dataTime: latestTime(head.recordedAt, checkpoints[0]?.time ?? null),
      watch: new ClockWatch(this.clock.now()),
      maxAgeSeconds: PAGE_MAX_AGE,
    });
  }
}

function latestTime(...times: (string | null)[]): Date {
  return new Date(Math.max(0, ...times.filter((t): t is string => !!t).map((t) => Date.parse(t))));
}
