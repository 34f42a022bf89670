import { FlagIndexes1766400000000 } from '../src/database/migrations/1766400000000-flag-indexes.js';
import { IntegrityIndex } from '../src/trading/integrity-index.js';
import { defaultThresholds } from '../src/trading/integrity-rules.js';
import { constructionProject, creditCode, tenderNotice } from './support/fixtures.js';
import { works } from './support/integrity.js';
import { adminSignIn } from './support/admin-pages.js';
import { bidder, startOpenDataApp, type Publisher } from './support/open-data.js';
import { createStaff } from './support/staff.js';
import { AuditLogEntry } from '../src/audit/audit-log.entity.js';
import { collectBytes, readSpreadsheetCsv, readWithPythonCsv } from './support/spreadsheet-csv.js';
import type { TestApp } from './support/test-app.js';
import { jest } from '@jest/globals';

const TENDERER = creditCode(1); // every constructionProject's 招标人

describe('integrity indicators over published notices (/integrity, /api/v1/flags, /exports/flags.csv)', () => {
  let t: TestApp;
  let pub: Publisher;
  let awarded: Awaited<ReturnType<typeof works>>;
  let single: Awaited<ReturnType<typeof works>>;
  const flagsOf = async (projectId: string) =>
    (await t.app.get(IntegrityIndex).projectFlags(projectId)).map((f) => f.indicator).sort();

  // What later tests build on is made once, by whichever test needs it first, so any one test run alone (-t)
  // finds it too: the withdrawn result of `awarded`, and the 22 awarded lots of one buyer that make the cohort.
  let withdrawal: Promise<void> | undefined;
  const withdrawAwarded = () =>
    (withdrawal ??= pub
      .publish({
        projectId: awarded.projectId,
        type: 'withdrawal',
        title: '关于撤回中标结果公告的声明',
        body: '结果有误。',
        targetNoticeId: awarded.result!.id,
        details: { reason: '评标结果复核' },
      })
      .then(() => undefined));
  let cohort: Promise<{ wonBy: Map<string, number>; narrow: string; wide: string }> | undefined;
  const cohortLots = () => (cohort ??= buildCohort());
  // 22 awarded lots: ratios (second-lowest − winning) / winning of 5 % to 9.2 %, one of 0.01 % and one of 60 %;
  // bidder 10 wins 17 of the buyer's awards this year, bidder 11 the other 5.
  async function buildCohort() {
    await withdrawAwarded();
    const wonBy = new Map<string, number>();
    for (let i = 0; i < 20; i++) {
      const win = 1_000_000;
      const { projectId } = await works(
        pub,
        [
          [10 + (i % 4 === 0 ? 1 : 0), String(win)],
          [20, String(win * (1.05 + i * 0.002))],
          [21, '2000000'],
        ],
        {
          winner: 10 + (i % 4 === 0 ? 1 : 0),
          noTender: true,
        },
      );
      wonBy.set(projectId, 10 + (i % 4 === 0 ? 1 : 0));
    }
    const narrow = await works(
      pub,
      [
        [10, '1000000'],
        [20, '1000100'],
        [21, '2000000'],
      ],
      { winner: 10, noTender: true },
    );
    const wide = await works(
      pub,
      [
        [10, '1000000'],
        [20, '1600000'],
        [21, '2000000'],
      ],
      { winner: 10, noTender: true },
    );
    wonBy.set(narrow.projectId, 10);
    wonBy.set(wide.projectId, 10);
    return { wonBy, narrow: narrow.projectId, wide: wide.projectId };
  }

  beforeAll(async () => {
    ({ t, pub } = await startOpenDataApp());
    // Lowest-price method, control price 1,000,000 元: two bids, and the higher one wins at 0.1 % under the control.
    awarded = await works(
      pub,
      [
        [1, '995500'],
        [2, '999000'],
      ],
      {
        winner: 2,
        tender: { evaluationMethod: 'lowest-price', controlPrice: { value: '1000000', unit: '元' } },
      },
    );
    single = await works(pub, [[3, '880000']]);
  }, 120_000);
  // A test that changes a threshold puts the defaults back, and the flags computed with them.
  afterEach(async () => {
    const index = t.app.get(IntegrityIndex);
    if (JSON.stringify(await index.thresholds()) === JSON.stringify(defaultThresholds())) return;
    await t.db.manager.transaction((em) => index.setThresholds(em, defaultThresholds(), null));
    await index.recomputeCohorts();
  }, 120_000);
  afterAll(() => t?.close());

  it('keeps only the flag indexes its queries read (migration 1766400000000 dropped three, and puts them back down)', async () => {
    const runner = t.db.dataSource.createQueryRunner();
    const names = async () => (await runner.getTable('integrity_flag'))!.indices.map((i) => i.name!).sort();
    try {
      const kept = ['ix_integrity_flag_buyer', 'ix_integrity_flag_ind_cat', 'ix_integrity_flag_project'];
      expect(await names()).toEqual(kept);
      const migration = new FlagIndexes1766400000000();
      await migration.down(runner);
      expect(await names()).toEqual(
        [...kept, 'ix_integrity_flag_cat', 'ix_integrity_flag_ind', 'ix_integrity_flag_year'].sort(),
      );
      await migration.up(runner);
      expect(await names()).toEqual(kept);
    } finally {
      await runner.release();
    }
  });

  it('raises the lot indicators in the publishing transaction, with the values that raised them', async () => {
    expect(await flagsOf(awarded.projectId)).toEqual(['cheapest-rejected', 'close-to-control', 'few-bids']);
    expect(await flagsOf(single.projectId)).toEqual(['single-bid']);
    const [close] = (await t.app.get(IntegrityIndex).projectFlags(awarded.projectId)).filter(
      (f) => f.indicator === 'close-to-control',
    );
    expect(close).toMatchObject({
      indicatorVersion: 1,
      values: { winningYuan: '999000.00', controlYuan: '1000000.00', gap: 0.001, fraction: 0.005 },
      thresholds: { fraction: 0.005 },
      category: 'construction',
      year: '2026',
    });
  });

  it('shows each indicator with its definition, source, thresholds and counts, and says a flag is not a finding', async () => {
    const html = (await t.http().get('/integrity').expect(200)).text;
    expect(html).toContain('不是对任何单位或个人存在违法违规行为的认定');
    expect(html).toContain('Open Contracting Cardinal R018');
    expect(html).toContain('与控制价相差不超过（比例）：0.005');
    expect(html).toContain('href="/integrity/few-bids?category&#x3D;construction&amp;year&#x3D;2026"');
    const list = (await t.http().get('/integrity/few-bids?category=construction&year=2026').expect(200)).text;
    expect(list).toContain(`href="/projects/${awarded.projectId}"`);
    expect(list).toContain('bids&#x3D;2；minimumBids&#x3D;3');
    const project = (await t.http().get(`/projects/${awarded.projectId}`).expect(200)).text;
    expect(project).toContain('红旗指标提示（3 条）');
    expect(project).toContain('不是对任何单位或个人存在违法违规行为的认定');
  });

  it('answers /api/v1/flags with exact totals from the kept counts, keyset pages and the thresholds in every row', async () => {
    const all = (await t.http().get('/api/v1/flags').expect(200)).body;
    expect(all.total).toBe(4);
    expect(all.items).toHaveLength(4);
    const few = (await t.http().get('/api/v1/flags?indicator=few-bids&category=construction&year=2026').expect(200))
      .body;
    expect(few).toMatchObject({ total: 1, next: null });
    expect(few.items[0]).toMatchObject({
      indicator: 'few-bids',
      indicatorName: '不足三家投标即确定中标',
      projectId: awarded.projectId,
      values: { bids: 2, minimumBids: 3 },
      thresholds: { minimumBids: 3 },
      cohort: null,
    });
    const seen: number[] = [];
    let url: string | null = '/api/v1/flags?limit=1';
    while (url) {
      const page: { items: { id: number }[]; nextUrl: string | null } = (await t.http().get(url).expect(200)).body;
      seen.push(...page.items.map((i) => i.id));
      url = page.nextUrl ? page.nextUrl.slice(t.config.publicBaseUrl.length) : null;
    }
    expect(new Set(seen).size).toBe(4);
    // Bad input: a 400 naming the parameter.
    expect((await t.http().get('/api/v1/flags?indicator=bribery').expect(400)).body.error).toBe('filter.invalid');
    await t.http().get('/api/v1/flags?year=26').expect(400);
    await t.http().get('/api/v1/flags?after=zzz').expect(400);
    await t.http().get('/integrity/bribery').expect(404);
    await t.http().get('/integrity/few-bids?category=fishing').expect(400);
  });

  it('exports the flags as CSV that Python and spreadsheets read, each row with its version and thresholds', async () => {
    const res = await t.http().get('/exports/flags.csv').buffer(true).parse(collectBytes).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    const rows = readWithPythonCsv(res.body as Buffer);
    expect(readSpreadsheetCsv(res.body as Buffer)).toEqual(rows);
    expect(rows).toHaveLength(5);
    const header = rows[0];
    const few = rows.find((r) => r[0] === 'few-bids')!;
    expect(few[header.indexOf('指标版本')]).toBe('1');
    expect(JSON.parse(few[header.indexOf('阈值')])).toEqual({ minimumBids: 3 });
  });

  it('takes a withdrawn result out: its flags and counts go, the bid opening stays', async () => {
    await withdrawAwarded();
    expect(await flagsOf(awarded.projectId)).toEqual([]);
    expect((await t.http().get('/api/v1/flags?indicator=few-bids').expect(200)).body.total).toBe(0);
    expect((await t.http().get('/api/v1/flags').expect(200)).body.total).toBe(1);
  });

  it('draws Tukey fences per category and year in the job, flags the outliers with Q1, Q3 and n, and the repeat winner of a buyer', async () => {
    const { wonBy, narrow, wide } = await cohortLots();
    await t.app.get(IntegrityIndex).recomputeCohorts();
    expect(await flagsOf(narrow)).toContain('narrow-margin');
    expect(await flagsOf(wide)).toContain('wide-discount');
    const flag = (await t.http().get('/api/v1/flags?indicator=wide-discount').expect(200)).body.items[0];
    expect(flag.cohort.n).toBe(22);
    expect(flag.cohort.q1).toBeGreaterThan(0.05);
    expect(flag.cohort.q3).toBeLessThan(0.1);
    expect(flag.values.ratio).toBe(0.6);
    // Bidder 10 won 17 of the buyer's 22 awards: above the 50 % share, with more than 5 awards. The flag is on
    // each of the 17 projects it won (the awards that make the share), not on those bidder 11 won.
    const repeat = async () =>
      (await t.http().get('/api/v1/flags?indicator=repeat-winner&limit=100').expect(200)).body as {
        total: number;
        items: { projectId: string; buyerCode: string; orgCode: string; values: unknown; thresholds: unknown }[];
      };
    const flagged = await repeat();
    expect(flagged.total).toBe(17);
    expect(flagged.items.map((f) => f.projectId).sort()).toEqual(
      [...wonBy]
        .filter(([, winner]) => winner === 10)
        .map(([id]) => id)
        .sort(),
    );
    for (const f of flagged.items)
      expect(f).toMatchObject({
        buyerCode: TENDERER,
        orgCode: creditCode(110),
        values: { awards: 17, buyerAwards: 22, share: 0.7727 },
        thresholds: { share: 0.5, minimumAwards: 5 },
      });
    const project = (await t.http().get(`/projects/${wide}`).expect(200)).text;
    expect(project).toContain('中标集中于同一单位');

    // The buyer's latest award goes to bidder 11: that project is not flagged (the flags stay on bidder 10's
    // projects), and every flag carries the new share.
    const latest = await works(
      pub,
      [
        [11, '900000'],
        [10, '950000'],
      ],
      { winner: 11, noTender: true },
    );
    expect(await flagsOf(latest.projectId)).not.toContain('repeat-winner');
    const after = await repeat();
    expect(after.total).toBe(17);
    expect(after.items.every((f) => wonBy.get(f.projectId) === 10)).toBe(true);
    expect(after.items[0].values).toEqual({ awards: 17, buyerAwards: 23, share: 0.7391 });
  }, 120_000);

  it('never fails a publication: a failing indicator is rolled back to its savepoint and left to the job', async () => {
    const index = t.app.get(IntegrityIndex);
    const projectId = await pub.project(constructionProject({ lots: [] }));
    await pub.publish(tenderNotice(projectId));
    const spy = jest.spyOn(index, 'projectChanged').mockImplementationOnce(async (em) => {
      // Half-done work, then a failure: the savepoint takes the half away.
      await em.query('DELETE FROM integrity_flag');
      throw new Error('indicator bug');
    });
    const opening = await pub.publish({
      projectId,
      type: 'bid-opening',
      title: '开标记录',
      body: '开标记录如下。',
      details: { openingTime: '2026-11-24 09:30', bids: [bidder(5, '投标单位5', '700000')] },
    });
    spy.mockRestore();
    expect((await t.http().get(`/api/v1/notices/${opening.id}`).expect(200)).body.type).toBe('bid-opening');
    // Nobody's flags were lost to the failure; this project's single-bid waits for the job.
    expect(await flagsOf(single.projectId)).toEqual(['single-bid']);
    expect(await flagsOf(projectId)).toEqual([]);
    await index.recomputeCohorts();
    expect(await flagsOf(projectId)).toEqual(['single-bid']);
  });

  it('lets an administrator change a threshold on /admin/integrity: refused with the field named, or saved, audited and recomputed', async () => {
    await cohortLots();
    const a = await createStaff(t, 'admin', 'chief');
    const admin = await adminSignIn(t, a.username, a.password);
    const page = await admin.get('/admin/integrity');
    expect(page.status).toBe(200);
    expect(page.text).toContain('name="repeat-winner.share" value="0.5"');
    const form = (share: string) => {
      const fields: Record<string, string> = {};
      for (const [, name, value] of page.text.matchAll(/name="([a-z-]+\.[A-Za-z]+)" value="([^"]*)"/g))
        fields[name] = value;
      return { ...fields, 'repeat-winner.share': share };
    };
    const audits = async () => t.db.manager.count(AuditLogEntry, { where: { action: 'integrity.thresholds' } });
    const bad = await admin.post('/admin/integrity', form('1.5'));
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('份额超过应为 0.1 到 1 之间的数');
    expect(await audits()).toBe(0);
    expect((await admin.post('/admin/integrity', form('0.9'))).status).toBe(303);
    expect(await audits()).toBe(1);
    const index = t.app.get(IntegrityIndex);
    expect((await index.thresholds())['repeat-winner'].share).toBe(0.9);
    // Until the job has recomputed every flag, the pages and the API say the lists may be incomplete.
    const recomputingShown = async () => {
      const pages = await Promise.all(
        ['/integrity', '/integrity/repeat-winner'].map(async (url) => (await t.http().get(url).expect(200)).text),
      );
      const api = (await t.http().get('/api/v1/flags').expect(200)).body as { recomputing: boolean };
      return [...pages.map((html) => html.includes('全部提示正在重新计算')), api.recomputing];
    };
    expect(await recomputingShown()).toEqual([true, true, true]);
    await index.recomputeCohorts();
    expect(await recomputingShown()).toEqual([false, false, false]);
    expect((await t.http().get('/api/v1/flags?indicator=repeat-winner').expect(200)).body.total).toBe(0);
    // The other flags are recomputed to the same.
    expect((await t.http().get('/api/v1/flags?indicator=wide-discount').expect(200)).body.total).toBe(1);
  }, 120_000);
});

