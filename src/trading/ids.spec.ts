import { mintId } from './ids.js';

describe('minted identifiers', () => {
  it('are the platform code, nine characters of time and eight random ones, URL-safe', () => {
    expect(mintId('DL2102', new Date('2026-11-25T02:00:00Z'))).toMatch(/^DL2102-[0-9a-hjkmnp-tv-z]{17}$/);
  });

  it('do not meet when many are minted in the same millisecond (the demo data mints hundreds on a fixed clock)', () => {
    const now = new Date('2026-11-25T02:00:00Z');
    const ids = new Set(Array.from({ length: 20_000 }, () => mintId('DL2102', now)));
    expect(ids.size).toBe(20_000);
  });

  it('sort by the time they were minted', () => {
    const earlier = mintId('DL2102', new Date('2026-11-25T02:00:00.000Z'));
    const later = mintId('DL2102', new Date('2026-11-25T02:00:00.001Z'));
    expect(earlier.slice(0, 16) < later.slice(0, 16)).toBe(true);
  });
});
