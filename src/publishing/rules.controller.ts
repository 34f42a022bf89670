import { Body, Controller, Get, Param, ParseIntPipe, Patch, Put } from '@nestjs/common';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/decorators.js';
import { ApiReply } from '../http/api-reply.js';
import { validationFailed } from '../http/app-error.js';
import { chinaDateTimeIso } from '../domain/china-time.js';
import { CalendarService } from '../trading/calendar.service.js';
import { TimingRulesService, toRule } from '../trading/timing-rules.service.js';
import { CalendarYearDto, UpdateTimingRuleDto } from './rules.dto.js';
import { CalendarYearListDto, CalendarYearViewDto, TimingRuleListDto, UpdatedTimingRuleDto } from './views.dto.js';

/** Times in the staff API carry +08:00, as everywhere else (views.ts). */
const yearView = (y: Awaited<ReturnType<CalendarService['listYears']>>[number]) => ({
  year: y.year,
  source: y.source,
  loadedAt: chinaDateTimeIso(y.loadedAt),
  days: y.days.map(({ date, kind, name, source }) => ({ date, kind, name, source })),
});

/** Administrators maintain the timing rules and the working-day calendar without a code change. */
@Controller()
export class RulesAdminController {
  constructor(
    private readonly rules: TimingRulesService,
    private readonly calendar: CalendarService,
  ) {}

  @Get('api/admin/timing-rules')
  @ApiReply({ summary: '法定时限规则列表', type: TimingRuleListDto })
  @Roles('clerk', 'reviewer', 'admin')
  async list() {
    return { items: await this.rules.all() };
  }

  @Patch('api/admin/timing-rules/:code')
  @ApiReply({ summary: '修改时限规则（天数、单位、比较方式、启用）', type: UpdatedTimingRuleDto, errors: [400, 404] })
  @Roles('admin')
  async update(@CurrentActor() actor: Actor, @Param('code') code: string, @Body() dto: UpdateTimingRuleDto) {
    const row = await this.rules.update(actor, code, dto);
    return { ...toRule(row), updatedAt: chinaDateTimeIso(row.updatedAt) };
  }

  @Get('api/admin/calendar')
  @ApiReply({ summary: '工作日历（已载入的年度放假安排）', type: CalendarYearListDto })
  @Roles('clerk', 'reviewer', 'admin')
  async years() {
    return { items: (await this.calendar.listYears()).map(yearView) };
  }

  /** Loads or replaces one year's official holiday arrangement. */
  @Put('api/admin/calendar/:year')
  @ApiReply({ summary: '载入或替换一年的放假安排', type: CalendarYearViewDto, errors: [400] })
  @Roles('admin')
  async putYear(
    @CurrentActor() actor: Actor,
    @Param(
      'year',
      new ParseIntPipe({ exceptionFactory: () => validationFailed([{ field: 'year', message: '年份应为数字' }]) }),
    )
    year: number,
    @Body() dto: CalendarYearDto,
  ) {
    await this.calendar.loadYear(actor, { year, source: dto.source, days: dto.days });
    return yearView((await this.calendar.listYears()).find((y) => y.year === year)!);
  }
}
