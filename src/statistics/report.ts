import { CSV_BOM, csvCell, csvLines } from '../http/csv.js';
import { CATEGORIES, type NoticeStage } from '../domain/catalog.js';
import { formatMoney } from '../portal/view-helpers.js';
import { formatYuan } from '../domain/money.js';
import { barChart, type BarChart } from './chart.js';
import { percent, percentChange, STAGES, type PriceComparison, type YearFigures } from './figures.js';

/**
 * The year's figures laid out once, as rows (indicator, item, this year, last year, change), from which both the
 * page and the CSV are made, so they cannot disagree.
 */
export const STAGE_LABELS: Record<NoticeStage, string> = {
  announcement: '交易公告（含更正、撤回）',
  process: '交易过程（开标记录、竞价过程等）',
  result: '交易结果（候选人、中标成交结果、终止）',
  performance: '合同履约（合同、履约信息）',
};

export type Kind = 'count' | 'amount' | 'percent';

export interface FigureRow {
  item: string;
  kind: Kind;
  unit: string;
  current: bigint | string | null;
  previous: bigint | string | null;
  /** Change on the previous year in percent; null: no base (or not meaningful for a rate). */
  change: string | null;
}

export interface FigureGroup {
  key: string;
  title: string;
  rows: FigureRow[];
  /** The rows charted (without the total), or none. */
  chart?: { series: 'both' | 'current' };
}

const count = (item: string, unit: string, current: bigint, previous: bigint): FigureRow => ({
  item,
  kind: 'count',
  unit,
  current,
  previous,
  change: percentChange(current, previous),
});
const amount = (item: string, current: bigint, previous: bigint): FigureRow => ({
  item,
  kind: 'amount',
  unit: '元',
  current,
  previous,
  change: percentChange(current, previous),
});
const rate = (item: string, current: string | null, previous: string | null): FigureRow => ({
  item,
  kind: 'percent',
  unit: '%',
  current,
  previous,
  change: null,
});

function comparisonRows(
  base: string,
  deal: string,
  difference: string,
  rateLabel: string,
  c: PriceComparison,
  p: PriceComparison,
): FigureRow[] {
  return [
    count('计入项目', '个', BigInt(c.projects), BigInt(p.projects)),
    amount(base, c.baseFen, p.baseFen),
    amount(deal, c.dealFen, p.dealFen),
    amount(difference, c.differenceFen, p.differenceFen),
    rate(rateLabel, percent(c.differenceFen, c.baseFen), percent(p.differenceFen, p.baseFen)),
  ];
}

export function figureGroups(current: YearFigures, previous: YearFigures): FigureGroup[] {
  const category = (slug: string, f: YearFigures) => f.categories.find((c) => c.slug === slug)!;
  return [
    {
      key: 'items',
      title: '发布信息',
      chart: { series: 'both' },
      rows: [
        ...STAGES.map((s) => count(STAGE_LABELS[s], '条', current.items[s], previous.items[s])),
        count('合计', '条', current.itemsTotal, previous.itemsTotal),
      ],
    },
    {
      key: 'completed',
      title: '完成交易项目',
      chart: { series: 'current' },
      rows: [
        ...CATEGORIES.map((c) =>
          count(c.name, '个', category(c.slug, current).completed, category(c.slug, previous).completed),
        ),
        count('合计', '个', current.completed, previous.completed),
      ],
    },
    {
      key: 'amount',
      title: '交易金额',
      chart: { series: 'current' },
      rows: [
        ...CATEGORIES.map((c) =>
          amount(c.name, category(c.slug, current).amountFen, category(c.slug, previous).amountFen),
        ),
        amount('合计', current.amountFen, previous.amountFen),
        count('其中成交金额不明的项目', '个', sumWithout(current), sumWithout(previous)),
      ],
    },
    {
      key: 'savings',
      title: '节约资金（工程建设、政府采购等）',
      rows: comparisonRows('预算金额', '中标（成交）金额', '节约资金', '节约率', current.savings, previous.savings),
    },
    {
      key: 'premium',
      title: '国有资产和土地增值（出让、产权交易）',
      rows: comparisonRows('底价（起始价）', '成交金额', '增值金额', '增值率', current.premium, previous.premium),
    },
    {
      key: 'online',
      title: '全流程电子化交易',
      rows: [
        count('全流程电子化交易的完成项目', '个', current.fullyOnline, previous.fullyOnline),
        rate(
          '占完成项目的比例',
          percent(current.fullyOnline, current.completed),
          percent(previous.fullyOnline, previous.completed),
        ),
      ],
    },
  ];
}

const sumWithout = (f: YearFigures) => f.categories.reduce((s, c) => s + c.withoutAmount, 0n);

// ---- display ------------------------------------------------------------------------------------------------

const NONE = '—';
const grouped = (n: bigint) => n.toString().replace(/\B(?=(\d{3})+$)/g, ',');

/** A figure as the page shows it (tables, summary cards and charts alike): counts grouped, amounts by the money rule, rates with %. */
export function displayValue(kind: Kind, v: bigint | string | null, unit: string): string {
  if (v === null) return NONE;
  if (kind === 'percent') return `${v}%`;
  if (kind === 'amount') return formatMoney(v as bigint);
  return `${grouped(v as bigint)}${unit}`;
}

export const displayChange = (change: string | null) =>
  change === null ? NONE : `${change.startsWith('-') ? '' : '+'}${change}%`;

/** The chart of a group: its rows without the total, this year (and last year) as bars. */
export function groupChart(group: FigureGroup, year: number): BarChart | null {
  if (!group.chart) return null;
  const rows = group.rows.filter((r) => r.kind !== 'percent' && r.item !== '合计' && !r.item.startsWith('其中'));
  const both = group.chart.series === 'both';
  return barChart(
    both ? [`${year}年`, `${year - 1}年`] : [`${year}年`],
    rows.map((r) => ({
      label: r.item.replace(/（.*$/, ''),
      values: both ? [r.current as bigint, r.previous as bigint] : [r.current as bigint],
      texts: (both ? [r.current, r.previous] : [r.current]).map((v) => displayValue(r.kind, v, r.unit)),
    })),
  );
}

// ---- CSV ----------------------------------------------------------------------------------------------------

export const CSV_HEADER = ['年份', '指标', '分项', '本年', '单位', '上年', '同比增长(%)'];

/** A figure as the CSV carries it: exact plain numbers (amounts in 元 with two decimals), "—" when undefined. */
function csvValue(kind: Kind, v: bigint | string | null): string {
  if (v === null) return NONE;
  return kind === 'amount' ? formatYuan(v as bigint) : String(v);
}

export function csvRows(year: number, groups: FigureGroup[]): string[][] {
  return groups.flatMap((g) =>
    g.rows.map((r) => [
      String(year),
      csvCell('text', g.title),
      csvCell('text', r.item),
      csvValue(r.kind, r.current),
      csvCell('text', r.unit),
      csvValue(r.kind, r.previous),
      r.kind === 'percent' ? '' : (r.change ?? NONE),
    ]),
  );
}

/** The statistics CSV (header row first), by the portal's one CSV writer (src/http/csv.ts): RFC 4180, CRLF, a UTF-8 BOM. */
export const toCsv = (rows: string[][]): string => CSV_BOM + csvLines(rows);
