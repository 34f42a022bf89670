import { sqlMarks, type DialectName } from '../database/dialect.js';

/**
 * Posting blocks of the search index: a word key's postings, compressed, a few hundred to a few thousand a row.
 *
 * A posting names the instant a notice holding the key was published (its published_at in milliseconds), not
 * the notice: the list's order is (published_at, id) and notices may be published out of order (sync imports
 * carry their own publishedAt), so an instant is what keeps postings in list order. Two notices published in
 * the same millisecond share a posting; the search confirms candidates in SQL against the notice and its folded
 * text, so a posting that names an instant rather than a notice costs nothing in correctness.
 *
 * Table notice_search_block (gram, last, floor, top, postings), primary key (gram, last). The blocks of one key
 * tile the time line: a block holds the key's instants in (floor, last], ascending, as varint deltas (the first
 * from 0); `last` is the block's largest instant, except for the key's newest block, the open one, whose `last`
 * is OPEN so that a publication finds it without knowing where it ends; `top` is the largest instant it holds
 * (floor when empty). A publication appends its instant's delta from `top` to the open block's bytes (or, past
 * BLOCK_BYTES, cuts it; published out of order, it goes into the block whose range holds it). Blocks are small
 * (BLOCK_BYTES) because each publication rewrites the open block of each of its ~1,000 keys. At 1–4 bytes a posting instead of a row each (some 60 bytes in
 * InnoDB), a notice's ~1,000 keys take two or three kilobytes (bench/results.md, search index size).
 */
export const BLOCKS = 'notice_search_block';

/**
 * The filter keys' postings as blocks of the same form (notice_search_key_block): the instants of each key's rows of
 * notice_search_gram (a region's, a category's, a type's notices), which a search narrowed by the key intersects a
 * few hundred at a row where the rows gave one each (NoticeSearch.keyMatcher).
 */
export const KEY_BLOCKS = 'notice_search_key_block';

/** A table of posting blocks: the word keys' (BLOCKS) or the filter keys' (KEY_BLOCKS). */
export type BlockTable = typeof BLOCKS | typeof KEY_BLOCKS;

/** `last` of a key's open (newest) block. */
export const OPEN = Number.MAX_SAFE_INTEGER;

/**
 * A block is cut when its postings pass this many bytes: a publication rewrites ~1,000 open blocks (half this size
 * on average), and SQLite keeps rows of a WITHOUT ROWID table best at a small part of a page.
 */
export const BLOCK_BYTES = 512;

/** Keys per statement when reading or writing many keys' blocks. */
const KEYS_PER_STATEMENT = 500;

export interface Block {
  gram: string;
  /** Exclusive lower bound of the instants the block covers (0 for a key's oldest block). */
  floor: number;
  /** Its largest instant, or OPEN for the key's newest block. */
  last: number;
  /** The largest instant it holds (floor when it holds none). */
  top: number;
  postings: Buffer;
}

/** Something that runs SQL: an EntityManager, a QueryRunner or a DataSource. */
export interface Sql {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** Ascending instants: an array, or a typed array's part (PostingBatch holds its postings in one). */
export type Instants = readonly number[] | Float64Array;

/** Instants as varint deltas, the first from `from` (0 at the start of a block, else the block's top). */
export function encodePostings(instants: Instants, from = 0): Buffer {
  const out = Buffer.allocUnsafe(instants.length * 8 + 8);
  let at = 0;
  let prev = from;
  for (const value of instants) {
    let delta = value - prev;
    prev = value;
    while (delta >= 0x80) {
      out[at++] = (delta % 0x80) | 0x80;
      delta = Math.floor(delta / 0x80);
    }
    out[at++] = delta;
  }
  return out.subarray(0, at);
}

export function decodePostings(bytes: Uint8Array): number[] {
  const values: number[] = [];
  let prev = 0;
  let value = 0;
  let scale = 1;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    value += (b & 0x7f) * scale;
    if (b & 0x80) scale *= 0x80;
    else {
      prev += value;
      values.push(prev);
      value = 0;
      scale = 1;
    }
  }
  return values;
}

/** Bytes of an instant's delta from the one before it. */
function varintBytes(delta: number): number {
  let n = 1;
  while (delta >= 0x80) {
    delta = Math.floor(delta / 0x80);
    n++;
  }
  return n;
}

