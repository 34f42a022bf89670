import { addDays } from './china-time.js';
import type { ReceiptChannel } from './disclosure.js';
import { DomainError } from './errors.js';
import { WorkingDayCalendar } from './working-days.js';

/**
 * The statutory clock of a request for disclosure, in working days of the official calendar (working-days.ts).
 * Pure functions over China dates (YYYY-MM-DD); the settings are data (table disclosure_rule), with these
 * defaults and their basis. Text of the Regulations (2019) as recalled, to confirm:
 * - art. 30: an unclear request gets one request for clarification within 7 working days of receipt, naming a
 *   reasonable period; the answer period runs from receipt of the clarified request; no clarification within the
 *   period without good reason: the request is deemed withdrawn (视为放弃申请).
 * - art. 31: the date of receipt by channel (in person: the day submitted; post: the day signed for; online or
 *   fax: the day both sides confirm).
 * - art. 33 ¶2: answer within 20 working days of receipt; one extension of at most 20 working days, approved by
 *   the head of the disclosure office, with notice to the applicant; the time spent consulting third parties and
 *   other bodies is not counted (art. 32: a third party answers within 15 working days).
 * Periods are counted from the day after the event (Civil Code art. 201), like the trade's timing rules.
 */
export interface DisclosureRule {
  code: DisclosureRuleCode;
  label: string;
  basis: string;
  /** Working days (days for the retention-free settings are not kept here). */
  amount: number;
  enabled: boolean;
}

export const DISCLOSURE_RULE_CODES = [
  'answer-period',
  'extension-max',
  'clarification-request-within',
  'clarification-period',
  'third-party-period',
  'online-rest-day-receipt',
  'due-soon',
] as const;
export type DisclosureRuleCode = (typeof DISCLOSURE_RULE_CODES)[number];

export const DEFAULT_DISCLOSURE_RULES: DisclosureRule[] = [
  {
    code: 'answer-period',
    label: '不能当场答复的，自收到申请之日起答复期限（工作日）',
    basis: '政府信息公开条例第三十三条第二款（待核实）',
    amount: 20,
    enabled: true,
  },
  {
    code: 'extension-max',
    label: '延长答复期限最长（工作日），须经政府信息公开工作机构负责人同意并告知申请人，限一次',
    basis: '政府信息公开条例第三十三条第二款（待核实）',
    amount: 20,
    enabled: true,
  },
  {
    code: 'clarification-request-within',
    label: '申请内容不明确的，自收到申请之日起一次性告知补正的期限（工作日）',
    basis: '政府信息公开条例第三十条（待核实）',
    amount: 7,
    enabled: true,
  },
  {
    code: 'clarification-period',
    label: '告知补正时给予申请人的补正期限默认值（工作日；条例只要求“合理的补正期限”）',
    basis: '政府信息公开条例第三十条；默认值为本中心设定（待核实）',
    amount: 15,
    enabled: true,
  },
  {
    code: 'third-party-period',
    label: '第三方自收到征求意见书之日起提出意见的期限（工作日；征求意见时间不计入答复期限）',
    basis: '政府信息公开条例第三十二条、第三十三条第三款（待核实）',
    amount: 15,
    enabled: true,
  },
  {
    code: 'online-rest-day-receipt',
    label: '网上申请在法定节假日或休息日提交的，以其后第一个工作日为收到申请之日（停用则以提交之日为准）',
    basis: '政府信息公开条例第三十一条第（三）项“以双方确认之日为收到申请之日”；休息日顺延为常见做法（待核实）',
    amount: 1,
    enabled: true,
  },
  {
    code: 'due-soon',
    label: '工作台提醒：距答复期限不超过（工作日）',
    basis: '本中心内部提醒设置',
    amount: 5,
    enabled: true,
  },
];

export type DisclosureRules = Record<DisclosureRuleCode, DisclosureRule>;

