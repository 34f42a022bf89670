import { daysBetween } from '../domain/china-time.js';
import type { WorkingDayCalendar } from '../domain/working-days.js';
import { DemoDays } from './days.js';
import type { DemoContext, DemoNotice, DemoProject } from './demo-project.js';
import { purchaseSubject } from './purchase-subjects.js';
import { purchaseProject, type PurchaseSlot } from './purchases.js';
import { Random } from './random.js';
import { DISTRICTS } from './tables.js';
import { transferSubject } from './transfer-subjects.js';
import { transferProject, type TransferSlot } from './transfers.js';
import { worksProject, type WorksSlot } from './works.js';
import { ruralRoadProgramme, worksSubject } from './works-subjects.js';

/**
 * The demo data set: about 80 projects in all ten categories, at every stage of their life, dated relative to
 * "now" so that it always looks current. The plan below says which project is at which point; the generators
 * (works.ts, purchases.ts, transfers.ts) write their notices; the seeder publishes them in time order.
 *
 * The portal went live on 1 January after a trial run (试运行) in the autumn of last year: a few projects of the
 * history are dated in November of last year (`lastYear`, whatever today is), so that last year's yearly report,
 * which the demo publishes, has trading figures of its own.
 */
export const DEMO_SEED = 0x2102_2026;

/** Days from today to a day (MM-DD) of last year, for the projects of the trial run. */
type LastYear = (monthDay: string) => number;

/** Works projects by the day of their bid opening: today and each of the next 7 days, then history. */
const worksPlan = (lastYear: LastYear): WorksSlot[] => [
  { category: 'construction', opening: 0 },
  { category: 'construction', opening: 1, correction: 'deadline' },
  { category: 'construction', opening: 3 },
  { category: 'construction', opening: 5, lots: true },
  { category: 'construction', opening: 7 },
  { category: 'construction', opening: 14 },
  { category: 'construction', opening: -3 },
  { category: 'construction', opening: -5 },
  { category: 'construction', opening: -12, ending: 'abnormal' },
  { category: 'construction', opening: -26, correction: 'deadline-withdrawn' },
  { category: 'construction', opening: -40, lots: true },
  { category: 'construction', opening: -58, prequalification: true },
  { category: 'construction', opening: -85, ending: 'terminated' },
  { category: 'construction', opening: -105, offline: true },
  { category: 'construction', opening: -120, lots: true },
  { category: 'construction', opening: -150, prices: 'identical' },
  { category: 'construction', opening: -190, correction: 'clarification' },
  { category: 'construction', opening: -210 },
  { category: 'construction', opening: -235 },
  { category: 'construction', opening: lastYear('11-05'), lots: true },
  { category: 'municipal', opening: 0 },
  { category: 'municipal', opening: 2 },
  { category: 'municipal', opening: 4 },
  { category: 'municipal', opening: 6 },
  { category: 'municipal', opening: -4 },
  { category: 'municipal', opening: -20, correction: 'deadline-twice' },
  { category: 'municipal', opening: -70, prices: 'hug-control' },
  { category: 'municipal', opening: -100 },
  { category: 'municipal', opening: -130, lots: true },
  { category: 'municipal', opening: -175, lots: true },
  { category: 'municipal', opening: -220, offline: true },
  { category: 'highway', opening: 1 },
  { category: 'highway', opening: 18 },
  { category: 'highway', opening: -9 },
  { category: 'highway', opening: -50, prequalification: true },
  { category: 'highway', opening: -120, lots: true },
  { category: 'highway', opening: -250 },
  { category: 'water', opening: 2 },
  { category: 'water', opening: -16 },
  { category: 'water', opening: -65, bidders: 2 },
  { category: 'water', opening: -110 },
  { category: 'water', opening: -160, correction: 'clarification' },
  { category: 'water', opening: lastYear('11-12') },
  { category: 'port', opening: 6 },
  { category: 'port', opening: -35, prequalification: true },
  { category: 'port', opening: -140 },
  { category: 'port', opening: -260, offline: true, bidders: 1, ending: 'terminated' },
];

/*
 * Integrity indicators (trading/integrity-rules.ts): the plan raises each a few times, as real data would — a
 * one-bid port tender that fails, a water work awarded on two bids, identical bids, bids hugging the control price, a
 * deadline moved twice, the programmes below; cheapest-rejected comes with the evaluation methods. Never
 * short-period: a bidding period shorter than the statutory minimum cannot be published here (the timing rules
 * refuse it, and the demo data keeps them, see lawful-timing.ts).
 */

/**
 * Two rural-road programmes let in ten lots each, evaluated by the lowest price: with the other highway lots of the
 * year, the cohort (category and year, at least 20 lots) whose Tukey fences the margin indicators draw. One lot's
 * runner-up is within 0.05 % (narrow-margin), another's winner bid about 40 % below the rest (wide-discount), and one
 * firm wins most of a district's lots (repeat-winner). Generated last, so that the projects above stay as they were.
 */
const PROGRAMME_PLAN: WorksSlot[] = [
  { category: 'highway', opening: -96, lots: 10, favourite: 7, narrowLot: 3 },
  { category: 'highway', opening: -103, lots: 10, wideLot: 5 },
];

