import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ResponseCache } from '../cache/response-cache.js';
import { Database } from '../database/database.js';

@Controller('health')
export class HealthController {
  constructor(private readonly db: Database, private readonly cache: ResponseCache) {}

  /** 200 when the app and its database answer, 503 otherwise (for load balancers and operators); with the response cache's counters. */
  @Get()
  async health(@Res() res: Response) {
    const database = await this.db.ping();
    res.setHeader('Cache-Control', 'no-store');
    res.status(database ? 200 : 503).json({ status: database ? 'ok' : 'unavailable', database: database ? 'up' : 'down', dialect: this.db.dialect, cache: this.cache.stats() });
  }
}
