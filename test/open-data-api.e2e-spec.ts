import { OpenCounts1766600000000, backfillOpenCounts } from '../src/database/migrations/1766600000000-open-counts.js';
import { backfillDeadlineKeys } from '../src/database/migrations/1767300000000-deadline-keys.js';
import { chinaDate } from '../src/domain/china-time.js';
import {
  OPEN_DATA_NOW,
  publishScenario,
  startOpenDataApp,
  type Publisher,
  type Scenario,
} from './support/open-data.js';
import type { FixedClock, TestApp } from './support/test-app.js';

describe('open data: JSON API (/api/v1/notices, /api/v1/projects)', () => {
  let t: TestApp;
  let pub: Publisher;
  let s: Scenario;
  let clock: FixedClock;

  beforeAll(async () => {
    ({ t, pub, clock } = await startOpenDataApp());
    s = await publishScenario(pub);
  });
  afterAll(() => t.close());

  it('serves a notice as public JSON: names, region, details as stored, +08:00 times, links', async () => {
    const res = await t.http().get(`/api/v1/notices/${s.notices.opening.id}`).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toMatchObject({
      id: s.notices.opening.id,
      projectId: s.projects.works,
      type: 'bid-opening',
      typeName: '开标记录',
      kind: 'publication',
      category: 'construction',
      categoryName: '工程建设招投标',
      region: { code: '210211', name: '甘井子区' },
      publishedAt: '2026-11-25T10:00:00+08:00',
      targetNoticeId: null,
      withdrawn: null,
      logSeq: s.notices.opening.logSeq,
    });
    expect(res.body.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(res.body.details.controlPrice).toEqual({ value: '1200', unit: '万元', yuan: '12000000.00' });
    expect(res.body.details.bids[0].price).toEqual({
      form: 'amount',
      value: '1180.5',
      unit: '万元',
      yuan: '11805000.00',
    });
    expect(res.body.details.bids[3].price).toEqual({ form: 'down-rate', value: '3.5', unit: '%' });
    expect(res.body.links).toEqual({
      html: `${t.config.publicBaseUrl}/notices/${s.notices.opening.id}`,
      self: `${t.config.publicBaseUrl}/api/v1/notices/${s.notices.opening.id}`,
      project: `${t.config.publicBaseUrl}/api/v1/projects/${s.projects.works}`,
      ocdsRecord: expect.stringMatching(
        new RegExp(`^${t.config.publicBaseUrl}/api/ocds/records/ocds-dl2102-A02-2102-T`),
      ),
    });
    // No float anywhere: every amount in the JSON text is a string.
    expect(res.text).not.toMatch(/"(value|yuan)":\d/);
  });

  it('shows a withdrawn notice with its withdrawal, and the withdrawal pointing at it', async () => {
    const target = await t.http().get(`/api/v1/notices/${s.notices.purchase.id}`).expect(200);
    expect(target.body.withdrawn).toEqual({ at: '2026-11-25T10:00:00+08:00', byNoticeId: s.notices.withdrawal.id });
    const w = await t.http().get(`/api/v1/notices/${s.notices.withdrawal.id}`).expect(200);
    expect(w.body).toMatchObject({ kind: 'withdrawal', targetNoticeId: s.notices.purchase.id });
  });

  it('serves a project with its published notices in publication order', async () => {
    const res = await t.http().get(`/api/v1/projects/${s.projects.works}`).expect(200);
    expect(res.body).toMatchObject({
      id: s.projects.works,
      ocid: expect.stringMatching(/^ocds-dl2102-/),
      price: { kind: 'budget', value: '1234.56', unit: '万元', yuan: '12345600.00' },
      region: { code: '210211', name: '甘井子区' },
    });
    expect(res.body.parties[0]).toEqual(expect.objectContaining({ role: 'tenderer', roleName: '招标人' }));
    expect(res.body.parties[0]).not.toHaveProperty('contactPhone');
    expect(res.body.notices.map((n: { type: string }) => n.type)).toEqual([
      'tender',
      'correction',
      'bid-opening',
      'candidates',
      'result',
      'contract',
      'performance',
    ]);
  });

  it('answers 404 JSON for unknown and unpublished notices and projects', async () => {
    const unknown = await t.http().get('/api/v1/notices/DL2102-nothing').expect(404);
    expect(unknown.body).toMatchObject({ statusCode: 404, message: '公告不存在' });
    const projectId = await pub.project((await import('./support/fixtures.js')).constructionProject());
    const draft = await pub.clerk
      .post('/api/admin/notices')
      .send((await import('./support/fixtures.js')).tenderNotice(projectId))
      .expect(201);
    await t.http().get(`/api/v1/notices/${draft.body.id}`).expect(404);
    await t.http().get(`/api/v1/projects/${projectId}`).expect(404);
    await t.http().get('/api/v1/projects/DL2102-nothing').expect(404);
  });

  it('lists with the /notices filters, a total and a keyset cursor that walks every item once', async () => {
    const all = await t.http().get('/api/v1/notices?limit=1000').expect(200);
    expect(all.body.total).toBe(13);
    expect(all.body.next).toBeNull();
    const seen: string[] = [];
    let url: string | null = '/api/v1/notices?limit=4';
    while (url) {
      const res: { body: any } = await t.http().get(url).expect(200);
      expect(res.body.total).toBe(13);
      expect(res.body.limit).toBe(4);
      seen.push(...res.body.items.map((n: { id: string }) => n.id));
      url = res.body.next ? new URL(res.body.links.next).pathname + new URL(res.body.links.next).search : null;
    }
    expect(seen).toEqual(all.body.items.map((n: { id: string }) => n.id));
    expect(new Set(seen).size).toBe(13);

    const construction = await t.http().get('/api/v1/notices?category=construction&type=bid-opening').expect(200);
    expect(construction.body.items.map((n: { id: string }) => n.id)).toEqual([s.notices.opening.id]);
    const region = await t.http().get('/api/v1/notices?region=210200').expect(200);
    expect(region.body.total).toBe(13);
    const district = await t.http().get('/api/v1/notices?region=210202').expect(200);
    expect(district.body.items.every((n: { region: { code: string } }) => n.region.code === '210202')).toBe(true);
    const dated = await t.http().get('/api/v1/notices?from=2026-11-26').expect(200);
    expect(dated.body.total).toBe(0);
    const q = await t
      .http()
      .get(`/api/v1/notices?q=${encodeURIComponent('开标记录')}`)
      .expect(200);
    // Search itself is tested with the portal; here: the API takes q and returns only matching notices.
    expect(q.body.items.every((n: { title: string; body: string }) => `${n.title}${n.body}`.includes('开标记录'))).toBe(
      true,
    );
  });

  it.each(['0', '-1', '1000000000', 'abc', '1001', '1.5'])(
    'refuses limit=%s with a 400 JSON message',
    async (limit) => {
      const res = await t.http().get(`/api/v1/notices?limit=${limit}`).expect(400);
      expect(res.body.message).toContain('limit');
    },
  );

  it('answers conditional requests with 304 until something is published', async () => {
    const first = await t.http().get('/api/v1/notices?category=construction').expect(200);
    expect(first.headers.etag).toBeDefined();
    expect(first.headers['last-modified']).toBeDefined();
    await t.http().get('/api/v1/notices?category=construction').set('If-None-Match', first.headers.etag).expect(304);
    const one = await t.http().get(`/api/v1/notices/${s.notices.tender.id}`).expect(200);
    await t.http().get(`/api/v1/notices/${s.notices.tender.id}`).set('If-None-Match', one.headers.etag).expect(304);
    const project = await t.http().get(`/api/v1/projects/${s.projects.works}`).expect(200);
    await t
      .http()
      .get(`/api/v1/projects/${s.projects.works}`)
      .set('If-Modified-Since', project.headers['last-modified'])
      .expect(304);
    // Cache-Control: no-cache in the request (some clients and proxies add it) asks the origin to validate: still 304.
    await t
      .http()
      .get('/api/v1/notices?category=construction')
      .set('Cache-Control', 'no-cache')
      .set('If-None-Match', first.headers.etag)
      .expect(304);
    await t
      .http()
      .get(`/api/v1/notices/${s.notices.tender.id}`)
      .set('Cache-Control', 'no-cache, max-age=0')
      .set('If-None-Match', one.headers.etag)
      .expect(304);
    await t
      .http()
      .get('/api/v1/notices?category=construction')
      .set('Cache-Control', 'no-cache')
      .set('If-None-Match', 'W/"other"')
      .expect(200);
  });

  it('counts "open now" from kept counts that follow corrections, withdrawals, terminations and the clock', async () => {
    const sqlTime = (d: Date) => d.toISOString().replace('T', ' ').slice(0, 23);
    const openAt = async (at: Date, where: string) => {
      const rows: { c: unknown }[] = await t.db.manager.query(
        `SELECT COUNT(*) AS c FROM notice n JOIN project p ON p.id = n.project_id
         WHERE n.status = 'published' AND n.bid_deadline > '${sqlTime(at)}' AND n.withdrawn_at IS NULL
           AND p.terminated_at IS NULL AND ${where}`,
      );
      return Number(rows[0].c);
    };
    const filters: [string, string][] = [
      ['open=1', '1 = 1'],
      ['open=1&category=construction', `n.category = 'construction'`],
      ['open=1&type=procurement', `n.type = 'procurement'`],
      ['open=1&region=210211', `n.region_code = '210211'`],
      ['open=1&category=construction&region=210200', `n.category = 'construction' AND n.region_code LIKE '2102%'`],
      ['open=1&type=result', '1 = 0'],
    ];
    // The scenario moved a tender's deadline to 2026-12-22 09:30, withdrew one procurement and terminated another.
    const times = [
      OPEN_DATA_NOW,
      new Date('2026-11-26T02:00:00Z'),
      new Date('2026-12-21T16:00:00Z'),
      new Date('2026-12-22T01:29:59Z'),
      new Date('2026-12-22T01:30:00Z'),
      new Date('2027-02-01T00:00:00Z'),
    ];
    let seen = 0;
    try {
      for (const at of times) {
        clock.set(at);
        for (const [query, where] of filters) {
          const body = (await t.http().get(`/api/v1/notices?${query}&limit=1`).expect(200)).body as {
            total: number;
            totalExact: boolean;
          };
          const expected = await openAt(at, where);
          seen += expected;
          expect({ at, query, total: body.total, exact: body.totalExact }).toEqual({
            at,
            query,
            total: expected,
            exact: true,
          });
        }
      }
    } finally {
      clock.set(OPEN_DATA_NOW);
    }
    expect(seen).toBeGreaterThan(0);

    // What publications kept is what the migration builds from the notices, for every day it reads.
    const runner = t.db.dataSource.createQueryRunner();
    const openKeys = async () => {
      const rows: { count_key: string; notices: unknown }[] = await runner.query(
        `SELECT count_key, notices FROM notice_count WHERE count_key LIKE 'o=%' OR count_key LIKE '%|o=%' ORDER BY count_key`,
      );
      return rows
        .filter((r) => r.count_key.slice(-10) >= chinaDate(OPEN_DATA_NOW) && Number(r.notices) !== 0)
        .map((r) => `${r.count_key} ${Number(r.notices)}`);
    };
    try {
      const kept = await openKeys();
      expect(kept.length).toBeGreaterThan(0);
      await new OpenCounts1766600000000().down(runner);
      expect(await openKeys()).toEqual([]);
      await backfillOpenCounts(runner, chinaDate(OPEN_DATA_NOW));
      expect(await openKeys()).toEqual(kept);
    } finally {
      await runner.release();
    }
  });

  it('lists a region or a type in deadline order by kept deadline keys that follow a correction moving the deadline', async () => {
    // The scenario moved a tender's deadline by a correction: the lists must order it at its new deadline.
    const filters: [string, string][] = [
      ['region=210211', `n.region_code LIKE '210211%'`],
      ['region=210200&category=construction', `n.region_code LIKE '2102%' AND n.category = 'construction'`],
      ['type=tender', `n.type = 'tender'`],
      ['type=procurement&region=210000', `n.type = 'procurement' AND n.region_code LIKE '21%'`],
      ['type=tender&category=construction', `n.type = 'tender' AND n.category = 'construction'`],
      ['type=result&region=210211', '1 = 0'],
      // Within publication dates: the walk bounded by the kept span of leads.
      ['from=2026-11-25&region=210200', `n.region_code LIKE '2102%'`],
      ['to=2026-11-25&type=tender', `n.type = 'tender'`],
      ['to=2026-11-24', '1 = 0'],
      ['from=2026-11-26', '1 = 0'],
    ];
    let seen = 0;
    for (const [query, where] of filters) {
      const listed: string[] = [];
      // Two a page: every cursor crosses a deadline key's rows.
      for (let after: string | null = ''; after !== null;) {
        const body = (
          await t
            .http()
            .get(`/api/v1/notices?${query}&sort=deadline&limit=2${after ? `&after=${after}` : ''}`)
            .expect(200)
        ).body as { items: { id: string }[]; next: string | null };
        listed.push(...body.items.map((n) => n.id));
        after = body.next;
      }
      const expected = (
        (await t.db.manager.query(
          `SELECT n.id FROM notice n WHERE n.status = 'published' AND n.bid_deadline IS NOT NULL AND ${where}
           ORDER BY n.bid_deadline, n.id`,
        )) as { id: string }[]
      ).map((r) => r.id);
      seen += expected.length;
      expect({ query, listed }).toEqual({ query, listed: expected });
    }
    expect(seen).toBeGreaterThan(4);
    // What publications kept is what the migration builds from the notices: the moved tender's rows at its new
    // deadline only (a row left at the old one fails here).
    const runner = t.db.dataSource.createQueryRunner();
    const keys = async () =>
      (
        (await runner.query(
          `SELECT k, bid_deadline, notice_id FROM notice_deadline_key ORDER BY k, bid_deadline, notice_id`,
        )) as { k: string; bid_deadline: unknown; notice_id: string }[]
      ).map(
        (r) =>
          `${r.k} ${String(r.bid_deadline instanceof Date ? r.bid_deadline.toISOString() : r.bid_deadline)} ${r.notice_id}`,
      );
    try {
      const kept = await keys();
      expect(kept.length).toBeGreaterThan(0);
      expect(kept.filter((k) => k.endsWith(` ${s.notices.tender.id}`)).length).toBeGreaterThan(0);
      // The leads publications kept for each month of publication hold every lead the notices have now (they may
      // be wider: a lead a correction replaced stays in them).
      const spans = async () =>
        new Map(
          (
            (await runner.query('SELECT month, min_lead_s, max_lead_s FROM notice_deadline_span')) as {
              month: string;
              min_lead_s: unknown;
              max_lead_s: unknown;
            }[]
          ).map((r) => [r.month, [Number(r.min_lead_s), Number(r.max_lead_s)]]),
        );
      const keptSpans = await spans();
      await runner.query('DELETE FROM notice_deadline_key');
      await runner.query('DELETE FROM notice_deadline_span');
      await backfillDeadlineKeys(runner);
      expect(await keys()).toEqual(kept);
      const built = await spans();
      expect(built.size).toBeGreaterThan(0);
      expect([...keptSpans.keys()].sort()).toEqual([...built.keys()].sort());
      for (const [month, [min, max]] of built) {
        const [keptMin, keptMax] = keptSpans.get(month)!;
        expect({ month, min: keptMin <= min, max: keptMax >= max, positive: min > 0 && min <= max }).toEqual({
          month,
          min: true,
          max: true,
          positive: true,
        });
      }
    } finally {
      await runner.release();
    }
  });
});
