import {
  addDays,
  chinaDate,
  chinaDateTimeIso,
  chinaDayEnd,
  chinaDayStart,
  dayOfWeek,
  daysBetween,
  formatChinaDateTime,
  isValidChinaDate,
  parseDateTimeInput,
} from './china-time.js';

describe('CST display of UTC instants', () => {
  it.each([
    ['2026-11-25T06:30:00.000Z', '2026-11-25', '2026-11-25T14:30:00+08:00', '2026-11-25 14:30'],
    ['2026-11-25T15:59:59.999Z', '2026-11-25', '2026-11-25T23:59:59.999+08:00', '2026-11-25 23:59'],
    ['2026-11-25T16:00:00.000Z', '2026-11-26', '2026-11-26T00:00:00+08:00', '2026-11-26 00:00'],
    ['2026-12-31T16:00:00.050Z', '2027-01-01', '2027-01-01T00:00:00.050+08:00', '2027-01-01 00:00'],
    ['2024-02-28T20:00:00.000Z', '2024-02-29', '2024-02-29T04:00:00+08:00', '2024-02-29 04:00'],
  ])('%s → %s, %s, %s', (utc, date, iso, page) => {
    const d = new Date(utc);
    expect(chinaDate(d)).toBe(date);
    expect(chinaDateTimeIso(d)).toBe(iso);
    expect(formatChinaDateTime(d)).toBe(page);
    expect(new Date(chinaDateTimeIso(d)).getTime()).toBe(d.getTime());
  });

  it('rejects an invalid Date', () => {
    expect(() => chinaDate(new Date('nope'))).toThrow(expect.objectContaining({ code: 'datetime.invalid' }));
  });
});

describe('chinaDayStart / chinaDayEnd', () => {
  it.each([
    ['2026-11-25', '2026-11-24T16:00:00.000Z', '2026-11-25T15:59:59.999Z'],
    ['2027-01-01', '2026-12-31T16:00:00.000Z', '2027-01-01T15:59:59.999Z'],
  ])('%s', (date, start, end) => {
    expect(chinaDayStart(date).toISOString()).toBe(start);
    expect(chinaDayEnd(date).toISOString()).toBe(end);
    expect(chinaDate(chinaDayStart(date))).toBe(date);
    expect(chinaDate(chinaDayEnd(date))).toBe(date);
  });

  it('rejects a date that does not exist', () => {
    expect(() => chinaDayStart('2026-02-30')).toThrow(expect.objectContaining({ code: 'datetime.invalid' }));
  });
});

describe('parseDateTimeInput', () => {
  it.each([
    ['2026-11-25T09:30:00+08:00', '2026-11-25T01:30:00.000Z'],
    ['2026-11-25T01:30:00Z', '2026-11-25T01:30:00.000Z'],
    ['2026-11-25T01:30:00.5Z', '2026-11-25T01:30:00.500Z'],
    ['2026-11-25T09:30:00.123+08:00', '2026-11-25T01:30:00.123Z'],
    ['2026-11-24T20:30:00-05:00', '2026-11-25T01:30:00.000Z'],
    ['2026-11-25T09:30+08:00', '2026-11-25T01:30:00.000Z'],
    ['2026-11-25 09:30', '2026-11-25T01:30:00.000Z'], // CST wall clock
    ['2026-11-25T09:30', '2026-11-25T01:30:00.000Z'],
    ['2026-11-25T09:30:15', '2026-11-25T01:30:15.000Z'],
    ['2026-11-25 00:00', '2026-11-24T16:00:00.000Z'],
    ['2026-11-25', '2026-11-24T16:00:00.000Z'], // bare date: 00:00 CST
    ['2028-02-29', '2028-02-28T16:00:00.000Z'],
    ['2026-12-31 23:59', '2026-12-31T15:59:00.000Z'],
  ])('%s → %s', (input, utc) => {
    expect(parseDateTimeInput(input).toISOString()).toBe(utc);
  });

  it.each([
    '',
    '2026-02-30',
    '2026-02-29', // not a leap year
    '2026-13-01',
    '2026-00-10',
    '2026-11-25 25:00',
    '2026-11-25 24:00',
    '2026-11-25 09:60',
    '2026-11-25T09:30:60',
    '2026-11-25T09:30:00+8',
    '2026-11-25T09:30:00+25:00',
    '2026/11/25',
    '2026-1-5',
    '25.11.2026',
    '2026-11-25Z',
    '2026-11-25 9:30',
    'now',
    '1764034200000',
  ])('rejects %j', (input) => {
    expect(() => parseDateTimeInput(input)).toThrow(expect.objectContaining({ code: 'datetime.invalid' }));
  });
});

describe('calendar date helpers', () => {
  it.each([
    ['2026-11-25', true],
    ['2024-02-29', true],
    ['2000-02-29', true],
    ['1900-02-29', false],
    ['2026-02-29', false],
    ['2026-04-31', false],
    ['2026-11-5', false],
    ['2026-11-25T00:00', false],
    ['', false],
  ])('isValidChinaDate(%j) = %s', (s, valid) => {
    expect(isValidChinaDate(s)).toBe(valid);
  });

  it.each([
    ['2026-11-25', 20, '2026-12-15'],
    ['2026-12-25', 10, '2027-01-04'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2026-11-25', 0, '2026-11-25'],
  ])('addDays(%s, %i) = %s', (date, n, result) => {
    expect(addDays(date, n)).toBe(result);
    expect(daysBetween(date, result)).toBe(n);
  });

  it.each([
    ['2026-01-01', 4],
    ['2026-10-10', 6],
    ['2026-10-11', 0],
    ['2026-11-25', 3],
  ])('dayOfWeek(%s) = %i', (date, dow) => {
    expect(dayOfWeek(date)).toBe(dow);
  });

  it('daysBetween counts across a year end and backwards', () => {
    expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1);
    expect(daysBetween('2026-01-01', '2025-01-01')).toBe(-365);
  });

  it.each([
    () => addDays('2026-02-30', 1),
    () => addDays('2026-11-25', 1.5),
    () => dayOfWeek('tomorrow'),
    () => daysBetween('2026-11-25', '2026/11/26'),
  ])('rejects bad input %#', (call) => {
    expect(call).toThrow(expect.objectContaining({ code: 'datetime.invalid' }));
  });
});
