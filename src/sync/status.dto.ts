import { ApiProperty } from '@nestjs/swagger';
import { UPSTREAM_FORMATS } from '../config/config.js';

/** What staff see of platform sync (sync-status.service.ts), as response classes for the API description. */
const TIME = {
  type: 'string',
  format: 'date-time',
  description: 'ISO 8601 北京时间（+08:00）',
  example: '2026-05-20T09:30:00+08:00',
} as const;
const TIME_OR_NULL = { ...TIME, nullable: true } as const;
const KINDS = { description: '变更类型', example: 'publication' } as const;

export class OutboxEntryDto {
  @ApiProperty({ type: 'integer', example: 318 }) id: number;
  @ApiProperty({ description: '上级平台名称（UPSTREAMS）', example: 'province' }) upstream: string;
  @ApiProperty({ description: 'publication / correction / withdrawal / project', example: 'publication' }) kind: string;
  @ApiProperty({ example: 'P20260518100000abcdefgh' }) projectId: string;
  @ApiProperty({ type: 'string', nullable: true, example: 'N20260520093000abcdefgh' }) noticeId: string | null;
  @ApiProperty({ type: 'integer', description: '公示日志序号', example: 42 }) logSeq: number;
  @ApiProperty({ description: '推送时的 Idempotency-Key' }) idempotencyKey: string;
  @ApiProperty({
    enum: ['pending', 'delivered', 'parked'],
    description: 'pending 待推送；delivered 已送达；parked 已搁置（需人工重新推送）',
  })
  status: string;
  @ApiProperty({ type: 'integer', description: '已尝试次数', example: 0 }) attempts: number;
  @ApiProperty({ ...TIME_OR_NULL, description: '下次尝试时间（仅 pending）' }) nextAttemptAt: string | null;
  @ApiProperty(TIME_OR_NULL) lastAttemptAt: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: '上级平台返回 503' }) lastError: string | null;
  @ApiProperty({ type: 'string', nullable: true, description: '无需发送的说明（如演示数据不上报）' })
  note: string | null;
  @ApiProperty(TIME) createdAt: string;
  @ApiProperty(TIME_OR_NULL) deliveredAt: string | null;
  @ApiProperty(TIME_OR_NULL) parkedAt: string | null;
}

export class OutboxEntryListDto {
  @ApiProperty({ type: [OutboxEntryDto], description: '按编号排序' }) items: OutboxEntryDto[];
}

export class UpstreamErrorDto {
  @ApiProperty(TIME_OR_NULL) at: string | null;
  @ApiProperty({ type: 'integer' }) entryId: number;
  @ApiProperty({ type: 'string', nullable: true, example: '连接被拒绝' }) message: string | null;
}

export class UpstreamStatusDto {
  @ApiProperty({ example: 'province' }) name: string;
  @ApiProperty({ type: 'string', nullable: true, description: '上级平台的接收地址；已从配置中移除时为 null' })
  url: string | null;
  @ApiProperty({
    type: 'string',
    enum: UPSTREAM_FORMATS,
    nullable: true,
    description: '推送格式；已从配置中移除时为 null',
  })
  format: string | null;
  @ApiProperty({ description: '是否仍在 UPSTREAMS 中' }) configured: boolean;
  @ApiProperty({ ...TIME_OR_NULL, description: '最近一次送达（上级平台确认）的时间' }) lastSuccessAt: string | null;
  @ApiProperty({ type: 'integer', description: '已送达条数' }) delivered: number;
  @ApiProperty({ type: 'integer', description: '无需发送的条数（见 note）' }) notSent: number;
  @ApiProperty({ type: 'integer', description: '待推送条数' }) backlog: number;
  @ApiProperty(TIME_OR_NULL) oldestPendingAt: string | null;
  @ApiProperty({ type: 'integer', description: '待推送中已失败过的条数' }) failing: number;
  @ApiProperty({ type: UpstreamErrorDto, nullable: true }) lastError: UpstreamErrorDto | null;
  @ApiProperty({ type: 'integer', description: '已搁置条数' }) parked: number;
  @ApiProperty({ type: [OutboxEntryDto], description: '已搁置的推送（最多 50 条）' }) parkedEntries: OutboxEntryDto[];
}

