import { categoryBySlug, CATEGORIES, noticeTypeBySlug, type Family, type NoticeStage } from '../domain/catalog.js';
import { parseAmount } from '../domain/money.js';

/**
 * The yearly disclosure figures (年度信息公开统计) as pure functions of published data. The definitions here are
 * the ones documented on the page and in the README; every amount is integer fen in a bigint, never a float.
 */
export const STAGES: readonly NoticeStage[] = ['announcement', 'process', 'result', 'performance'];

/** Notice types whose publication completes a project (成交). */
export const COMPLETION_TYPES = ['result', 'deal', 'contract'] as const;

/** A project whose first completion notice was published in the year, with its completion notices to the year's end. */
export interface CompletedProject {
  id: string;
  category: string;
  priceKind: string;
  priceFen: bigint | null;
  fullyOnline: boolean;
  /** Not withdrawn, in publication order. */
  completions: { type: string; details: Record<string, unknown> }[];
}

export interface YearFacts {
  noticesByType: { type: string; count: bigint }[];
  completed: CompletedProject[];
}

export interface PriceComparison {
  projects: number;
  /** Budgets (savings) or reserve prices (premium). */
  baseFen: bigint;
  dealFen: bigint;
  /** base − deal for savings, deal − base for premium. */
  differenceFen: bigint;
}

export interface YearFigures {
  items: Record<NoticeStage, bigint>;
  itemsTotal: bigint;
  categories: { slug: string; completed: bigint; amountFen: bigint; withoutAmount: bigint }[];
  completed: bigint;
  amountFen: bigint;
  savings: PriceComparison;
  premium: PriceComparison;
  fullyOnline: bigint;
}

/**
 * A completed project's transaction amount (成交金额): per lot, the winners' prices (amount form) of the latest
 * result notice naming that lot, or the deal price of the latest deal notice; when that is not an amount (a rate,
 * a discount) or there is none, the sum of its contract amounts; otherwise unknown (null).
 */
export function transactionAmountFen(completions: CompletedProject['completions']): bigint | null {
  const byLot = new Map<string, bigint | null>();
  const contracts: (bigint | undefined)[] = [];
  for (const { type, details } of completions) {
    if (type === 'result') {
      const lots = new Map<string, bigint | null>();
      for (const w of (details.winners as { lotCode?: string; price?: { form?: string } }[] | undefined) ?? []) {
        const lot = w.lotCode ?? '';
        const fen = w.price?.form === 'amount' ? fenOf(w.price) : undefined;
        const sum = lots.has(lot) ? lots.get(lot)! : 0n;
        lots.set(lot, sum === null || fen === undefined ? null : sum + fen);
      }
      for (const [lot, fen] of lots) byLot.set(lot, fen);
    } else if (type === 'deal') {
      byLot.set('', fenOf(details.dealPrice) ?? null);
    } else if (type === 'contract') {
      contracts.push(fenOf(details.amount));
    }
  }
  const awards = [...byLot.values()];
  if (awards.length && awards.every((v) => v !== null)) return sum(awards as bigint[]);
  if (contracts.length && contracts.every((v) => v !== undefined)) return sum(contracts as bigint[]);
  return null;
}

/** The fen of a stored amount or price ({ yuan: "1234.50", … }); undefined for a rate or anything else. */
function fenOf(v: unknown): bigint | undefined {
  const yuan = (v as { yuan?: unknown } | null)?.yuan;
  return typeof yuan === 'string' ? parseAmount(yuan, '元') : undefined;
}

const sum = (values: bigint[]) => values.reduce((a, b) => a + b, 0n);
const familyOf = (category: string): Family | undefined => categoryBySlug(category)?.family;

export function yearFigures(facts: YearFacts): YearFigures {
  const items = Object.fromEntries(STAGES.map((s) => [s, 0n])) as Record<NoticeStage, bigint>;
  for (const { type, count } of facts.noticesByType) {
    const stage = noticeTypeBySlug(type)?.stage;
    if (stage) items[stage] += count;
  }
  const categories = CATEGORIES.map((c) => ({
    slug: c.slug as string,
    completed: 0n,
    amountFen: 0n,
    withoutAmount: 0n,
  }));
  const savings: PriceComparison = { projects: 0, baseFen: 0n, dealFen: 0n, differenceFen: 0n };
  const premium: PriceComparison = { projects: 0, baseFen: 0n, dealFen: 0n, differenceFen: 0n };
  let fullyOnline = 0n;
  for (const p of facts.completed) {
    const row = categories.find((c) => c.slug === p.category);
    const amount = transactionAmountFen(p.completions);
    if (row) {
      row.completed += 1n;
      if (amount === null) row.withoutAmount += 1n;
      else row.amountFen += amount;
    }
    if (p.fullyOnline) fullyOnline += 1n;
    if (amount === null || p.priceFen === null) continue;
    const family = familyOf(p.category);
    if (family !== 'transfer' && p.priceKind === 'budget') add(savings, p.priceFen, amount, p.priceFen - amount);
    if (family === 'transfer' && p.priceKind === 'reserve') add(premium, p.priceFen, amount, amount - p.priceFen);
  }
  return {
    items,
    itemsTotal: sum(Object.values(items)),
    categories,
    completed: sum(categories.map((c) => c.completed)),
    amountFen: sum(categories.map((c) => c.amountFen)),
    savings,
    premium,
    fullyOnline,
  };
}

function add(c: PriceComparison, base: bigint, deal: bigint, difference: bigint) {
  c.projects += 1;
  c.baseFen += base;
  c.dealFen += deal;
  c.differenceFen += difference;
}

/** part / whole as a percentage with one decimal, rounded half away from zero ("8.3"); null without a base. */
export function percent(part: bigint, whole: bigint): string | null {
  if (whole === 0n) return null;
  const scaled = (part * 2000n) / whole; // tenths of a percent, doubled, for rounding
  const tenths = scaled >= 0n ? (scaled + 1n) / 2n : -((-scaled + 1n) / 2n);
  const abs = tenths < 0n ? -tenths : tenths;
  return `${tenths < 0n ? '-' : ''}${abs / 10n}.${abs % 10n}`;
}

/** The change on the previous year in percent ("18.7", "-5.0"); null when the previous year had nothing. */
export const percentChange = (current: bigint, previous: bigint) => percent(current - previous, previous);
