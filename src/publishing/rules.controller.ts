import { Body, Controller, Get, Param, ParseIntPipe, Patch, Put } from '@nestjs/common';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/decorators.js';
import { validationFailed } from '../http/app-error.js';
import { CalendarService } from '../trading/calendar.service.js';
import { TimingRulesService } from '../trading/timing-rules.service.js';
import { CalendarYearDto, UpdateTimingRuleDto } from './rules.dto.js';

/** Administrators maintain the timing rules and the working-day calendar without a code change. */
@Controller()
export class RulesAdminController {
  constructor(
    private readonly rules: TimingRulesService,
    private readonly calendar: CalendarService,
  ) {}

  @Get('api/admin/timing-rules')
  @Roles('clerk', 'reviewer', 'admin')
  async list() {
    return { items: await this.rules.all() };
  }

  @Patch('api/admin/timing-rules/:code')
  @Roles('admin')
  async update(@CurrentActor() actor: Actor, @Param('code') code: string, @Body() dto: UpdateTimingRuleDto) {
    return this.rules.update(actor, code, dto);
  }

  @Get('api/admin/calendar')
  @Roles('clerk', 'reviewer', 'admin')
  async years() {
    return { items: await this.calendar.listYears() };
  }

  /** Loads or replaces one year's official holiday arrangement. */
  @Put('api/admin/calendar/:year')
  @Roles('admin')
  async putYear(@CurrentActor() actor: Actor, @Param('year', new ParseIntPipe({ exceptionFactory: () => validationFailed([{ field: 'year', message: '年份应为数字' }]) })) year: number, @Body() dto: CalendarYearDto) {
    await this.calendar.loadYear(actor, { year, source: dto.source, days: dto.days });
    return (await this.calendar.listYears()).find((y) => y.year === year);
  }

}
