import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/decorators.js';
import type { OutboxStatus } from '../outbox/outbox.entity.js';
import { SyncStatusService } from './sync-status.service.js';
import { ApiFromValidation } from '../http/api-schema.js';

@ApiFromValidation()
export class OutboxQuery {
  @IsOptional() @IsString() @MaxLength(64) upstream?: string;
  @IsOptional() @IsIn(['pending', 'delivered', 'parked']) status?: OutboxStatus;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
}

/** Which change to skip (the one the pull is stalled on, as GET /api/admin/sync shows it) and why. */
@ApiFromValidation()
export class SkipChangeDto {
  @IsString() @MinLength(1) @MaxLength(80) changeId: string;
  @IsString() @MinLength(2) @MaxLength(2000) reason: string;
}

/**
 * Platform sync for staff: per upstream and peer the last success, backlog, failures and parked entries; re-drive
 * of parked entries; the skip of a change a peer's pull is stalled on.
 */
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

  @Post('peers/:name/skip')
  @HttpCode(200)
  @Roles('admin')
  skipChange(@CurrentActor() actor: Actor, @Param('name') name: string, @Body() body: SkipChangeDto) {
    return this.status.skipChange(actor, name, body);
  }
}
