import { applyDecorators } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../http/error-body.js';
import { MAX_PAGE } from './transparency.service.js';

/** The publication log and checkpoints as JSON (transparency.service.ts views), for the API description. */
const HASH = { pattern: '^[0-9a-f]{64}$' } as const;
const TIME = { format: 'date-time', description: 'ISO 8601 北京时间（+08:00）' } as const;

export class LogEntryDto {
  @ApiProperty({ type: 'integer', example: 42 }) seq: number;
  @ApiProperty({
    enum: ['publication', 'correction', 'withdrawal', 'annual-report'],
    description: '发布、更正、撤回公告；annual-report 为发布政府信息公开工作年度报告（不进入变更流、OCDS 和推送）',
  })
  kind: string;
  @ApiProperty({ type: 'string', nullable: true, description: '公告编号；年度报告条目为 null' }) noticeId:
    string | null;
  @ApiProperty({ type: 'string', nullable: true, description: '项目编号；年度报告条目为 null' }) projectId:
    string | null;
  @ApiProperty({
    type: 'integer',
    required: false,
    example: 2025,
    description: '仅年度报告条目：报告年度，其冻结的规范 JSON 在 /reports/annual/{reportYear}.json',
  })
  reportYear?: number;
  @ApiProperty(TIME) recordedAt: string;
  @ApiProperty({
    ...HASH,
    description: '公告规范内容的 SHA-256；年度报告条目为报告冻结的规范 JSON 的 SHA-256',
  })
  contentHash: string;
  @ApiProperty({ ...HASH, description: '上一条的 entryHash（第一条为 64 个 0）' }) prevHash: string;
  @ApiProperty(HASH) entryHash: string;
}

export class LogHeadDto {
  @ApiProperty({ type: 'integer' }) seq: number;
  @ApiProperty({ description: '最后一条的 entryHash' }) hash: string;
  @ApiProperty({ ...TIME, type: 'string', nullable: true }) recordedAt: string | null;
}

export class LogPageDto {
  @ApiProperty({ type: [LogEntryDto] }) items: LogEntryDto[];
  @ApiProperty({ type: 'integer', description: '下一页的 after（空页时不变）' }) next: number;
  @ApiProperty({ type: LogHeadDto }) head: LogHeadDto;
}

export class CheckpointDto {
  @ApiProperty({ type: 'integer' }) seq: number;
  @ApiProperty(HASH) hash: string;
  @ApiProperty(TIME) time: string;
  @ApiProperty({ example: 'DL2102' }) platform: string;
  @ApiProperty() keyFingerprint: string;
  @ApiProperty({ description: 'Ed25519 签名（base64）' }) signature: string;
}

export class PublicKeyDto {
  @ApiProperty() fingerprint: string;
  @ApiProperty({ enum: ['Ed25519'] }) algorithm: string;
  @ApiProperty({ example: '-----BEGIN PUBLIC KEY-----\n…\n-----END PUBLIC KEY-----\n' }) publicKeyPem: string;
  @ApiProperty({ description: '是否为当前签名密钥' }) current: boolean;
  @ApiProperty(TIME) since: string;
}

export class CheckpointPageDto {
  @ApiProperty({ example: 'DL2102' }) platform: string;
  @ApiProperty({ type: [PublicKeyDto] }) keys: PublicKeyDto[];
  @ApiProperty({ type: CheckpointDto, nullable: true, description: '最新的检查点' }) latest: CheckpointDto | null;
  @ApiProperty({ type: [CheckpointDto] }) items: CheckpointDto[];
  @ApiProperty({ type: 'integer', description: '下一页的 after（空页时不变）' }) next: number;
}

export const ApiTransparencyRead = (summary: string, type: new () => object) =>
  applyDecorators(
    ApiTags('transparency'),
    ApiOperation({ summary }),
    ApiQuery({
      name: 'after',
      required: false,
      description: '序号，返回其后的条目；默认 0',
      schema: { type: 'integer', minimum: 0, default: 0 },
    }),
    ApiQuery({
      name: 'limit',
      required: false,
      description: `每页条数，1 到 ${MAX_PAGE}`,
      schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE, default: 100 },
    }),
    ApiResponse({ status: 200, description: '成功', type }),
    ApiResponse({ status: 304, description: '未修改（If-None-Match / If-Modified-Since）' }),
    ApiErrors(400, 429),
  );
