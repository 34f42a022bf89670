import { jest } from '@jest/globals';
import { EntityManager } from 'typeorm';
import { sqlDateTime } from '../src/database/dialect.js';
import { OrganizationReads } from '../src/organizations/organization-reads.js';
import { storedPublishedAt } from '../src/trading/notice.entity.js';
import { OrganizationIndex } from '../src/trading/organization-index.js';
import { constructionProject, creditCode } from './support/fixtures.js';
import { bidder, publishScenario, startOpenDataApp, type Publisher, type Scenario } from './support/open-data.js';
import { collectBytes, readSpreadsheetCsv, readWithPythonCsv } from './support/spreadsheet-csv.js';
import type { TestApp } from './support/test-app.js';

const BUILDER = creditCode(101); // bids, is the first candidate, wins, signs the contract
const FORMULA = creditCode(102); // a bidder named like a spreadsheet formula
const RATE_BIDDER = creditCode(104); // bids a down-rate (下浮率)
const TENDERER = creditCode(1);
const PURCHASER = creditCode(3);
const LAND_BUYER = creditCode(301);

/**
 * Organisation pages over a scenario with every stage (test/support/open-data.ts): who tendered, bid, was a
 * candidate, won and signed, from the published notices, through the page, the JSON, the CSV and a withdrawal.
 */
