import { errorsOf, exampleOf, ocdsValidators } from './support/ocds-validator.js';
import {
  constructionProject,
  creditCode,
  procurementNotice,
  procurementProject,
  tenderNotice,
} from './support/fixtures.js';
import { readSpreadsheetRecords } from './support/spreadsheet-csv.js';
import { bidder, publishScenario, startOpenDataApp, type Publisher, type Scenario } from './support/open-data.js';
import { FixedClock, startTestApp, type TestApp } from './support/test-app.js';

const { releasePackage, recordPackage } = ocdsValidators();

type Json = Record<string, any>;

/**
 * Follows links.next from the start until the server answers 204 past the end: the packages (every one checked
 * against the release package schema as it is read), their releases, and the 204's Link header.
 */
async function crawlReleases(t: TestApp, limit = 25): Promise<{ packages: Json[]; releases: Json[]; endLink: string }> {
  const packages: Json[] = [];
  let path = `/api/ocds/releases?limit=${limit}`;
  for (;;) {
    const res = await t.http().get(path);
    if (res.status === 204)
      return { packages, releases: packages.flatMap((p) => p.releases), endLink: res.headers.link as string };
    expect(res.status).toBe(200);
    expect({ path, ok: releasePackage(res.body), errors: errorsOf(releasePackage) }).toEqual({
      path,
      ok: true,
      errors: [],
    });
    packages.push(res.body);
    path = pathOf(res.body.links.next);
  }
}

const pathOf = (url: string) => new URL(url).pathname + new URL(url).search;

const csvRecords = async (t: TestApp, path: string) => {
  const res = await t
    .http()
    .get(path)
    .buffer(true)
    .parse((r, cb) => {
      let text = '';
      r.setEncoding('utf8');
      r.on('data', (c: string) => (text += c));
      r.on('end', () => cb(null, text));
    })
    .expect(200);
  return readSpreadsheetRecords(res.body as string).records;
};

describe('OCDS validator', () => {
  it.each(['tender.json', 'award.json', 'contract.json', 'implementation.json'])(
    'accepts the official example %s',
    (name) => {
      const ok = releasePackage(exampleOf(name));
      expect(errorsOf(releasePackage)).toEqual([]);
      expect(ok).toBe(true);
    },
  );

  it('rejects broken documents', () => {
    const noOcid = exampleOf('tender.json');
    delete noOcid.releases[0].ocid;
    expect(releasePackage(noOcid)).toBe(false);
    const badTag = exampleOf('award.json');
    badTag.releases[0].tag = ['handshake'];
    expect(releasePackage(badTag)).toBe(false);
    const badBid = exampleOf('tender.json');
    badBid.releases[0].bids = { details: [{ value: { amount: '100', currency: 'CNY' } }] };
    expect(releasePackage(badBid)).toBe(false);
    const badLink = exampleOf('tender.json');
    badLink.links = { next: 'not a uri' };
    expect(releasePackage(badLink)).toBe(false);
  });
});

/**
 * The scenario's transfer, auctioned in five rounds between two bidders known by number (号牌): 2号 made the final
 * bid, so 2号 is the winner named in the notice and its deal publicity.
 */
const auctionOf = (pub: Publisher, sale: string) =>
  pub.publish({
    projectId: sale,
    type: 'auction',
    title: '中山区临街门市房租赁权竞价结果',
    body: '经五轮报价，2号竞买人以最高报价竞得。',
    details: {
      startTime: '2026-11-24 10:00',
      endTime: '2026-11-24 10:06',
      reservePrice: { value: '213200', unit: '元' },
      rounds: [
        { round: 2, bidder: '2号竞买人', price: { value: '223200', unit: '元' }, time: '2026-11-24 10:02' },
        { round: 1, bidder: '1号竞买人', price: { value: '213200', unit: '元' }, time: '2026-11-24 10:01' },
        { round: 3, bidder: '1号竞买人', price: { value: '23.32', unit: '万元' }, time: '2026-11-24 10:03' },
        { round: 4, bidder: '2号竞买人', price: { value: '243200', unit: '元' }, time: '2026-11-24 10:04' },
        { round: 5, bidder: '2号竞买人', price: { value: '25', unit: '万元' }, time: '2026-11-24 10:05' },
      ],
      finalPrice: { value: '250000', unit: '元' },
      winner: { name: '大连盛通商贸有限公司', creditCode: creditCode(301) },
    },
  });

