import { startOpenDataApp, publishScenario } from './support/open-data.js';
import type { TestApp } from './support/test-app.js';

const LISTS = [
  '/api/v1/notices',
  '/feeds/notices.rss',
  '/feeds/notices.atom',
  '/exports/notices.csv',
  '/exports/bids.csv',
  '/exports/awards.csv',
];
const PAGED = ['/api/v1/changes', '/api/ocds/releases'];
const cursorOf = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

/** SQL and script fragments in `q`: refused with a message naming q, the value never echoed. */
const INJECTED_Q = [
  "' OR 1=1 --",
  'OR 1=1 --',
  '1; DROP TABLE notice',
  '/* x */',
  '道路*/',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '`notice`',
  'c\\d',
  '道路\u0000',
  '道路\n绿化',
];

/** Keywords people type: valid, whatever words they hold (a bare UNION SELECT is text). */
const LEGITIMATE_Q = [
  '道路 绿化',
  '中铁九局集团（大连）',
  '中铁九局集团(大连)',
  'E21020000012345',
  'A-1 标段',
  '“道路”，改造。',
  'UNION SELECT',
  '100%',
  '%_',
];

/** [path, query, what the message must mention] */
const BAD: [string, string, string][] = [
  ...LISTS.flatMap((p): [string, string, string][] => [
    [p, 'colour=red', '未知的参数'],
    [p, `${encodeURIComponent('<script>')}=1`, '未知的参数'],
    [p, `category=${encodeURIComponent('<script>alert(1)</script>')}`, '未知的交易类别'],
    [p, `region=${encodeURIComponent("210200' OR '1'='1")}`, '行政区划代码'],
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
    [
      p,
      `q=${encodeURIComponent("' OR 1=1; DROP TABLE notice; -- ' UNION SELECT password_hash FROM staff_user --")}`,
      '关键词',
    ],
    [
      p,
      `q=${encodeURIComponent('<script>alert(document.cookie)</script><script>alert(1)</script><img src=x>')}`,
      '关键词',
    ],
    ...INJECTED_Q.map((q): [string, string, string] => [p, `q=${encodeURIComponent(q)}`, '关键词 q 不能包含']),
  ]),
  ...['0', '-1', '1000000000', 'abc', '1e3', '5.5'].map((l): [string, string, string] => [
    '/api/v1/notices',
    `limit=${encodeURIComponent(l)}`,
    'limit',
  ]),
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
    expect({ status: res.status, type: res.headers['content-type'] }).toEqual({
      status: 400,
      type: expect.stringMatching(/^application\/json/),
    });
    expect(res.body).toMatchObject({ statusCode: 400, message: expect.stringContaining(mention) });
    expect(res.text).not.toMatch(/<script|<img|onerror|DROP TABLE|OR 1=1|at .*\.ts:\d+|QueryFailedError|SQLITE|ER_/);
  });

  it.each(LISTS)(
    'refuses SQL and script fragments in q on %s with a message that names q and what it may not hold',
    async (path) => {
      for (const q of INJECTED_Q) {
        const res = await t.http().get(`${path}?q=${encodeURIComponent(q)}`);
        expect({ q, status: res.status }).toEqual({ q, status: 400 });
        expect(res.body.errors).toEqual([
          {
            field: 'q',
            message: expect.stringMatching(
              /^关键词 q 不能包含.+：关键词中不允许 < > ; ' " ` \\ 字符、SQL 注释符 -- \/\* \*\/ 和控制字符$/,
            ),
          },
        ]);
        expect(res.text).not.toContain(JSON.stringify(q).slice(1, -1));
      }
      const all = await t.http().get('/api/v1/notices').expect(200);
      expect(all.body.total).toBe(13);
    },
  );

  it.each(LISTS)('answers legitimate keywords on %s as searches', async (path) => {
    for (const q of LEGITIMATE_Q) {
      const res = await t.http().get(`${path}?q=${encodeURIComponent(q)}`);
      expect({ q, status: res.status }).toEqual({ q, status: 200 });
    }
  });

  it('finds what legitimate keywords name, and nothing for words or wildcards that are not there', async () => {
    const total = async (q: string) => (await t.http().get('/api/v1/notices').query({ q }).expect(200)).body.total;
    expect(await total('道路 改造')).toBe(await total('道路改造'));
    expect(await total('道路改造')).toBeGreaterThan(0);
    for (const q of ['UNION SELECT', '100%', '%_', '中铁九局集团（大连）'])
      expect({ q, total: await total(q) }).toEqual({ q, total: 0 });
  });
});
