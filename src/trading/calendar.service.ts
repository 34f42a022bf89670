import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { validationFailed } from '../http/app-error.js';
import { bumpSettingsVersion } from './settings-version.js';
import { Clock } from '../common/clock.js';
import { projectRoot } from '../config/project-root.js';
import { Database } from '../database/database.js';
import { CalendarDay, CalendarYear } from './calendar.entity.js';
import { parseHolidayCsv, WorkingDayCalendar } from '../domain/working-days.js';
import { isUniqueViolation } from '../database/dialect.js';

export interface CalendarYearInput {
  year: number;
  source: string;
  days: { date: string; kind: 'holiday' | 'workday'; name: string }[];
}

/** The working-day calendar table: seeded from reference/cn-holidays.csv, then maintained by administrators. */
@Injectable()
export class CalendarService implements OnApplicationBootstrap {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  async onApplicationBootstrap() {
    if ((await this.db.manager.count(CalendarYear)) > 0) return;
    const rows = parseHolidayCsv(readFileSync(join(projectRoot(), 'reference', 'cn-holidays.csv'), 'utf8'));
    const years = [...new Set(rows.map((r) => Number(r.date.slice(0, 4))))];
    try {
      await this.db.transaction(async (em) => {
        for (const year of years) {
          const days = rows.filter((r) => r.date.startsWith(`${year}-`));
          await this.replaceYear(em, { year, source: days[0].source, days });
        }
      });
    } catch (e) {
      // Another instance starting at the same moment loaded the calendar first: nothing is left to do.
      if (!isUniqueViolation(e) || (await this.db.manager.count(CalendarYear)) === 0) throw e;
    }
  }

  async load(em: EntityManager = this.db.manager): Promise<WorkingDayCalendar> {
    const [days, years] = await Promise.all([em.find(CalendarDay), em.find(CalendarYear)]);
    return new WorkingDayCalendar(
      days,
      years.map((y) => y.year),
    );
  }

  async listYears() {
    const years = await this.db.manager.find(CalendarYear, { order: { year: 'ASC' } });
    const days = await this.db.manager.find(CalendarDay, { order: { date: 'ASC' } });
    return years.map((y) => ({
      year: y.year,
      source: y.source,
      loadedAt: y.loadedAt,
      days: days.filter((d) => d.date.startsWith(`${y.year}-`)),
    }));
  }

  /** An administrator loads (or reloads) a year's official arrangement: checked, then audited. */
  async loadYear(actor: Actor, input: CalendarYearInput) {
    if (!Number.isInteger(input.year) || input.year < 2000 || input.year > 2100)
      throw validationFailed([{ field: 'year', message: '年份应在 2000 到 2100 之间' }]);
    const wrong = input.days.findIndex((d) => !d.date.startsWith(`${input.year}-`));
    if (wrong >= 0) throw validationFailed([{ field: `days[${wrong}].date`, message: `日期不在 ${input.year} 年内` }]);
    const dates = input.days.map((d) => d.date);
    if (new Set(dates).size !== dates.length) throw validationFailed([{ field: 'days', message: '日期不能重复' }]);
    const days = input.days.map(({ date, kind, name }) => ({ date, kind, name }));
    await this.db.transaction(async (em) => {
      await this.replaceYear(em, { ...input, days });
      await this.audit.record(em, actor, 'calendar.replace-year', 'calendar-year', String(input.year), null, {
        ...input,
        days,
      });
    });
  }

  /** Loads (or reloads) one year's official arrangement; days not listed follow the week. */
  async replaceYear(em: EntityManager, input: CalendarYearInput) {
    await bumpSettingsVersion(this.db, em);
    await em
      .createQueryBuilder()
      .delete()
      .from(CalendarDay)
      .where('date LIKE :p', { p: `${input.year}-%` })
      .execute();
    await em.delete(CalendarYear, { year: input.year });
    await em.insert(CalendarYear, { year: input.year, source: input.source, loadedAt: this.clock.now() });
    if (input.days.length) {
      await em.insert(
        CalendarDay,
        input.days.map((d) => ({ date: d.date, kind: d.kind, name: d.name, source: input.source })),
      );
    }
  }
}
