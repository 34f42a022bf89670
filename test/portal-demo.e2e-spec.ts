import { DatedFilterCounts1766500000000 } from '../src/database/migrations/1766500000000-dated-filter-counts.js';
import { Notice } from '../src/trading/notice.entity.js';
import { Project } from '../src/trading/project.entity.js';
import { FixedClock, startTestApp, TestApp } from './support/test-app.js';

/** Every page over the demo data (~350 notices of every type): each renders, in full, with nothing left raw. */
describe('public pages over the demo data', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ clock: new FixedClock(new Date('2026-11-25T02:00:00Z')), env: { SEED_DEMO: 'true' } });
  }, 120_000);
  afterAll(() => t?.close());

  const RAW = /undefined|NaN|\[object Object\]|Invalid Date/;

  it('renders every published notice and every project page, and the sitemap lists them all', async () => {
    const notices = await t.db.manager.find(Notice, { where: { status: 'published' } });
    const projects = await t.db.manager
      .createQueryBuilder(Project, 'p')
      .where('p.first_published_at IS NOT NULL')
      .getMany();
    expect(new Set(notices.map((n) => n.type)).size).toBeGreaterThanOrEqual(12);
    for (const n of notices) {
      const res = await t.http().get(`/notices/${encodeURIComponent(n.id)}`);
      expect({ id: n.id, type: n.type, status: res.status }).toEqual({ id: n.id, type: n.type, status: 200 });
      expect(res.text).not.toMatch(RAW);
      expect(res.text).toContain('（北京时间）');
    }
    for (const p of projects) {
      const res = await t.http().get(`/projects/${encodeURIComponent(p.id)}`);
      expect({ id: p.id, status: res.status }).toEqual({ id: p.id, status: 200 });
      expect(res.text).not.toMatch(RAW);
    }
    const sitemap = (await t.http().get('/sitemap.xml').expect(200)).text;
    expect(sitemap.match(/<loc>/g)).toHaveLength(notices.length + projects.length);
  }, 180_000);

  it('renders the home page and every category and type of the list', async () => {
    const home = await t.http().get('/').expect(200);
    expect(home.text).not.toMatch(RAW);
    const list = await t.http().get('/notices').expect(200);
    const total = Number(/共找到 <strong>(\d+)<\/strong>/.exec(list.text)![1]);
    expect(total).toBeGreaterThan(100);
    for (const query of [
      'category=construction',
      'category=land-mining',
      'type=candidates',
      'type=bid-opening',
      'open=1&sort=deadline',
      'region=210200',
      'q=道路',
    ]) {
      const res = await t.http().get(`/notices?${query}`);
      expect({ query, status: res.status }).toEqual({ query, status: 200 });
      expect(res.text).not.toMatch(RAW);
    }
  });

  it('keeps at publication the dated counts migration 1766500000000 builds from the notices, and totals agree', async () => {
    const runner = t.db.dataSource.createQueryRunner();
    const counts = async () => {
      const rows: { count_key: string; notices: unknown }[] = await runner.query(
        'SELECT count_key, notices FROM notice_count ORDER BY count_key',
      );
      return Object.fromEntries(rows.map((r) => [r.count_key, Number(r.notices)]));
    };
    const datedWithFilter = (k: string) => /(^|\|)(c|r)=/.test(k) && /\|(d|m)=/.test(k);
    try {
      const kept = await counts();
      expect(Object.keys(kept).filter(datedWithFilter).length).toBeGreaterThan(1000);
      const migration = new DatedFilterCounts1766500000000();
      await migration.down(runner);
      const before = await counts();
      expect(before).toEqual(Object.fromEntries(Object.entries(kept).filter(([k]) => !datedWithFilter(k))));
      await migration.up(runner);
      expect(await counts()).toEqual(kept);
    } finally {
      await runner.release();
    }
    // Each category and a county over dates: the API's exact total is the notices' own count.
    const published = await t.db.manager.find(Notice, { where: { status: 'published' } });
    const from = '2026-01-01';
    const to = '2026-11-20';
    const inDates = (n: Notice) => {
      const day = new Date(n.publishedAt!.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
      return day >= from && day <= to;
    };
    const county = published[0].regionCode;
    for (const category of [...new Set(published.map((n) => n.category))]) {
      for (const region of [undefined, county]) {
        const query = `category=${category}${region ? `&region=${region}` : ''}&from=${from}&to=${to}`;
        const body = (await t.http().get(`/api/v1/notices?${query}&limit=1`).expect(200)).body as {
          total: number;
          totalExact: boolean;
        };
        const expected = published.filter(
          (n) => n.category === category && (!region || n.regionCode === region) && inDates(n),
        ).length;
        expect({ query, total: body.total, exact: body.totalExact }).toEqual({ query, total: expected, exact: true });
      }
    }
  });
});
