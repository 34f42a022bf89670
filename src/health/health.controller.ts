import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ResponseCache } from '../cache/response-cache.js';
import { Database } from '../database/database.js';

export class HealthDto {
  @ApiProperty({ enum: ['ok', 'unavailable'] }) status: string;
  @ApiProperty({ enum: ['up', 'down'] }) database: string;
  @ApiProperty({ enum: ['sqlite', 'mysql'] }) dialect: string;
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly db: Database, private readonly cache: ResponseCache) {}

  /** 200 when the app and its database answer, 503 otherwise (for load balancers and operators); with the response cache's counters. */
  @Get()
  @ApiOperation({ summary: '健康检查（负载均衡与运维）' })
  @ApiResponse({ status: 200, description: '应用与数据库正常', type: HealthDto })
  @ApiResponse({ status: 503, description: '数据库不可用', type: HealthDto })
  async health(@Res() res: Response) {
    const database = await this.db.ping();
    res.setHeader('Cache-Control', 'no-store');
    res.status(database ? 200 : 503).json({ status: database ? 'ok' : 'unavailable', database: database ? 'up' : 'down', dialect: this.db.dialect, cache: this.cache.stats() });
  }
}
