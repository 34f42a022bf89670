import { addDays, chinaDate, dayOfWeek, parseDateTimeInput } from '../domain/china-time.js';
import { DomainError } from '../domain/errors.js';
import type { PeriodUnit, WorkingDayCalendar } from '../domain/working-days.js';
import type { Random } from './random.js';

/**
 * Each calendar's answers for the days asked so far: a benchmark's fill asks about the same days of ten years some
 * millions of times (a calendar's days do not change once it is built).
 */
const answers = new WeakMap<WorkingDayCalendar, Map<string, boolean>>();

/**
 * Day arithmetic for the demo timelines, in China dates relative to "today". Periods are counted exactly as
 * the timing rules count them (WorkingDayCalendar.periodEnd), so the data is lawful by construction; a year
 * the calendar lacks falls back to Monday–Friday, since the seeder must work whenever it runs.
 */
export class DemoDays {
  readonly today: string;

  constructor(
    now: Date,
    private readonly calendar: WorkingDayCalendar,
  ) {
    this.today = chinaDate(now);
  }

  /** Today plus `n` calendar days. */
  day(n: number): string {
    return addDays(this.today, n);
  }

  isWorkingDay(date: string): boolean {
    let known = answers.get(this.calendar);
    if (!known) answers.set(this.calendar, (known = new Map()));
    let working = known.get(date);
    if (working === undefined) known.set(date, (working = this.workingDay(date)));
    return working;
  }

  private workingDay(date: string): boolean {
    try {
      return this.calendar.isWorkingDay(date);
    } catch (e) {
      if (!(e instanceof DomainError) || e.code !== 'calendar.year-missing') throw e;
      const dow = dayOfWeek(date);
      return dow !== 0 && dow !== 6;
    }
  }

  onOrAfter(date: string): string {
    while (!this.isWorkingDay(date)) date = addDays(date, 1);
    return date;
  }

  onOrBefore(date: string): string {
    while (!this.isWorkingDay(date)) date = addDays(date, -1);
    return date;
  }

  /** The n-th working day after `date` (n ≥ 0). */
  addWorkingDays(date: string, n: number): string {
    for (let left = n; left > 0;) {
      date = addDays(date, 1);
      if (this.isWorkingDay(date)) left--;
    }
    return date;
  }

  /** Same as WorkingDayCalendar.periodEnd: the last day of a period that starts counting the day after `date`. */
  periodEnd(date: string, amount: number, unit: PeriodUnit): string {
    return unit === 'working-days' ? this.addWorkingDays(date, amount) : this.onOrAfter(addDays(date, amount));
  }

  /** The latest working day from which a period of `amount` still ends on or before `deadline`. */
  latestStart(deadline: string, amount: number, unit: PeriodUnit): string {
    let start = this.onOrBefore(addDays(deadline, -1));
    while (this.periodEnd(start, amount, unit) > deadline) start = this.onOrBefore(addDays(start, -1));
    return start;
  }

  /** The last day on which demo notices are published: the working day before today. */
  get lastPublicationDay(): string {
    return this.onOrBefore(this.day(-1));
  }

  /** `date` moved back, if need be, to a day that is already over. */
  clampToPast(date: string): string {
    return date <= this.lastPublicationDay ? date : this.lastPublicationDay;
  }

  /** An instant from a China date and a wall-clock time 'HH:MM'. */
  at(date: string, time: string): Date {
    return parseDateTimeInput(`${date}T${time}+08:00`);
  }

  /** ISO 8601 with the +08:00 offset, as notice details store times. */
  iso(date: string, time: string): string {
    return `${date}T${time}:00+08:00`;
  }
}

const MORNING = ['08:30', '08:50', '09:05', '09:20', '09:40', '10:10', '10:35', '11:00', '11:25'];
const AFTERNOON = ['13:40', '14:05', '14:30', '15:00', '15:20', '15:45', '16:10', '16:35', '17:00'];

/** A time within office hours at which a clerk publishes. */
export function officeTime(rng: Random, part: 'morning' | 'afternoon' | 'any' = 'any'): string {
  return rng.pick(part === 'morning' ? MORNING : part === 'afternoon' ? AFTERNOON : [...MORNING, ...AFTERNOON]);
}

/** A wall-clock time 'HH:MM' plus some minutes (same day). */
export function laterBy(time: string, minutes: number): string {
  const [h, m] = time.split(':').map(Number);
  const total = h * 60 + m + minutes;
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}
