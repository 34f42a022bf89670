import { FixedWindowLimiter, rateGroupOf } from './rate-limit.js';

describe('rate limits', () => {
  it.each([
    ['/api/v1/notices', 'api'],
    ['/api/v1/changes', 'api'],
    ['/api/ocds/releases', 'api'],
    ['/feeds/notices.rss', 'feeds'],
    ['/alerts/AbC_-0/feed.rss', 'feeds'],
    ['/alerts/AbC_-0/feed.atom', 'feeds'],
    ['/alerts', undefined],
    ['/alerts/AbC_-0', undefined],
    ['/exports/bids.csv', 'exports'],
    ['/exports', 'exports'],
    ['/bulk/', 'exports'],
    ['/api/admin/notices', undefined],
    ['/notices', undefined],
    ['/api/docs', undefined],
    ['/exportsx', undefined],
  ])('puts %s under %s', (path, group) => {
    expect(rateGroupOf(path)).toBe(group);
  });

  it('allows the limit per window, then tells how long to wait, then opens a new window', () => {
    const limiter = new FixedWindowLimiter(60_000);
    const t0 = 1_000_000;
    expect(limiter.hit('a', 2, t0)).toEqual({ allowed: true, remaining: 1, resetSeconds: 60 });
    expect(limiter.hit('a', 2, t0 + 1000).allowed).toBe(true);
    expect(limiter.hit('a', 2, t0 + 30_500)).toEqual({ allowed: false, remaining: 0, resetSeconds: 30 });
    expect(limiter.hit('b', 2, t0 + 30_500).allowed).toBe(true);
    expect(limiter.hit('a', 2, t0 + 60_000)).toEqual({ allowed: true, remaining: 1, resetSeconds: 60 });
  });
});
