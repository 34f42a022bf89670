import { AsyncResource } from 'node:async_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Response } from 'supertest';
import { jest } from '@jest/globals';
import { ResponseCacheInterceptor } from '../src/cache/cache.interceptor.js';
import { Notice } from '../src/trading/notice.entity.js';
import { constructionProject, procurementNotice, procurementProject, tenderNotice } from './support/fixtures.js';
import { cst } from './support/portal-world.js';
import { eventually, startAppProcess, stopAllProcesses, type AppProcess } from './support/process.js';
import { publishingDesk, type PublishingDesk } from './support/publish-flow.js';
import { apiKeyClient, createStaff, signIn, STAFF_TEST_PASSWORD } from './support/staff.js';
import { FixedClock, isMysql, startTestApp, type TestApp } from './support/test-app.js';

/**
 * The response cache as a visitor meets it: a repeated request is answered from memory (X-Cache: hit) with the
 * same bytes, and whatever changes public output — a publication, a correction, a withdrawal, a settings change,
 * a deadline passing — shows on the very next request.
 */
describe('response cache', () => {
  let t: TestApp;
  let clock: FixedClock;
  let desk: PublishingDesk;
  const p: Record<string, string> = {};
  const n: Record<string, string> = {};
  const get = (path: string, headers: Record<string, string> = {}) => t.http().get(path).set(headers);
  const text = (res: Response) => res.text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

  beforeAll(async () => {
    clock = new FixedClock(cst('2026-11-25 09:00'));
    t = await startTestApp({ clock });
    desk = await publishingDesk(t);
    p.A = await desk.project(constructionProject({ name: '缓存测试甲道路工程', regionCode: '210211' }));
    p.B = await desk.project(
      procurementProject('open-tender', { name: '缓存测试乙医院采购项目', regionCode: '210213' }),
    );
    p.D = await desk.project(
      constructionProject({ category: 'municipal', name: '缓存测试丁绿化工程', regionCode: '210202' }),
    );
    clock.set(cst('2026-11-25 10:00'));
    n.aTender = (await desk.publish({ ...tenderNotice(p.A), title: '缓存测试甲道路工程施工招标公告' })).id;
    n.dTender = (await desk.publish({ ...tenderNotice(p.D), title: '缓存测试丁绿化工程施工招标公告' })).id;
  }, 60_000);
  afterAll(() => t.close());

  describe('a repeated request', () => {
    const paths = () => [
      '/',
      '/notices',
      '/notices?category=construction',
      '/notices?open=1&sort=deadline',
      `/notices/${n.aTender}`,
      `/projects/${p.A}`,
      '/feeds/notices.rss',
      '/feeds/notices.atom?region=210211',
      '/api/v1/notices',
      '/api/v1/notices?category=construction&limit=5',
      `/api/v1/notices/${n.aTender}`,
      `/api/v1/projects/${p.A}`,
    ];

    it('is answered from memory with the same bytes and validators, and If-None-Match from the versions alone', async () => {
      for (const path of paths()) {
        const first = await get(path).expect(200);
        expect([path, first.headers['x-cache']]).toEqual([path, 'miss']);
        const second = await get(path).expect(200);
        expect([path, second.headers['x-cache']]).toEqual([path, 'hit']);
        expect(second.text).toBe(first.text);
        expect(second.headers['content-type']).toBe(first.headers['content-type']);
        expect(second.headers.etag).toBe(first.headers.etag);
        expect(second.headers['cache-control']).toBe(first.headers['cache-control']);
        expect(second.headers['content-length']).toBe(String(Buffer.byteLength(first.text)));
        const conditional = await get(path, { 'If-None-Match': first.headers.etag }).expect(304);
        expect([path, conditional.headers['x-cache']]).toEqual([path, 'hit']);
        expect(conditional.headers.etag).toBe(first.headers.etag);
      }
    });

    it('is counted on /health, so a benchmark can report the hit rate', async () => {
      const { cache } = (await get('/health').expect(200)).body;
      expect(cache).toMatchObject({ enabled: true, maxBytes: 64 * 1024 * 1024 });
      expect(cache.hits).toBeGreaterThanOrEqual(paths().length * 2);
      expect(cache.notModified).toBeGreaterThanOrEqual(paths().length);
      expect(cache.misses).toBeGreaterThanOrEqual(paths().length);
      expect(cache.entries).toBeGreaterThanOrEqual(paths().length);
      expect(cache.bytes).toBeGreaterThan(0);
      expect(cache.hitRate).toBeGreaterThan(0.5);
    });

    it('asked for by many visitors at once is rendered once', async () => {
      const misses = async () => (await get('/health').expect(200)).body.cache.misses as number;
      const before = await misses();
      const all = await Promise.all(Array.from({ length: 8 }, () => get('/notices?region=210211').expect(200)));
      expect(new Set(all.map((r) => r.text)).size).toBe(1);
      expect(await misses()).toBe(before + 1);
    });

    it('keeps the large-text page apart from the standard one (the cookie is part of the key)', async () => {
      const large = { Cookie: 'ggzy_display=large' };
      await get('/notices', large).expect(200);
      const largeAgain = await get('/notices', large).expect(200);
      expect(largeAgain.headers['x-cache']).toBe('hit');
      expect(largeAgain.text).toContain('<html lang="zh-CN" class="large-text">');
      const standard = await get('/notices').expect(200);
      expect(standard.headers['x-cache']).toBe('hit');
      expect(standard.text).not.toContain('class="large-text"');
      expect(standard.headers.vary).toBe('Cookie');
    });

    it('keeps a search only once it is asked for again: one-off searches do not push hot pages out', async () => {
      const path = '/notices?q=' + encodeURIComponent('缓存测试');
      const seen = [];
      for (let i = 0; i < 3; i++) seen.push((await get(path).expect(200)).headers['x-cache']);
      expect(seen).toEqual([undefined, 'miss', 'hit']);
      const api = '/api/v1/notices?q=' + encodeURIComponent('绿化');
      const apiSeen = [];
      for (let i = 0; i < 3; i++) apiSeen.push((await get(api).expect(200)).headers['x-cache']);
      expect(apiSeen).toEqual([undefined, 'miss', 'hit']);
    });

    it('is rendered afresh for staff, a one-off deep page or search and a route that does not opt in', async () => {
      const staff = await createStaff(t, 'clerk');
      const session = await signIn(t, staff.username, STAFF_TEST_PASSWORD);
      const cursor: string = (await get('/api/v1/notices?limit=1').expect(200)).body.next;
      for (const [path, headers] of [
        ['/notices', { Cookie: session.headers.Cookie }],
        ['/api/v1/notices', { Authorization: desk.clerk.headers.Authorization }],
        ['/api/v1/changes', {}],
        ['/sitemap.xml', {}],
      ] as [string, Record<string, string>][]) {
        for (let i = 0; i < 2; i++)
          expect([path, (await get(path, headers).expect(200)).headers['x-cache']]).toEqual([path, undefined]);
      }
      const search = '/notices?q=' + encodeURIComponent('道路');
      expect((await get(search).expect(200)).headers['x-cache']).toBeUndefined();
      // A page by cursor is kept once it is asked for again (a list's second page), not at its first request.
      for (const deep of [
        `/notices?after=${encodeURIComponent(cursor)}`,
        `/api/v1/notices?after=${encodeURIComponent(cursor)}`,
      ]) {
        const seen = [];
        for (let i = 0; i < 3; i++) seen.push((await get(deep).expect(200)).headers['x-cache']);
        expect([deep, seen]).toEqual([deep, [undefined, 'miss', 'hit']]);
      }
    });

    it('that is bad stays a 4xx: errors are never kept', async () => {
      for (const [path, status] of [
        ['/notices?category=nope', 400],
        ['/notices?sort=nope', 400],
        ['/notices/DL2102-nope', 404],
        ['/projects/nope', 404],
        ['/api/v1/notices?limit=0', 400],
        ['/api/v1/notices/nope', 404],
        ['/feeds/notices.rss?type=nope', 400],
        ['/api/ocds/records/ocds-dl2102-nope', 404],
      ] as [string, number][]) {
        for (let i = 0; i < 3; i++) {
          const res = await get(path);
          expect([path, res.status, res.headers['x-cache']]).toEqual([path, status, 'miss']);
        }
      }
    });
  });

  describe('what changes public output shows on the next request', () => {
    const warm = async (paths: string[]) => {
      for (const path of paths) {
        await get(path).expect(200);
        expect([path, (await get(path).expect(200)).headers['x-cache']]).toEqual([path, 'hit']);
      }
    };

    it('a publication: lists, home, feeds and the API', async () => {
      const warmed = ['/', '/notices', '/notices?category=procurement', '/feeds/notices.rss', '/api/v1/notices'];
      await warm(warmed);
      expect((await get(`/projects/${p.B}`)).status).toBe(404);
      const staleMisses = async () => (await get('/health').expect(200)).body.cache.staleMisses as number;
      const staleBefore = await staleMisses();
      clock.set(cst('2026-11-25 11:00'));
      n.bProcurement = (
        await desk.publish({
          ...procurementNotice(p.B, { bidDeadline: '2026-12-18 09:30', openingTime: '2026-12-18 09:30' }),
          title: '缓存测试乙医院采购公告',
        })
      ).id;
      expect(text(await get('/notices').expect(200))).toContain('缓存测试乙医院采购公告');
      expect(text(await get('/notices?category=procurement').expect(200))).toContain('缓存测试乙医院采购公告');
      expect(text(await get('/').expect(200))).toContain('缓存测试乙医院采购公告');
      expect((await get('/feeds/notices.rss').expect(200)).text).toContain('缓存测试乙医院采购公告');
      expect((await get('/api/v1/notices').expect(200)).body.items.map((i: { id: string }) => i.id)).toContain(
        n.bProcurement,
      );
      expect(text(await get(`/projects/${p.B}`).expect(200))).toContain('缓存测试乙医院采购公告');
      // Each warmed page was rendered again because the publication made its copy stale (the project page was new).
      expect((await staleMisses()) - staleBefore).toBe(warmed.length);
    });

    it('a correction: the corrected notice and its project show the new deadline', async () => {
      await warm([`/notices/${n.aTender}`, `/projects/${p.A}`, `/api/v1/projects/${p.A}`]);
      clock.set(cst('2026-11-26 10:00'));
      await desk.publish({
        projectId: p.A,
        type: 'correction',
        targetNoticeId: n.aTender,
        title: '缓存测试甲道路工程澄清公告',
        body: '投标截止时间顺延。',
        details: {
          reason: '补充工程量清单',
          affectsBids: true,
          changes: { bidDeadline: '2026-12-22 09:30', openingTime: '2026-12-22 09:30' },
        },
      });
      expect(text(await get(`/notices/${n.aTender}`).expect(200))).toContain('已更正为 2026-12-22 09:30（北京时间）');
      expect(text(await get(`/projects/${p.A}`).expect(200))).toContain('2026-12-22 09:30（北京时间）');
      expect(JSON.stringify((await get(`/api/v1/projects/${p.A}`).expect(200)).body)).toContain(
        '缓存测试甲道路工程澄清公告',
      );
    });

    it("a publication leaves other projects' pages and other categories' and regions' lists in memory", async () => {
      // A is construction in 210211, D municipal in 210202.
      const others = [
        `/notices/${n.dTender}`,
        `/projects/${p.D}`,
        `/api/v1/notices/${n.dTender}`,
        `/api/v1/projects/${p.D}`,
        '/notices?category=municipal',
        '/notices?region=210202',
        '/feeds/notices.rss?category=municipal',
        '/api/v1/notices?category=municipal&region=210202',
      ];
      const own = [
        `/notices/${n.aTender}`,
        `/projects/${p.A}`,
        `/api/v1/projects/${p.A}`,
        '/notices?category=construction',
        '/notices?region=210211',
        '/notices?region=210200',
        '/feeds/notices.rss?category=construction&region=210211',
        '/api/v1/notices?category=construction',
      ];
      await warm([...others, ...own, '/notices']);
      clock.set(cst('2026-11-26 11:00'));
      await desk.publish({
        projectId: p.A,
        type: 'correction',
        targetNoticeId: n.aTender,
        title: '缓存测试甲道路工程第二次澄清公告',
        body: '补充说明。',
        details: { reason: '补充说明', affectsBids: false, changes: {} },
      });
      for (const path of others)
        expect([path, (await get(path).expect(200)).headers['x-cache']]).toEqual([path, 'hit']);
      for (const path of [...own, '/notices']) {
        const res = await get(path).expect(200);
        expect([path, res.headers['x-cache']]).toEqual([path, 'miss']);
        expect([
          path,
          text(res).includes('缓存测试甲道路工程第二次澄清公告') ||
            JSON.stringify(res.body).includes('缓存测试甲道路工程第二次澄清公告'),
        ]).toEqual([path, true]);
      }
    });

    it('a withdrawal: the notice says so, and the list marks it', async () => {
      await warm([`/notices/${n.aTender}`, '/notices?category=construction']);
      clock.set(cst('2026-11-26 14:00'));
      await desk.withdraw(n.aTender, '招标人调整建设方案');
      expect(text(await get(`/notices/${n.aTender}`).expect(200))).toContain('本公告已撤回');
      const row = text(await get('/notices?category=construction').expect(200));
      expect(row).toMatch(/缓存测试甲道路工程施工招标公告 已撤回/);
    });

    it('a change of the timing rules (the settings version)', async () => {
      await warm([`/notices/${n.dTender}`]);
      const admin = await apiKeyClient(t, (await createStaff(t, 'admin')).id);
      const [rule] = (await admin.get('/api/admin/timing-rules').expect(200)).body.items;
      await admin
        .patch(`/api/admin/timing-rules/${rule.code}`)
        .send({ basis: `${rule.basis}（修订）` })
        .expect(200);
      expect((await get(`/notices/${n.dTender}`).expect(200)).headers['x-cache']).toBe('miss');
    });

    it('a deadline passing, without a publication: "open now", the badges and the counts flip', async () => {
      // D's deadline: 2026-12-16 09:30 (China time); B's is two days later.
      clock.set(cst('2026-12-16 09:29'));
      const paths = [
        '/',
        '/notices?open=1',
        '/notices?open=1&sort=deadline',
        '/api/v1/notices?open=1',
        '/feeds/notices.rss?open=1',
        `/notices/${n.dTender}`,
        `/projects/${p.D}`,
      ];
      await warm(paths);
      const before = Object.fromEntries(
        await Promise.all(paths.map(async (path) => [path, await get(path).expect(200)] as const)),
      );
      expect(before['/notices?open=1'].headers['x-cache']).toBe('hit');
      expect(text(before['/notices?open=1'])).toContain('缓存测试丁绿化工程施工招标公告');
      expect(before['/api/v1/notices?open=1'].body.items.map((i: { id: string }) => i.id)).toContain(n.dTender);
      expect(before['/feeds/notices.rss?open=1'].text).toContain('缓存测试丁绿化工程施工招标公告');
      expect(text(before[`/notices/${n.dTender}`])).toContain('当前状态： 正在接受投标');
      expect(text(before[`/projects/${p.D}`])).not.toContain('（已截止）');
      const openCount = (res: Response) =>
        Number(/<span class="count">(\d+)<\/span> 个正在招标的项目/.exec(res.text)?.[1]);

      clock.set(cst('2026-12-16 09:30'));
      const after = Object.fromEntries(
        await Promise.all(paths.map(async (path) => [path, await get(path).expect(200)] as const)),
      );
      expect(text(after['/notices?open=1'])).not.toContain('缓存测试丁绿化工程施工招标公告');
      expect(text(after['/notices?open=1'])).toContain('缓存测试乙医院采购公告'); // open until 12-18
      expect(text(after['/notices?open=1&sort=deadline'])).not.toContain('缓存测试丁绿化工程施工招标公告');
      expect(after['/api/v1/notices?open=1'].body.items.map((i: { id: string }) => i.id)).not.toContain(n.dTender);
      expect(after['/feeds/notices.rss?open=1'].text).not.toContain('缓存测试丁绿化工程施工招标公告');
      expect(text(after[`/notices/${n.dTender}`])).toContain('当前状态： 投标已截止');
      expect(text(after[`/projects/${p.D}`])).toContain('（已截止）');
      expect(openCount(after['/'])).toBe(openCount(before['/']) - 1);
    });
  });

  it('renders a miss on one snapshot: a publication committed meanwhile is not seen, so cannot be labelled with the old head', async () => {
    const head = async () =>
      Number((await t.db.manager.query('SELECT seq FROM publication_log_head WHERE id = 1'))[0].seq);
    const published = () => t.db.manager.countBy(Notice, { status: 'published' });
    // The publication must run outside the snapshot's async context, as another request would.
    const elsewhere = AsyncResource.bind((work: () => Promise<unknown>) => work());
    clock.set(cst('2026-12-20 10:00'));
    const project = await desk.project(constructionProject({ name: '快照测试工程' }));
    let publishing: Promise<unknown> | undefined;
    await t.db.readSnapshot(async () => {
      const [headBefore, countBefore] = [await head(), await published()];
      publishing = elsewhere(() => desk.publish({ ...tenderNotice(project), title: '快照测试工程施工招标公告' }));
      // MySQL/MariaDB: the publication commits meanwhile; SQLite: it waits for the snapshot to end.
      await Promise.race([publishing, sleep(1500)]);
      expect([await head(), await published()]).toEqual([headBefore, countBefore]);
    });
    await publishing;
    expect(text(await get('/notices').expect(200))).toContain('快照测试工程施工招标公告');
  });

  it('answers a stored page and a 304 with the database gone: a hit reads only memory', async () => {
    clock.set(cst('2026-12-20 10:00'));
    const path = `/notices/${n.dTender}`;
    const first = await get(path).expect(200);
    await t.db.dataSource.destroy();
    const hit = await get(path).expect(200);
    expect(hit.headers['x-cache']).toBe('hit');
    expect(hit.text).toBe(first.text);
    expect((await get(path, { 'If-None-Match': first.headers.etag }).expect(304)).headers['x-cache']).toBe('hit');
  });
});

