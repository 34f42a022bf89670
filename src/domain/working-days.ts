import { addDays, dayOfWeek, isValidChinaDate } from './china-time.js';
import { DomainError } from './errors.js';

/** 'workday' is a weekend day made a working day (调休上班). */
export type CalendarDayKind = 'holiday' | 'workday';
export type PeriodUnit = 'calendar-days' | 'working-days';

/**
 * The official working-day calendar: Monday–Friday work and weekends rest unless the State Council's yearly
 * notice says otherwise. A year whose notice is not loaded is refused rather than guessed, because a deadline
 * computed on a guessed calendar can be unlawful.
 */
export class WorkingDayCalendar {
  private readonly kinds = new Map<string, CalendarDayKind>();
  private readonly years: Set<number>;

  constructor(days: { date: string; kind: CalendarDayKind }[], loadedYears: number[]) {
    for (const day of days) this.kinds.set(day.date, day.kind);
    this.years = new Set(loadedYears);
  }

  hasYear(y: number): boolean {
    return this.years.has(y);
  }

  isWorkingDay(date: string): boolean {
    if (!isValidChinaDate(date)) {
      throw new DomainError('datetime.invalid', `日期格式不正确：“${date}”`, { value: date });
    }
    const year = Number(date.slice(0, 4));
    if (!this.years.has(year)) {
      throw new DomainError(
        'calendar.year-missing',
        `节假日日历缺少 ${year} 年的数据，请管理员先导入该年度的国务院办公厅放假安排`,
        { year },
      );
    }
    const kind = this.kinds.get(date);
    if (kind) return kind === 'workday';
    const dow = dayOfWeek(date);
    return dow !== 0 && dow !== 6;
  }

  /** The n-th working day after `date` (before it when n is negative); `date` itself when n is 0. */
  addWorkingDays(date: string, n: number): string {
    if (!Number.isInteger(n)) {
      throw new DomainError('datetime.invalid', `工作日数不正确：“${n}”`, { value: n });
    }
    const step = n < 0 ? -1 : 1;
    let day = date;
    for (let left = Math.abs(n); left > 0;) {
      day = addDays(day, step);
      if (this.isWorkingDay(day)) left--;
    }
    if (n === 0) this.isWorkingDay(date); // still validate the date and its year
    return day;
  }

  /**
   * Last day of a period of `amount` days or working days after an event (Civil Code art. 201: counting starts
   * the next day; art. 203: a period whose last day is a rest day ends on the next working day).
   */
  periodEnd(eventDate: string, amount: number, unit: PeriodUnit): string {
    if (unit === 'working-days') return this.addWorkingDays(eventDate, amount);
    let end = addDays(eventDate, amount);
    while (!this.isWorkingDay(end)) end = addDays(end, 1);
    return end;
  }
}

const CSV_HEADER = ['date', 'kind', 'name', 'source'];

/** RFC 4180 records, each with the line number it starts on. */
export function csvRecords(text: string): { line: number; fields: string[] }[] {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  const endRecord = () => {
    fields.push(field);
    // Blank lines (such as the final newline) are not records.
    if (fields.length > 1 || fields[0] !== '') records.push({ line: recordLine, fields });
    fields = [];
    field = '';
  };
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
    } else if (ch === '"' && field === '') {
      quoted = true;
    } else if (ch === ',') {
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      endRecord();
      recordLine = ++line;
    } else {
      field += ch;
    }
  }
  if (quoted) {
    throw new DomainError('calendar.invalid-row', `节假日文件第 ${recordLine} 行的引号未闭合`, { line: recordLine });
  }
  endRecord();
  return records;
}

/** Rows of cn-holidays.csv (`date,kind,name,source`), validated so a typo cannot shift a deadline. */
export function parseHolidayCsv(text: string): { date: string; kind: CalendarDayKind; name: string; source: string }[] {
  const [header, ...rows] = csvRecords(text);
  const rowError = (line: number, problem: string) =>
    new DomainError('calendar.invalid-row', `节假日文件第 ${line} 行有误：${problem}`, { line });
  if (!header || header.fields.map((f) => f.trim()).join(',') !== CSV_HEADER.join(',')) {
    throw rowError(header?.line ?? 1, `表头应为 ${CSV_HEADER.join(',')}`);
  }
  const seen = new Set<string>();
  return rows.map(({ line, fields }) => {
    if (fields.length !== CSV_HEADER.length)
      throw rowError(line, `应有 ${CSV_HEADER.length} 列，实有 ${fields.length} 列`);
    const [date, kind, name, source] = fields.map((f) => f.trim());
    if (!isValidChinaDate(date)) throw rowError(line, `日期“${date}”不是有效的 YYYY-MM-DD 日期`);
    if (kind !== 'holiday' && kind !== 'workday') throw rowError(line, `类型“${kind}”应为 holiday 或 workday`);
    if (kind === 'workday' && dayOfWeek(date) !== 0 && dayOfWeek(date) !== 6) {
      throw rowError(line, `调休上班日 ${date} 不是周末`);
    }
    if (seen.has(date)) throw rowError(line, `日期 ${date} 重复`);
    seen.add(date);
    return { date, kind, name, source };
  });
}
