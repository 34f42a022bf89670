/**
 * The one CSV writer of the portal: every CSV it serves or stores (the exports, the daily bulk files, the
 * statistics) is written here, so their quoting cannot drift apart.
 *
 * RFC 4180: records end in CRLF, and a field is quoted whenever it holds a comma, a double quote, a CR or an LF.
 * A bare CR or LF outside quotes ends the record in Excel, WPS and Python's csv module, so a line break typed into
 * a notice's body must be quoted even when it is not a CRLF pair.
 */

import type { Response } from 'express';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { drainedOrClosed } from './backpressure.js';

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

/**
 * Starts a CSV download on `res`: 200, the CSV type, the file's names and no-store (the CSV is read fresh, never
 * cached). Returns `aborted`, true once the client has hung up before the end: the writer stops reading then.
 */
export function csvDownload(res: Response, names: { ascii: string; utf8: string }): () => boolean {
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8; header=present');
  res.setHeader('Content-Disposition', contentDisposition(names));
  res.setHeader('Cache-Control', 'no-store');
  let gone = false;
  res.on('close', () => {
    gone = !res.writableFinished;
  });
  return () => gone;
}

/**
 * Writes a whole CSV to `out` (a download, or a file being built): the BOM and the columns' header line, then the chunks
 * `body` sends, then the end. Each chunk is awaited when the reader is slower than the database (backpressure), so
 * memory stays flat whatever the size; `body` checks `aborted()` between reads, and once it is true nothing more is
 * written and the stream is left to its owner (the client has gone).
 */
export async function streamCsv(
  out: Writable,
  columns: readonly { header: string }[],
  aborted: () => boolean,
  body: (send: (chunk: string | Buffer) => Promise<void>) => Promise<void>,
): Promise<void> {
  const send = async (chunk: string | Buffer) => {
    if (!out.write(chunk)) await drainedOrClosed(out);
  };
  await send(CSV_BOM + csvLine(columns.map((c) => c.header)));
  await body(send);
  if (aborted()) return;
  out.end();
  await finished(out).catch(() => undefined);
}