/**
 * The blocks a sorted, distinct run of instants makes in (floor, last]: closed blocks of about BLOCK_BYTES, the
 * rest in one block ending at `last` (OPEN for the key's open block).
 */
export function cutBlocks(gram: string, floor: number, last: number, instants: Instants): Block[] {
  const blocks: Block[] = [];
  let start = 0;
  let bytes = 0;
  let lower = floor;
  for (let i = 0; i < instants.length; i++) {
    // The first value of a block is its full instant (a delta from 0).
    bytes += varintBytes(i === start ? instants[i] : instants[i] - instants[i - 1]);
    if (bytes >= BLOCK_BYTES && i < instants.length - 1) {
      const part = instants.slice(start, i + 1);
      blocks.push({ gram, floor: lower, last: instants[i], top: instants[i], postings: encodePostings(part) });
      lower = instants[i];
      start = i + 1;
      bytes = 0;
    }
  }
  const rest = instants.slice(start);
  blocks.push({
    gram,
    floor: lower,
    last,
    top: rest.length ? rest[rest.length - 1] : lower,
    postings: encodePostings(rest),
  });
  return blocks;
}

/** Sorted union of two ascending runs, without repeats. */
function mergeSorted(a: Instants, b: Instants): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const next = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i++] : b[j++];
    if (out.length === 0 || out[out.length - 1] !== next) out.push(next);
  }
  return out;
}

type BlockRow = { gram: string; floor: unknown; last: unknown; top: unknown; postings: unknown };

function rowToBlock(r: BlockRow): Block {
  return {
    gram: r.gram,
    floor: Number(r.floor),
    last: Number(r.last),
    top: Number(r.top),
    postings: Buffer.isBuffer(r.postings) ? r.postings : Buffer.from(r.postings as Uint8Array),
  };
}

function insertBlocksSql(rows: number, table: BlockTable): string {
  return `INSERT INTO ${table} (gram, last, floor, top, postings) VALUES ${Array(rows).fill('(?, ?, ?, ?, ?)').join(', ')}`;
}

function upsertBlocksSql(dialect: DialectName, rows: number, table: BlockTable): string {
  const insert = insertBlocksSql(rows, table);
  return dialect === 'mysql'
    ? `${insert} ON DUPLICATE KEY UPDATE floor = VALUES(floor), top = VALUES(top), postings = VALUES(postings)`
    : `${insert} ON CONFLICT (gram, last) DO UPDATE SET floor = excluded.floor, top = excluded.top, postings = excluded.postings`;
}

/**
 * Adds instants to keys' blocks, in the caller's transaction: one publication's keys (each with its one
 * instant) or a batch's (a rebuild). Each key's open block is read and rewritten; an instant older than the
 * open block's floor (published out of order) goes to the closed block whose range holds it. Blocks are read
 * FOR UPDATE on MySQL and written in key order, so concurrent writers queue rather than deadlock or lose a posting.
 */
export async function addPostings(
  sql: Sql,
  dialect: DialectName,
  postings: Map<string, Instants>,
  table: BlockTable = BLOCKS,
): Promise<void> {
  const grams = [...postings.keys()].sort();
  const lock = dialect === 'mysql' ? ' FOR UPDATE' : '';
  const writes: Block[] = [];
  for (let i = 0; i < grams.length; i += KEYS_PER_STATEMENT) {
    const keys = grams.slice(i, i + KEYS_PER_STATEMENT);
    const rows = (await sql.query(
      `SELECT gram, floor, last, top, postings FROM ${table} WHERE gram IN (${sqlMarks(keys)}) AND last = ?${lock}`,
      [...keys, OPEN],
    )) as BlockRow[];
    const open = new Map(rows.map((r) => [r.gram, rowToBlock(r)]));
    for (const gram of keys) {
      const instants = ascendingDistinct(postings.get(gram)!);
      const block = open.get(gram);
      const floor = block?.floor ?? 0;
      // Instants at or before the open block's floor belong to closed blocks (an out-of-order publication).
      let split = 0;
      while (split < instants.length && instants[split] <= floor) split++;
      if (split > 0) writes.push(...(await addToClosed(sql, table, gram, Array.from(instants.slice(0, split)), lock)));
      const newer = instants.slice(split);
      if (newer.length === 0) continue;
      if (block && newer[0] > block.top) {
        // The usual case, a publication after the block's newest: its delta appended, nothing decoded.
        const postings = Buffer.concat([block.postings, encodePostings(newer, block.postings.length ? block.top : 0)]);
        if (postings.length < BLOCK_BYTES) {
          writes.push({ gram, floor, last: OPEN, top: newer[newer.length - 1], postings });
          continue;
        }
      }
      const merged = block ? mergeSorted(decodePostings(block.postings), newer) : newer;
      writes.push(...cutBlocks(gram, floor, OPEN, merged));
    }
  }
  await writeBlocks(sql, dialect, writes, table);
}

