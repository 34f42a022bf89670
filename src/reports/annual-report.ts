import {
  APPLICANT_TYPES,
  LAWSUIT_ROUTES,
  OUTCOME_GROUPS,
  OUTCOME_REASONS,
  REVIEW_OUTCOMES,
  type ApplicantType,
} from '../domain/disclosure.js';
import { formatMoney } from '../portal/view-helpers.js';
import { percentChange, type YearFigures } from '../statistics/figures.js';
import { figureGroups, type FigureGroup } from '../statistics/report.js';
import { canonicalJson, sha256Hex } from '../transparency/canonical.js';

/**
 * The yearly report on government information disclosure (政府信息公开工作年度报告) as a pure function of the
 * year's figures, the requests and reviews on record and the staff's texts, in the six parts of the national
 * template (国办公开办函〔2021〕30号, table 三 and 四 as recalled; to confirm against the published text).
 *
 * What is counted in a year (calendar year, China dates 'YYYY-MM-DD', Y-01-01 … Y-12-31):
 * - table 三 一、本年新收: requests received (received_on) in the year;
 *   二、上年结转: received before the year and not answered before it (answered_on null or ≥ Y-01-01);
 *   三、本年度办理结果: answered (answered_on) in the year, by outcome and reason (a request deemed withdrawn counts
 *   under 其他处理 with its answered_on, as the disclosure office records it);
 *   四、结转下年度继续办理: received up to Y-12-31 and not answered by it.
 *   So 一 + 二 = 三（七）总计 + 四 for every column.
 * - table 四: a case is in the year's table when it was filed in the year, or filed before and not decided before
 *   Y-01-01 (carried in). It counts under its outcome when decided (decided_on) within the year, otherwise under
 *   尚未审结 (still open on Y-12-31). A case filed in one year and decided in the next thus appears in both years'
 *   reports: as 尚未审结 in the first and with its result in the second.
 *
 * The result is plain JSON (numbers as numbers, amounts in fen as decimal strings) so that it can be frozen at
 * publication as canonical JSON with its SHA-256 (contentHashOf).
 */

export interface RequestFact {
  applicantType: string;
  receivedOn: string;
  outcome: string | null;
  outcomeReason: string | null;
  answeredOn: string | null;
}

export interface ReviewFact {
  kind: string;
  lawsuitRoute: string | null;
  outcome: string;
  filedOn: string;
  decidedOn: string | null;
}

/** Previous-year figures entered by staff for a year the portal was not yet used; each replaces the computed one. */
export interface Baseline {
  itemsTotal?: number;
  completed?: number;
  /** Transaction amount in fen (decimal string). */
  amountFen?: string;
  requestsReceived?: number;
}

export const BASELINE_FIELDS = [
  { key: 'itemsTotal', label: '上年公开公共资源交易信息（条）', kind: 'count' },
  { key: 'completed', label: '上年完成交易项目（个）', kind: 'count' },
  { key: 'amountFen', label: '上年交易金额（元）', kind: 'amount' },
  { key: 'requestsReceived', label: '上年新收政府信息公开申请（件）', kind: 'count' },
] as const;

export interface StaffTexts {
  overview: string;
  problems: string;
  other: string;
}

export interface ReportInput {
  year: number;
  organisation: string;
  current: YearFigures;
  previous: YearFigures;
  requests: RequestFact[];
  reviews: ReviewFact[];
  baseline: Baseline;
  texts: StaffTexts;
}

/** A figure of a table (bigint values as decimal strings). */
export interface ReportFigure {
  item: string;
  kind: 'count' | 'amount' | 'percent';
  unit: string;
  current: string | null;
  previous: string | null;
  /** Change on the previous year in percent ("18.7"), null without a base. */
  change: string | null;
  /** The previous year's value was entered by staff (not computed from the portal's data). */
  entered?: boolean;
}

export interface ReportTable {
  key: string;
  title: string;
  rows: ReportFigure[];
}

export interface RequestRow {
  key: string;
  label: string;
  /** 0: a numbered part (一、…), 1: an outcome (（一）…), 2: a reason (1. …). */
  level: number;
  /** One count per column (the six applicant types, then 总计); null for a heading row of the template. */
  cells: number[] | null;
}

export const REVIEW_COLUMNS = [
  ...REVIEW_OUTCOMES.map((o) => ({ code: o.code, label: o.label })),
  { code: 'total', label: '总计' },
];
export type ReviewCells = Record<'upheld' | 'corrected' | 'other' | 'pending' | 'total', number>;

export interface AnnualReport {
  /** The shape of this JSON: bumped if it ever changes, so a frozen report is read by the right code. */
  format: 1;
  year: number;
  title: string;
  organisation: string;
  overview: { summary: string; text: string; figures: ReportFigure[] };
  proactive: { tables: ReportTable[] };
  requests: { columns: { code: string; label: string }[]; rows: RequestRow[] };
  reviews: {
    columns: { code: string; label: string }[];
    groups: { key: 'reconsideration' | 'direct' | 'after-reconsideration'; label: string; cells: ReviewCells }[];
  };
  problems: string;
  other: string;
  baseline: Baseline;
}

