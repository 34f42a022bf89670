import { Controller, HttpCode, Inject, Post, Req, Res, type RawBodyRequest } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiErrors } from '../http/error-body.js';
import { ImportResultDto, SyncMessageDto } from './dto.js';
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
  constructor(
    private readonly ingest: IngestService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @ApiTags('sync')
  @ApiOperation({
    summary: '接收其他平台（县区中心）签名推送的项目或公告',
    description:
      '同一 Idempotency-Key 的重试不会重复写入（应答带 Idempotency-Replayed: true）；内容相同的重复推送返回 present。',
  })
  @ApiSecurity('signature')
  @ApiHeader({ name: 'X-Key-Id', required: true, description: 'INGEST_KEYS 中的密钥编号' })
  @ApiHeader({
    name: 'X-Timestamp',
    required: true,
    description: 'Unix 秒，与本平台时间相差不超过 300 秒',
    schema: { type: 'string', pattern: '^\\d{1,12}$' },
  })
  @ApiHeader({
    name: 'X-Nonce',
    required: true,
    description: '一次性随机串，8 到 128 个字符',
    schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{8,128}$' },
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description: '同一消息的每次重试保持不变，1 到 160 个可见 ASCII 字符',
  })
  @ApiBody({ type: SyncMessageDto })
  @ApiResponse({
    status: 200,
    description: '已处理',
    type: ImportResultDto,
    headers: {
      'Idempotency-Replayed': {
        description: '重放：此前已处理过同一 Idempotency-Key',
        schema: { type: 'string', enum: ['true'] },
      },
    },
  })
  @ApiErrors(400, 401, 403, 413, 415, 422)
  @HttpCode(200)
  async receive(@Req() req: RawBodyRequest<Request>, @Res({ passthrough: true }) res: Response) {
    const answer = await this.ingest.receive({
      headers: req.headers,
      rawBody: req.is('application/json') ? req.rawBody : undefined,
      body: req.body,
    });
    res.setHeader('Cache-Control', 'no-store');
    if (answer.replayed) res.setHeader('Idempotent-Replayed', 'true');
    else if (this.config.sync.ingestReplyDelayMs) await sleep(this.config.sync.ingestReplyDelayMs);
    return answer.result;
  }
}