/**
 * The instants in ascending order without repeats: as given when they already are (a rebuild's or a fill's, added
 * in publication order), else sorted.
 */
function ascendingDistinct(instants: Instants): Instants {
  for (let i = 1; i < instants.length; i++)
    if (instants[i] <= instants[i - 1]) return [...new Set(instants)].sort((a, b) => a - b);
  return instants;
}

/** Out-of-order instants of one key: each goes to the closed block whose (floor, last] holds it. */
async function addToClosed(
  sql: Sql,
  table: BlockTable,
  gram: string,
  instants: number[],
  lock: string,
): Promise<Block[]> {
  const writes: Block[] = [];
  let rest = instants;
  while (rest.length) {
    const rows = (await sql.query(
      `SELECT gram, floor, last, top, postings FROM ${table} WHERE gram = ? AND last >= ? ORDER BY last LIMIT 1${lock}`,
      [gram, rest[0]],
    )) as BlockRow[];
    // The blocks of a key tile the time line up to its open block, so one is always found.
    const block = rowToBlock(rows[0]);
    const inBlock = rest.filter((t) => t <= block.last);
    rest = rest.slice(inBlock.length);
    // Kept under its own `last` (its largest instant, unchanged: the new ones are below it): a cut makes the
    // older parts new closed blocks below it.
    writes.push(...cutBlocks(gram, block.floor, block.last, mergeSorted(decodePostings(block.postings), inBlock)));
  }
  return writes;
}

/** Writes blocks in key order: replacing rows of the same (gram, last) unless `upsert` is false (new rows only). */
export async function writeBlocks(
  sql: Sql,
  dialect: DialectName,
  blocks: Block[],
  table: BlockTable = BLOCKS,
  upsert = true,
): Promise<void> {
  blocks.sort((a, b) => (a.gram < b.gram ? -1 : a.gram > b.gram ? 1 : a.last - b.last));
  // A few hundred rows of up to ~2 kB: well under MySQL's packet and SQLite's parameter limits.
  for (let i = 0; i < blocks.length; i += 200) {
    const chunk = blocks.slice(i, i + 200);
    await sql.query(
      upsert ? upsertBlocksSql(dialect, chunk.length, table) : insertBlocksSql(chunk.length, table),
      chunk.flatMap((b) => [b.gram, b.last, b.floor, b.top, b.postings]),
    );
  }
}

/**
 * Postings gathered in memory for many notices (a rebuild, a benchmark's fill), then added in one pass per key
 * (addPostings): a key's many new instants cost one read and one write of its open block, not one per notice.
 */
export class PostingBatch {
  // Each posting as its key's slot and its instant, in typed arrays (outside the garbage-collected heap: a
  // rebuild holds tens of millions), grouped by key when flushed.
  private readonly slotOf = new Map<string, number>();
  private readonly keys: string[] = [];
  private slots = new Uint32Array(256);
  private instants = new Float64Array(256);
  private added = 0;
  /** The postings grouped by key (group), kept until the next add: counted, then flushed, they are grouped once. */
  private grouped: { start: Uint32Array; instants: Float64Array } | null = null;

  add(gram: string, instant: number) {
    this.grouped = null;
    let slot = this.slotOf.get(gram);
    if (slot === undefined) {
      slot = this.keys.length;
      this.keys.push(gram);
      this.slotOf.set(gram, slot);
    }
    if (this.added === this.slots.length) {
      const slots = new Uint32Array(this.added * 2);
      slots.set(this.slots);
      this.slots = slots;
      const instants = new Float64Array(this.added * 2);
      instants.set(this.instants);
      this.instants = instants;
    }
    this.slots[this.added] = slot;
    this.instants[this.added++] = instant;
  }

