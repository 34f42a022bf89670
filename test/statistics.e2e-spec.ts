import {
  constructionProject,
  creditCode,
  procurementNotice,
  procurementProject,
  tenderNotice,
} from './support/fixtures.js';
import { publishingDesk, type PublishingDesk } from './support/publish-flow.js';
import { readSpreadsheetCsv, readWithPythonCsv } from './support/spreadsheet-csv.js';
import { FixedClock, startTestApp, type TestApp } from './support/test-app.js';

/**
 * A small known set published through the staff API in 2025, 2026 and the first instant of 2027, and every figure
 * of /statistics.csv checked against the numbers worked out by hand below.
 */
const cst = (s: string) => new Date(`${s}+08:00`);
const wan = (value: string) => ({ value, unit: '万元' });
const party = (n: number, name: string) => ({ name, creditCode: creditCode(n) });
const amountPrice = (value: string) => ({ form: 'amount', value, unit: '万元' });

function result(projectId: string, date: string, price: Record<string, string>) {
  return {
    projectId,
    type: 'result',
    title: '中标（成交）结果公告',
    body: '评标结果已确定，现予公告。',
    details: { decisionDate: date, winners: [{ ...party(20, '大连中标建设有限公司'), price }] },
  };
}
function contract(projectId: string, date: string, amount: string) {
  return {
    projectId,
    type: 'contract',
    title: '合同公告',
    body: '合同已签订。',
    details: { signedDate: date, supplier: party(20, '大连中标建设有限公司'), amount: wan(amount) },
  };
}
function performance(projectId: string) {
  return {
    projectId,
    type: 'performance',
    title: '履约信息公告',
    body: '项目已完成验收。',
    details: { status: 'completed', summary: '按合同约定完成。' },
  };
}

