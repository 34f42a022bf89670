/**
 * Geometry of a horizontal bar chart drawn as SVG by the template (no client script). One row per category: its
 * label on a line of its own, then one bar per series with its value just after the bar (room for the longest
 * value is kept). The template
 * only places what is computed here. Values are exact bigints; only the bar lengths are rounded.
 *
 * The chart is narrow (WIDTH user units) and the stylesheet never draws it much wider than that, so a unit stays
 * about a CSS pixel: the 14- and 13-unit text stays at least 12 px on a 375-px phone (public/statistics.css keeps
 * the font sizes named here).
 */
export interface BarChart {
  width: number;
  height: number;
  legend: { label: string; cls: string; x: number; y: number; textX: number; textY: number }[];
  rows: {
    label: string;
    labelY: number;
    bars: {
      x: number;
      y: number;
      width: number;
      height: number;
      cls: string;
      text: string;
      textX: number;
      textY: number;
    }[];
  }[];
}

export const WIDTH = 300;
export const LABEL_SIZE = 14;
export const VALUE_SIZE = 13;
const LABEL_LINE = 20;
const BAR = 14;
const BAR_GAP = 4;
const ROW_GAP = 12;
const LEGEND = 26;
const VALUE_GAP = 6;

/** A generous estimate of the width of `text` at `size` units: CJK characters are square, the rest narrower. */
export function textWidth(text: string, size: number): number {
  let ems = 0;
  for (const c of text) ems += /[\u2e80-\u9fff\uff00-\uffef]/.test(c) ? 1 : 0.62;
  return Math.ceil(ems * size);
}

export function barChart(series: string[], rows: { label: string; values: bigint[]; texts: string[] }[]): BarChart {
  const max = rows.reduce((m, r) => r.values.reduce((a, v) => (v > a ? v : a), m), 0n);
  const valueWidth = rows.reduce((w, r) => r.texts.reduce((a, t) => Math.max(a, textWidth(t, VALUE_SIZE)), w), 0);
  const barArea = Math.max(WIDTH - valueWidth - VALUE_GAP, 40);
  const top = series.length > 1 ? LEGEND : 0;
  const rowHeight = LABEL_LINE + series.length * (BAR + BAR_GAP) - BAR_GAP + ROW_GAP;
  const length = (v: bigint) =>
    v <= 0n || max === 0n ? 0 : Math.max(1, Number((v * BigInt(barArea * 100)) / max) / 100);
  return {
    width: WIDTH,
    height: top + rows.length * rowHeight - ROW_GAP + 2,
    legend:
      series.length > 1
        ? series.map((label, i) => ({ label, cls: `bar-${i}`, x: i * 100, y: 4, textX: i * 100 + 18, textY: 15 }))
        : [],
    rows: rows.map((r, i) => {
      const y0 = top + i * rowHeight;
      return {
        label: r.label,
        labelY: y0 + LABEL_SIZE + 1,
        bars: r.values.map((v, s) => {
          const y = y0 + LABEL_LINE + s * (BAR + BAR_GAP);
          const width = length(v);
          return {
            x: 0,
            y,
            width,
            height: BAR,
            cls: `bar-${s}`,
            text: r.texts[s],
            textX: width + VALUE_GAP,
            textY: y + BAR - 2,
          };
        }),
      };
    }),
  };
}