/** Procurement projects by their response deadline, across all six methods. */
const purchasePlan = (lastYear: LastYear): PurchaseSlot[] => [
  { category: 'procurement', method: 'open-tender', deadline: 3 },
  { category: 'procurement', method: 'open-tender', deadline: 9, correction: true },
  { category: 'procurement', method: 'competitive-consultation', deadline: 5 },
  { category: 'procurement', method: 'inquiry', deadline: 2 },
  { category: 'procurement', method: 'open-tender', deadline: -6 },
  { category: 'procurement', method: 'competitive-negotiation', deadline: -15 },
  { category: 'procurement', method: 'open-tender', deadline: -33, ending: 'result-withdrawn' },
  { category: 'procurement', method: 'inquiry', deadline: -48, ending: 'terminated', offline: true },
  { category: 'procurement', method: 'open-tender', deadline: -60 },
  { category: 'procurement', method: 'invited-tender', deadline: -75 },
  { category: 'procurement', method: 'competitive-consultation', deadline: -100 },
  { category: 'procurement', method: 'single-source', deadline: -125 },
  { category: 'procurement', method: 'open-tender', deadline: -180 },
  { category: 'procurement', method: 'competitive-negotiation', deadline: lastYear('11-18') },
  { category: 'medical', method: 'open-tender', deadline: 11 },
  { category: 'medical', method: 'competitive-negotiation', deadline: 4 },
  { category: 'medical', method: 'open-tender', deadline: -8 },
  { category: 'medical', method: 'open-tender', deadline: -38, correction: true },
  { category: 'medical', method: 'open-tender', deadline: -55 },
  { category: 'medical', method: 'competitive-consultation', deadline: -90 },
  { category: 'medical', method: 'single-source', deadline: -140 },
  { category: 'medical', method: 'inquiry', deadline: -170 },
  { category: 'medical', method: 'open-tender', deadline: lastYear('11-10') },
  { category: 'medical', method: 'open-tender', deadline: -260, ending: 'terminated' },
];

/** Transfer projects by the end of their listing. */
const transferPlan = (lastYear: LastYear): TransferSlot[] => [
  { category: 'state-assets', close: 6 },
  { category: 'state-assets', close: -10 },
  { category: 'state-assets', close: -40, unsold: true },
  { category: 'state-assets', close: -95 },
  { category: 'state-assets', close: lastYear('11-14') },
  { category: 'land-mining', close: 12 },
  { category: 'land-mining', close: 25 },
  { category: 'land-mining', close: -20, correction: true },
  { category: 'land-mining', close: -60, offline: true },
  { category: 'land-mining', close: -110, mining: true },
  { category: 'land-mining', close: -180 },
  { category: 'land-mining', close: -270, mining: true },
  { category: 'property-rights', close: 10 },
  { category: 'property-rights', close: -25 },
  { category: 'property-rights', close: -70, correction: true },
  { category: 'property-rights', close: -150 },
  { category: 'property-rights', close: lastYear('11-20') },
];

export function generateDemoData(now: Date, calendar: WorkingDayCalendar, seed = DEMO_SEED): DemoProject[] {
  const days = new DemoDays(now, calendar);
  const root = new Random(seed);
  const usedNames = new Set<string>();
  const serials = new Map<string, number>();
  const contextFor = (category: string): DemoContext => {
    const serial = (serials.get(category) ?? 0) + 1;
    serials.set(category, serial);
    return { days, rng: root.fork(`${category}-${serial}`), serial };
  };
  const yearOf = (offset: number) => Number(days.day(offset).slice(0, 4));
  const lastYear: LastYear = (monthDay) => daysBetween(days.today, `${Number(days.today.slice(0, 4)) - 1}-${monthDay}`);

  const projects: DemoProject[] = [];
  for (const slot of worksPlan(lastYear)) {
    const ctx = contextFor(slot.category);
    const subject = unique(usedNames, () =>
      worksSubject(slot.category, ctx.rng.pick(DISTRICTS), ctx.rng, yearOf(slot.opening)),
    );
    projects.push(worksProject(slot, subject, ctx));
  }
  for (const slot of purchasePlan(lastYear)) {
    const ctx = contextFor(slot.category);
    const subject = unique(usedNames, () =>
      purchaseSubject(slot.category, slot.method, ctx.rng.pick(DISTRICTS), ctx.rng),
    );
    projects.push(purchaseProject(slot, subject, ctx));
  }
  for (const slot of transferPlan(lastYear)) {
    const ctx = contextFor(slot.category);
    const subject = unique(usedNames, () =>
      transferSubject(slot.category, ctx.rng.pick(DISTRICTS), ctx.rng, yearOf(slot.close), slot.mining),
    );
    projects.push(transferProject(slot, subject, ctx));
  }
  for (const slot of PROGRAMME_PLAN) {
    const ctx = contextFor(slot.category);
    const subject = unique(usedNames, () => ruralRoadProgramme(ctx.rng.pick(DISTRICTS), ctx.rng, yearOf(slot.opening)));
    projects.push(worksProject(slot, subject, ctx));
  }
  return projects;
}

/** Every notice of the data set in publication order (the order the seeder publishes them in). */
export function publicationOrder(projects: DemoProject[]): { project: number; notice: DemoNotice }[] {
  return projects
    .flatMap((p, project) => p.notices.map((notice) => ({ project, notice })))
    .sort((a, b) => a.notice.publishedAt.getTime() - b.notice.publishedAt.getTime());
}

function unique<T extends { name: string }>(used: Set<string>, make: () => T): T {
  for (let attempt = 0; attempt < 100; attempt++) {
    const subject = make();
    if (!used.has(subject.name)) {
      used.add(subject.name);
      return subject;
    }
  }
  throw new Error('demo data: ran out of distinct project names');
}