describe('OCDS releases and records of published notices', () => {
  let t: TestApp;
  let s: Scenario;
  let pub: Publisher;
  let auction: { id: string };

  beforeAll(async () => {
    const started = await startOpenDataApp();
    t = started.t;
    pub = started.pub;
    s = await publishScenario(pub);
    auction = await auctionOf(pub, s.projects.sale);
  });
  afterAll(() => t.close());

  it('serves one valid release per notice, in commit order, with the right tags and links.next', async () => {
    const { packages, releases } = await crawlReleases(t, 4);
    for (const p of packages)
      expect({ ok: releasePackage(p), errors: errorsOf(releasePackage) }).toEqual({ ok: true, errors: [] });
    expect(releases).toHaveLength(14);
    const tagOf = (id: string) => releases.find((r) => r.id === id)!.tag;
    expect(tagOf(s.notices.tender.id)).toEqual(['tender']);
    expect(tagOf(s.notices.correction.id)).toEqual(['tenderAmendment']);
    expect(tagOf(s.notices.opening.id)).toEqual(['tender']);
    expect(tagOf(s.notices.candidates.id)).toEqual(['award']);
    expect(tagOf(s.notices.result.id)).toEqual(['award']);
    expect(tagOf(s.notices.deal.id)).toEqual(['award']);
    expect(tagOf(s.notices.contract.id)).toEqual(['contract']);
    expect(tagOf(s.notices.performance.id)).toEqual(['implementation']);
    expect(tagOf(s.notices.withdrawal.id)).toEqual(['tenderCancellation']);
    expect(tagOf(s.notices.termination.id)).toEqual(['tenderCancellation']);
    expect(tagOf(auction.id)).toEqual(['tenderUpdate']);
    const release = releases.find((r) => r.id === s.notices.tender.id)!;
    expect(release.ocid).toMatch(/^ocds-dl2102-A02-2102-T/);
    expect(release.date).toBe('2026-11-25T10:00:00+08:00');
  });

  it("publishes an auction's rounds as bids.details: valid bids in round order, each dated, by a tenderer party, worth the round's exact yuan", async () => {
    const { releases } = await crawlReleases(t, 100);
    const release = releases.find((r) => r.id === auction.id)!;
    const notice = (await t.http().get(`/api/v1/notices/${auction.id}`).expect(200)).body;
    const winner = `CN-USCC-${creditCode(301)}`;
    const first = `${auction.id}-bidder-1`;
    // Stable ids from the notice and the round number; 2号 made the final bid, so its rounds are the winner's.
    expect(release.bids.details).toEqual([
      {
        id: `${auction.id}-round-1`,
        date: '2026-11-24T10:01:00+08:00',
        status: 'valid',
        tenderers: [{ id: first, name: '1号竞买人' }],
        value: { amount: 213200, currency: 'CNY' },
      },
      {
        id: `${auction.id}-round-2`,
        date: '2026-11-24T10:02:00+08:00',
        status: 'valid',
        tenderers: [{ id: winner, name: '大连盛通商贸有限公司' }],
        value: { amount: 223200, currency: 'CNY' },
      },
      {
        id: `${auction.id}-round-3`,
        date: '2026-11-24T10:03:00+08:00',
        status: 'valid',
        tenderers: [{ id: first, name: '1号竞买人' }],
        value: { amount: 233200, currency: 'CNY' },
      },
      {
        id: `${auction.id}-round-4`,
        date: '2026-11-24T10:04:00+08:00',
        status: 'valid',
        tenderers: [{ id: winner, name: '大连盛通商贸有限公司' }],
        value: { amount: 243200, currency: 'CNY' },
      },
      {
        id: `${auction.id}-round-5`,
        date: '2026-11-24T10:05:00+08:00',
        status: 'valid',
        tenderers: [{ id: winner, name: '大连盛通商贸有限公司' }],
        value: { amount: 250000, currency: 'CNY' },
      },
    ]);
    // The same amounts as the public JSON's exact yuan, whatever unit the round was entered in.
    const rounds = [...notice.details.rounds].sort((a: Json, b: Json) => a.round - b.round);
    expect(release.bids.details.map((b: Json) => [b.value.amount.toFixed(2), b.date])).toEqual(
      rounds.map((r: Json) => [r.price.yuan, r.time]),
    );
    expect(release.bids.statistics).toEqual([
      { id: `${auction.id}-bids`, measure: 'bids', value: 5, date: '2026-11-24T10:06:00+08:00' },
      { id: `${auction.id}-bidders`, measure: 'bidders', value: 2, date: '2026-11-24T10:06:00+08:00' },
      {
        id: `${auction.id}-highest`,
        measure: 'highestValidBidValue',
        value: 250000,
        currency: 'CNY',
        date: '2026-11-24T10:06:00+08:00',
      },
    ]);
    expect(release.tender).toMatchObject({
      numberOfTenderers: 2,
      tenderers: [
        { id: first, name: '1号竞买人' },
        { id: winner, name: '大连盛通商贸有限公司' },
      ],
    });
    const tenderers = release.parties.filter((p: Json) => p.roles.includes('tenderer'));
    expect(tenderers).toEqual([
      { id: first, name: '1号竞买人', roles: ['tenderer'] },
      {
        id: winner,
        name: '大连盛通商贸有限公司',
        identifier: { scheme: 'CN-USCC', id: creditCode(301), legalName: '大连盛通商贸有限公司' },
        roles: ['tenderer'],
      },
    ]);

    // The winning bid is the deal: the award's value and awards.csv's amount. bids.csv holds bid-opening records
    // only (its documented content), so auction rounds appear there not at all, rather than differently.
    const awards = await csvRecords(t, '/exports/awards.csv');
    expect(awards.find((r) => r['公告编号'] === s.notices.deal.id)!['中标或成交金额（元）']).toBe('250000.00');
    expect(releases.find((r) => r.id === s.notices.deal.id)!.awards[0]).toMatchObject({
      value: { amount: 250000, currency: 'CNY' },
      suppliers: [{ id: winner }],
    });
    const bids = await csvRecords(t, '/exports/bids.csv');
    expect(bids.filter((r) => r['公告编号'] === auction.id)).toEqual([]);

    // The record of the transfer validates and its compiled release keeps every bid.
    const record = (
      await t
        .http()
        .get(`/api/ocds/records/${encodeURIComponent(release.ocid)}`)
        .expect(200)
    ).body;
    expect({ ok: recordPackage(record), errors: errorsOf(recordPackage) }).toEqual({ ok: true, errors: [] });
    expect(record.records[0].compiledRelease.bids.details.map((b: Json) => b.id)).toEqual(
      [1, 2, 3, 4, 5].map((n) => `${auction.id}-round-${n}`),
    );
  });

  it('publishes a bid opening as bids.details with tenderers in parties (CN-USCC), amounts equal to the CSV', async () => {
    const { releases } = await crawlReleases(t, 100);
    const opening = releases.find((r) => r.id === s.notices.opening.id)!;
    expect(opening.bids.details).toHaveLength(4);
    expect(opening.bids.statistics[0]).toMatchObject({ measure: 'bids', value: 4 });
    const tenderers = opening.parties.filter((p: Json) => p.roles.includes('tenderer'));
    expect(tenderers).toHaveLength(4);
    expect(tenderers[0].identifier).toMatchObject({ scheme: 'CN-USCC', id: expect.stringMatching(/^[0-9A-Z]{18}$/) });
    expect(tenderers[0].id).toBe(`CN-USCC-${tenderers[0].identifier.id}`);

    const bids = await csvRecords(t, '/exports/bids.csv');
    for (const row of bids) {
      const bid = opening.bids.details.find((b: Json) => b.tenderers[0].id === `CN-USCC-${row['统一社会信用代码']}`);
      if (row['报价（元）'] === '') expect(bid.value).toBeUndefined();
      else {
        expect(bid.value).toEqual({ amount: Number(row['报价（元）']), currency: 'CNY' });
        expect(bid.value.amount.toFixed(2)).toBe(row['报价（元）']);
      }
    }
    const awards = await csvRecords(t, '/exports/awards.csv');
    for (const row of awards) {
      const release = releases.find((r) => r.id === row['公告编号'])!;
      const value = release.awards?.[0]?.value ?? release.contracts?.[0]?.value;
      expect(value).toEqual({ amount: Number(row['中标或成交金额（元）']), currency: 'CNY' });
      expect(value.amount.toFixed(2)).toBe(row['中标或成交金额（元）']);
    }
  });

  it('serves a valid record package with every release of the process and a compiled release', async () => {
    const project = await t.http().get(`/api/v1/projects/${s.projects.works}`).expect(200);
    const res = await t.http().get(`/api/ocds/records/${project.body.ocid}`).expect(200);
    expect({ ok: recordPackage(res.body), errors: errorsOf(recordPackage) }).toEqual({ ok: true, errors: [] });
    const record = res.body.records[0];
    expect(record.ocid).toBe(project.body.ocid);
    expect(record.releases.map((r: Json) => r.tag[0])).toEqual([
      'tender',
      'tenderAmendment',
      'tender',
      'award',
      'award',
      'contract',
      'implementation',
    ]);
    expect(record.compiledRelease.tag).toEqual(['compiled']);
    expect(record.compiledRelease.tender.tenderPeriod.endDate).toBe('2026-12-22T09:30:00+08:00');
    expect(record.compiledRelease.awards[0]).toMatchObject({
      status: 'active',
      value: { amount: 11805000, currency: 'CNY' },
    });
    expect(record.compiledRelease.contracts[0]).toMatchObject({ id: 'HT-001', status: 'active' });
    expect(record.compiledRelease.contracts[0].implementation.documents[0].documentType).toBe('physicalProgressReport');
    await t.http().get('/api/ocds/records/ocds-dl2102-nothing').expect(404);
    await t.http().get('/api/ocds/records/elsewhere-1').expect(404);
  });

  // Every body served is a valid release package (releases has minItems 1). The last page keeps links.next; the
  // page past the end answers 204 No Content with a Link header naming the same URL, so a consumer polls the
  // cursor it holds and sees each release exactly once, as on the change feed (README, /api/docs).
  it('past the end: 204 with Link rel="next" to the same URL; polled, it yields the next release as a valid package', async () => {
    const { packages, endLink } = await crawlReleases(t, 5);
    const last = packages[packages.length - 1].links.next;
    expect(endLink).toBe(`<${last}>; rel="next"`);
    const past = await t.http().get(pathOf(last)).expect(204);
    expect(past.text).toBe('');
    expect(past.headers.link).toBe(`<${last}>; rel="next"`);

    const performance = await pub.publish({
      projectId: s.projects.sale,
      type: 'performance',
      title: '中山区临街门市房租赁权履约信息',
      body: '已交付。',
      details: { status: 'completed', summary: '已交付' },
    });
    const polled = (await t.http().get(pathOf(last)).expect(200)).body;
    expect(polled.releases.map((r: Json) => r.id)).toEqual([performance.id]);
    expect({ ok: releasePackage(polled), errors: errorsOf(releasePackage) }).toEqual({ ok: true, errors: [] });
    expect(polled.links.next).not.toBe(last);
    // The new last page answers 304 to its ETag until something is published, and past it is 204 again.
    const again = await t.http().get(pathOf(last)).expect(200);
    await t
      .http()
      .get(pathOf(last))
      .set('If-None-Match', again.headers.etag as string)
      .expect(304);
    expect((await t.http().get(pathOf(polled.links.next)).expect(204)).headers.link).toBe(
      `<${polled.links.next}>; rel="next"`,
    );
  });

  it('answers 204 with a Link to poll on an empty log', async () => {
    const empty = await startTestApp({ clock: new FixedClock(new Date('2026-11-25T02:00:00Z')) });
    try {
      const res = await empty.http().get('/api/ocds/releases').expect(204);
      expect(res.headers.link).toMatch(/^<http.*\/api\/ocds\/releases\?after=[\w-]+>; rel="next"$/);
    } finally {
      await empty.close();
    }
  });
});

