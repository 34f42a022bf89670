import { chinaDate } from '../domain/china-time.js';
import { formatYuan } from '../domain/money.js';
import type { TimingRule } from '../domain/timing-rules.js';
import type { WorkingDayCalendar } from '../domain/working-days.js';
import { factPrice, yuanToFen } from './organization-facts.js';

/**
 * Integrity indicators (红旗指标): facts computed from published data that point a reviewer at a procedure, never
 * a finding of wrongdoing. Each has an id, a Chinese name, its definition, the data it reads, its thresholds and
 * its source (Open Contracting's Cardinal, ProZorro's risk rules, opentender). Pure: the index
 * (integrity-index.ts) feeds it a project's published notices and stores what it returns.
 */

/** Said wherever flags are shown: a flag is a pointer for review, never a finding. */
export const INTEGRITY_NOTICE =
  '红旗指标是依据已发布数据计算的提示，供监督和审查时参考，不是对任何单位或个人存在违法违规行为的认定。';

/** A flag's values or thresholds as one line of text ("bids=1；bidder=…"). */
export const describeValues = (v: Record<string, unknown>) =>
  Object.entries(v)
    .map(([k, x]) => `${k}=${Array.isArray(x) ? x.join('、') : String(x)}`)
    .join('；');

export type IndicatorId =
  | 'single-bid'
  | 'few-bids'
  | 'short-period'
  | 'identical-prices'
  | 'close-to-control'
  | 'narrow-margin'
  | 'wide-discount'
  | 'cheapest-rejected'
  | 'repeat-winner'
  | 'repeated-extensions';

export interface ThresholdSpec {
  key: string;
  label: string;
  /** Default value, as a decimal string. */
  value: string;
  min: number;
  max: number;
}

export interface Indicator {
  id: IndicatorId;
  /** Bumped whenever the rule's computation changes, so a stored figure names the rule that produced it. */
  version: number;
  name: string;
  definition: string;
  reads: string;
  source: string;
  thresholds: ThresholdSpec[];
  /** Per lot of a project, per project, per cohort (category and year) or per buyer, year and winner. */
  scope: 'lot' | 'project' | 'cohort' | 'buyer';
}

