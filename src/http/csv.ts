/**
 * The one CSV writer of the portal: every CSV it serves or stores (the exports, the daily bulk files, the
 * statistics) is written here, so their quoting cannot drift apart.
 *
 * RFC 4180: records end in CRLF, and a field is quoted whenever it holds a comma, a double quote, a CR or an LF.
 * A bare CR or LF outside quotes ends the record in Excel, WPS and Python's csv module, so a line break typed into
 * a notice's body must be quoted even when it is not a CRLF pair.
 */

/** Written first, so Excel and WPS read the file as UTF-8 (the headers are Chinese). */
export const CSV_BOM = '\uFEFF';

/** What a column holds: `number` and `time` cells are written as they are; `text` is neutralised (see csvCell). */
export type CsvCellKind = 'text' | 'number' | 'time';

const NEEDS_QUOTES = /[",\r\n]/;

/** One field, quoted (with its quotes doubled) when it holds a comma, a quote, a CR or an LF. */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One record as a CSV line ending in CRLF: a cell is text already neutralised (csvCell) where it needs to be. */
export function csvLine(cells: readonly string[]): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    if (i) line += ',';
    line += csvField(cells[i]);
  }
  return `${line}\r\n`;
}

/** Records as CSV text, each ending in CRLF. */
export function csvLines(rows: readonly (readonly string[])[]): string {
  return rows.map(csvLine).join('');
}

/**
 * A text cell starting with = + - @ (or a tab or CR) would run as a formula in Excel or WPS: prefix a quote.
 * Numbers and times are left alone, so "-1200.00" stays a number.
 */
export function csvCell(kind: CsvCellKind, value: string | null | undefined): string {
  const v = value ?? '';
  return kind === 'text' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

/** Content-Disposition of a download: an ASCII name for old clients and the Chinese name (RFC 6266, RFC 5987). */
export function contentDisposition(names: { ascii: string; utf8: string }): string {
  const encoded = encodeURIComponent(names.utf8).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${names.ascii}"; filename*=UTF-8''${encoded}`;
}