describe('integrity indicators for staff and auditors only (INTEGRITY_PUBLIC=false)', () => {
  let t: TestApp;
  let pub: Publisher;
  let projectId: string;

  beforeAll(async () => {
    ({ t, pub } = await startOpenDataApp({ INTEGRITY_PUBLIC: 'false' }));
    projectId = await pub.project(constructionProject({ lots: [] }));
    await pub.publish(tenderNotice(projectId));
    await pub.publish({
      projectId,
      type: 'bid-opening',
      title: '开标记录',
      body: '开标记录如下。',
      details: { openingTime: '2026-11-24 09:30', bids: [bidder(1, '投标单位1', '500000')] },
    });
  }, 120_000);
  afterAll(() => t?.close());

  it('answers anonymous callers 401 and shows no flags on the project page; staff see them; organisation pages stay public', async () => {
    for (const path of ['/integrity', '/integrity/single-bid', '/api/v1/flags', '/exports/flags.csv'])
      expect({ path, status: (await t.http().get(path)).status }).toEqual({ path, status: 401 });
    expect((await t.http().get(`/projects/${projectId}`).expect(200)).text).not.toContain('红旗指标提示');
    expect((await pub.clerk.get(`/projects/${projectId}`).expect(200)).text).toContain('红旗指标提示（1 条）');
    expect((await pub.clerk.get('/api/v1/flags').expect(200)).body.total).toBe(1);
    await t
      .http()
      .get(`/organizations/${creditCode(101)}`)
      .expect(200);
  });
});