// ---- part 三 --------------------------------------------------------------------------------------------------

export const REQUEST_COLUMNS = [
  ...APPLICANT_TYPES.map((a) => ({ code: a.code, label: a.label })),
  { code: 'total', label: '总计' },
];

const CN = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** The rows of table 三 with the predicate of each counted row. */
function requestRowDefs(year: number) {
  const start = `${year}-01-01`;
  const end = `${year}-12-31`;
  const answeredInYear = (r: RequestFact) => !!r.answeredOn && r.answeredOn >= start && r.answeredOn <= end;
  const defs: { key: string; label: string; level: number; counts?: (r: RequestFact) => boolean }[] = [
    {
      key: 'received',
      label: '一、本年新收政府信息公开申请数量',
      level: 0,
      counts: (r) => r.receivedOn >= start && r.receivedOn <= end,
    },
    {
      key: 'carried-over',
      label: '二、上年结转政府信息公开申请数量',
      level: 0,
      counts: (r) => r.receivedOn < start && (!r.answeredOn || r.answeredOn >= start),
    },
    { key: 'results', label: '三、本年度办理结果', level: 0 },
  ];
  OUTCOME_GROUPS.forEach((g, i) => {
    const reasons = OUTCOME_REASONS.filter((r) => r.group === g.code);
    defs.push({
      key: `outcome:${g.code}`,
      label: `（${CN[i]}）${g.label}`,
      level: 1,
      counts: reasons.length ? undefined : (r) => answeredInYear(r) && r.outcome === g.code,
    });
    reasons.forEach((reason, j) =>
      defs.push({
        key: `outcome:${g.code}:${reason.code}`,
        label: `${j + 1}.${reason.label}`,
        level: 2,
        counts: (r) => answeredInYear(r) && r.outcome === g.code && r.outcomeReason === reason.code,
      }),
    );
  });
  defs.push({
    key: 'answered-total',
    label: `（${CN[OUTCOME_GROUPS.length]}）总计`,
    level: 1,
    counts: (r) => answeredInYear(r) && !!r.outcome,
  });
  defs.push({
    key: 'carried-forward',
    label: '四、结转下年度继续办理',
    level: 0,
    counts: (r) => r.receivedOn <= end && (!r.answeredOn || r.answeredOn > end),
  });
  return defs;
}

export function requestTable(year: number, requests: RequestFact[]): RequestRow[] {
  const types = APPLICANT_TYPES.map((a) => a.code as string);
  return requestRowDefs(year).map((d) => {
    if (!d.counts) return { key: d.key, label: d.label, level: d.level, cells: null };
    const cells = types.map(() => 0);
    for (const r of requests) {
      const col = types.indexOf(r.applicantType as ApplicantType);
      if (col >= 0 && d.counts(r)) cells[col] += 1;
    }
    return { key: d.key, label: d.label, level: d.level, cells: [...cells, cells.reduce((a, b) => a + b, 0)] };
  });
}

// ---- part 四 --------------------------------------------------------------------------------------------------

export function reviewTable(year: number, reviews: ReviewFact[]): AnnualReport['reviews'] {
  const start = `${year}-01-01`;
  const end = `${year}-12-31`;
  const empty = (): ReviewCells => ({ upheld: 0, corrected: 0, other: 0, pending: 0, total: 0 });
  const groups: AnnualReport['reviews']['groups'] = [
    { key: 'reconsideration', label: '行政复议', cells: empty() },
    { key: 'direct', label: `行政诉讼·${LAWSUIT_ROUTES[0].label}`, cells: empty() },
    { key: 'after-reconsideration', label: `行政诉讼·${LAWSUIT_ROUTES[1].label}`, cells: empty() },
  ];
  for (const r of reviews) {
    if (r.filedOn > end) continue;
    const decided = r.outcome !== 'pending' && !!r.decidedOn;
    if (decided && r.decidedOn! < start) continue;
    const key =
      r.kind === 'reconsideration'
        ? 'reconsideration'
        : r.lawsuitRoute === 'after-reconsideration'
          ? 'after-reconsideration'
          : 'direct';
    const cells = groups.find((g) => g.key === key)!.cells;
    const column = decided && r.decidedOn! <= end ? (r.outcome as keyof ReviewCells) : 'pending';
    if (!(column in cells)) continue;
    cells[column] += 1;
    cells.total += 1;
  }
  return { columns: REVIEW_COLUMNS, groups };
}

// ---- parts 一 and 二 --------------------------------------------------------------------------------------------

const str = (v: bigint | string | null) => (v === null ? null : String(v));