export function rulesByCode(rules: DisclosureRule[]): DisclosureRules {
  const out = Object.fromEntries(DEFAULT_DISCLOSURE_RULES.map((r) => [r.code, r])) as DisclosureRules;
  for (const r of rules) if (r.code in out) out[r.code] = r;
  return out;
}

/**
 * The date of receipt (art. 31). Staff give the date for a request by letter (the day signed for, or confirmed
 * with the applicant for an unregistered letter) or in person (the day submitted). An online request is
 * confirmed by the portal at once: its China date, or, when that is a rest day and the rule is on, the next
 * working day.
 */
export function receiptDate(
  channel: ReceiptChannel,
  submittedOn: string,
  calendar: WorkingDayCalendar,
  rules: DisclosureRules,
): string {
  if ((channel === 'online' || channel === 'fax') && rules['online-rest-day-receipt'].enabled) {
    let day = submittedOn;
    while (!calendar.isWorkingDay(day)) day = addDays(day, 1);
    return day;
  }
  return submittedOn;
}

/** A pause for consulting a third party (or another body): from the day the letter went out to the day its answer came. */
export interface ClockPause {
  from: string;
  /** null: still waiting. */
  to: string | null;
}

export interface ClockFacts {
  receivedOn: string;
  /** The request for clarification, if one was made. */
  clarification?: { requestedOn: string; dueOn: string; clarifiedOn: string | null } | null;
  extension?: { grantedOn: string; workingDays: number } | null;
  pauses?: ClockPause[];
  /** Answered (or deemed withdrawn): the clock stops. */
  closedOn?: string | null;
}

export type ClockState =
  'running' | 'awaiting-clarification' | 'clarification-lapsed' | 'paused' | 'closed' | 'calendar-missing';

export interface ClockReading {
  state: ClockState;
  /** The day the answer period starts from: receipt, or receipt of the clarified request. */
  startsOn: string | null;
  /** Last day to answer; null while it cannot be known (awaiting clarification, paused, calendar missing). */
  dueOn: string | null;
  /** Last day to ask for clarification (art. 30). */
  clarificationRequestBy: string | null;
  /** Working days counted so far, up to `today` (paused days excluded). */
  usedWorkingDays: number;
  /** Working days left after today until dueOn (negative: overdue by that many). */
  remainingWorkingDays: number | null;
  overdue: boolean;
  dueSoon: boolean;
  /** The year whose calendar is missing, when the state is calendar-missing. */
  missingYear?: number;
}

const isPaused = (day: string, pauses: ClockPause[]) =>
  pauses.some((p) => day > p.from && (p.to === null || day <= p.to));

/**
 * The n-th counted working day after `start`: working days that fall within a pause (after its first day, up to
 * and including the day the answer came) are not counted. null when an open pause stops the count first.
 */
export function countedWorkingDayAfter(
  start: string,
  n: number,
  pauses: ClockPause[],
  calendar: WorkingDayCalendar,
): string | null {
  let day = start;
  for (let left = n; left > 0;) {
    day = addDays(day, 1);
    if (pauses.some((p) => p.to === null && day > p.from)) return null;
    if (calendar.isWorkingDay(day) && !isPaused(day, pauses)) left--;
  }
  return day;
}

/** Counted working days in (from, to]: negative when `to` is before `from`. */
export function countedWorkingDaysBetween(
  from: string,
  to: string,
  pauses: ClockPause[],
  calendar: WorkingDayCalendar,
): number {
  if (to === from) return 0;
  const [a, b, sign] = to > from ? [from, to, 1] : [to, from, -1];
  let n = 0;
  for (let day = addDays(a, 1); day <= b; day = addDays(day, 1))
    if (calendar.isWorkingDay(day) && !isPaused(day, pauses)) n++;
  return n === 0 ? 0 : sign * n;
}

