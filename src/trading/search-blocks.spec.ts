import { BLOCK_BYTES, cutBlocks, decodePostings, encodePostings, OPEN } from './search-blocks.js';

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
});
