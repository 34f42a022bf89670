import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ResponseCache } from '../cache/response-cache.js';
import { Database } from '../database/database.js';

export class CacheStatsDto {
  @ApiProperty({ description: '是否启用响应缓存（CACHE_ENABLED）' }) enabled: boolean;
  @ApiProperty({ type: 'integer', description: '由内存直接应答的请求（含 304）' }) hits: number;
  @ApiProperty({ type: 'integer', description: '其中以 304 应答的' }) notModified: number;
  @ApiProperty({ type: 'integer', description: '需重新生成的请求' }) misses: number;
  @ApiProperty({
    type: 'integer',
    description: '其中已缓存的响应因发布、设置变更或时间推移而过期的（其余为首次请求或被淘汰的）',
  })
  staleMisses: number;
  @ApiProperty({ type: 'integer', description: '不经缓存的请求（工作人员、深页、搜索）' }) passes: number;
  @ApiProperty({ type: 'integer', description: '生成后未缓存的：生成期间已有新发布（版本已前移）' })
  unkeptNewerVersion: number;
  @ApiProperty({ type: 'integer', description: '生成后未缓存的：生成结束时其内容已随时间失效' })
  unkeptExpired: number;
  @ApiProperty({ type: 'number', nullable: true, description: '命中率 hits / (hits + misses + passes)' })
  hitRate: number | null;
  @ApiProperty({ type: 'integer' }) entries: number;
  @ApiProperty({ type: 'integer' }) bytes: number;
  @ApiProperty({ type: 'integer', description: 'CACHE_MAX_BYTES' }) maxBytes: number;
  @ApiProperty({ type: 'integer' }) evictions: number;
}

export class HealthDto {
  @ApiProperty({ enum: ['ok', 'unavailable'] }) status: string;
  @ApiProperty({ enum: ['up', 'down'] }) database: string;
  @ApiProperty({ enum: ['sqlite', 'mysql'] }) dialect: string;
  @ApiProperty({ type: CacheStatsDto, description: '本实例响应缓存的计数' }) cache: CacheStatsDto;
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly db: Database,
    private readonly cache: ResponseCache,
  ) {}

  /** 200 when the app and its database answer, 503 otherwise (for load balancers and operators); with the response cache's counters. */
  @Get()
  @ApiOperation({ summary: '健康检查（负载均衡与运维）' })
  @ApiResponse({ status: 200, description: '应用与数据库正常', type: HealthDto })
  @ApiResponse({ status: 503, description: '数据库不可用', type: HealthDto })
  async health(@Res() res: Response) {
    const database = await this.db.ping();
    res.setHeader('Cache-Control', 'no-store');
    res.status(database ? 200 : 503).json({
      status: database ? 'ok' : 'unavailable',
      database: database ? 'up' : 'down',
      dialect: this.db.dialect,
      cache: this.cache.stats(),
    });
  }
}