describe('/statistics and /statistics.csv', () => {
  let t: TestApp;
  let clock: FixedClock;
  let desk: PublishingDesk;

  beforeAll(async () => {
    clock = new FixedClock(cst('2025-03-05T10:00:00'));
    t = await startTestApp({ clock });
    desk = await publishingDesk(t);
    const budget1000 = { price: { kind: 'budget', value: '1000', unit: '万元' }, lots: [] };

    // ---- 2025: 2 announcements, 1 process, 1 result; P1 completed (budget 1000万, award 900万) ----
    const p1 = await desk.project(constructionProject(budget1000));
    const p2 = await desk.project(
      procurementProject('open-tender', { price: { kind: 'budget', value: '356.8', unit: '万元' } }),
    );
    await desk.publish(
      tenderNotice(p1, {
        documentsFrom: '2025-03-05 10:00',
        documentsTo: '2025-03-11 17:00',
        bidDeadline: '2025-03-26 09:30',
        openingTime: '2025-03-26 09:30',
      }),
    );
    const p2Notice = await desk.publish(
      procurementNotice(p2, {
        documentsFrom: '2025-03-05 10:00',
        documentsTo: '2025-03-12 17:00',
        bidDeadline: '2025-03-26 09:30',
        openingTime: '2025-03-26 09:30',
      }),
    );
    clock.set(cst('2025-03-26T10:00:00'));
    await desk.publish({
      projectId: p1,
      type: 'bid-opening',
      title: '开标记录',
      body: '开标记录如下。',
      details: {
        openingTime: '2025-03-26 09:30',
        bids: [{ bidder: '大连中标建设有限公司', creditCode: creditCode(20), price: amountPrice('900') }],
      },
    });
    await desk.publish(result(p1, '2025-03-26', amountPrice('900')));

    // ---- 2026 ----
    clock.set(cst('2026-11-25T10:00:00'));
    const p3 = await desk.project({
      ...constructionProject(),
      category: 'state-assets',
      price: { kind: 'reserve', value: '2000', unit: '万元' },
      transferMode: 'listing',
      fullyOnline: false,
      lots: [],
      parties: [{ role: 'transferor', name: '大连市机关事务管理局', creditCode: creditCode(5) }],
    });
    const p4 = await desk.project(constructionProject(budget1000));
    const p5 = await desk.project(
      constructionProject({ price: { kind: 'budget', value: '500', unit: '万元' }, lots: [] }),
    );
    const p6 = await desk.project(
      procurementProject('open-tender', { category: 'medical', price: { kind: 'budget', value: '100', unit: '万元' } }),
    );
    // announcements: transfer, correction, withdrawal (3)
    await desk.publish({
      projectId: p3,
      type: 'transfer',
      title: '公务车辆挂牌转让公告',
      body: '公开挂牌转让。',
      details: {
        mode: 'listing',
        subject: '公务车辆一批',
        qualifications: '依法设立的企业',
        reservePrice: wan('2000'),
        listingStart: '2026-11-25 10:00',
        listingEnd: '2026-12-09 17:00',
        transferor: party(5, '大连市机关事务管理局'),
      },
    });
    await desk.publish({
      projectId: p2,
      type: 'correction',
      title: '医用耗材采购项目更正公告',
      body: '补充说明。',
      targetNoticeId: p2Notice.id,
      details: { reason: '补充技术参数说明', affectsBids: false, changes: {} },
    });
    // process: auction (1)
    await desk.publish({
      projectId: p3,
      type: 'auction',
      title: '竞价过程',
      body: '竞价过程如下。',
      details: {
        startTime: '2026-11-25 09:00',
        endTime: '2026-11-25 09:40',
        reservePrice: wan('2000'),
        rounds: [{ round: 1, bidder: '大连某某物资有限公司', price: wan('2500'), time: '2026-11-25 09:30' }],
        finalPrice: wan('2500'),
        winner: party(21, '大连某某物资有限公司'),
      },
    });
    // results: P2 result 300万, P3 deal 2500万, P4 result at a down-rate, P5 result (then withdrawn), P6 result at a discount (5)
    await desk.publish(result(p2, '2026-11-25', amountPrice('300')));
    await desk.publish({
      projectId: p3,
      type: 'deal',
      title: '成交公示',
      body: '成交结果公示。',
      details: { dealDate: '2026-11-25', dealPrice: wan('2500'), buyer: party(21, '大连某某物资有限公司') },
    });
    await desk.publish(result(p4, '2026-11-25', { form: 'down-rate', value: '3.5', unit: '%' }));
    const p5Result = await desk.publish(result(p5, '2026-11-25', amountPrice('480')));
    await desk.withdraw(p5Result.id, '中标人放弃中标资格');
    await desk.publish(result(p6, '2026-11-25', { form: 'discount', value: '95', unit: '%' }));
    // performance: contracts of P2, P1 (completed in 2025: not again) and P4 (3) + P4's performance at 23:59:59 on 31 December (1)
    await desk.publish(contract(p2, '2026-11-25', '300'));
    await desk.publish(contract(p1, '2026-11-25', '900'));
    await desk.publish(contract(p4, '2026-11-25', '965'));
    clock.set(cst('2026-12-31T23:59:59.999'));
    await desk.publish(performance(p4));
    // ---- 2027 begins at midnight China Standard Time ----
    clock.set(cst('2027-01-01T00:00:00'));
    await desk.publish(performance(p3));
  });
  afterAll(() => t.close());

  async function csv(year: number) {
    const res = await t
      .http()
      .get(`/statistics.csv?year=${year}`)
      .expect(200)
      .expect('content-type', 'text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="statistics-${year}.csv"`);
    const text = res.text;
    expect(text.startsWith('\uFEFF年份,指标,分项,本年,单位,上年,同比增长(%)\r\n')).toBe(true);
    // Read as a spreadsheet and Python's csv read it: one record per figure, each with the header's seven fields.
    const [header, ...rows] = readSpreadsheetCsv(text);
    expect(readWithPythonCsv(text)).toEqual([header, ...rows]);
    expect(rows).toHaveLength(text.split('\r\n').length - 2);
    expect(rows.every((r) => r[0] === String(year))).toBe(true);
    return Object.fromEntries(
      rows.map(([, group, item, current, unit, previous, change]) => [
        `${group}/${item}`,
        [current, unit, previous, change],
      ]),
    );
  }

  const ZERO_CATEGORIES = [
    '土地使用权和矿业权出让',
    '国有产权交易',
    '公路工程',
    '水利工程',
    '港口水运工程',
    '市政和园林绿化工程',
  ];

  it('computes every 2026 figure and its change on 2025 exactly as worked out by hand', async () => {
    const expected: Record<string, string[]> = {
      '发布信息/交易公告（含更正、撤回）': ['3', '条', '2', '50.0'],
      '发布信息/交易过程（开标记录、竞价过程等）': ['1', '条', '1', '0.0'],
      '发布信息/交易结果（候选人、中标成交结果、终止）': ['5', '条', '1', '400.0'],
      '发布信息/合同履约（合同、履约信息）': ['4', '条', '0', '—'],
      '发布信息/合计': ['13', '条', '4', '225.0'],
      '完成交易项目/工程建设招投标': ['1', '个', '1', '0.0'],
      '完成交易项目/政府采购': ['1', '个', '0', '—'],
      '完成交易项目/行政事业单位国有资产出让': ['1', '个', '0', '—'],
      '完成交易项目/医疗器械和耗材采购': ['1', '个', '0', '—'],
      '完成交易项目/合计': ['4', '个', '1', '300.0'],
      // P4 at a down-rate: its contract amount; P6 at a discount with no contract: unknown
      '交易金额/工程建设招投标': ['9650000.00', '元', '9000000.00', '7.2'],
      '交易金额/政府采购': ['3000000.00', '元', '0.00', '—'],
      '交易金额/行政事业单位国有资产出让': ['25000000.00', '元', '0.00', '—'],
      '交易金额/医疗器械和耗材采购': ['0.00', '元', '0.00', '—'],
      '交易金额/合计': ['37650000.00', '元', '9000000.00', '318.3'],
      '交易金额/其中成交金额不明的项目': ['1', '个', '0', '—'],
      // P2 (3,568,000 − 3,000,000) and P4 (10,000,000 − 9,650,000)
      '节约资金（工程建设、政府采购等）/计入项目': ['2', '个', '1', '100.0'],
      '节约资金（工程建设、政府采购等）/预算金额': ['13568000.00', '元', '10000000.00', '35.7'],
      '节约资金（工程建设、政府采购等）/中标（成交）金额': ['12650000.00', '元', '9000000.00', '40.6'],
      '节约资金（工程建设、政府采购等）/节约资金': ['918000.00', '元', '1000000.00', '-8.2'],
      '节约资金（工程建设、政府采购等）/节约率': ['6.8', '%', '10.0', ''],
      '国有资产和土地增值（出让、产权交易）/计入项目': ['1', '个', '0', '—'],
      '国有资产和土地增值（出让、产权交易）/底价（起始价）': ['20000000.00', '元', '0.00', '—'],
      '国有资产和土地增值（出让、产权交易）/成交金额': ['25000000.00', '元', '0.00', '—'],
      '国有资产和土地增值（出让、产权交易）/增值金额': ['5000000.00', '元', '0.00', '—'],
      '国有资产和土地增值（出让、产权交易）/增值率': ['25.0', '%', '—', ''],
      '全流程电子化交易/全流程电子化交易的完成项目': ['3', '个', '1', '200.0'],
      '全流程电子化交易/占完成项目的比例': ['75.0', '%', '100.0', ''],
    };
    for (const c of ZERO_CATEGORIES) {
      expected[`完成交易项目/${c}`] = ['0', '个', '0', '—'];
      expected[`交易金额/${c}`] = ['0.00', '元', '0.00', '—'];
    }
    expect(await csv(2026)).toEqual(expected);
  });

  it('counts an instant by its China Standard Time year and compares 2027 with 2026', async () => {
    const rows = await csv(2027);
    expect(rows['发布信息/合同履约（合同、履约信息）']).toEqual(['1', '条', '4', '-75.0']);
    expect(rows['发布信息/合计']).toEqual(['1', '条', '13', '-92.3']);
    expect(rows['完成交易项目/合计']).toEqual(['0', '个', '4', '-100.0']);
    expect(rows['节约资金（工程建设、政府采购等）/节约率']).toEqual(['—', '%', '6.8', '']);
  });

  it('shows a year with no data as zeros, with no change where there is no base', async () => {
    const rows = await csv(2024);
    expect(rows['发布信息/合计']).toEqual(['0', '条', '0', '—']);
    expect(rows['交易金额/合计']).toEqual(['0.00', '元', '0.00', '—']);
    expect(rows['全流程电子化交易/占完成项目的比例']).toEqual(['—', '%', '—', '']);
    const page = await t.http().get('/statistics?year=2024').expect(200);
    expect(page.text).toContain('2024年信息公开统计');
    expect(page.text).toMatch(
      /<th scope="row">合计<\/th><td class="num"[^>]*>0条<\/td><td class="num"[^>]*>0条<\/td><td class="num"[^>]*>—<\/td>/,
    );
  });

  it('renders the page with SVG charts, a table beside each, and the same figures as the CSV', async () => {
    const res = await t.http().get('/statistics?year=2026').expect(200).expect('content-type', /html/);
    const html = res.text;
    expect(html).toContain('2026年信息公开统计');
    expect(html.match(/<svg class="chart"/g)).toHaveLength(3);
    expect(html.match(/<table class="stack">/g)).toHaveLength(6);
    expect(html).toContain('<link rel="stylesheet" href="/static/statistics.css">');
    expect(html).not.toMatch(/<script|\sstyle=/);
    // the totals row of the items table, and amounts by the one money rule on cards, charts and tables alike
    expect(html).toMatch(
      /<th scope="row">合计<\/th><td class="num"[^>]*>13条<\/td><td class="num"[^>]*>4条<\/td><td class="num"[^>]*>\+225\.0%<\/td>/,
    );
    expect(html).toContain('<span class="count">37,650,000.00元</span>交易金额');
    const chartAmounts = [...html.matchAll(/class="chart-value">([^<]*元)<\/text>/g)].map((m) => m[1]);
    expect(chartAmounts.length).toBeGreaterThan(0);
    for (const shown of chartAmounts) expect(shown).toMatch(/^\d{1,3}(,\d{3})*\.\d{2}元$/);
    expect(html).toContain('<span class="count">918,000.00元</span>节约资金');
    expect(html).toMatch(
      /<th scope="row">节约资金<\/th><td class="num"[^>]*>918,000\.00元<\/td><td class="num"[^>]*>1,000,000\.00元<\/td><td class="num"[^>]*>-8\.2%<\/td>/,
    );
    expect(html).toContain('<span class="count">5,000,000.00元</span>国有资产和土地增值');
    expect(html).toContain('<option value="2026" selected>2026年</option>');
    expect(html).toContain('<option value="2025">2025年</option>');
    expect(html).toContain('href="/statistics.csv?year&#x3D;2026"');
    const css = await t.http().get('/static/statistics.css').expect(200);
    expect(css.text).toContain('.bar-0');
  });

  it('defaults to the current year in China Standard Time', async () => {
    clock.set(cst('2027-01-01T00:30:00'));
    const res = await t.http().get('/statistics').expect(200);
    expect(res.text).toContain('2027年信息公开统计');
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it.each([['abc'], ['1999'], ['2101'], ['20260'], ['2026&year=2025']])(
    'answers year=%s with a 400 page, never a 500',
    async (year) => {
      for (const path of ['/statistics', '/statistics.csv']) {
        const res = await t.http().get(`${path}?year=${year}`).expect(400).expect('content-type', /html/);
        expect(res.text).toContain('年份应为 2000 到 2100 之间的四位数字');
      }
    },
  );
});
