import {
  clarificationRefusal,
  DEFAULT_DISCLOSURE_RULES,
  extensionRefusal,
  readClock,
  receiptDate,
  rulesByCode,
  type ClockFacts,
} from './disclosure-clock.js';
import { isOutcome, outcomeLabel, formatTrackingNo, OUTCOME_REASONS } from './disclosure.js';
import { CalendarDayKind, WorkingDayCalendar } from './working-days.js';

// The 2026 rows of data/cn-holidays.csv that these cases cross (Mid-Autumn, National Day and their make-up days).
const ROWS_2026: [string, CalendarDayKind][] = [
  ['2026-09-20', 'workday'],
  ['2026-09-25', 'holiday'],
  ['2026-09-26', 'holiday'],
  ['2026-09-27', 'holiday'],
  ['2026-10-01', 'holiday'],
  ['2026-10-02', 'holiday'],
  ['2026-10-03', 'holiday'],
  ['2026-10-04', 'holiday'],
  ['2026-10-05', 'holiday'],
  ['2026-10-06', 'holiday'],
  ['2026-10-07', 'holiday'],
  ['2026-10-10', 'workday'],
];
const calendar = new WorkingDayCalendar(
  ROWS_2026.map(([date, kind]) => ({ date, kind })),
  [2026],
);
const rules = rulesByCode(DEFAULT_DISCLOSURE_RULES);

describe('receiptDate (art. 31)', () => {
  it.each([
    // Saturday 19 September: the next working day is the make-up Sunday 20 September.
    ['online', '2026-09-19', '2026-09-20'],
    // Mid-Autumn Friday 25 September: over the holiday and the weekend to Monday 28.
    ['online', '2026-09-25', '2026-09-28'],
    // National Day: to Thursday 8 October.
    ['online', '2026-10-01', '2026-10-08'],
    ['online', '2026-10-10', '2026-10-10'], // a make-up Saturday is a working day
    ['fax', '2026-10-11', '2026-10-12'],
    // In person and by post: the day submitted or signed for, whatever day it is.
    ['in-person', '2026-10-10', '2026-10-10'],
    ['post', '2026-10-03', '2026-10-03'],
  ] as const)('%s on %s → received %s', (channel, submitted, received) => {
    expect(receiptDate(channel, submitted, calendar, rules)).toBe(received);
  });

  it('takes the submission day itself when the rest-day rule is switched off', () => {
    const off = rulesByCode([{ ...rules['online-rest-day-receipt'], enabled: false }]);
    expect(receiptDate('online', '2026-09-19', calendar, off)).toBe('2026-09-19');
  });
});

