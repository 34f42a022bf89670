import { DomainError } from './errors.js';
import { CalendarDayKind, parseHolidayCsv, WorkingDayCalendar } from './working-days.js';

// Rows copied from data/cn-holidays.csv (国务院办公厅关于2026年部分节假日安排的通知, 2025-11-04).
const SOURCE_2026 = '国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04)';
const ROWS_2026: [string, CalendarDayKind, string][] = [
  ['2026-02-14', 'workday', '春节调休上班'],
  ['2026-02-15', 'holiday', '春节'],
  ['2026-02-16', 'holiday', '春节'],
  ['2026-02-17', 'holiday', '春节'],
  ['2026-02-18', 'holiday', '春节'],
  ['2026-02-19', 'holiday', '春节'],
  ['2026-02-20', 'holiday', '春节'],
  ['2026-02-21', 'holiday', '春节'],
  ['2026-02-22', 'holiday', '春节'],
  ['2026-02-23', 'holiday', '春节'],
  ['2026-02-28', 'workday', '春节调休上班'],
  ['2026-09-20', 'workday', '国庆节调休上班'],
  ['2026-09-25', 'holiday', '中秋节'],
  ['2026-09-26', 'holiday', '中秋节'],
  ['2026-09-27', 'holiday', '中秋节'],
  ['2026-10-01', 'holiday', '国庆节'],
  ['2026-10-02', 'holiday', '国庆节'],
  ['2026-10-03', 'holiday', '国庆节'],
  ['2026-10-04', 'holiday', '国庆节'],
  ['2026-10-05', 'holiday', '国庆节'],
  ['2026-10-06', 'holiday', '国庆节'],
  ['2026-10-07', 'holiday', '国庆节'],
  ['2026-10-10', 'workday', '国庆节调休上班'],
];
const calendar2026 = new WorkingDayCalendar(
  ROWS_2026.map(([date, kind]) => ({ date, kind })),
  [2026],
);

const YEAR_2027_MISSING = {
  code: 'calendar.year-missing',
  message: '节假日日历缺少 2027 年的数据，请管理员先导入该年度的国务院办公厅放假安排',
  details: { year: 2027 },
};

describe('WorkingDayCalendar.isWorkingDay', () => {
  it.each([
    ['2026-11-25', true, 'ordinary Wednesday'],
    ['2026-11-28', false, 'ordinary Saturday'],
    ['2026-11-29', false, 'ordinary Sunday'],
    ['2026-10-01', false, 'National Day, a Thursday'],
    ['2026-10-05', false, 'National Day, a Monday'],
    ['2026-10-08', true, 'first working day after National Day'],
    ['2026-10-10', true, 'make-up working Saturday'],
    ['2026-10-11', false, 'Sunday after the make-up Saturday'],
    ['2026-09-20', true, 'make-up working Sunday'],
    ['2026-02-14', true, 'Spring Festival make-up Saturday'],
    ['2026-02-16', false, 'Spring Festival, a Monday'],
    ['2026-02-24', true, 'first working day after Spring Festival'],
  ])('%s → %s (%s)', (date, working) => {
    expect(calendar2026.isWorkingDay(date)).toBe(working);
  });

  it('refuses a year whose State Council notice is not loaded', () => {
    expect(calendar2026.hasYear(2026)).toBe(true);
    expect(calendar2026.hasYear(2027)).toBe(false);
    expect(() => calendar2026.isWorkingDay('2027-01-04')).toThrow(expect.objectContaining(YEAR_2027_MISSING));
    expect(() => calendar2026.isWorkingDay('2027-01-04')).toThrow(DomainError);
  });

  it('knows a loaded year with no listed days (weekends only)', () => {
    const bare = new WorkingDayCalendar([], [2030]);
    expect(bare.isWorkingDay('2030-01-01')).toBe(true);
    expect(bare.isWorkingDay('2030-01-05')).toBe(false);
  });
});

describe('WorkingDayCalendar.addWorkingDays', () => {
  it.each([
    ['2026-11-25', 1, '2026-11-26'],
    ['2026-11-27', 1, '2026-11-30'], // over a weekend
    ['2026-11-25', 5, '2026-12-02'],
    ['2026-09-30', 1, '2026-10-08'], // over National Day
    ['2026-09-30', 3, '2026-10-10'], // the make-up Saturday counts
    ['2026-09-30', 4, '2026-10-12'],
    ['2026-09-18', 1, '2026-09-20'], // make-up Sunday counts
    ['2026-02-13', 1, '2026-02-14'],
    ['2026-02-13', 2, '2026-02-24'], // over Spring Festival
    ['2026-11-25', 0, '2026-11-25'],
    ['2026-10-08', -1, '2026-09-30'],
  ])('%s + %i working days = %s', (date, n, result) => {
    expect(calendar2026.addWorkingDays(date, n)).toBe(result);
  });

  it('refuses to count into a missing year', () => {
    expect(() => calendar2026.addWorkingDays('2026-12-28', 5)).toThrow(expect.objectContaining(YEAR_2027_MISSING));
  });
});