describe('organisations by credit code (/organizations, /api/v1/organizations, /exports/organizations)', () => {
  let t: TestApp;
  let pub: Publisher;
  let s: Scenario;

  beforeAll(async () => {
    ({ t, pub } = await startOpenDataApp());
    s = await publishScenario(pub);
  }, 120_000);
  afterAll(() => t?.close());

  it("answers a bidder's profile: names, counts per section, awards by year and category, its share of the buyer's awards", async () => {
    const res = await t.http().get(`/api/v1/organizations/${BUILDER}`).expect(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body).toMatchObject({
      creditCode: BUILDER,
      name: '大连建工集团有限公司',
      counts: { projects: 0, bids: 1, candidates: 1, awards: 1, contracts: 1 },
      awardsByYear: [
        {
          year: '2026',
          category: 'construction',
          categoryName: '工程建设招投标',
          awards: 1,
          amountYuan: '11805000.00',
          unpriced: 0,
        },
      ],
      buyerShares: [
        {
          buyer: { creditCode: TENDERER, name: '大连市甘井子区城市建设管理局' },
          year: '2026',
          awards: 1,
          buyerAwards: 1,
          share: 1,
          amountYuan: '11805000.00',
        },
      ],
      buyerSharesTruncated: false,
    });
    expect(res.body.names.map((n: { name: string }) => n.name)).toEqual(['大连建工集团有限公司']);
    expect(res.body.links.bids).toBe(`${t.config.publicBaseUrl}/api/v1/organizations/${BUILDER}/bids`);
    // A code is case-insensitive in the URL: the same organisation.
    expect((await t.http().get(`/api/v1/organizations/${BUILDER.toLowerCase()}`).expect(200)).body.creditCode).toBe(
      BUILDER,
    );
  });

  it('lists each bid with its price, its place by price among the amounts, and how it fared', async () => {
    const bids = (await t.http().get(`/api/v1/organizations/${BUILDER}/bids`).expect(200)).body;
    expect(bids).toMatchObject({ creditCode: BUILDER, section: 'bids', total: 1, next: null, nextUrl: null });
    expect(bids.items).toEqual([
      expect.objectContaining({
        role: 'bidder',
        roleName: '投标人',
        noticeId: s.notices.opening.id,
        noticeType: 'bid-opening',
        projectId: s.projects.works,
        price: { form: 'amount', value: '1180.5', unit: '万元', yuan: '11805000.00' },
        place: 1,
        award: false,
        withdrawn: false,
        outcome: { candidateRank: 1, won: true },
      }),
    ]);
    expect(bids.items[0].projectName).toMatch(/红旗西路道路改造工程/);
    // A rate is listed as given, never compared with amounts.
    const rate = (await t.http().get(`/api/v1/organizations/${RATE_BIDDER}/bids`).expect(200)).body.items[0];
    expect(rate).toMatchObject({
      price: { form: 'down-rate', value: '3.5', unit: '%', yuan: null },
      place: null,
      outcome: { candidateRank: null, won: false },
    });
    const second = (await t.http().get(`/api/v1/organizations/${FORMULA}/bids`).expect(200)).body.items[0];
    expect(second).toMatchObject({ place: 2, outcome: { won: false } });
  });

  it("lists a buyer's projects from its parties, and counts a deal's buyer as an award without a buyer share", async () => {
    const tenderer = (await t.http().get(`/api/v1/organizations/${TENDERER}`).expect(200)).body;
    expect(tenderer.counts).toMatchObject({ projects: 1, bids: 0, awards: 0 });
    const projects = (await t.http().get(`/api/v1/organizations/${TENDERER}/projects`).expect(200)).body.items;
    expect(projects).toEqual([expect.objectContaining({ role: 'tenderer', projectId: s.projects.works })]);
    // The purchaser's withdrawn tender does not take away its projects: they were published.
    const purchaser = (await t.http().get(`/api/v1/organizations/${PURCHASER}`).expect(200)).body;
    expect(purchaser.counts.projects).toBe(2);
    const land = (await t.http().get(`/api/v1/organizations/${LAND_BUYER}`).expect(200)).body;
    expect(land.awardsByYear).toEqual([expect.objectContaining({ category: 'state-assets', amountYuan: '250000.00' })]);
    expect(land.buyerShares).toEqual([]);
  });

  it('shows the organisation page at a phone-friendly layout, with escaped names and links back to the notices', async () => {
    const html = (await t.http().get(`/organizations/${BUILDER}`).expect(200)).text;
    expect(html).toContain('<h1 id="org-title">大连建工集团有限公司</h1>');
    expect(html).toContain(BUILDER);
    expect(html).toContain('历年中标（成交）合计');
    expect(html).toContain('data-label="金额合计">11,805,000.00元</td>');
    expect(html).toContain(`href="/notices/${s.notices.opening.id}"`);
    expect(html).toContain('中标（候选第1名）');
    expect(html).toContain('不构成对任何单位的评价');
    const formula = (await t.http().get(`/organizations/${FORMULA}`).expect(200)).text;
    expect(formula).toContain('&#x3D;HYPERLINK(&quot;http://x&quot;)公司');
    expect(formula).not.toContain('=HYPERLINK("http://x")');
    // One section, paged.
    const bids = (await t.http().get(`/organizations/${BUILDER}?section=bids`).expect(200)).text;
    expect(bids).toContain('投标记录（1 条）');
    expect(bids).not.toContain('历年中标（成交）合计');
    // Nor are they read: a section's page reads the names and counts, not the totals by year and buyer.
    const reads = t.app.get(OrganizationReads) as unknown as Record<'awardsByYear' | 'buyerShares', () => unknown>;
    const spies = [jest.spyOn(reads, 'awardsByYear'), jest.spyOn(reads, 'buyerShares')];
    await t.http().get(`/organizations/${BUILDER}?section=awards`).expect(200);
    expect(spies.map((spy) => spy.mock.calls.length)).toEqual([0, 0]);
    spies.forEach((spy) => spy.mockRestore());
  });

  it("previews a busy winner's shares on its page, the latest years and highest shares first, and lists all on ?section=shares", async () => {
    // A winner's kept totals as the index keeps them (org_total, org_name): 3 years, 7 buyers a year, each buyer
    // awarding 10 a year, of which this winner won 1 to 7; an eighth buyer in 2024 alone, 1 of its 20.
    const winner = creditCode(9001);
    const buyers = Array.from({ length: 8 }, (_, i) => creditCode(9100 + i));
    const earlyBuyer = buyers[7];
    const at = storedPublishedAt(t.db.dataSource, new Date('2026-06-01T00:00:00Z'));
    await t.db.manager.query(
      `INSERT INTO org_name (credit_code, name, appearances, first_seen, last_seen) VALUES ${[winner, ...buyers].map(() => '(?, ?, 1, ?, ?)').join(', ')}`,
      [winner, ...buyers].flatMap((code, i) => [code, i ? `份额测试采购人${i}` : '份额测试中标人有限公司', at, at]),
    );
    const totals: [string, number][] = [[`s|${winner}|award`, 84]];
    for (const year of ['2024', '2025', '2026'])
      buyers.slice(0, 7).forEach((b, i) => totals.push([`wb|${winner}|${b}|${year}`, i + 1], [`b|${b}|${year}`, 10]));
    totals.push([`wb|${winner}|${earlyBuyer}|2024`, 1], [`b|${earlyBuyer}|2024`, 20]);
    await t.db.manager.query(
      `INSERT INTO org_total (total_key, n, fen, unpriced) VALUES ${totals.map(() => '(?, ?, 0, 0)').join(', ')}`,
      totals.flat(),
    );
    const rows = (html: string) =>
      [
        ...(html.split('id="shares-title"')[1] ?? '')
          .split('</table>')[0]
          .matchAll(
            /<tr><td class="stack-key">(\d{4})年<\/td><th scope="row">.*?(份额测试采购人\d).*?(\d+\.\d)%<\/td><\/tr>/g,
          ),
      ].map((m) => `${m[1]} ${m[2]} ${m[3]}`);

    // The preview looks up the buyers of the years it shows alone: not the one of 2024.
    // (Any manager's queries: a page is read in a snapshot's own manager on MySQL/MariaDB.)
    const lookups = jest.spyOn(EntityManager.prototype, 'query');
    const lookedUp = () => lookups.mock.calls.some(([, params]) => JSON.stringify(params ?? []).includes(earlyBuyer));
    const page = (await t.http().get(`/organizations/${winner}`).expect(200)).text.replace(/&#x3D;/g, '=');
    expect(lookedUp()).toBe(false);
    // Nor are the shown buyers' totals of 2024 read: each buyer's range starts at the earliest year shown.
    const read = (await Promise.all(lookups.mock.results.map((r) => r.value as Promise<unknown>))).flatMap((v) =>
      Array.isArray(v) ? (v as { total_key?: string }[]) : [],
    );
    const buyerTotals = read.map((r) => r.total_key).filter((k) => k?.startsWith('b|'));
    expect(buyerTotals).toHaveLength(14); // 7 buyers × 2025 and 2026 (21 with 2024)
    expect(buyerTotals.filter((k) => k?.endsWith('|2024'))).toEqual([]);
    expect(rows(page)).toEqual([
      ...[7, 6, 5, 4, 3, 2, 1].map((i) => `2026 份额测试采购人${i} ${i * 10}.0`),
      ...[7, 6, 5].map((i) => `2025 份额测试采购人${i} ${i * 10}.0`),
    ]);
    expect(page).toContain('（最近年份，份额最高的 10 行）');
    expect(page).toContain(`<a href="/organizations/${winner}?section=shares">查看历年全部 22 行</a>`);

    const all = (await t.http().get(`/organizations/${winner}?section=shares`).expect(200)).text;
    expect(lookedUp()).toBe(true);
    lookups.mockRestore();
    expect(rows(all)).toHaveLength(22);
    expect(rows(all).slice(-2)).toEqual(['2024 份额测试采购人1 10.0', '2024 份额测试采购人8 5.0']);
    expect(all).not.toContain('查看历年全部');
    expect(all).not.toContain('最近年份');
    expect(all).not.toContain('历年中标（成交）合计');
    expect(all).not.toContain('id="section-');
    // The JSON lists every share, as before.
    const json = (await t.http().get(`/api/v1/organizations/${winner}`).expect(200)).body as { buyerShares: unknown[] };
    expect(json.buyerShares).toHaveLength(22);
    // Shares are not paged; an unknown section names the shares' one among those there are.
    await t.http().get(`/organizations/${winner}?section=shares&after=1-1`).expect(400);
    expect((await t.http().get(`/organizations/${winner}?section=share`).expect(400)).text).toContain('shares');
  });

  it('links every bidder, candidate, winner and party with a credit code to its page', async () => {
    const opening = (await t.http().get(`/notices/${s.notices.opening.id}`).expect(200)).text;
    expect(opening).toContain(`<a href="/organizations/${BUILDER}">大连建工集团有限公司</a>`);
    const result = (await t.http().get(`/notices/${s.notices.result.id}`).expect(200)).text;
    expect(result).toContain(`<a href="/organizations/${BUILDER}">`);
    const project = (await t.http().get(`/projects/${s.projects.works}`).expect(200)).text;
    expect(project).toContain(`<a href="/organizations/${TENDERER}">大连市甘井子区城市建设管理局</a>`);
  });

  it('finds organisations by a part of the name or a prefix of the code', async () => {
    const byName = (await t.http().get('/api/v1/organizations?q=建工').expect(200)).body;
    expect(byName.items.map((m: { creditCode: string }) => m.creditCode)).toContain(BUILDER);
    expect(byName.items[0].self).toBe(`${t.config.publicBaseUrl}/api/v1/organizations/${byName.items[0].creditCode}`);
    const byCode = (
      await t
        .http()
        .get(`/api/v1/organizations?q=${BUILDER.slice(0, 12).toLowerCase()}`)
        .expect(200)
    ).body;
    expect(byCode.items.map((m: { creditCode: string }) => m.creditCode)).toContain(BUILDER);
    // LIKE's wildcards are text here.
    expect((await t.http().get('/api/v1/organizations?q=%25').expect(200)).body.items).toEqual([]);
    const page = (
      await t
        .http()
        .get(`/organizations?q=${encodeURIComponent('建工')}`)
        .expect(200)
    ).text;
    expect(page).toContain(`href="/organizations/${BUILDER}"`);
    const none = (
      await t
        .http()
        .get(`/organizations?q=${encodeURIComponent('不存在的公司')}`)
        .expect(200)
    ).text;
    expect(none).toContain('没有名称或代码与“不存在的公司”相符的单位');
    expect((await t.http().get('/organizations').expect(200)).text).toContain('按统一社会信用代码查看');
    // The beginning of a name, as well as a part inside it; a lone result says there is nothing more.
    const byStart = (
      await t
        .http()
        .get(`/api/v1/organizations?q=${encodeURIComponent('大连建工')}`)
        .expect(200)
    ).body;
    expect(byStart).toMatchObject({ more: false, items: [expect.objectContaining({ creditCode: BUILDER })] });
  });

  it('lists at most 50 organisations, most recently seen first, and says when there may be more', async () => {
    // 260 more names, straight in the table: 测试建材有限公司0 … 259, the later ones seen later.
    const rows = Array.from({ length: 260 }, (_, i) => [
      creditCode(5000 + i),
      `测试建材有限公司${i}`,
      1,
      '2026-01-01 00:00:00.000',
      `2026-01-01 00:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000`,
    ]);
    await t.db.manager.query(
      `INSERT INTO org_name (credit_code, name, appearances, first_seen, last_seen) VALUES ${rows.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
      rows.flat(),
    );
    for (const q of ['测试建材', '建材有限', creditCode(5000).slice(0, 14)]) {
      const found = (
        await t
          .http()
          .get(`/api/v1/organizations?q=${encodeURIComponent(q)}`)
          .expect(200)
      ).body as {
        more: boolean;
        items: { lastSeen: string }[];
      };
      expect({ q, more: found.more, items: found.items.length }).toEqual({ q, more: true, items: 50 });
      const seen = found.items.map((m) => m.lastSeen);
      expect(seen).toEqual([...seen].sort().reverse());
    }
    // Found among the names read (a bounded number), not necessarily the 50 latest of all 260.
    const page = (
      await t
        .http()
        .get(`/organizations?q=${encodeURIComponent('测试建材')}`)
        .expect(200)
    ).text;
    expect(page).toContain('只列出最先找到的 50 个，可能还有其他相符的单位');
    // Eleven of them begin 测试建材有限公司25 (25, 250 … 259): all found, nothing more.
    const few = (
      await t
        .http()
        .get(`/api/v1/organizations?q=${encodeURIComponent('测试建材有限公司25')}`)
        .expect(200)
    ).body as { more: boolean; items: unknown[] };
    expect({ more: few.more, items: few.items.length }).toEqual({ more: false, items: 11 });
  });

  it('answers bad input with a 4xx naming the problem (Chinese on pages, JSON on the API), never a 500', async () => {
    const page = await t.http().get('/organizations/NOT-A-CODE').expect(400);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('不是有效的统一社会信用代码');
    const api = await t.http().get('/api/v1/organizations/91210200MA0000101X').expect(400);
    expect(api.body).toMatchObject({ error: 'filter.invalid' });
    // A valid code nobody published.
    const unknown = creditCode(999);
    expect((await t.http().get(`/api/v1/organizations/${unknown}`).expect(404)).body.error).toBe('not-found');
    await t.http().get(`/organizations/${unknown}`).expect(404);
    await t.http().get(`/exports/organizations/${unknown}.csv`).expect(404);
    expect((await t.http().get(`/api/v1/organizations/${unknown}/bids`).expect(404)).body.error).toBe('not-found');
    await t.http().get(`/api/v1/organizations/${BUILDER}/lots`).expect(404);
    const cursor = await t.http().get(`/api/v1/organizations/${BUILDER}/bids?after=xyz`).expect(400);
    expect(cursor.body.error).toBe('filter.cursor');
    await t.http().get(`/api/v1/organizations/${BUILDER}/bids?limit=0`).expect(400);
    await t.http().get(`/api/v1/organizations/${BUILDER}?page=2`).expect(400);
    await t.http().get(`/organizations/${BUILDER}?section=lots`).expect(400);
    await t.http().get(`/organizations/${BUILDER}?after=1-1`).expect(400);
    await t
      .http()
      .get(`/api/v1/organizations?q=${'很'.repeat(51)}`)
      .expect(400);
    await t.http().get('/api/v1/organizations').expect(400);
  });

  it('exports every fact of an organisation as CSV that spreadsheets and Python read, formulas neutralised', async () => {
    const res = await t
      .http()
      .get(`/exports/organizations/${BUILDER}.csv`)
      .buffer(true)
      .parse(collectBytes)
      .expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expect(res.headers['content-disposition']).toContain(`filename="organization-${BUILDER}.csv"`);
    const body = res.body as Buffer;
    expect(body.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const rows = readSpreadsheetCsv(body);
    expect(readWithPythonCsv(body)).toEqual(rows);
    expect(rows[0].slice(0, 4)).toEqual(['记录类别', '角色', '发布时间', '公告编号']);
    expect(rows).toHaveLength(1 + 4); // bid, candidate, award, contract
    const bid = rows.find((r) => r[1] === '投标人')!;
    expect(bid[rows[0].indexOf('金额（元）')]).toBe('11805000.00');
    expect(bid[rows[0].indexOf('是否中标')]).toBe('是');
    const formula = readWithPythonCsv(
      (await t.http().get(`/exports/organizations/${FORMULA}.csv`).buffer(true).parse(collectBytes).expect(200)).body,
    );
    expect(formula[1][rows[0].indexOf('发布的名称')]).toBe(`'=HYPERLINK("http://x")公司`);
  });

  it('takes a withdrawn award out of the totals and marks it, and pages by keyset without gaps or repeats', async () => {
    // Two more works projects: the builder bids on both and wins the second at a down-rate, which is then withdrawn.
    for (const round of [1, 2]) {
      const project = await pub.project(constructionProject({ lots: [] }));
      await pub.publish({
        projectId: project,
        type: 'bid-opening',
        title: `第${round}个工程开标记录`,
        body: '开标记录如下。',
        details: {
          openingTime: '2026-11-24 09:30',
          bids: [
            bidder(1, '大连建工集团有限公司', '2.5', '%', 'down-rate'),
            bidder(3, '大连市政建设有限公司', '990000'),
          ],
        },
      });
      if (round === 2) {
        const result = await pub.publish({
          projectId: project,
          type: 'result',
          title: '第2个工程中标结果公告',
          body: '中标结果如下。',
          details: {
            decisionDate: '2026-11-24',
            winners: [
              {
                name: '大连建工集团有限公司（更名前）',
                creditCode: BUILDER,
                price: { form: 'down-rate', value: '2.5', unit: '%' },
              },
            ],
          },
        });
        const before = (await t.http().get(`/api/v1/organizations/${BUILDER}`).expect(200)).body;
        expect(before.counts.awards).toBe(2);
        expect(before.awardsByYear[0]).toMatchObject({ awards: 2, amountYuan: '11805000.00', unpriced: 1 });
        expect(before.buyerShares[0]).toMatchObject({ awards: 2, buyerAwards: 2 });
        expect(before.names.map((n: { name: string }) => n.name).sort()).toEqual([
          '大连建工集团有限公司',
          '大连建工集团有限公司（更名前）',
        ]);
        await pub.publish({
          projectId: project,
          type: 'withdrawal',
          title: '关于撤回第2个工程中标结果公告的声明',
          body: '结果有误。',
          targetNoticeId: result.id,
          details: { reason: '评标结果复核' },
        });
      }
    }
    const after = (await t.http().get(`/api/v1/organizations/${BUILDER}`).expect(200)).body;
    expect(after.counts).toMatchObject({ bids: 3, awards: 1 });
    expect(after.awardsByYear[0]).toMatchObject({ awards: 1, amountYuan: '11805000.00', unpriced: 0 });
    expect(after.buyerShares[0]).toMatchObject({ awards: 1, buyerAwards: 1 });
    // The name stays: it was published.
    expect(after.names).toHaveLength(2);
    const awards = (await t.http().get(`/api/v1/organizations/${BUILDER}/awards`).expect(200)).body.items;
    expect(awards.map((a: { withdrawn: boolean }) => a.withdrawn)).toEqual([true, false]);

    // Keyset pages of one bid each walk all three bids, newest first.
    const seen: string[] = [];
    let url: string | null = `/api/v1/organizations/${BUILDER}/bids?limit=1`;
    while (url) {
      const page: { items: { noticeId: string; outcome: { won: boolean } }[]; nextUrl: string | null } = (
        await t.http().get(url).expect(200)
      ).body;
      expect(page.items).toHaveLength(1);
      seen.push(page.items[0].noticeId);
      url = page.nextUrl ? page.nextUrl.slice(t.config.publicBaseUrl.length) : null;
    }
    expect(new Set(seen).size).toBe(3);
    expect(seen[2]).toBe(s.notices.opening.id);
    // The page links its next page the same way.
    const html = (await t.http().get(`/organizations/${BUILDER}?section=bids`).expect(200)).text;
    expect(html).toContain('投标记录（3 条）');
  });

  it('rebuilds to the same index from the published notices (npm run reindex)', async () => {
    const read = async () =>
      Promise.all(
        [BUILDER, FORMULA, TENDERER, PURCHASER, LAND_BUYER].map(async (code) => [
          (await t.http().get(`/api/v1/organizations/${code}`).set('Authorization', 'x').expect(200)).body,
          (await t.http().get(`/api/v1/organizations/${code}/bids`).set('Authorization', 'x').expect(200)).body.items,
        ]),
      );
    const before = await read();
    await t.app.get(OrganizationIndex).reindexAll({ batchSize: 3 });
    expect(await read()).toEqual(before);
  });

  it('rebuilds the same index when batches end inside an instant (notices published in the same millisecond)', async () => {
    const index = t.app.get(OrganizationIndex);
    const read = async () =>
      Promise.all(
        [BUILDER, FORMULA, TENDERER, PURCHASER, LAND_BUYER].map(async (code) => [
          (await t.http().get(`/api/v1/organizations/${code}`).set('Authorization', 'x').expect(200)).body,
          (await t.http().get(`/api/v1/organizations/${code}/bids`).set('Authorization', 'x').expect(200)).body.items,
        ]),
      );
    const ds = t.db.dataSource;
    const rows: { id: string; published_at: unknown }[] = await ds.query(
      `SELECT id, published_at FROM notice WHERE status = 'published' ORDER BY log_seq`,
    );
    expect(rows.length).toBeGreaterThan(6);
    try {
      // Two instants, each holding half of the notices in log order.
      const at = (i: number) =>
        storedPublishedAt(ds, new Date(Date.UTC(2025, 5, 1, 2, 0, i < rows.length / 2 ? 0 : 1)));
      for (const [i, r] of rows.entries())
        await ds.query('UPDATE notice SET published_at = ? WHERE id = ?', [at(i), r.id]);
      await index.reindexAll({ batchSize: 10_000 });
      const whole = await read();
      for (const batchSize of [1, 2, 3]) {
        expect(await index.reindexAll({ batchSize })).toBe(rows.length);
        expect(await read()).toEqual(whole);
      }
    } finally {
      for (const r of rows)
        await ds.query('UPDATE notice SET published_at = ? WHERE id = ?', [
          storedPublishedAt(ds, sqlDateTime(r.published_at)!),
          r.id,
        ]);
      await index.reindexAll();
    }
  });
});