/** The previous year's figures with what staff entered in place of the computed ones. */
function withBaseline(previous: YearFigures, b: Baseline): YearFigures {
  return {
    ...previous,
    itemsTotal: b.itemsTotal !== undefined ? BigInt(b.itemsTotal) : previous.itemsTotal,
    completed: b.completed !== undefined ? BigInt(b.completed) : previous.completed,
    amountFen: b.amountFen !== undefined ? BigInt(b.amountFen) : previous.amountFen,
  };
}

const tableOf = (g: FigureGroup, entered: (item: string) => boolean): ReportTable => ({
  key: g.key,
  title: g.title,
  rows: g.rows.map((r) => ({
    item: r.item,
    kind: r.kind,
    unit: r.unit,
    current: str(r.current),
    previous: str(r.previous),
    change: r.change,
    ...(entered(r.item) ? { entered: true } : {}),
  })),
});

/** "同比增长18.7%", "同比下降5.0%", "与上年持平", or "" without a base. */
export function changePhrase(change: string | null): string {
  if (change === null) return '';
  if (/^-?0\.0$/.test(change)) return '与上年持平';
  return change.startsWith('-') ? `同比下降${change.slice(1)}%` : `同比增长${change}%`;
}

const grouped = (n: bigint | number) => n.toString().replace(/\B(?=(\d{3})+$)/g, ',');

export function computeAnnualReport(input: ReportInput): AnnualReport {
  const { year, current, baseline } = input;
  const previous = withBaseline(input.previous, baseline);
  const groups = figureGroups(current, previous);
  const enteredTotal: Record<string, boolean> = {
    items: baseline.itemsTotal !== undefined,
    completed: baseline.completed !== undefined,
    amount: baseline.amountFen !== undefined,
  };
  const tables = groups.map((g) => tableOf(g, (item) => item === '合计' && !!enteredTotal[g.key]));

  const requestRows = requestTable(year, input.requests);
  const receivedNow = BigInt(requestRows.find((r) => r.key === 'received')!.cells!.at(-1)!);
  const computedPrevious = requestTable(year - 1, input.requests)
    .find((r) => r.key === 'received')!
    .cells!.at(-1)!;
  const receivedBefore = BigInt(baseline.requestsReceived ?? computedPrevious);
  const total = (key: string) => tables.find((t) => t.key === key)!.rows.find((r) => r.item === '合计')!;
  const figure = (key: string, item: string): ReportFigure => {
    const row = tables.find((t) => t.key === key)!.rows.find((r) => r.item === item)!;
    return { ...row, item: key === 'savings' || key === 'premium' ? item : row.item };
  };
  const figures: ReportFigure[] = [
    { ...total('items'), item: '公开公共资源交易信息' },
    { ...total('completed'), item: '完成交易项目' },
    { ...total('amount'), item: '交易金额' },
    figure('savings', '节约资金'),
    figure('premium', '增值金额'),
    {
      item: '新收政府信息公开申请',
      kind: 'count',
      unit: '件',
      current: String(receivedNow),
      previous: String(receivedBefore),
      change: percentChange(receivedNow, receivedBefore),
      ...(baseline.requestsReceived !== undefined ? { entered: true } : {}),
    },
  ];
  const amountText = (v: string | null) => (v === null ? '—' : formatMoney(BigInt(v)));
  const clause = (text: string, change: string | null) => {
    const phrase = changePhrase(change);
    return phrase ? `${text}，${phrase}` : text;
  };
  const [items, completed, amount, savings, premium, requests] = figures;
  const reviewsTable = reviewTable(year, input.reviews);
  const reviewCases = reviewsTable.groups.reduce((s, g) => s + g.cells.total, 0);
  const summary =
    `${year}年，全年公开公共资源交易信息${grouped(BigInt(items.current!))}条` +
    `${changePhrase(items.change) ? `，${changePhrase(items.change)}` : ''}；` +
    `${clause(`完成交易项目${grouped(BigInt(completed.current!))}个`, completed.change)}；` +
    `${clause(`交易金额${amountText(amount.current)}`, amount.change)}；` +
    `节约资金${amountText(savings.current)}，国有资产和土地增值${amountText(premium.current)}；` +
    `${clause(`新收政府信息公开申请${grouped(receivedNow)}件`, requests.change)}；` +
    `涉及政府信息公开的行政复议、行政诉讼${reviewCases}件。`;
  return {
    format: 1,
    year,
    title: `${input.organisation}${year}年政府信息公开工作年度报告`,
    organisation: input.organisation,
    overview: { summary, text: input.texts.overview, figures },
    proactive: { tables },
    requests: { columns: REQUEST_COLUMNS, rows: requestRows },
    reviews: reviewsTable,
    problems: input.texts.problems,
    other: input.texts.other,
    baseline,
  };
}

/** The canonical form of a report (see src/transparency/canonical.ts) and its lowercase hex SHA-256. */
export function freeze(report: AnnualReport): { json: string; hash: string } {
  const json = canonicalJson(report);
  return { json, hash: sha256Hex(json) };
}
