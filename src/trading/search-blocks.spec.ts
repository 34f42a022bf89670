import { BLOCK_BYTES, cutBlocks, decodePostings, encodePostings, OPEN, PostingBatch } from './search-blocks.js';

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
});
