/**
 * Geometry of a horizontal bar chart drawn as SVG by the template (no client script). One row per category, one bar
 * per series; the template only places what is computed here. Values are exact bigints; only the bar lengths are
 * rounded, to whole SVG units.
 */
export interface BarChart {
  width: number;
  height: number;
  legend: { label: string; cls: string; x: number; y: number; textX: number; textY: number }[];
  rows: {
    label: string;
    labelY: number;
    bars: { x: number; y: number; width: number; height: number; cls: string; text: string; textX: number; textY: number }[];
  }[];
}

const LABEL_WIDTH = 180;
const BAR_AREA = 330;
const VALUE_WIDTH = 130;
const BAR = 16;
const BAR_GAP = 3;
const ROW_GAP = 12;
const LEGEND = 28;

export function barChart(series: string[], rows: { label: string; values: bigint[]; texts: string[] }[]): BarChart {
  const max = rows.reduce((m, r) => r.values.reduce((a, v) => (v > a ? v : a), m), 0n);
  const top = series.length > 1 ? LEGEND : 4;
  const rowHeight = series.length * (BAR + BAR_GAP) - BAR_GAP + ROW_GAP;
  const length = (v: bigint) => (v <= 0n || max === 0n ? 0 : Math.max(1, Number((v * BigInt(BAR_AREA * 100)) / max) / 100));
  return {
    width: LABEL_WIDTH + BAR_AREA + VALUE_WIDTH,
    height: top + rows.length * rowHeight,
    legend: series.length > 1
      ? series.map((label, i) => ({ label, cls: `bar-${i}`, x: LABEL_WIDTH + i * 120, y: 6, textX: LABEL_WIDTH + i * 120 + 18, textY: 17 }))
      : [],
    rows: rows.map((r, i) => {
      const y0 = top + i * rowHeight;
      return {
        label: r.label,
        labelY: y0 + (rowHeight - ROW_GAP) / 2 + 5,
        bars: r.values.map((v, s) => {
          const y = y0 + s * (BAR + BAR_GAP);
          const width = length(v);
          return { x: LABEL_WIDTH, y, width, height: BAR, cls: `bar-${s}`, text: r.texts[s], textX: LABEL_WIDTH + width + 6, textY: y + BAR - 3 };
        }),
      };
    }),
  };
}
