import { Body, Controller, Get, Param, ParseIntPipe, Patch, Put } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/decorators.js';
import { Clock } from '../common/clock.js';
import { Database } from '../database/database.js';
import { notFound, validationFailed } from '../http/app-error.js';
import { CalendarService } from '../trading/calendar.service.js';
import { TimingRulesService } from '../trading/timing-rules.service.js';
import { CalendarYearDto, UpdateTimingRuleDto } from './rules.dto.js';

/** Administrators maintain the timing rules and the working-day calendar without a code change. */
@Controller('api/admin')
export class RulesAdminController {
  constructor(
    private readonly db: Database,
    private readonly rules: TimingRulesService,
    private readonly calendar: CalendarService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  @Get('timing-rules')
  @Roles('clerk', 'reviewer', 'admin')
  async list() {
    return { items: await this.rules.all() };
  }

  @Patch('timing-rules/:code')
  @Roles('admin')
  async update(@CurrentActor() actor: Actor, @Param('code') code: string, @Body() dto: UpdateTimingRuleDto) {
    return this.db.transaction(async (em) => {
      const row = await this.rules.find(em, code);
      if (!row) throw notFound('时限规则');
      const before = { ...row };
      Object.assign(row, dto, { updatedAt: this.clock.now() });
      await em.save(row);
      await this.audit.record(em, actor, 'timing-rule.update', 'timing-rule', code, before, row);
      return row;
    });
  }

  @Get('calendar')
  @Roles('clerk', 'reviewer', 'admin')
  async years() {
    return { items: await this.calendar.listYears() };
  }

  /** Loads or replaces one year's official holiday arrangement. */
  @Put('calendar/:year')
  @Roles('admin')
  async putYear(@CurrentActor() actor: Actor, @Param('year', new ParseIntPipe({ exceptionFactory: () => validationFailed([{ field: 'year', message: '年份应为数字' }]) })) year: number, @Body() dto: CalendarYearDto) {
    if (year < 2000 || year > 2100) throw validationFailed([{ field: 'year', message: '年份应在 2000 到 2100 之间' }]);
    const wrong = dto.days.findIndex((d) => !d.date.startsWith(`${year}-`));
    if (wrong >= 0) throw validationFailed([{ field: `days[${wrong}].date`, message: `日期不在 ${year} 年内` }]);
    const dates = dto.days.map((d) => d.date);
    if (new Set(dates).size !== dates.length) throw validationFailed([{ field: 'days', message: '日期不能重复' }]);
    await this.db.transaction(async (em) => {
      await this.calendar.replaceYear(em, { year, source: dto.source, days: dto.days });
      await this.audit.record(em, actor, 'calendar.replace-year', 'calendar-year', String(year), null, dto);
    });
    return (await this.calendar.listYears()).find((y) => y.year === year);
  }
}
