import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EntityManager } from 'typeorm';
import { Clock } from '../common/clock.js';
import { projectRoot } from '../config/project-root.js';
import { Database } from '../database/database.js';
import { CalendarDay, CalendarYear } from './calendar.entity.js';
import { parseHolidayCsv, WorkingDayCalendar } from './domain/working-days.js';

export interface CalendarYearInput {
  year: number;
  source: string;
  days: { date: string; kind: 'holiday' | 'workday'; name: string }[];
}

/** The working-day calendar table: seeded from reference/cn-holidays.csv, then maintained by administrators. */
@Injectable()
export class CalendarService implements OnApplicationBootstrap {
  constructor(private readonly db: Database, private readonly clock: Clock) {}

  async onApplicationBootstrap() {
    if ((await this.db.manager.count(CalendarYear)) > 0) return;
    const rows = parseHolidayCsv(readFileSync(join(projectRoot(), 'reference', 'cn-holidays.csv'), 'utf8'));
    const years = [...new Set(rows.map((r) => Number(r.date.slice(0, 4))))];
    await this.db.transaction(async (em) => {
      for (const year of years) {
        const days = rows.filter((r) => r.date.startsWith(`${year}-`));
        await this.replaceYear(em, { year, source: days[0].source, days });
      }
    });
  }

  async load(em: EntityManager = this.db.manager): Promise<WorkingDayCalendar> {
    const [days, years] = await Promise.all([em.find(CalendarDay), em.find(CalendarYear)]);
    return new WorkingDayCalendar(days, years.map((y) => y.year));
  }

  async listYears() {
    const years = await this.db.manager.find(CalendarYear, { order: { year: 'ASC' } });
    const days = await this.db.manager.find(CalendarDay, { order: { date: 'ASC' } });
    return years.map((y) => ({ year: y.year, source: y.source, loadedAt: y.loadedAt, days: days.filter((d) => d.date.startsWith(`${y.year}-`)) }));
  }

  /** Loads (or reloads) one year's official arrangement; days not listed follow the week. */
  async replaceYear(em: EntityManager, input: CalendarYearInput) {
    await em.createQueryBuilder().delete().from(CalendarDay).where('date LIKE :p', { p: `${input.year}-%` }).execute();
    await em.delete(CalendarYear, { year: input.year });
    await em.insert(CalendarYear, { year: input.year, source: input.source, loadedAt: this.clock.now() });
    if (input.days.length) {
      await em.insert(CalendarDay, input.days.map((d) => ({ date: d.date, kind: d.kind, name: d.name, source: input.source })));
    }
  }
}