export const INDICATORS: Indicator[] = [
  {
    id: 'single-bid',
    version: 1,
    name: '仅一家投标',
    definition: '公开招标（公开招标采购）的开标记录中只有一个投标人。',
    reads: '开标记录的投标人；项目类别与采购方式',
    source: 'Open Contracting Cardinal R018（Single bid received）',
    thresholds: [],
    scope: 'lot',
  },
  {
    id: 'few-bids',
    version: 1,
    name: '不足三家投标即确定中标',
    definition:
      '公开招标项目已公布中标结果，而该标段的开标记录不足三个投标人（《招标投标法》第二十八条：投标人少于三个的，应当重新招标）。',
    reads: '开标记录的投标人数；中标结果',
    source: '《招标投标法》第二十八条（待确认）；ProZorro 风险规则（单一参与者）',
    thresholds: [{ key: 'minimumBids', label: '最少投标人数', value: '3', min: 2, max: 10 }],
    scope: 'lot',
  },
  {
    id: 'short-period',
    version: 1,
    name: '投标期限偏短',
    definition:
      '招标（采购）文件发出之日至（更正后的）投标截止之日，短于适用的法定最短期限，或短于最短期限加上设定的比例。',
    reads: '招标（采购）公告的文件发出时间、投标截止时间及其更正；时限规则中的法定最短期限',
    source: 'Open Contracting Cardinal R003（Short submission period）；本站时限规则',
    thresholds: [{ key: 'shareAboveMinimum', label: '高于法定最短期限的比例', value: '0', min: 0, max: 1 }],
    scope: 'project',
  },
  {
    id: 'identical-prices',
    version: 1,
    name: '投标报价相同',
    definition: '同一标段中两个或以上不同投标人的金额报价完全相同。',
    reads: '开标记录的投标报价（以金额报价者）',
    source: 'Open Contracting Cardinal R028（Identical bid prices）',
    thresholds: [],
    scope: 'lot',
  },
  {
    id: 'close-to-control',
    version: 1,
    name: '中标价贴近控制价',
    definition: '唯一中标人的中标价不高于招标控制价（最高限价），且与之相差不超过设定比例。',
    reads: '中标结果的中标价；招标公告、开标记录或更正中的招标控制价（最高限价）',
    source: '本站规则（参照 ProZorro 风险规则中的预算对比）',
    thresholds: [{ key: 'fraction', label: '与控制价相差不超过（比例）', value: '0.005', min: 0, max: 0.2 }],
    scope: 'lot',
  },
  {
    id: 'narrow-margin',
    version: 1,
    name: '中标价与次低价过于接近',
    definition:
      '（次低有效报价 − 中标价）÷ 中标价，低于同一交易类别、同一年度全部可比标段的 Tukey 下限 Q1 − 1.5×IQR。仅计中标人为最低有效报价且只有一个中标人的标段。',
    reads: '开标记录的金额报价；否决投标情况；中标结果',
    source: 'Open Contracting Cardinal R024（Price close to winning bid）',
    thresholds: [{ key: 'minimumCohort', label: '计算四分位数所需的最少标段数', value: '20', min: 5, max: 1000 }],
    scope: 'cohort',
  },
  {
    id: 'wide-discount',
    version: 1,
    name: '中标价远低于次低价',
    definition:
      '（次低有效报价 − 中标价）÷ 中标价，高于同一交易类别、同一年度全部可比标段的 Tukey 上限 Q3 + 1.5×IQR。仅计中标人为最低有效报价且只有一个中标人的标段。',
    reads: '开标记录的金额报价；否决投标情况；中标结果',
    source: 'Open Contracting Cardinal R058（Heavily discounted bid）',
    thresholds: [{ key: 'minimumCohort', label: '计算四分位数所需的最少标段数', value: '20', min: 5, max: 1000 }],
    scope: 'cohort',
  },
  {
    id: 'cheapest-rejected',
    version: 1,
    name: '最低价未中标',
    definition:
      '评标办法为经评审的最低投标价法或最低评标价法，而最低金额报价被否决或未中标。评标办法未记录的项目不计算。',
    reads: '招标（采购）公告的评标办法；开标记录的金额报价；否决投标情况；中标结果',
    source: 'Open Contracting Cardinal R036（Lowest bid disqualified）',
    thresholds: [],
    scope: 'lot',
  },
  {
    id: 'repeat-winner',
    version: 1,
    name: '中标集中于同一单位',
    definition:
      '一个招标人（采购人）某年度的全部中标中，同一中标人所占份额超过设定比例（该招标人当年中标次数达到最少次数时才计算）。',
    reads: '中标结果的中标人；项目的招标人、采购人',
    source: 'opentender（DIGIWHIST）winner share；ProZorro 风险规则',
    thresholds: [
      { key: 'share', label: '份额超过', value: '0.5', min: 0.1, max: 1 },
      { key: 'minimumAwards', label: '招标人当年最少中标次数', value: '5', min: 2, max: 1000 },
    ],
    scope: 'buyer',
  },
  {
    id: 'repeated-extensions',
    version: 1,
    name: '投标截止时间多次变更',
    definition: '投标截止时间经更正公告变更的次数达到设定次数。',
    reads: '更正公告中变更的投标截止时间',
    source: '本站规则',
    thresholds: [{ key: 'moves', label: '变更次数达到', value: '2', min: 1, max: 20 }],
    scope: 'project',
  },
];

export const indicatorById = (id: string) => INDICATORS.find((i) => i.id === id);

/** Threshold values by indicator and key (the defaults, or an administrator's settings). */
export type Thresholds = Record<string, Record<string, number>>;

export function defaultThresholds(): Thresholds {
  return Object.fromEntries(
    INDICATORS.map((i) => [i.id, Object.fromEntries(i.thresholds.map((t) => [t.key, Number(t.value)]))]),
  );
}

// ---- a project's lots as the indicators read them ----------------------------------------------------

/** A published notice of the project, in publication order; withdrawn ones are left out by the caller. */
export interface TrailNotice {
  id: string;
  type: string;
  details: Record<string, unknown>;
  publishedAt: Date;
}

export interface ProjectInput {
  id: string;
  category: string;
  family: string;
  regionCode: string;
  procurementMethod: string | null;
}

interface Bid {
  creditCode: string;
  name: string;
  fen: bigint | null;
}

