import { categoryBySlug } from '../domain/catalog.js';
import type { TimingFacts } from '../domain/timing-rules.js';
import { detailDates } from './notice-details.js';

/**
 * What a notice says about its project's effective bid deadline and opening time: the announcement sets
 * them, a correction's structured changes move them. Used to keep the project's derived values and to
 * measure bid-affecting corrections.
 */
export function effectiveDatesSetBy(
  type: string,
  details: Record<string, unknown>,
): { deadline?: Date; opening?: Date } {
  const time = (v: unknown) => (typeof v === 'string' ? new Date(v) : undefined);
  switch (type) {
    case 'tender':
    case 'procurement':
      return { deadline: time(details.bidDeadline), opening: time(details.openingTime) };
    case 'prequalification':
      return { deadline: time(details.applicationDeadline) };
    case 'transfer':
      return { deadline: time(details.listingEnd), opening: time(details.auctionStart) };
    case 'correction': {
      const c = (details.changes ?? {}) as Record<string, unknown>;
      return { deadline: time(c.bidDeadline ?? c.listingEnd), opening: time(c.openingTime) };
    }
    default:
      return {};
  }
}

/**
 * The facts the timing rules read for a notice published at `publishedAt` in `project`. A bid-affecting
 * correction is measured against the deadline it sets, or else the project's deadline at that moment.
 */
export function timingFacts(
  notice: { type: string; details: Record<string, unknown> },
  project: { category: string; procurementMethod: string | null; bidDeadline: Date | null },
  publishedAt: Date,
): TimingFacts {
  const details = notice.details;
  const dates: Record<string, Date | undefined> = { ...detailDates(details), publishedAt };
  if (notice.type === 'correction' && details.affectsBids) {
    dates.effectiveBidDeadline =
      effectiveDatesSetBy('correction', details).deadline ?? project.bidDeadline ?? undefined;
  }
  return {
    family: categoryBySlug(project.category)!.family,
    category: project.category,
    noticeType: notice.type,
    method: (details.method as string | undefined) ?? project.procurementMethod ?? undefined,
    dates,
  };
}
