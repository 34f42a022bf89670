import { Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/decorators.js';
import type { OutboxStatus } from './outbox.entity.js';
import { SyncStatusService } from './sync-status.service.js';

export class OutboxQuery {
  @IsOptional() @IsString() @MaxLength(64) upstream?: string;
  @IsOptional() @IsIn(['pending', 'delivered', 'parked']) status?: OutboxStatus;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
}

/** Platform sync for staff: per upstream and peer the last success, backlog, failures and parked entries; re-drive. */
@Controller('api/admin/sync')
export class SyncAdminController {
  constructor(private readonly status: SyncStatusService) {}

  @Get()
  @Roles('reviewer', 'admin')
  overview() {
    return this.status.overview();
  }

  @Get('outbox')
  @Roles('reviewer', 'admin')
  async outbox(@Query() q: OutboxQuery) {
    return { items: await this.status.entries(q) };
  }

  @Post('outbox/:id/redrive')
  @HttpCode(200)
  @Roles('admin')
  redriveEntry(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    return this.status.redrive(actor, { id });
  }

  @Post('upstreams/:name/redrive')
  @HttpCode(200)
  @Roles('admin')
  redriveUpstream(@CurrentActor() actor: Actor, @Param('name') name: string) {
    return this.status.redrive(actor, { upstream: name });
  }
}
