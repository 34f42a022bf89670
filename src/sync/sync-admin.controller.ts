import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/decorators.js';
import type { OutboxStatus } from '../outbox/outbox.entity.js';
import { SyncStatusService } from './sync-status.service.js';
import { ApiFromValidation } from '../http/api-schema.js';
import { ApiReply } from '../http/api-reply.js';
import { OutboxEntryListDto, RedriveReplyDto, SkipReplyDto, SyncOverviewDto } from './status.dto.js';

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
  @ApiReply({ summary: '平台同步概况（上级平台推送、对等平台拉取、定时任务）', type: SyncOverviewDto })
  @Roles('reviewer', 'admin')
  overview() {
    return this.status.overview();
  }

  @Get('outbox')
  @ApiReply({ summary: '推送记录（发件箱）', type: OutboxEntryListDto, errors: [400] })
  @Roles('reviewer', 'admin')
  async outbox(@Query() q: OutboxQuery) {
    return { items: await this.status.entries(q) };
  }

  @Post('outbox/:id/redrive')
  @ApiReply({ summary: '重新推送一条已搁置的记录', type: RedriveReplyDto, errors: [400, 404, 409] })
  @HttpCode(200)
  @Roles('admin')
  redriveEntry(@CurrentActor() actor: Actor, @Param('id', ParseIntPipe) id: number) {
    return this.status.redrive(actor, { id });
  }

  @Post('upstreams/:name/redrive')
  @ApiReply({ summary: '重新推送某上级平台的全部已搁置记录', type: RedriveReplyDto, errors: [404, 409] })
  @HttpCode(200)
  @Roles('admin')
  redriveUpstream(@CurrentActor() actor: Actor, @Param('name') name: string) {
    return this.status.redrive(actor, { upstream: name });
  }

  @Post('peers/:name/skip')
  @ApiReply({
    summary: '跳过对等平台拉取停滞的那条变更',
    description: '只能跳过当前停滞的那一条；记入审计日志。',
    type: SkipReplyDto,
    errors: [400, 404, 409],
  })
  @HttpCode(200)
  @Roles('admin')
  skipChange(@CurrentActor() actor: Actor, @Param('name') name: string, @Body() body: SkipChangeDto) {
    return this.status.skipChange(actor, name, body);
  }
}