  /** Postings held (with repeats). */
  get size(): number {
    return this.added;
  }

  /** Each key and the postings added for it since the last flush (with repeats: one a document holding it). */
  *postingsByKey(): IterableIterator<[string, number]> {
    const { start } = this.group();
    for (let k = 0; k < this.keys.length; k++) yield [this.keys[k], start[k + 1] - start[k]];
  }

  async flush(sql: Sql, dialect: DialectName, table: BlockTable = BLOCKS): Promise<void> {
    if (!this.added) return;
    const { start, instants } = this.group();
    await addPostings(
      sql,
      dialect,
      new Map(this.keys.map((gram, k) => [gram, instants.subarray(start[k], start[k + 1])])),
      table,
    );
    this.clear();
  }

  /** Hands the postings to a BlockBuilder, each key's in one run (added in ascending order), and empties the batch. */
  moveInto(builder: BlockBuilder): void {
    const { start, instants } = this.group();
    for (let k = 0; k < this.keys.length; k++) builder.add(this.keys[k], instants.subarray(start[k], start[k + 1]));
    this.clear();
  }

  private clear() {
    this.slotOf.clear();
    this.keys.length = 0;
    this.added = 0;
    this.grouped = null;
  }

  /**
   * The postings by key, each key's instants in the order they were added (from `start[slot]` to `start[slot + 1]`):
   * a counting sort by slot.
   */
  private group(): { start: Uint32Array; instants: Float64Array } {
    if (this.grouped) return this.grouped;
    const start = new Uint32Array(this.keys.length + 1);
    for (let i = 0; i < this.added; i++) start[this.slots[i] + 1]++;
    for (let k = 0; k < this.keys.length; k++) start[k + 1] += start[k];
    const next = start.slice(0, this.keys.length);
    const instants = new Float64Array(this.added);
    for (let i = 0; i < this.added; i++) instants[next[this.slots[i]]++] = this.instants[i];
    this.grouped = { start, instants };
    return this.grouped;
  }
}

/** A key's newest run of instants while a BlockBuilder builds its blocks: its open block, not yet written. */
interface OpenRun {
  floor: number;
  instants: number[];
  /** Bytes its instants take as varint deltas (the first in full), as cutBlocks counts them. */
  bytes: number;
  /** Distinct instants (notices) given for the key. */
  notices: number;
}

/**
 * Keys' blocks built from nothing, by the one writer of their table (a benchmark's fill): each key's instants come
 * in ascending order (a PostingBatch's, moveInto, a key's run at a time), its open block stays in memory, and only closed blocks are written as they are cut (plain
 * inserts, none read back or rewritten), the open ones at the end. The rows are those addPostings would leave
 * from the same postings in any number of flushes (cutBlocks' cuts over the key's whole run); unlike it, nothing
 * else may write the table meanwhile (a publication's addPostings would not see the open blocks held here).
 */
export class BlockBuilder {
  private readonly runs = new Map<string, OpenRun>();
  private closed: Block[] = [];

  /** Instants of a key, ascending, from its last one on (repeats are one posting, as in a block). */
  add(gram: string, instants: Instants): void {
    let run = this.runs.get(gram);
    if (run === undefined) {
      run = { floor: 0, instants: [], bytes: 0, notices: 0 };
      this.runs.set(gram, run);
    }
    let top = run.instants.length ? run.instants[run.instants.length - 1] : -1;
    for (const instant of instants) {
      if (instant === top) continue;
      if (instant < top) throw new Error(`BlockBuilder: ${gram}'s instants must ascend (${instant} after ${top})`);
      run.notices++;
      if (run.bytes >= BLOCK_BYTES) {
        // The block before is full and an instant follows it: cut there, as cutBlocks does.
        this.closed.push({ gram, floor: run.floor, last: top, top, postings: encodePostings(run.instants) });
        run.floor = top;
        run.instants = [];
        run.bytes = 0;
      }
      run.bytes += varintBytes(run.instants.length ? instant - top : instant);
      run.instants.push(instant);
      top = instant;
    }
  }

  /** Closed blocks cut and not yet written. */
  get pending(): number {
    return this.closed.length;
  }

