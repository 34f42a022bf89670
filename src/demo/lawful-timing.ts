import { evaluateTimingRules, type TimingRule, type TimingViolation } from '../domain/timing-rules.js';
import type { WorkingDayCalendar } from '../domain/working-days.js';
import { effectiveDatesSetBy, timingFacts } from '../trading/timing-facts.js';

/**
 * The timing rules applied to a run of published notices, as PublishingService checks each one at
 * publication: the seeder skips that check (its history may reach years the calendar lacks), and the tests
 * use this to prove the demo data would have passed it anyway.
 */
export interface TimedNotice {
  projectId: string;
  category: string;
  procurementMethod?: string | null;
  type: string;
  details: Record<string, unknown>;
  publishedAt: Date;
}

/** `notices` in publication order; returns the notices that break a rule, with the rules they break. */
export function timingViolations(
  notices: TimedNotice[],
  rules: TimingRule[],
  calendar: WorkingDayCalendar,
): { notice: TimedNotice; violations: TimingViolation[] }[] {
  const deadlines = new Map<string, Date>();
  const broken: { notice: TimedNotice; violations: TimingViolation[] }[] = [];
  for (const notice of notices) {
    const project = {
      category: notice.category,
      procurementMethod: notice.procurementMethod ?? null,
      bidDeadline: deadlines.get(notice.projectId) ?? null,
    };
    const violations = evaluateTimingRules(rules, timingFacts(notice, project, notice.publishedAt), calendar);
    if (violations.length) broken.push({ notice, violations });
    const { deadline } = effectiveDatesSetBy(notice.type, notice.details);
    if (deadline) deadlines.set(notice.projectId, deadline);
  }
  return broken;
}
