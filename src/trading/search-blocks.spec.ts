import SqliteDatabase from 'better-sqlite3';
import {
  BLOCK_BYTES,
  BlockBuilder,
  cutBlocks,
  decodePostings,
  encodePostings,
  OPEN,
  PostingBatch,
  type Sql,
} from './search-blocks.js';

/** A block table in an SQLite database of its own, as the migrations create it, and its rows in key order. */
function blockTable() {
  const db = new SqliteDatabase(':memory:');
  db.exec(
    'CREATE TABLE notice_search_block (gram TEXT NOT NULL, last INTEGER NOT NULL, floor INTEGER NOT NULL, top INTEGER NOT NULL, postings BLOB NOT NULL, PRIMARY KEY (gram, last)) WITHOUT ROWID',
  );
  const sql: Sql = {
    query: async (text, parameters = []) =>
      text.startsWith('SELECT') ? db.prepare(text).all(...parameters) : db.prepare(text).run(...parameters),
  };
  const rows = () =>
    db.prepare('SELECT gram, last, floor, top, postings FROM notice_search_block ORDER BY gram, last').all();
  return { db, sql, rows };
}

describe('search posting blocks', () => {
  it('round-trips instants as varint deltas, at a few bytes each', () => {
    const start = Date.UTC(2026, 0, 1);
    const instants = Array.from({ length: 1000 }, (_, i) => start + i * 31_000 + (i % 7));
    const bytes = encodePostings(instants);
    expect(decodePostings(bytes)).toEqual(instants);
    // The first value in full (6 bytes), then deltas of ~31 s in ms: 3 bytes each.
    expect(bytes.length).toBeLessThanOrEqual(6 + 999 * 3);
    expect(decodePostings(encodePostings([0, 1, 127, 128, 16_383, 16_384, Number.MAX_SAFE_INTEGER]))).toEqual([
      0,
      1,
      127,
      128,
      16_383,
      16_384,
      Number.MAX_SAFE_INTEGER,
    ]);
  });

  it('cuts a key into blocks that tile the time line, the newest one open', () => {
    const instants = Array.from({ length: 5000 }, (_, i) => 1_700_000_000_000 + i * 1_000_003);
    const blocks = cutBlocks('道路', 0, OPEN, instants);
    expect(blocks.length).toBeGreaterThan(3);
    expect(blocks[0].floor).toBe(0);
    for (let i = 1; i < blocks.length; i++) expect(blocks[i].floor).toBe(blocks[i - 1].last);
    expect(blocks[blocks.length - 1].last).toBe(OPEN);
    for (const b of blocks.slice(0, -1)) {
      expect(b.postings.length).toBeGreaterThanOrEqual(BLOCK_BYTES);
      expect(b.postings.length).toBeLessThan(BLOCK_BYTES + 8);
      const values = decodePostings(b.postings);
      expect(values[values.length - 1]).toBe(b.last);
    }
    expect(blocks.flatMap((b) => decodePostings(b.postings))).toEqual(instants);
  });

  it('gathers postings of many keys in any order and writes each key its own, sorted, once each', async () => {
    const batch = new PostingBatch();
    const added: [string, number][] = [];
    // Past the typed arrays' first size, keys interleaved, one key's instants out of order, one repeated.
    for (let i = 0; i < 700; i++) added.push([`k${i % 3}`, 1_000 + i]);
    added.push(['k1', 5], ['k2', 1_000 + 2]);
    for (const [gram, instant] of added) batch.add(gram, instant);
    expect(batch.size).toBe(702);
    expect(new Map(batch.postingsByKey())).toEqual(
      new Map([
        ['k0', 234],
        ['k1', 234],
        ['k2', 234],
      ]),
    );
    // A database with no blocks yet: the reads find nothing, the writes are kept as (gram, last, floor, top, postings).
    const rows: unknown[][] = [];
    const sql = {
      query: async (text: string, parameters: unknown[] = []) => {
        if (text.startsWith('INSERT'))
          for (let i = 0; i < parameters.length; i += 5) rows.push(parameters.slice(i, i + 5));
        return [];
      },
    };
    await batch.flush(sql, 'sqlite');
    const written = new Map<string, number[]>();
    for (const [gram, , , , postings] of rows)
      written.set(gram as string, [...(written.get(gram as string) ?? []), ...decodePostings(postings as Buffer)]);
    const expected = (k: string) =>
      [...new Set(added.filter(([g]) => g === k).map(([, at]) => at))].sort((a, b) => a - b);
    expect(written).toEqual(new Map(['k0', 'k1', 'k2'].map((k) => [k, expected(k)])));
    expect(batch.size).toBe(0);
    expect([...batch.postingsByKey()]).toEqual([]);
  });

  it('builds from nothing, writing each block once, the rows that flushes into the table leave', async () => {
    // Instants ascending across the whole run, repeats (two notices in one millisecond) among them; a common key
    // cut into many blocks, a rare one, keys that start in later flushes.
    const postings: [string, number][] = [];
    let at = 1_700_000_000_000;
    for (let i = 0; i < 6000; i++) {
      at += i % 5 === 0 ? 0 : 1 + ((i * 7919) % 90_000);
      postings.push(['工程', at]);
      if (i % 3 === 0) postings.push(['道路', at]);
      if (i % 997 === 0) postings.push(['长海', at]);
      if (i > 4000 && i % 2 === 0) postings.push([`k${i % 6}`, at]);
    }
    const flushed = blockTable();
    const built = blockTable();
    const builder = new BlockBuilder();
    for (let start = 0; start < postings.length; start += 1700) {
      const batch = new PostingBatch();
      const gathered = new PostingBatch();
      for (const [gram, instant] of postings.slice(start, start + 1700)) {
        batch.add(gram, instant);
        gathered.add(gram, instant);
      }
      await batch.flush(flushed.sql, 'sqlite');
      gathered.moveInto(builder);
      expect(gathered.size).toBe(0);
      if (start % 3400 === 0) await builder.writeClosed(built.sql, 'sqlite');
    }
    expect(builder.pending).toBeGreaterThan(0);
    // Each key's notices: its distinct instants.
    const keys = [...new Set(postings.map(([gram]) => gram))];
    const distinct = (gram: string) => new Set(postings.filter(([g]) => g === gram).map(([, t]) => t)).size;
    expect(new Map(builder.noticesByKey())).toEqual(new Map(keys.map((k) => [k, distinct(k)])));
    await builder.end(built.sql, 'sqlite');
    const rows = flushed.rows() as { gram: string; postings: Buffer }[];
    expect(rows.filter((r) => r.gram === '工程').length).toBeGreaterThan(20);
    expect(built.rows()).toEqual(rows);
    flushed.db.close();
    built.db.close();
  });

  it("refuses an instant before the key's last one", () => {
    const builder = new BlockBuilder();
    builder.add('道路', [1000, 2000, 2000]);
    builder.add('道路', [2000]);
    builder.add('工程', [1000]);
    expect(() => builder.add('道路', [1999])).toThrow(/ascend/);
    expect(() => builder.add('工程', [1001, 1000])).toThrow(/ascend/);
    expect(new Map(builder.noticesByKey())).toEqual(
      new Map([
        ['道路', 2],
        ['工程', 2],
      ]),
    );
  });
});
