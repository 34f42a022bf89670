import { startOpenDataApp } from './support/open-data.js';
import type { FixedClock, TestApp } from './support/test-app.js';

describe('open data: rate limits per client IP', () => {
  let t: TestApp;
  let clock: FixedClock;

  beforeAll(async () => {
    ({ t, clock } = await startOpenDataApp({
      RATE_LIMIT_API: '3',
      RATE_LIMIT_FEEDS: '2',
      RATE_LIMIT_EXPORTS: '1',
      RATE_LIMIT_WINDOW_SECONDS: '60',
    }));
  });
  afterAll(() => t.close());

  it('answers 429 with Retry-After and a JSON message past the limit, per group, until the window ends', async () => {
    for (let i = 0; i < 3; i++) {
      const ok = await t.http().get('/api/v1/notices').expect(200);
      expect(ok.headers['ratelimit-limit']).toBe('3');
      expect(ok.headers['ratelimit-remaining']).toBe(String(2 - i));
    }
    const limited = await t.http().get('/api/ocds/releases').expect(429);
    expect(limited.headers['retry-after']).toBe('60');
    expect(limited.headers['content-type']).toMatch(/json/);
    expect(limited.body).toMatchObject({ statusCode: 429, error: 'rate-limited' });
    expect(limited.body.message).toContain('60 秒最多 3 次');

    // Other groups have their own allowance.
    await t.http().get('/feeds/notices.rss').expect(200);
    await t.http().get('/feeds/notices.atom').expect(200);
    await t.http().get('/feeds/notices.rss').expect(429);
    await t.http().get('/exports/notices.csv').expect(200);
    const bulk = await t.http().get('/bulk/manifest.json').expect(429);
    expect(bulk.body.message).toContain('请求过于频繁');
    // Staff and pages are not limited here.
    await t.http().get('/health').expect(200);

    clock.advance(30_000);
    expect((await t.http().get('/api/v1/changes').expect(429)).headers['retry-after']).toBe('30');
    clock.advance(30_000);
    await t.http().get('/api/v1/changes').expect(200);
  });
});