/** What the lot-level indicators read of one lot ('' when the project has no lots). */
export interface LotFacts {
  lotCode: string;
  open: boolean;
  evaluationMethod: string | null;
  /** The latest bid-opening record of the lot, null when none is published. */
  bids: Bid[] | null;
  rejected: Set<string>;
  winners: { creditCode: string; fen: bigint | null }[] | null;
  controlFen: bigint | null;
  /** The notice whose publication the lot's facts last changed with. */
  noticeId: string;
  year: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (d: Obj, key: string) => (Array.isArray(d[key]) ? (d[key] as unknown[]).filter(isObj) : []);
const str = (v: unknown) => (typeof v === 'string' && v ? v : '');
const amountFen = (v: unknown): bigint | null => {
  const p = factPrice(v);
  return p?.yuan ? yuanToFen(p.yuan) : null;
};

const OPEN_METHODS = ['open-tender'];
export const LOWEST_PRICE_METHODS = ['lowest-price', 'lowest-evaluated-price'];

/** The lots of a project as its published, not withdrawn, notices leave them. */
export function lotFacts(project: ProjectInput, trail: TrailNotice[]): LotFacts[] {
  const announcement = [...trail].reverse().find((n) => ['tender', 'procurement', 'prequalification'].includes(n.type));
  const open =
    project.family === 'construction'
      ? announcement !== undefined
      : project.family === 'procurement' &&
        OPEN_METHODS.includes(str(announcement?.details.method) || project.procurementMethod || '');
  const evaluationMethod = str(announcement?.details.evaluationMethod) || null;
  let projectControl: bigint | null =
    amountFen(announcement?.details.controlPrice) ?? amountFen(announcement?.details.maxPrice);
  const lots = new Map<string, LotFacts>();
  const lot = (code: string, n: TrailNotice) => {
    let l = lots.get(code);
    if (!l) {
      l = {
        lotCode: code,
        open,
        evaluationMethod,
        bids: null,
        rejected: new Set(),
        winners: null,
        controlFen: null,
        noticeId: n.id,
        year: chinaDate(n.publishedAt).slice(0, 4),
      };
      lots.set(code, l);
    }
    l.noticeId = n.id;
    l.year = chinaDate(n.publishedAt).slice(0, 4);
    return l;
  };
  for (const n of trail) {
    const d = n.details;
    if (n.type === 'correction' && isObj(d.changes)) {
      projectControl = amountFen(d.changes.controlPrice) ?? projectControl;
    } else if (n.type === 'bid-opening') {
      const l = lot(str(d.lotCode), n);
      l.bids = list(d, 'bids').map((b) => ({
        creditCode: str(b.creditCode),
        name: str(b.bidder),
        fen: amountFen(b.price),
      }));
      l.controlFen = amountFen(d.controlPrice) ?? l.controlFen;
    } else if (n.type === 'candidates' || n.type === 'result') {
      for (const r of list(d, 'rejectedBids')) lot(str(r.lotCode) || str(d.lotCode), n).rejected.add(str(r.creditCode));
      if (n.type === 'result') {
        const byLot = new Map<string, { creditCode: string; fen: bigint | null }[]>();
        for (const w of list(d, 'winners')) {
          const code = str(w.lotCode);
          byLot.set(code, [...(byLot.get(code) ?? []), { creditCode: str(w.creditCode), fen: amountFen(w.price) }]);
        }
        for (const [code, winners] of byLot) lot(code, n).winners = winners;
      }
    }
  }
  for (const l of lots.values()) l.controlFen ??= projectControl;
  return [...lots.values()];
}

/** A raised flag: the values that raised it, as they are shown and exported. */
export interface RaisedFlag {
  indicator: IndicatorId;
  lotCode: string;
  values: Record<string, string | number | string[]>;
}

const yuan = formatYuan;

/** The lot-level indicators of one lot. */
export function lotFlags(l: LotFacts, t: Thresholds): RaisedFlag[] {
  const flags: RaisedFlag[] = [];
  const raise = (indicator: IndicatorId, values: RaisedFlag['values']) =>
    flags.push({ indicator, lotCode: l.lotCode, values });
  const bids = l.bids;
  if (bids && l.open && bids.length === 1) raise('single-bid', { bids: 1, bidder: bids[0].creditCode });
  if (bids && l.open && l.winners?.length && bids.length < t['few-bids'].minimumBids)
    raise('few-bids', { bids: bids.length, minimumBids: t['few-bids'].minimumBids });
  if (bids) {
    const byPrice = new Map<bigint, Set<string>>();
    for (const b of bids) if (b.fen !== null) byPrice.set(b.fen, (byPrice.get(b.fen) ?? new Set()).add(b.creditCode));
    for (const [fen, codes] of [...byPrice].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      if (codes.size > 1) raise('identical-prices', { priceYuan: yuan(fen), bidders: [...codes].sort() });
  }
  const only = l.winners?.length === 1 ? l.winners[0] : null;
  if (only?.fen != null && l.controlFen !== null && l.controlFen > 0n && only.fen <= l.controlFen) {
    const gap = Number(l.controlFen - only.fen) / Number(l.controlFen);
    if (gap <= t['close-to-control'].fraction)
      raise('close-to-control', {
        winningYuan: yuan(only.fen),
        controlYuan: yuan(l.controlFen),
        gap: round(gap, 6),
        fraction: t['close-to-control'].fraction,
      });
  }
  if (bids && l.evaluationMethod && LOWEST_PRICE_METHODS.includes(l.evaluationMethod)) {
    const priced = bids.filter((b) => b.fen !== null);
    const lowest = priced.reduce<Bid | null>((m, b) => (m === null || b.fen! < m.fen! ? b : m), null);
    if (lowest && priced.filter((b) => b.fen === lowest.fen).length === 1) {
      const rejected = l.rejected.has(lowest.creditCode);
      const lost = l.winners !== null && !l.winners.some((w) => w.creditCode === lowest.creditCode);
      if (rejected || lost)
        raise('cheapest-rejected', {
          lowestBidder: lowest.creditCode,
          lowestYuan: yuan(lowest.fen!),
          rejected: rejected ? 'yes' : 'no',
          evaluationMethod: l.evaluationMethod,
        });
    }
  }
  return flags;
}

/**
 * The ratio R024 and R058 compare across a cohort: (second-lowest valid amount − winning amount) / winning amount,
 * for a lot with exactly one winner who made the lowest valid amount; null when the lot does not qualify.
 */
export function marginRatio(l: LotFacts): number | null {
  if (!l.bids || l.winners?.length !== 1) return null;
  const win = l.winners[0];
  const valid = l.bids
    .filter((b) => b.fen !== null && !l.rejected.has(b.creditCode))
    .sort((a, b) => (a.fen! < b.fen! ? -1 : a.fen! > b.fen! ? 1 : 0));
  if (valid.length < 2 || win.fen === null || valid[0].creditCode !== win.creditCode || valid[0].fen !== win.fen)
    return null;
  if (win.fen <= 0n) return null;
  return round(Number(valid[1].fen! - win.fen) / Number(win.fen), 8);
}

/** Project-level indicators: the bidding period and the deadline's corrections. */
export function projectFlags(
  project: ProjectInput,
  trail: TrailNotice[],
  rules: TimingRule[],
  calendar: WorkingDayCalendar,
  t: Thresholds,
): RaisedFlag[] {
  const flags: RaisedFlag[] = [];
  const announcement = [...trail].reverse().find((n) => ['tender', 'procurement'].includes(n.type));
  if (!announcement) return flags;
  const from = str(announcement.details.documentsFrom);
  let deadline = str(announcement.details.bidDeadline);
  let moves = 0;
  for (const n of trail) {
    if (n.type !== 'correction' || !isObj(n.details.changes)) continue;
    const moved = str(n.details.changes.bidDeadline);
    if (moved && moved !== deadline) {
      deadline = moved;
      moves++;
    }
  }
  if (moves >= t['repeated-extensions'].moves)
    flags.push({ indicator: 'repeated-extensions', lotCode: '', values: { moves, deadline } });
  if (from && deadline) {
    const method = str(announcement.details.method) || project.procurementMethod || undefined;
    const rule = rules.find(
      (r) =>
        r.enabled &&
        r.from === 'documentsFrom' &&
        r.to === 'bidDeadline' &&
        r.comparison === 'at-least' &&
        (r.families.length === 0 || r.families.includes(project.family)) &&
        (r.categories.length === 0 || r.categories.includes(project.category)) &&
        (r.noticeTypes.length === 0 || r.noticeTypes.includes(announcement.type)) &&
        (r.methods.length === 0 || (method !== undefined && r.methods.includes(method))),
    );
    if (rule) {
      const share = t['short-period'].shareAboveMinimum;
      const needed = Math.ceil(rule.amount * (1 + share) - 1e-9);
      const start = chinaDate(new Date(from));
      const end = chinaDate(new Date(deadline));
      let required: string | undefined;
      try {
        required = calendar.periodEnd(start, needed, rule.unit);
      } catch {
        // A year whose working-day calendar is not loaded: not computed (publication itself is not held up).
      }
      if (required !== undefined && end < required)
        flags.push({
          indicator: 'short-period',
          lotCode: '',
          values: {
            documentsFrom: start,
            bidDeadline: end,
            minimum: rule.amount,
            unit: rule.unit === 'working-days' ? '工作日' : '日',
            threshold: needed,
            rule: rule.code,
          },
        });
    }
  }
  return flags;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

// ---- cohort fences -----------------------------------------------------------------------------------

export interface Fences {
  n: number;
  q1: number;
  q3: number;
  low: number;
  high: number;
}

/**
 * Tukey's fences of a cohort's ratios (sorted ascending): Q1 and Q3 by linear interpolation between closest ranks
 * (the method of numpy's default and Excel's QUARTILE.INC); none while n is below the minimum or the IQR is 0.
 */
export function tukeyFences(sorted: number[], minimum: number): Fences | null {
  const n = sorted.length;
  if (n < minimum || n < 2) return null;
  const q = (p: number) => {
    const pos = (n - 1) * p;
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
  };
  const q1 = round(q(0.25), 8);
  const q3 = round(q(0.75), 8);
  const iqr = q3 - q1;
  if (iqr <= 0) return null;
  return { n, q1, q3, low: round(q1 - 1.5 * iqr, 8), high: round(q3 + 1.5 * iqr, 8) };
}