/** Reads the clock of one request on `today`. Never throws for a missing calendar year: it says so. */
export function readClock(
  facts: ClockFacts,
  today: string,
  calendar: WorkingDayCalendar,
  rules: DisclosureRules,
): ClockReading {
  const pauses = facts.pauses ?? [];
  const empty = {
    startsOn: null,
    dueOn: null,
    usedWorkingDays: 0,
    remainingWorkingDays: null,
    overdue: false,
    dueSoon: false,
  };
  try {
    const clarificationRequestBy = calendar.addWorkingDays(
      facts.receivedOn,
      rules['clarification-request-within'].amount,
    );
    const c = facts.clarification;
    if (c && !c.clarifiedOn) {
      const lapsed = today > c.dueOn;
      if (!facts.closedOn)
        return { ...empty, state: lapsed ? 'clarification-lapsed' : 'awaiting-clarification', clarificationRequestBy };
    }
    const startsOn = c?.clarifiedOn ?? facts.receivedOn;
    const total = rules['answer-period'].amount + (facts.extension?.workingDays ?? 0);
    const dueOn = countedWorkingDayAfter(startsOn, total, pauses, calendar);
    const until = facts.closedOn ?? today;
    const usedWorkingDays = Math.max(0, countedWorkingDaysBetween(startsOn, until, pauses, calendar));
    if (facts.closedOn)
      return {
        ...empty,
        state: 'closed',
        startsOn,
        dueOn,
        clarificationRequestBy,
        usedWorkingDays,
        overdue: dueOn !== null && facts.closedOn > dueOn,
      };
    if (dueOn === null) return { ...empty, state: 'paused', startsOn, clarificationRequestBy, usedWorkingDays };
    const remainingWorkingDays = countedWorkingDaysBetween(today, dueOn, pauses, calendar);
    const overdue = today > dueOn;
    return {
      state: 'running',
      startsOn,
      dueOn,
      clarificationRequestBy,
      usedWorkingDays,
      remainingWorkingDays,
      overdue,
      dueSoon: !overdue && remainingWorkingDays <= rules['due-soon'].amount,
    };
  } catch (e) {
    if (e instanceof DomainError && e.code === 'calendar.year-missing')
      return {
        ...empty,
        state: 'calendar-missing',
        clarificationRequestBy: null,
        missingYear: (e.details as { year: number }).year,
      };
    throw e;
  }
}

/** Why a step of the clock cannot be taken now: null when it can. Messages are Chinese, for the staff form. */
export function clarificationRefusal(
  facts: ClockFacts,
  on: string,
  dueOn: string,
  calendar: WorkingDayCalendar,
  rules: DisclosureRules,
): string | null {
  if (facts.clarification) return '补正只能告知一次（条例第三十条“一次性告知”）';
  const by = calendar.addWorkingDays(facts.receivedOn, rules['clarification-request-within'].amount);
  if (on < facts.receivedOn) return `告知补正日期不能早于收到申请之日 ${facts.receivedOn}`;
  if (on > by)
    return `告知补正应在收到申请之日起 ${rules['clarification-request-within'].amount} 个工作日内，即不晚于 ${by}（${rules['clarification-request-within'].basis}）`;
  if (dueOn <= on) return '补正期限应晚于告知补正之日';
  return null;
}

export function extensionRefusal(
  facts: ClockFacts,
  on: string,
  workingDays: number,
  calendar: WorkingDayCalendar,
  rules: DisclosureRules,
): string | null {
  if (facts.extension) return '答复期限只能延长一次';
  const max = rules['extension-max'].amount;
  if (!Number.isInteger(workingDays) || workingDays < 1 || workingDays > max)
    return `延长的期限应为 1 到 ${max} 个工作日（${rules['extension-max'].basis}）`;
  const reading = readClock(facts, on, calendar, rules);
  if (reading.state === 'awaiting-clarification' || reading.state === 'clarification-lapsed')
    return '申请人尚未补正，答复期限尚未起算，无需延长';
  if (reading.dueOn && on > reading.dueOn) return `答复期限已于 ${reading.dueOn} 届满，不能再延长`;
  return null;
}