  /** Notices (distinct instants) given for each key so far. */
  *noticesByKey(): IterableIterator<[string, number]> {
    for (const [gram, run] of this.runs) yield [gram, run.notices];
  }

  /** Writes the closed blocks cut so far. */
  async writeClosed(sql: Sql, dialect: DialectName, table: BlockTable = BLOCKS): Promise<void> {
    const closed = this.closed;
    this.closed = [];
    await writeBlocks(sql, dialect, closed, table, false);
  }

  /** Writes what is left: the closed blocks, then every key's open block. */
  async end(sql: Sql, dialect: DialectName, table: BlockTable = BLOCKS): Promise<void> {
    await this.writeClosed(sql, dialect, table);
    const open: Block[] = [];
    // A run is cut as soon as an instant follows a full block, so cutBlocks makes it the one open block.
    for (const [gram, run] of this.runs) open.push(...cutBlocks(gram, run.floor, OPEN, run.instants));
    this.runs.clear();
    await writeBlocks(sql, dialect, open, table, false);
  }
}

/**
 * Marks the statements that count a search's total up to its cap (their cost grows to the cap by design, unlike
 * a page's): the bounded-reads test tells them apart by it.
 */
export const SEARCH_TOTAL_SQL = '/* search total */ ';

/**
 * A key's instants newest first, a read at a time into a buffer: `seek` gives the largest instant not above a
 * bound (a leapfrog join's step), `load` (the subclass's) refills the buffer with the next older ones, in
 * descending order, and sets `done` when none is left after them.
 */
export abstract class InstantStream {
  protected buffer: number[] = [];
  protected pos = 0;
  protected done = false;

  /** The largest instant ≤ `atMost`, or null when none is left. */
  async seek(atMost: number): Promise<number | null> {
    for (;;) {
      while (this.pos < this.buffer.length && this.buffer[this.pos] > atMost) this.pos++;
      if (this.pos < this.buffer.length) return this.buffer[this.pos];
      if (this.done) return null;
      await this.load();
    }
  }

  protected abstract load(): Promise<void>;
}

/**
 * A key's instants newest first, read a few blocks at a time (more each time: a common key's page reads few, a
 * rare combination reads on), from `before` (inclusive) down to `after` (exclusive).
 */
export class BlockStream extends InstantStream {
  /** `last` of the oldest block read so far: the next read starts below it. */
  private below: number | null = null;
  private batch = 2;

  constructor(
    private readonly sql: Sql,
    private readonly gram: string,
    private readonly before: number,
    private readonly after: number,
    /** Read for a total counted up to its cap (marked with SEARCH_TOTAL_SQL). */
    private readonly counting = false,
    private readonly table: BlockTable = BLOCKS,
  ) {
    super();
  }

  private mark() {
    return this.counting ? SEARCH_TOTAL_SQL : '';
  }

  protected async load() {
    this.buffer = [];
    this.pos = 0;
    let rows: { last: unknown; postings: unknown }[];
    if (this.below === null) {
      // The block holding `before` and the ones under it: the first whose last reaches it, then on down.
      rows = (await this.sql.query(
        `SELECT ${this.mark()}last, postings FROM ${this.table} WHERE gram = ? AND last >= ? ORDER BY last LIMIT 1`,
        [this.gram, this.before],
      )) as typeof rows;
      if (!rows.length) {
        this.done = true;
        return;
      }
    } else {
      rows = (await this.sql.query(
        `SELECT ${this.mark()}last, postings FROM ${this.table} WHERE gram = ? AND last < ? ORDER BY last DESC LIMIT ${this.batch}`,
        [this.gram, this.below],
      )) as typeof rows;
      this.batch = Math.min(this.batch * 2, 256);
      if (rows.length === 0) {
        this.done = true;
        return;
      }
    }
    for (const r of rows) {
      const values = decodePostings(Buffer.isBuffer(r.postings) ? r.postings : Buffer.from(r.postings as Uint8Array));
      for (let i = values.length - 1; i >= 0; i--) {
        const v = values[i];
        if (v > this.before) continue;
        if (v <= this.after) {
          this.done = true;
          break;
        }
        this.buffer.push(v);
      }
      this.below = Number(r.last);
      if (this.done) break;
      // The oldest block of a key has floor 0: nothing below it.
    }
    if (this.below !== null && this.below <= this.after) this.done = true;
  }
}