describe('response cache in front of the framework', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_API: '3', RATE_LIMIT_FEEDS: '3' } });
  });
  afterAll(() => t.close());

  it('answers from memory within the rate limits: each request counted once, the one past the limit a 429', async () => {
    for (const path of ['/api/v1/notices', '/feeds/notices.rss']) {
      const seen: [number, string | undefined, string | undefined][] = [];
      for (let i = 0; i < 5; i++) {
        const res = await t.http().get(path);
        seen.push([res.status, res.headers['x-cache'], res.headers['ratelimit-remaining']]);
        if (res.status === 429) expect(res.headers['retry-after']).toMatch(/^\d+$/);
      }
      expect([path, seen]).toEqual([
        path,
        [
          [200, 'miss', '2'],
          [200, 'hit', '1'],
          [200, 'hit', '0'],
          [429, undefined, '0'],
          [429, undefined, '0'],
        ],
      ]);
    }
  });

  it("reads the publication log's head once on a miss: the render reuses the cache's version read for Last-Modified", async () => {
    const desk = await publishingDesk(t);
    await desk.publish(tenderNotice(await desk.project(constructionProject())));
    const heads: string[] = [];
    const query = jest.spyOn(
      t.db.dataSource.driver.createQueryRunner('slave').constructor.prototype,
      'query',
    ) as unknown as {
      mock: { calls: unknown[][] };
      mockRestore(): void;
    };
    const res = await t.http().get('/notices?category=construction').expect(200);
    for (const [sql] of query.mock.calls) if (/publication_log/.test(String(sql))) heads.push(String(sql));
    query.mockRestore();
    expect(res.headers['x-cache']).toBe('miss');
    // The version read (also the poll's, every CACHE_POLL_MS), never a second read of the newest log entry.
    expect(heads.some((sql) => sql.includes('publication_log_head'))).toBe(true);
    expect(heads.filter((sql) => /FROM "?publication_log"? .*ORDER BY .*seq"? DESC/.test(sql))).toEqual([]);
    expect(new Date(res.headers['last-modified']).getTime()).toBeGreaterThan(0);
  });

  it('sends a hit before Nest runs, with the headers every answer carries: request id, security headers, Vary', async () => {
    await t.http().get('/notices').expect(200);
    const intercept = jest.spyOn(ResponseCacheInterceptor.prototype, 'intercept');
    const hit = await t.http().get('/notices').expect(200);
    const notModified = await t.http().get('/notices').set('If-None-Match', hit.headers.etag).expect(304);
    expect(intercept).not.toHaveBeenCalled();
    intercept.mockRestore();
    expect(notModified.headers['x-cache']).toBe('hit');
    expect(hit.headers['x-cache']).toBe('hit');
    expect(hit.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(hit.headers['content-security-policy']).toContain("default-src 'self'");
    expect(hit.headers['x-content-type-options']).toBe('nosniff');
    expect(hit.headers.vary).toBe('Cookie');
  });
});

describe('response cache off (CACHE_ENABLED=false)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { CACHE_ENABLED: 'false' } });
  });
  afterAll(() => t.close());

  it('renders every request and says so on /health', async () => {
    for (let i = 0; i < 2; i++) expect((await t.http().get('/notices').expect(200)).headers['x-cache']).toBeUndefined();
    expect((await t.http().get('/health').expect(200)).body.cache).toMatchObject({
      enabled: false,
      hits: 0,
      entries: 0,
    });
  });
});