export class StalledChangeDto {
  @ApiProperty({ description: '被拒绝的变更编号（跳过时填写）' }) changeId: string;
  @ApiProperty({ type: 'integer', nullable: true }) seq: number | null;
  @ApiProperty({ type: 'string', nullable: true, ...KINDS }) kind: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: '公告所属项目不存在' }) error: string | null;
  @ApiProperty(TIME_OR_NULL) since: string | null;
}

export class PeerStatusDto {
  @ApiProperty({ example: 'province' }) name: string;
  @ApiProperty({ format: 'uri', description: '对等平台的变更流地址' }) url: string;
  @ApiProperty({ type: 'string', nullable: true, description: '拉取位置（不透明）' }) cursor: string | null;
  @ApiProperty({ type: 'integer', description: '已应用的变更数' }) applied: number;
  @ApiProperty(TIME_OR_NULL) lastSuccessAt: string | null;
  @ApiProperty(TIME_OR_NULL) lastAttemptAt: string | null;
  @ApiProperty({ type: 'integer', description: '连续失败次数' }) failures: number;
  @ApiProperty({ type: 'string', nullable: true }) lastError: string | null;
  @ApiProperty({ type: StalledChangeDto, nullable: true, description: '拉取停滞在被拒绝的变更上时给出' })
  stalled: StalledChangeDto | null;
}

export class SkippedChangeDto {
  @ApiProperty({ type: 'integer' }) id: number;
  @ApiProperty({ example: 'province' }) peer: string;
  @ApiProperty() changeId: string;
  @ApiProperty({ type: 'integer', nullable: true }) seq: number | null;
  @ApiProperty({ type: 'string', nullable: true, ...KINDS }) kind: string | null;
  @ApiProperty({ type: 'string', nullable: true, description: '跳过时的拉取位置' }) cursor: string | null;
  @ApiProperty({ description: '被拒绝的原因', example: '公告所属项目不存在' }) error: string;
  @ApiProperty({ description: '跳过的理由（记入审计日志）', example: '该公告已由县级平台撤回，经电话核实后跳过' })
  reason: string;
  @ApiProperty({ description: '操作人登录名', example: 'admin' }) skippedBy: string;
  @ApiProperty(TIME) skippedAt: string;
  @ApiProperty({ ...TIME_OR_NULL, description: '拉取越过该变更的时间' }) passedAt: string | null;
}

export class JobLeaseDto {
  @ApiProperty({ description: '定时任务', example: 'relay' }) name: string;
  @ApiProperty({ description: '持有租约的实例' }) holder: string;
  @ApiProperty(TIME_OR_NULL) expiresAt: string | null;
  @ApiProperty({ description: '是否为响应本请求的实例' }) thisInstance: boolean;
}

export class IngestKeyDto {
  @ApiProperty({ example: 'county-wfd' }) keyId: string;
  @ApiProperty({ description: '持有该密钥的平台标识码', example: 'WFD' }) platformCode: string;
  @ApiProperty({ type: [String], description: '该平台可转推的其他平台标识码（"*" 为任意）', example: [] })
  relays: string[];
}

export class SyncOverviewDto {
  @ApiProperty({ description: '本平台标识码', example: 'DL2102' }) platform: string;
  @ApiProperty({ type: [UpstreamStatusDto], description: '上级平台（推送）' }) upstreams: UpstreamStatusDto[];
  @ApiProperty({ type: [PeerStatusDto], description: '对等平台（拉取）' }) peers: PeerStatusDto[];
  @ApiProperty({ type: [SkippedChangeDto], description: '最近跳过的变更（最多 50 条）' })
  skippedChanges: SkippedChangeDto[];
  @ApiProperty({ type: [JobLeaseDto], description: '定时任务的租约' }) jobs: JobLeaseDto[];
  @ApiProperty({ type: [IngestKeyDto], description: '允许向本平台推送的密钥（不含密钥本身）' })
  ingestKeys: IngestKeyDto[];
}

export class RedriveReplyDto {
  @ApiProperty({ type: 'integer', isArray: true, description: '重新进入待推送的记录编号', example: [318, 319] })
  redriven: number[];
}

export class SkipReplyDto {
  @ApiProperty({ type: SkippedChangeDto }) skipped: SkippedChangeDto;
}
