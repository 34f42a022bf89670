import { categoryBySlug } from '../trading/domain/catalog.js';
import { evaluateTimingRules, type TimingRule, type TimingViolation } from '../trading/domain/timing-rules.js';
import type { WorkingDayCalendar } from '../trading/domain/working-days.js';
import { detailDates } from '../trading/notice-details.js';

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
export function timingViolations(notices: TimedNotice[], rules: TimingRule[], calendar: WorkingDayCalendar): { notice: TimedNotice; violations: TimingViolation[] }[] {
  // A bid-affecting correction that does not move the deadline is measured against the project's deadline then.
  const deadlines = new Map<string, Date>();
  const broken: { notice: TimedNotice; violations: TimingViolation[] }[] = [];
  for (const notice of notices) {
    const details = notice.details;
    const changes = (details.changes ?? {}) as Record<string, string | undefined>;
    const dates: Record<string, Date | undefined> = { ...detailDates(details), publishedAt: notice.publishedAt };
    if (notice.type === 'correction' && details.affectsBids) {
      const moved = changes.bidDeadline ?? changes.listingEnd;
      dates.effectiveBidDeadline = moved ? new Date(moved) : deadlines.get(notice.projectId);
    }
    const violations = evaluateTimingRules(rules, {
      family: categoryBySlug(notice.category)!.family,
      category: notice.category,
      noticeType: notice.type,
      method: (details.method as string | undefined) ?? notice.procurementMethod ?? undefined,
      dates,
    }, calendar);
    if (violations.length) broken.push({ notice, violations });

    const deadline = { tender: details.bidDeadline, procurement: details.bidDeadline, prequalification: details.applicationDeadline, transfer: details.listingEnd, correction: changes.bidDeadline ?? changes.listingEnd }[notice.type];
    if (typeof deadline === 'string') deadlines.set(notice.projectId, new Date(deadline));
  }
  return broken;
}