// SQLite serves one instance; two instances share one MySQL/MariaDB database.
(isMysql() ? describe : describe.skip)('two instances on one database', () => {
  let t: TestApp;
  let desk: PublishingDesk;
  let other: AppProcess;
  let projectId: string;

  beforeAll(async () => {
    t = await startTestApp();
    desk = await publishingDesk(t);
    projectId = await desk.project(constructionProject({ name: '双实例缓存测试工程' }));
    other = await startAppProcess('other', {
      DATABASE_URL: t.database.url,
      JOBS_ENABLED: 'false',
      CACHE_POLL_MS: '250',
    });
  }, 180_000);
  afterAll(async () => {
    await stopAllProcesses();
    await t.close();
  });

  const fetchOther = async (path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${other.url}${path}`, { headers });
    return { status: res.status, cache: res.headers.get('x-cache'), body: await res.text() };
  };
  /** Waits for `path` on the other instance to satisfy `check`, and returns how long that took. */
  const shownWithin = async (path: string, check: (body: string) => boolean) => {
    const start = Date.now();
    await eventually(`${path} on the other instance`, async () => check((await fetchOther(path)).body), 10_000, 25);
    return Date.now() - start;
  };

  it('a publication, a correction and a withdrawal on one show on the other within a second', async () => {
    const at = (days: number) => `${new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)} 09:30`;
    for (const path of ['/notices', '/feeds/notices.rss', '/api/v1/notices']) {
      await fetchOther(path);
      expect([path, (await fetchOther(path)).cache]).toEqual([path, 'hit']);
    }
    const tender = await desk.publish({ ...tenderNotice(projectId), title: '双实例缓存测试工程施工招标公告' });
    expect(await shownWithin('/notices', (b) => b.includes('双实例缓存测试工程施工招标公告'))).toBeLessThan(1000);
    expect(await shownWithin('/feeds/notices.rss', (b) => b.includes('双实例缓存测试工程施工招标公告'))).toBeLessThan(
      1000,
    );
    expect(await shownWithin('/api/v1/notices', (b) => b.includes(tender.id))).toBeLessThan(1000);

    const page = `/notices/${tender.id}`;
    await fetchOther(page);
    expect((await fetchOther(page)).cache).toBe('hit');
    await desk.publish({
      projectId,
      type: 'correction',
      targetNoticeId: tender.id,
      title: '双实例缓存测试工程澄清公告',
      body: '投标截止时间顺延。',
      details: { reason: '补充工程量清单', affectsBids: true, changes: { bidDeadline: at(30), openingTime: at(30) } },
    });
    expect(await shownWithin(page, (b) => b.includes('已更正为'))).toBeLessThan(1000);
    await desk.withdraw(tender.id, '招标人调整建设方案');
    expect(await shownWithin(page, (b) => b.includes('本公告已撤回'))).toBeLessThan(1000);
  });

  it('a staff member signed in on the other instance sees a publication at once, never from memory', async () => {
    const staff = await createStaff(t, 'clerk');
    const login = await fetch(`${other.url}/api/admin/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: staff.username, password: STAFF_TEST_PASSWORD }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers
      .getSetCookie()
      .find((c) => c.startsWith('ggzy_session='))!
      .split(';')[0];
    await fetchOther('/notices');
    await desk.publish({ ...tenderNotice(await desk.project(constructionProject())), title: '双实例员工即时可见公告' });
    const mine = await fetchOther('/notices', { Cookie: cookie });
    expect(mine.status).toBe(200);
    expect(mine.cache).toBeNull();
    expect(mine.body).toContain('双实例员工即时可见公告');
  });
});
