import { randomBytes } from 'node:crypto';

/**
 * JSON text written into a response as it is stored, not parsed and serialised again: a notice's details in the
 * change feed, a thousand to a page, where the parse and the objects it leaves to collect cost more than the
 * database read. The text must be JSON (the details column holds what the app wrote, JSON.stringify of an object).
 * Anywhere else (plain JSON.stringify) it serialises as its parsed value, so it is never printed wrong.
 */
export class RawJson {
  constructor(readonly text: string) {}

  toJSON(): unknown {
    if (collecting) {
      collecting.push(this.text);
      return MARK;
    }
    return JSON.parse(this.text);
  }
}

/**
 * A string no notice holds: this process's random mark, written by JSON.stringify in place of each RawJson and
 * replaced by its text. JSON.stringify reaches values in document order, so the n-th mark is the n-th text.
 */
const MARK = `raw-json-${randomBytes(16).toString('hex')}`;
const QUOTED_MARK = JSON.stringify(MARK);
let collecting: string[] | null = null;

/** JSON.stringify, with each RawJson's text in its place. */
export function stringifyJson(value: unknown): string {
  const texts: string[] = [];
  collecting = texts;
  let json: string;
  try {
    json = JSON.stringify(value);
  } finally {
    collecting = null;
  }
  if (!texts.length) return json;
  const parts = json.split(QUOTED_MARK);
  if (parts.length !== texts.length + 1) throw new Error('stringifyJson: a raw JSON mark was not found where written');
  const out: string[] = [parts[0]];
  for (let i = 0; i < texts.length; i++) out.push(texts[i], parts[i + 1]);
  return out.join('');
}
