import { startOpenDataApp, publishScenario } from './support/open-data.js';
import type { TestApp } from './support/test-app.js';

const LISTS = ['/api/v1/notices', '/feeds/notices.rss', '/feeds/notices.atom', '/exports/notices.csv', '/exports/bids.csv', '/exports/awards.csv'];
const PAGED = ['/api/v1/changes', '/api/ocds/releases'];
const cursorOf = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

/** [path, query, what the message must mention] */
const BAD: [string, string, string][] = [
  ...LISTS.flatMap((p): [string, string, string][] => [
    [p, 'colour=red', '未知的参数'],
    [p, 'category=nope', '未知的交易类别'],
    [p, 'type=nope', '未知的公告类型'],
    [p, 'region=21', '行政区划代码'],
    [p, 'region=abcdef', '行政区划代码'],
    [p, 'from=2026-13-40', '日期'],
    [p, 'from=2026/11/25', '日期'],
    [p, 'to=yesterday', '日期'],
    [p, 'from=2026-11-25&to=2026-11-01', '结束日期'],
    [p, 'category=construction&category=water', '只能出现一次'],
    [p, 'open=maybe', 'open'],
    [p, 'sort=random', '排序'],
    [p, `q=${encodeURIComponent("' OR 1=1; DROP TABLE notice; -- ' UNION SELECT password_hash FROM staff_user --")}`, '关键词'],
    [p, `q=${encodeURIComponent('<script>alert(document.cookie)</script><script>alert(1)</script><img src=x>')}`, '关键词'],
  ]),
  ...['0', '-1', '1000000000', 'abc', '1e3', '5.5'].map((l): [string, string, string] => ['/api/v1/notices', `limit=${encodeURIComponent(l)}`, 'limit']),
  ['/api/v1/notices', 'after=not-a-cursor!', '游标'],
  ['/api/v1/notices', `after=${cursorOf({ v: 1, s: 'deadline', k: '2026-11-25T00:00:00Z', i: 'x' })}`, '游标'],
  ['/api/v1/notices', `after=${cursorOf({ v: 1, s: 'published', k: 'not a time', i: 'x' })}`, '游标'],
  ...PAGED.flatMap((p): [string, string, string][] => [
    [p, 'after=%00%27', '游标'],
    [p, `after=${cursorOf({ v: 9, seq: 1 })}`, '游标'],
    [p, `after=${cursorOf({ v: 1, seq: '1; DROP TABLE notice' })}`, '游标'],
    [p, 'limit=0', 'limit'],
    [p, 'limit=-1', 'limit'],
    [p, 'limit=1000000000', 'limit'],
    [p, 'limit=abc', 'limit'],
    [p, 'category=construction', '未知的参数'],
  ]),
  ['/api/v1/notices/x', 'colour=red', '未知的参数'],
  ['/bulk/manifest.json', 'x=1', '未知的参数'],
  ['/exports/bids.csv', 'type=tender', 'bid-opening'],
];

describe('open data: bad input is a 400 JSON with a message, never a 500', () => {
  let t: TestApp;
  beforeAll(async () => {
    const started = await startOpenDataApp();
    t = started.t;
    await publishScenario(started.pub);
  });
  afterAll(() => t.close());

  it.each(BAD)('GET %s?%s → 400 mentioning “%s”', async (path, query, mention) => {
    const res = await t.http().get(`${path}?${query}`);
    expect({ status: res.status, type: res.headers['content-type'] }).toEqual({ status: 400, type: expect.stringMatching(/^application\/json/) });
    expect(res.body).toMatchObject({ statusCode: 400, message: expect.stringContaining(mention) });
    expect(res.text).not.toMatch(/<script|at .*\.ts:\d+|QueryFailedError|SQLITE|ER_/);
  });

  it.each(LISTS)('treats SQL and markup in a short q on %s as search text: no match, no error', async (path) => {
    for (const q of ["' OR '1'='1", '1; DROP TABLE notice', '<script>alert(1)</script>', '%_\\']) {
      const res = await t.http().get(`${path}?q=${encodeURIComponent(q)}`);
      expect({ q, status: res.status }).toEqual({ q, status: 200 });
      expect(res.text).not.toContain('<script>alert(1)</script>');
    }
    const all = await t.http().get('/api/v1/notices').expect(200);
    expect(all.body.total).toBe(13);
  });
});
