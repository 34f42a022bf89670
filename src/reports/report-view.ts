import { CSV_BOM, csvCell, csvLines } from '../http/csv.js';
import { displayChange, displayValue } from '../statistics/report.js';
import { formatYuan } from '../domain/money.js';
import type { AnnualReport, ReportFigure } from './annual-report.js';

/** The page and the CSV of a report are both made from its JSON (frozen or computed), so they cannot disagree. */

const paragraphs = (text: string) =>
  text
    .split(/\n\s*\n|\n/)
    .map((p) => p.trim())
    .filter(Boolean);

const shown = (f: ReportFigure, v: string | null) =>
  displayValue(f.kind, v === null ? null : f.kind === 'percent' ? v : BigInt(v), f.unit);

function figureRow(f: ReportFigure, year: number) {
  return {
    yearLabel: `${year}年`,
    previousLabel: `${year - 1}年`,
    item: f.item,
    current: shown(f, f.current),
    previous: shown(f, f.previous),
    change: f.kind === 'percent' ? '' : displayChange(f.change),
    entered: !!f.entered,
    total: f.item === '合计',
  };
}

export function reportViewModel(r: AnnualReport) {
  return {
    reportYear: r.year,
    previousYear: r.year - 1,
    reportTitle: r.title,
    summary: r.overview.summary,
    overviewText: paragraphs(r.overview.text),
    keyFigures: r.overview.figures.map((f) => figureRow(f, r.year)),
    tables: r.proactive.tables.map((t) => ({
      key: t.key,
      title: t.title,
      rows: t.rows.map((f) => figureRow(f, r.year)),
    })),
    requestColumns: r.requests.columns,
    requestRows: r.requests.rows.map((row) => ({
      label: row.label,
      level: row.level,
      heading: row.cells === null,
      cells: (row.cells ?? []).map((value, i) => ({ value, label: r.requests.columns[i].label })),
      span: r.requests.columns.length + 1,
    })),
    reviewColumns: r.reviews.columns,
    reviewGroups: r.reviews.groups.map((g) => ({
      label: g.label,
      cells: r.reviews.columns.map((c) => ({ label: c.label, value: g.cells[c.code as keyof typeof g.cells] })),
    })),
    problems: paragraphs(r.problems),
    other: paragraphs(r.other),
    anyEntered:
      r.overview.figures.some((f) => f.entered) || r.proactive.tables.some((t) => t.rows.some((x) => x.entered)),
  };
}

// ---- CSV ----------------------------------------------------------------------------------------------------

const csvFigure = (f: ReportFigure, v: string | null) =>
  v === null ? '—' : f.kind === 'amount' ? formatYuan(BigInt(v)) : v;

/**
 * Every table of the report in one CSV: a first column names the table, so the file reads as one table in a
 * spreadsheet. Figures are plain numbers (amounts in 元 with two decimals); the texts are on the page.
 */
export function reportCsv(r: AnnualReport): string {
  const rows: string[][] = [['年度', '表', '项目', '列', '数值', '单位', '上年', '同比增长(%)']];
  const y = String(r.year);
  const text = (v: string) => csvCell('text', v);
  for (const f of r.overview.figures)
    rows.push([
      y,
      text('一、总体情况'),
      text(f.item),
      text('本年'),
      csvFigure(f, f.current),
      text(f.unit),
      csvFigure(f, f.previous),
      f.change ?? '—',
    ]);
  for (const t of r.proactive.tables)
    for (const f of t.rows)
      rows.push([
        y,
        text(`二、主动公开·${t.title}`),
        text(f.item),
        text('本年'),
        csvFigure(f, f.current),
        text(f.unit),
        csvFigure(f, f.previous),
        f.kind === 'percent' ? '' : (f.change ?? '—'),
      ]);
  for (const row of r.requests.rows) {
    if (!row.cells) continue;
    row.cells.forEach((n, i) =>
      rows.push([
        y,
        text('三、收到和处理政府信息公开申请情况'),
        text(row.label),
        text(r.requests.columns[i].label),
        String(n),
        text('件'),
        '',
        '',
      ]),
    );
  }
  for (const g of r.reviews.groups)
    for (const c of r.reviews.columns)
      rows.push([
        y,
        text('四、政府信息公开行政复议、行政诉讼情况'),
        text(g.label),
        text(c.label),
        String(g.cells[c.code as keyof typeof g.cells]),
        text('件'),
        '',
        '',
      ]);
  return CSV_BOM + csvLines(rows);
}