describe('WorkingDayCalendar.periodEnd (Civil Code arts. 201, 203)', () => {
  it.each([
    ['2026-11-25', 20, 'calendar-days', '2026-12-15'], // ends on a Tuesday
    ['2026-11-18', 10, 'calendar-days', '2026-11-30'], // ends on Saturday → Monday
    ['2026-09-21', 10, 'calendar-days', '2026-10-08'], // ends on National Day → first day after it
    ['2026-02-05', 10, 'calendar-days', '2026-02-24'], // ends in Spring Festival
    ['2026-09-30', 10, 'calendar-days', '2026-10-10'], // ends on a make-up Saturday: no extension
    ['2026-11-25', 0, 'calendar-days', '2026-11-25'],
    ['2026-09-25', 5, 'working-days', '2026-10-09'],
    ['2026-09-28', 10, 'working-days', '2026-10-16'],
    ['2026-02-12', 5, 'working-days', '2026-02-26'],
  ] as const)('%s + %i %s ends %s', (event, amount, unit, end) => {
    expect(calendar2026.periodEnd(event, amount, unit)).toBe(end);
  });

  it.each([
    ['2026-12-25', 10, 'calendar-days'], // last day 2027-01-04
    ['2026-12-21', 11, 'calendar-days'], // last day 2027-01-01
    ['2026-12-30', 3, 'working-days'],
  ] as const)('%s + %i %s needs the 2027 calendar', (event, amount, unit) => {
    expect(() => calendar2026.periodEnd(event, amount, unit)).toThrow(expect.objectContaining(YEAR_2027_MISSING));
  });

  it('does not need next year when the period ends this year', () => {
    expect(calendar2026.periodEnd('2026-12-30', 1, 'calendar-days')).toBe('2026-12-31');
  });
});

describe('parseHolidayCsv', () => {
  const header = 'date,kind,name,source';

  it('reads the official file format, with a BOM and CRLF line ends', () => {
    const text =
      '\uFEFF' +
      [header, ...ROWS_2026.slice(0, 2).map(([d, k, n]) => `${d},${k},${n},${SOURCE_2026}`)].join('\r\n') +
      '\r\n';
    expect(parseHolidayCsv(text)).toEqual([
      { date: '2026-02-14', kind: 'workday', name: '春节调休上班', source: SOURCE_2026 },
      { date: '2026-02-15', kind: 'holiday', name: '春节', source: SOURCE_2026 },
    ]);
  });

  it('handles RFC 4180 quotes', () => {
    const text = `${header}\n2026-10-01,holiday,"国庆节, ""长假""","国办
通知"\n2026-10-02,holiday,国庆节,x\n`;
    expect(parseHolidayCsv(text)).toEqual([
      { date: '2026-10-01', kind: 'holiday', name: '国庆节, "长假"', source: '国办\n通知' },
      { date: '2026-10-02', kind: 'holiday', name: '国庆节', source: 'x' },
    ]);
  });

  it.each([
    ['date,kind,name\n', 1, '表头'],
    [`${header}\n2026-02-30,holiday,春节,x\n`, 2, '2026-02-30'],
    [`${header}\n2026-10-01,holiday,国庆节,x\n2026/10/02,holiday,国庆节,x\n`, 3, '2026/10/02'],
    [`${header}\n2026-10-01,vacation,国庆节,x\n`, 2, 'vacation'],
    [`${header}\n2026-10-01,holiday,国庆节\n`, 2, '4 列'],
    [`${header}\n2026-10-01,holiday,国庆节,x,y\n`, 2, '4 列'],
    [`${header}\n2026-10-09,workday,调休,x\n`, 2, '不是周末'], // a Friday
    [`${header}\n2026-10-01,holiday,国庆节,x\n2026-10-01,holiday,国庆节,x\n`, 3, '重复'],
    [`${header}\n2026-10-01,holiday,"国庆节,x\n`, 2, '引号'],
    [`${header}\n2026-10-01,holiday,"a\nb",x\n2026-13-01,holiday,x,x\n`, 4, '2026-13-01'],
  ])('rejects %j at line %i', (text, line, problem) => {
    expect(() => parseHolidayCsv(text)).toThrow(
      expect.objectContaining({
        code: 'calendar.invalid-row',
        message: expect.stringMatching(new RegExp(`第 ${line} 行.*${problem}`)),
        details: { line },
      }),
    );
  });
});
