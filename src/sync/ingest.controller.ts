import { Controller, HttpCode, Inject, Post, Req, Res, type RawBodyRequest } from '@nestjs/common';
import type { Request, Response } from 'express';
import { setTimeout as sleep } from 'node:timers/promises';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { IngestService } from './ingest.service.js';

/**
 * POST /api/v1/ingest: where county centers (and any platform holding a key in INGEST_KEYS) push records. Not a
 * staff route: the request signature is its authentication (see IngestService).
 */
@Controller('api/v1/ingest')
export class IngestController {
  constructor(private readonly ingest: IngestService, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Post()
  @HttpCode(200)
  async receive(@Req() req: RawBodyRequest<Request>, @Res({ passthrough: true }) res: Response) {
    const answer = await this.ingest.receive({ headers: req.headers, rawBody: req.is('application/json') ? req.rawBody : undefined, body: req.body });
    res.setHeader('Cache-Control', 'no-store');
    if (answer.replayed) res.setHeader('Idempotent-Replayed', 'true');
    else if (this.config.sync.ingestReplyDelayMs) await sleep(this.config.sync.ingestReplyDelayMs);
    return answer.result;
  }
}