describe('evaluation method and rejected bids, from the staff API to the page, the public JSON and OCDS', () => {
  let t: TestApp;
  let pub: Publisher;
  beforeAll(async () => {
    ({ t, pub } = await startOpenDataApp());
  });
  afterAll(() => t.close());

  /** The page's text without markup, spaces folded: what a reader (or a screen reader) gets. */
  const pageText = async (id: string) =>
    (await t.http().get(`/notices/${id}`).expect(200)).text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
  const releaseOf = async (id: string) => (await crawlReleases(t, 100)).releases.find((r) => r.id === id)!;

  it('a tender names its method on its page, in its JSON and as OCDS awardCriteria; one without a method has none', async () => {
    const works = await pub.project(constructionProject({ lots: [] }));
    const tender = await pub.publish(tenderNotice(works, { evaluationMethod: 'comprehensive' }));
    const buying = await pub.project(procurementProject());
    const purchase = await pub.publish(procurementNotice(buying, { evaluationMethod: 'lowest-price' }));
    const plain = await pub.publish(tenderNotice(await pub.project(constructionProject({ lots: [] }))));

    expect(await pageText(tender.id)).toContain('评标办法 综合评估法');
    expect(await pageText(purchase.id)).toContain('评审方法 最低评标价法');
    expect(await pageText(plain.id)).not.toContain('评标办法');
    const json = (await t.http().get(`/api/v1/notices/${tender.id}`).expect(200)).body;
    expect(json.details.evaluationMethod).toBe('comprehensive');

    expect((await releaseOf(tender.id)).tender).toMatchObject({
      awardCriteria: 'ratedCriteria',
      awardCriteriaDetails: '综合评估法',
    });
    expect((await releaseOf(purchase.id)).tender).toMatchObject({
      awardCriteria: 'priceOnly',
      awardCriteriaDetails: '最低评标价法',
    });
    expect((await releaseOf(plain.id)).tender).not.toHaveProperty('awardCriteria');
  });

  it('rejected bids: a table with reasons on the page, as sent in the JSON, disqualified bids in OCDS; a withdrawal reopens them', async () => {
    const works = await pub.project(constructionProject({ lots: [] }));
    await pub.publish(tenderNotice(works, { evaluationMethod: 'lowest-evaluated-price' }));
    const opening = await pub.publish({
      projectId: works,
      type: 'bid-opening',
      title: '开标记录',
      body: '开标记录如下。',
      details: {
        openingTime: '2026-11-24 09:30',
        controlPrice: { value: '1200', unit: '万元' },
        bids: [
          bidder(1, '大连建工集团有限公司', '1180.5', '万元'),
          bidder(2, '大连超价建设有限公司', '1250', '万元'),
          bidder(3, '大连市政建设有限公司', '1190', '万元'),
        ],
      },
    });
    const rejectedBids = [
      { bidder: '大连超价建设有限公司', creditCode: creditCode(102), reason: '投标报价超过招标控制价' },
      // Not in the bid-opening record published here: a bid of the notice's own in OCDS.
      { bidder: '大连迟到建设有限公司', creditCode: creditCode(109), reason: '未按招标文件要求提交投标保证金' },
    ];
    const candidates = await pub.publish({
      projectId: works,
      type: 'candidates',
      title: '中标候选人公示',
      body: '现将中标候选人公示如下。',
      details: {
        evaluationReportDate: '2026-11-24',
        publicityStart: '2026-11-25 10:00',
        publicityEnd: '2026-11-30 17:00',
        objectionChannel: '书面向招标人提出',
        publisher: '张三',
        checker: '李四',
        candidates: [
          {
            rank: 1,
            name: '大连建工集团有限公司',
            creditCode: creditCode(101),
            price: { form: 'amount', value: '1180.5', unit: '万元' },
            projectManager: '王五',
            certificateName: '一级建造师',
            certificateNo: '辽1210000',
            qualification: '满足',
          },
        ],
        rejectedBids,
      },
    });

    const text = await pageText(candidates.id);
    expect(text).toContain('否决投标情况');
    expect(text).toContain('大连超价建设有限公司 ' + creditCode(102) + ' 投标报价超过招标控制价');
    expect(text).toContain('大连迟到建设有限公司 ' + creditCode(109) + ' 未按招标文件要求提交投标保证金');
    const json = (await t.http().get(`/api/v1/notices/${candidates.id}`).expect(200)).body;
    expect(json.details.rejectedBids).toEqual(rejectedBids);

    const bidId = (n: number) => `${opening.id}-${n}`;
    const tenderer = (n: number, name: string) => [{ id: `CN-USCC-${creditCode(100 + n)}`, name }];
    const reason = (n: number, description: string) => [
      expect.objectContaining({ id: `${candidates.id}-rejected-${n}`, documentType: 'evaluationReports', description }),
    ];
    const release = await releaseOf(candidates.id);
    expect(release.bids.details).toEqual([
      { id: bidId(1), status: 'valid', tenderers: tenderer(1, '大连建工集团有限公司') },
      {
        id: bidId(2),
        status: 'disqualified',
        tenderers: tenderer(2, '大连超价建设有限公司'),
        documents: reason(1, '投标报价超过招标控制价'),
      },
      { id: bidId(3), status: 'valid', tenderers: tenderer(3, '大连市政建设有限公司') },
      {
        id: `${candidates.id}-rejected-2`,
        status: 'disqualified',
        tenderers: tenderer(9, '大连迟到建设有限公司'),
        documents: reason(2, '未按招标文件要求提交投标保证金'),
      },
    ]);
    expect(release.parties.find((p: Json) => p.id === `CN-USCC-${creditCode(109)}`).roles).toContain('tenderer');

    // The result records that it rejected none; then the publicity is withdrawn: the result's verdict stands for
    // the opened bids, and the bid only the publicity knew goes back to pending.
    const result = await pub.publish({
      projectId: works,
      type: 'result',
      title: '中标结果公告',
      body: '中标结果如下。',
      details: {
        decisionDate: '2026-11-24',
        winners: [
          {
            name: '大连建工集团有限公司',
            creditCode: creditCode(101),
            price: { form: 'amount', value: '1180.5', unit: '万元' },
          },
        ],
        rejectedBids: [],
      },
    });
    expect(await pageText(result.id)).toContain('否决投标情况 评标委员会没有否决任何投标。');
    expect((await releaseOf(result.id)).bids.details.map((b: Json) => [b.id, b.status])).toEqual([
      [bidId(1), 'valid'],
      [bidId(2), 'valid'],
      [bidId(3), 'valid'],
    ]);
    const withdrawal = await pub.publish({
      projectId: works,
      type: 'withdrawal',
      title: '关于撤回中标候选人公示的声明',
      body: '公示有误。',
      targetNoticeId: candidates.id,
      details: { reason: '候选人公示有误' },
    });
    expect((await releaseOf(withdrawal.id)).bids.details).toEqual([
      { id: bidId(1), status: 'valid' },
      { id: bidId(2), status: 'valid' },
      { id: bidId(3), status: 'valid' },
      { id: `${candidates.id}-rejected-2`, status: 'pending' },
    ]);

    // The record validates; its compiled release holds each bid once, with its latest status and its opened price.
    const ocid = release.ocid;
    const record = (
      await t
        .http()
        .get(`/api/ocds/records/${encodeURIComponent(ocid)}`)
        .expect(200)
    ).body;
    expect({ ok: recordPackage(record), errors: errorsOf(recordPackage) }).toEqual({ ok: true, errors: [] });
    expect(record.records[0].compiledRelease.bids.details.map((b: Json) => [b.id, b.status, b.value?.amount])).toEqual([
      [bidId(1), 'valid', 11805000],
      [bidId(2), 'valid', 12500000],
      [bidId(3), 'valid', 11900000],
      [`${candidates.id}-rejected-2`, 'pending', undefined],
    ]);
    expect(record.records[0].compiledRelease.tender).toMatchObject({ awardCriteria: 'costOnly' });
  });
});

