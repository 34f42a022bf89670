import { IntegrityIndex } from '../src/trading/integrity-index.js';
import { INDICATORS } from '../src/trading/integrity-rules.js';
import { constructionProject, creditCode, tenderNotice } from './support/fixtures.js';
import { works } from './support/integrity.js';
import { startOpenDataApp, type Publisher } from './support/open-data.js';
import { collectBytes, readWithPythonCsv } from './support/spreadsheet-csv.js';
import type { FixedClock, TestApp } from './support/test-app.js';

const DAY = 86_400_000;

/**
 * Issue 15, at scale: a batch recompute (IntegrityIndex.recomputeAll) writes exactly what the publications wrote,
 * on a world that raises every indicator; and the flag lists take the /notices filters (region, category, dates)
 * with the indicator and the year, page by keyset and refuse bad values by name.
 */
describe('integrity flags: batch recompute and filtered lists', () => {
  let t: TestApp;
  let pub: Publisher;
  let clock: FixedClock;
  let index: IntegrityIndex;

  /** Everything the index keeps, without ids and times of writing (keys name their flag by its content). */
  async function snapshot() {
    const q = (sql: string) => t.db.manager.query(sql) as Promise<Record<string, unknown>[]>;
    const flags = await q(
      `SELECT id, indicator, indicator_version, project_id, lot_code, buyer_code, org_code, category, region_code, year, flag_date, notice_id, flag_values, thresholds, q1, q3, cohort_n FROM integrity_flag`,
    );
    const content = new Map(flags.map(({ id, ...f }) => [Number(id), JSON.stringify(f)]));
    const keys = (await q(`SELECT filter_key, flag_date, flag_id FROM integrity_flag_key`)).map(
      (k) => `${k.filter_key} ${k.flag_date} ${content.get(Number(k.flag_id))}`,
    );
    const counts = (await q(`SELECT count_key, flags FROM integrity_count WHERE flags <> 0`)).map(
      (c) => `${c.count_key}=${Number(c.flags)}`,
    );
    const ratios = (
      await q(`SELECT project_id, lot_code, cohort, ratio, region_code, notice_id, notice_date FROM integrity_ratio`)
    ).map((r) => JSON.stringify({ ...r, ratio: Number(r.ratio) }));
    const cohorts = (await q(`SELECT cohort, dirty, n, q1, q3 FROM integrity_cohort WHERE cohort LIKE '%|%'`)).map(
      (c) => JSON.stringify({ ...c, dirty: Number(c.dirty), n: Number(c.n) }),
    );
    return {
      flags: [...content.values()].sort(),
      keys: keys.sort(),
      counts: counts.sort(),
      ratios: ratios.sort(),
      cohorts: cohorts.sort(),
    };
  }

  beforeAll(async () => {
    ({ t, pub, clock } = await startOpenDataApp());
    index = t.app.get(IntegrityIndex);
    // A bidding period under 1.2 times the statutory minimum is short: the tenders below (21 days, minimum 20) raise it.
    await t.db.manager.query(
      `INSERT INTO integrity_threshold (indicator, threshold_key, value, updated_at, updated_by) VALUES ('short-period', 'shareAboveMinimum', '0.2', '2026-11-25 02:00:00.000', NULL)`,
    );
    // Day 1, in 甘井子区 (210211) and 中山区 (210202): the tender-based indicators.
    await works(
      pub,
      [
        [1, '995500'],
        [2, '999000'],
      ],
      { winner: 2, tender: { evaluationMethod: 'lowest-price', controlPrice: { value: '1000000', unit: '元' } } },
    );
    await works(pub, [[3, '880000']], { project: { regionCode: '210202' } });
    await works(
      pub,
      [
        [4, '700000'],
        [5, '700000'],
        [6, '720000'],
      ],
      { project: { regionCode: '210202' } },
    );
    const moved = await pub.project(constructionProject({ lots: [], regionCode: '210202' }));
    const movedTender = await pub.publish(tenderNotice(moved));
    for (const deadline of ['2026-12-18 09:30', '2026-12-21 09:30'])
      await pub.publish({
        projectId: moved,
        type: 'correction',
        title: '投标截止时间变更公告',
        body: '投标截止时间顺延。',
        targetNoticeId: movedTender.id,
        details: { reason: '答疑', affectsBids: true, changes: { bidDeadline: deadline, openingTime: deadline } },
      });
    const withdrawn = await works(pub, [[7, '500000']], { winner: 7 });
    await pub.publish({
      projectId: withdrawn.projectId,
      type: 'withdrawal',
      title: '关于撤回中标结果公告的声明',
      body: '结果有误。',
      targetNoticeId: withdrawn.result!.id,
      details: { reason: '复核' },
    });
    // Days 2 and 3: 22 awarded lots with margins of 5 % to 9.2 %, one of 0.01 % and one of 60 %; bidder 10 wins
    // 17 of the buyer's awards.
    clock.advance(DAY);
    for (let i = 0; i < 22; i++) {
      if (i === 11) clock.advance(DAY);
      const winner = i % 4 === 0 ? 11 : 10;
      const second = i === 20 ? 1_000_100 : i === 21 ? 1_600_000 : 1_000_000 * (1.05 + i * 0.002);
      await works(
        pub,
        [
          [winner, '1000000'],
          [20, String(second)],
          [21, '2000000'],
        ],
        { winner, noTender: true, project: { regionCode: i % 2 ? '210202' : '210211' } },
      );
    }
    clock.advance(-2 * DAY);
    await index.recomputeCohorts();
  }, 300_000);
  afterAll(() => t?.close());

  it('a batch recompute writes exactly what the publications and the cohort job wrote', async () => {
    const live = await snapshot();
    const raised = new Set(live.flags.map((f) => (JSON.parse(f) as { indicator: string }).indicator));
    expect([...raised].sort()).toEqual(INDICATORS.map((i) => i.id).sort());
    // Small batches: several project batches, and a batch boundary inside the data.
    expect(await index.recomputeAll({ batchSize: 4 })).toBeGreaterThan(20);
    await index.recomputeCohorts();
    expect(await snapshot()).toEqual(live);
    // The job's own run of it (thresholds saved) too.
    await t.db.manager.query(`UPDATE integrity_cohort SET dirty = 1 WHERE cohort = '*'`);
    await index.recomputeCohorts();
    expect(await snapshot()).toEqual(live);
  }, 120_000);

  it('lists by region (a city matches its districts), dates, category and indicator, with totals', async () => {
    const all = async (query: string) => {
      const items: { id: number; regionCode: string; date: string; indicator: string }[] = [];
      let url: string | null = `/api/v1/flags?${query}&limit=7`;
      let total = 0;
      while (url) {
        const page: {
          total: number;
          totalExact: boolean;
          items: typeof items;
          nextUrl: string | null;
        } = (await t.http().get(url).expect(200)).body;
        total = page.total;
        expect(page.totalExact).toBe(true);
        items.push(...page.items);
        url = page.nextUrl ? page.nextUrl.slice(t.config.publicBaseUrl.length) : null;
      }
      expect(items.length).toBe(total);
      return items;
    };
    const every = await all('');
    const ids = (xs: { id: number }[]) => xs.map((x) => x.id).sort((a, b) => a - b);
    // Newest date first, then newest flag.
    expect(every.map((f) => `${f.date}-${String(f.id).padStart(6, '0')}`)).toEqual(
      every
        .map((f) => `${f.date}-${String(f.id).padStart(6, '0')}`)
        .sort()
        .reverse(),
    );
    expect(ids(await all('region=210202'))).toEqual(ids(every.filter((f) => f.regionCode === '210202')));
    expect(ids(await all('region=210200'))).toEqual(ids(every));
    expect(await all('region=210213')).toEqual([]);
    expect(ids(await all('from=2026-11-26'))).toEqual(ids(every.filter((f) => f.date >= '2026-11-26')));
    expect(ids(await all('from=2026-11-26&to=2026-11-26'))).toEqual(ids(every.filter((f) => f.date === '2026-11-26')));
    expect(ids(await all('year=2026&to=2026-11-25'))).toEqual(ids(every.filter((f) => f.date === '2026-11-25')));
    expect(await all('year=2025')).toEqual([]);
    const mixed = every.filter((f) => f.indicator === 'repeat-winner' && f.regionCode === '210211');
    expect(mixed.length).toBeGreaterThan(0);
    expect(ids(await all('indicator=repeat-winner&category=construction&region=210211&from=2026-11-25'))).toEqual(
      ids(mixed),
    );
    // The repeat-winner flags sit on the projects bidder 10 won.
    expect(new Set(mixed.map((f) => (f as unknown as { orgCode: string }).orgCode))).toEqual(
      new Set([creditCode(110)]),
    );
  });

  it('keeps the filters in the HTML list, its CSV and JSON links, and the CSV export', async () => {
    const page = await t.http().get('/integrity/repeat-winner?region=210202&from=2026-11-26').expect(200);
    expect(page.text).toContain('<option value="210202" selected>');
    expect(page.text).toContain('value="2026-11-26"');
    expect(page.text).toContain(
      'href="/exports/flags.csv?indicator&#x3D;repeat-winner&amp;region&#x3D;210202&amp;from&#x3D;2026-11-26"',
    );
    const json = (await t.http().get('/api/v1/flags?indicator=repeat-winner&region=210202&from=2026-11-26').expect(200))
      .body as { total: number; items: { date: string }[] };
    expect(page.text).toContain(`共 ${json.total} 条提示`);
    // Each row shows its flag's date (a bare {{date}} called the date helper instead and printed nothing).
    expect(json.items.length).toBeGreaterThan(0);
    for (const item of json.items) expect(page.text).toContain(`<td class="stack-key">${item.date} `);
    const csv = await t
      .http()
      .get('/exports/flags.csv?indicator=repeat-winner&region=210202&from=2026-11-26')
      .buffer(true)
      .parse(collectBytes)
      .expect(200);
    const rows = readWithPythonCsv(csv.body as Buffer);
    expect(rows.length - 1).toBe(json.total);
    const header = rows[0];
    for (const row of rows.slice(1)) {
      expect(row[header.indexOf('地区代码')]).toBe('210202');
      expect(row[header.indexOf('日期')] >= '2026-11-26').toBe(true);
    }
  });

  it('refuses bad filter values with a 400 naming them: JSON on the API and the CSV, a Chinese page on /integrity', async () => {
    for (const [query, field, words] of [
      ['region=2102', 'region', '行政区划代码“2102”不正确'],
      ['region=000000', 'region', '行政区划代码“000000”不正确'],
      ['from=2026-13-01', 'from', '日期“2026-13-01”不正确'],
      ['to=yesterday', 'to', '日期“yesterday”不正确'],
      ['from=2026-12-01&to=2026-11-01', 'to', '结束日期不能早于开始日期'],
      ['category=fishing', 'category', '未知的交易类别“fishing”'],
      ['indicator=bribery', 'indicator', '未知的指标“bribery”'],
      ['year=26', 'year', '年份“26”不正确'],
      ['region=210202&region=210211', 'region', '只能出现一次'],
      ['after=2026-11-25', 'after', '分页游标 after 不正确'],
      ['sort=deadline', 'sort', '未知的参数“sort”'],
    ] as const) {
      // The CSV takes no cursor: an `after` there is an unknown parameter.
      for (const path of field === 'after' ? ['/api/v1/flags'] : ['/api/v1/flags', '/exports/flags.csv']) {
        const res = await t.http().get(`${path}?${query}`).expect(400);
        expect(res.headers['content-type']).toMatch(/application\/json/);
        expect({ query, message: res.body.message as string }).toEqual({
          query,
          message: expect.stringContaining(words),
        });
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      }
      if (query.startsWith('indicator=')) continue;
      const html = await t.http().get(`/integrity/single-bid?${query}`).expect(400);
      expect(html.headers['content-type']).toMatch(/text\/html/);
      expect(html.text).toContain(words);
    }
  });
});
