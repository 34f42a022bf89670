import type { Response } from 'superagent';
import { execFileSync } from 'node:child_process';

/**
 * Reads CSV the way Excel, WPS and Python's csv module do, strictly: a bare CR or LF outside quotes ends a record
 * (CRLF counts once), a quoted field may hold anything, `""` inside quotes is one quote. A quote inside an unquoted
 * field or text after a closing quote is an error, so a writer that gets quoting wrong fails loudly here. A leading
 * BOM is skipped. Every record must have as many fields as the first (the header).
 */
export function readSpreadsheetCsv(input: string | Buffer): string[][] {
  let text = typeof input === 'string' ? input : input.toString('utf8');
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  const fail = (why: string) => {
    throw new Error(
      `CSV record ${rows.length + 1}, field ${row.length + 1}: ${why} (at ${JSON.stringify(text.slice(Math.max(0, i - 20), i + 20))})`,
    );
  };
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) fail('unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
      if (i < text.length && !',\r\n'.includes(text[i])) fail('text after a closing quote');
    } else {
      while (i < text.length && !',\r\n'.includes(text[i])) {
        if (text[i] === '"') fail('a quote inside an unquoted field');
        field += text[i++];
      }
    }
    row.push(field);
    if (text[i] === ',') {
      i++;
      if (i === text.length) row.push('');
      continue;
    }
    // End of record: CRLF, a bare CR or a bare LF, or the end of the text.
    if (text[i] === '\r' && text[i + 1] === '\n') i += 2;
    else if (i < text.length) i++;
    rows.push(row);
    row = [];
  }
  if (rows.length && rows.some((r) => r.length !== rows[0].length)) {
    const bad = rows.findIndex((r) => r.length !== rows[0].length);
    throw new Error(`CSV record ${bad + 1} has ${rows[bad].length} fields, the header ${rows[0].length}`);
  }
  return rows;
}

/** Header and records as objects keyed by the header, read strictly (above). */
export function readSpreadsheetRecords(input: string | Buffer): {
  header: string[];
  records: Record<string, string>[];
} {
  const [header = [], ...rows] = readSpreadsheetCsv(input);
  return { header, records: rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]]))) };
}

/** The same bytes read by Python's csv module (as a researcher would), BOM skipped: the rows. */
export function readWithPythonCsv(input: string | Buffer): string[][] {
  const script =
    'import csv, io, json, sys\nprint(json.dumps(list(csv.reader(io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig", newline="")))))';
  return JSON.parse(
    execFileSync('/usr/bin/python3', ['-c', script], {
      input: Buffer.isBuffer(input) ? input : Buffer.from(input, 'utf8'),
    }).toString('utf8'),
  );
}

/** A supertest parser that keeps a response's bytes as they came (text/csv is otherwise left unparsed). */
export function collectBytes(res: Response, done: (e: Error | null, body: unknown) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}