describe('readClock: 20 working days across weekends, holidays and make-up working days', () => {
  const received: ClockFacts = { receivedOn: '2026-09-20' };

  it('counts from the day after receipt, skipping Mid-Autumn and National Day, counting the make-up Saturday', () => {
    // 21–24 (4), 28–30 (7), 8–9 Oct (9), Sat 10 Oct (10), 12–16 (15), 19–23 (20)
    const r = readClock(received, '2026-09-21', calendar, rules);
    expect(r).toMatchObject({ state: 'running', startsOn: '2026-09-20', dueOn: '2026-10-23', overdue: false });
    expect(r.clarificationRequestBy).toBe('2026-09-30');
    expect(r.usedWorkingDays).toBe(1);
    expect(r.remainingWorkingDays).toBe(19);
  });

  it.each([
    ['2026-10-15', 6, false, false],
    ['2026-10-16', 5, true, false],
    ['2026-10-23', 0, true, false],
    ['2026-10-24', 0, false, true], // a Saturday after the last day: overdue
    ['2026-10-26', -1, false, true],
  ])('on %s: %s working days left, due soon %s, overdue %s', (today, left, soon, overdue) => {
    const r = readClock(received, today, calendar, rules);
    expect(r.remainingWorkingDays).toBe(left);
    expect(r.dueSoon).toBe(soon);
    expect(r.overdue).toBe(overdue);
  });

  it('restarts from receipt of the clarified request (art. 30), then adds an extension and a third-party pause', () => {
    const clarification = { requestedOn: '2026-09-24', dueOn: '2026-10-14', clarifiedOn: null };
    expect(readClock({ ...received, clarification }, '2026-10-09', calendar, rules)).toMatchObject({
      state: 'awaiting-clarification',
      dueOn: null,
    });
    expect(readClock({ ...received, clarification }, '2026-10-15', calendar, rules).state).toBe('clarification-lapsed');
    const clarified = { ...received, clarification: { ...clarification, clarifiedOn: '2026-10-09' } };
    // Sat 10 (1), 12–16 (6), 19–23 (11), 26–30 (16), 2–5 Nov (20)
    expect(readClock(clarified, '2026-10-12', calendar, rules).dueOn).toBe('2026-11-05');
    const extended = { ...clarified, extension: { grantedOn: '2026-11-02', workingDays: 20 } };
    // 6 Nov (1), 9–13 (6), 16–20 (11), 23–27 (16), 30 Nov – 3 Dec (20)
    expect(readClock(extended, '2026-11-02', calendar, rules).dueOn).toBe('2026-12-03');
    // Consulting a third party from 14 to 20 October: 15, 16, 19 and 20 October are not counted.
    const open = { ...extended, pauses: [{ from: '2026-10-14', to: null }] };
    expect(readClock(open, '2026-10-16', calendar, rules)).toMatchObject({ state: 'paused', dueOn: null });
    const paused = { ...extended, pauses: [{ from: '2026-10-14', to: '2026-10-20' }] };
    expect(readClock(paused, '2026-11-02', calendar, rules).dueOn).toBe('2026-12-09');
    expect(readClock(paused, '2026-10-21', calendar, rules).usedWorkingDays).toBe(5);
  });

  it('reports a year missing from the calendar instead of guessing', () => {
    const r = readClock({ receivedOn: '2026-12-10' }, '2026-12-11', calendar, rules);
    expect(r).toMatchObject({ state: 'calendar-missing', dueOn: null, missingYear: 2027 });
  });

  it('closes: answered late is still overdue', () => {
    expect(readClock({ ...received, closedOn: '2026-10-26' }, '2026-11-30', calendar, rules)).toMatchObject({
      state: 'closed',
      dueOn: '2026-10-23',
      overdue: true,
    });
  });
});

describe('refusals of clock steps', () => {
  const facts: ClockFacts = { receivedOn: '2026-09-20' };

  it('asks for clarification once, within 7 working days of receipt', () => {
    expect(clarificationRefusal(facts, '2026-09-30', '2026-10-14', calendar, rules)).toBeNull();
    expect(clarificationRefusal(facts, '2026-10-08', '2026-10-20', calendar, rules)).toContain('不晚于 2026-09-30');
    const once = { ...facts, clarification: { requestedOn: '2026-09-24', dueOn: '2026-10-14', clarifiedOn: null } };
    expect(clarificationRefusal(once, '2026-09-25', '2026-10-14', calendar, rules)).toContain('一次');
    expect(clarificationRefusal(facts, '2026-09-24', '2026-09-24', calendar, rules)).toContain('晚于');
  });

  it('extends once, by at most 20 working days, before the period has run out', () => {
    expect(extensionRefusal(facts, '2026-10-20', 20, calendar, rules)).toBeNull();
    expect(extensionRefusal(facts, '2026-10-20', 21, calendar, rules)).toContain('1 到 20');
    expect(extensionRefusal(facts, '2026-10-26', 10, calendar, rules)).toContain('已于 2026-10-23 届满');
    const once = { ...facts, extension: { grantedOn: '2026-10-20', workingDays: 5 } };
    expect(extensionRefusal(once, '2026-10-21', 5, calendar, rules)).toContain('一次');
  });
});

describe('code lists', () => {
  it('accepts each row of the fixed list and nothing else', () => {
    expect(isOutcome('disclosed', null)).toBe(true);
    expect(isOutcome('disclosed', 'not-held')).toBe(false);
    expect(isOutcome('withheld', null)).toBe(false);
    expect(isOutcome('withheld', 'state-secret')).toBe(true);
    expect(isOutcome('withheld', 'not-held')).toBe(false);
    expect(isOutcome('granted', null)).toBe(false);
    for (const r of OUTCOME_REASONS) expect(isOutcome(r.group, r.code)).toBe(true);
    expect(outcomeLabel('unavailable', 'not-held')).toBe('无法提供（本机关不掌握相关政府信息）');
    expect(outcomeLabel('partly-disclosed', null)).toBe('部分公开');
  });

  it('formats tracking numbers', () => {
    expect(formatTrackingNo(2026, 123)).toBe('YSQ2026-000123');
  });
});