describe('OCDS over the demo data', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      env: { SEED_DEMO: 'true', RATE_LIMIT_API: '100000' },
      clock: new FixedClock(new Date('2026-11-25T02:00:00Z')),
    });
  }, 120_000);
  afterAll(() => t.close());

  it('validates every release and every record; every tag appears; bid openings carry at least three bids', async () => {
    const { packages, releases, endLink } = await crawlReleases(t, 1000);
    expect(releases.length).toBeGreaterThanOrEqual(300);
    expect(endLink).toBe(`<${packages.at(-1)!.links.next}>; rel="next"`);
    const tags = new Set(releases.flatMap((r) => r.tag));
    for (const tag of [
      'tender',
      'tenderAmendment',
      'tenderCancellation',
      'tenderUpdate',
      'award',
      'contract',
      'implementation',
    ])
      expect(tags).toContain(tag);
    // Most tenders name their evaluation method; a few evaluations disqualify a bid of their bid opening.
    expect(releases.filter((r) => r.tender?.awardCriteria).length).toBeGreaterThan(40);
    expect(
      releases.filter((r) => r.tag.includes('award') && r.bids?.details.some((b: Json) => b.status === 'disqualified'))
        .length,
    ).toBeGreaterThanOrEqual(5);
    const { body: openingList } = await t.http().get('/api/v1/notices?type=bid-opening&limit=1000').expect(200);
    const openings = releases.filter((r) => openingList.items.some((n: Json) => n.id === r.id));
    expect(openings.length).toBeGreaterThan(10);
    for (const r of openings) expect(r.bids.details.length).toBeGreaterThanOrEqual(3);

    const ocids = [...new Set(releases.map((r) => r.ocid))];
    for (const ocid of ocids) {
      const res = await t
        .http()
        .get(`/api/ocds/records/${encodeURIComponent(ocid)}`)
        .expect(200);
      expect({ ocid, ok: recordPackage(res.body), errors: errorsOf(recordPackage) }).toEqual({
        ocid,
        ok: true,
        errors: [],
      });
      expect(res.body.records[0].releases.length).toBe(releases.filter((r) => r.ocid === ocid).length);
    }
  }, 120_000);

  it('publishes the auctions of land, mining rights, state assets and property rights as bids matching their rounds and deals', async () => {
    const { releases } = await crawlReleases(t, 1000);
    const { body: list } = await t.http().get('/api/v1/notices?type=auction&limit=1000').expect(200);
    const auctions: Json[] = list.items;
    expect(new Set(auctions.map((n) => n.category))).toEqual(
      new Set(['state-assets', 'land-mining', 'property-rights']),
    );
    expect(auctions.some((n) => n.details.rounds.length > 1)).toBe(true);
    for (const notice of auctions) {
      const release = releases.find((r) => r.id === notice.id)!;
      const rounds = [...notice.details.rounds].sort((a: Json, b: Json) => a.round - b.round);
      expect(
        release.bids.details.map((b: Json) => ({
          id: b.id,
          date: b.date,
          status: b.status,
          amount: b.value.amount.toFixed(2),
          bidder: b.tenderers[0].name,
        })),
      ).toEqual(
        rounds.map((r: Json) => ({
          id: `${notice.id}-round-${r.round}`,
          date: r.time,
          status: 'valid',
          amount: r.price.yuan,
          bidder: r.bidder === notice.details.winner.name ? notice.details.winner.name : r.bidder,
        })),
      );
      // Every bidder is a tenderer in parties; the winner's bids carry its credit code.
      const parties = new Map(release.parties.map((p: Json) => [p.id, p]));
      for (const b of release.bids.details)
        expect((parties.get(b.tenderers[0].id) as Json).roles).toContain('tenderer');
      const winning = release.bids.details[release.bids.details.length - 1];
      expect(winning.tenderers[0].id).toBe(`CN-USCC-${notice.details.winner.creditCode}`);
      expect(winning.value.amount.toFixed(2)).toBe(notice.details.finalPrice.yuan);
      // The deal that follows awards the winning bid.
      const deal = releases.find((r) => r.ocid === release.ocid && r.awards && r.tag.includes('award'));
      if (deal)
        expect(deal.awards[0]).toMatchObject({ value: winning.value, suppliers: [{ id: winning.tenderers[0].id }] });
    }
  }, 120_000);
});
