import { randomBytes } from 'node:crypto';

/**
 * JSON text written into a response as it is stored, not parsed and serialised again: a notice's details in the
 * change feed, a thousand to a page, where the parse and the objects it leaves to collect cost more than the
 * database read. The text must be JSON (the details column holds what the app wrote, JSON.stringify of an object).
 * Anywhere else (plain JSON.stringify) it serialises as its parsed value, so it is never printed wrong.
 */
export class RawJson {
  /** The JSON text, or its UTF-8 bytes as the database stores them (never decoded: stringifyJsonBytes). */
  constructor(readonly text: string | Buffer) {}

  toJSON(): unknown {
    if (collecting) {
      collecting.push(this.text);
      return MARK;
    }
    return JSON.parse(this.text.toString());
  }
}

/**
 * A string no notice holds: this process's random mark, written by JSON.stringify in place of each RawJson and
 * replaced by its text. JSON.stringify reaches values in document order, so the n-th mark is the n-th text.
 */
const MARK = `raw-json-${randomBytes(16).toString('hex')}`;
const QUOTED_MARK = JSON.stringify(MARK);
let collecting: (string | Buffer)[] | null = null;

/** JSON.stringify with a mark for each RawJson, split at the marks: the pieces between the raw texts. */
function stringifyParts(value: unknown): { parts: string[]; texts: (string | Buffer)[] } {
  const texts: (string | Buffer)[] = [];
  collecting = texts;
  let json: string;
  try {
    json = JSON.stringify(value);
  } finally {
    collecting = null;
  }
  if (!texts.length) return { parts: [json], texts };
  const parts = json.split(QUOTED_MARK);
  if (parts.length !== texts.length + 1)
    throw new Error('stringifyJsonBytes: a raw JSON mark was not found where written');
  return { parts, texts };
}

/**
 * The UTF-8 bytes of JSON.stringify(value) with each RawJson's text in its place, written once into one buffer: a
 * RawJson's bytes are copied as they are (a change-feed page's details are never decoded nor encoded back). The
 * buffer is sized for the worst case (three bytes a UTF-16 unit) instead of measured first: measuring a 1.7 M
 * character page cost as much as writing it.
 */
export function stringifyJsonBytes(value: unknown): Buffer {
  const { parts, texts } = stringifyParts(value);
  if (!texts.length) return Buffer.from(parts[0], 'utf8');
  let bound = 0;
  for (const p of parts) bound += p.length * 3;
  for (const t of texts) bound += typeof t === 'string' ? t.length * 3 : t.length;
  const out = Buffer.allocUnsafe(bound);
  let at = out.write(parts[0], 0, 'utf8');
  for (let i = 0; i < texts.length; i++) {
    const t = texts[i];
    at += typeof t === 'string' ? out.write(t, at, 'utf8') : t.copy(out, at);
    at += out.write(parts[i + 1], at, 'utf8');
  }
  return out.subarray(0, at);
}

/** Catalog names kept as their JSON bytes (jsonString): a few hundred at most, the rest made each time. */
const NAMES_KEPT = 1000;
const names = new Map<string, RawJson>();

/**
 * A short string of a closed set (a catalog's names: notice types, categories, regions) as its JSON bytes, made
 * once: a page of a thousand entries whose other text comes as bytes from the database (jsonQuotedBytesSql) is then
 * serialised as one-byte text, which V8 writes and encodes several times faster than text holding Chinese.
 */
export function jsonString(text: string): RawJson {
  let raw = names.get(text);
  if (!raw) {
    raw = new RawJson(Buffer.from(JSON.stringify(text), 'utf8'));
    if (names.size < NAMES_KEPT) names.set(text, raw);
  }
  return raw;
}
