import { parse } from 'csv-parse/sync';
import { errorsOf, exampleOf, ocdsValidators } from './support/ocds-validator.js';
import { publishScenario, startOpenDataApp, type Scenario } from './support/open-data.js';
import { FixedClock, startTestApp, type TestApp } from './support/test-app.js';

const { releasePackage, recordPackage } = ocdsValidators();

type Json = Record<string, any>;

async function crawlReleases(t: TestApp, limit = 25): Promise<{ packages: Json[]; releases: Json[] }> {
  const packages: Json[] = [];
  let path = `/api/ocds/releases?limit=${limit}`;
  for (;;) {
    const res = await t.http().get(path).expect(200);
    if (!res.body.releases.length) break;
    packages.push(res.body);
    const next = new URL(res.body.links.next);
    path = next.pathname + next.search;
  }
  return { packages, releases: packages.flatMap((p) => p.releases) };
}

const csvRecords = async (t: TestApp, path: string) => {
  const res = await t.http().get(path).buffer(true).parse((r, cb) => {
    let text = '';
    r.setEncoding('utf8');
    r.on('data', (c: string) => (text += c));
    r.on('end', () => cb(null, text));
  }).expect(200);
  return parse(res.body as string, { bom: true, columns: true }) as Record<string, string>[];
};

describe('OCDS validator', () => {
  it.each(['tender.json', 'award.json', 'contract.json', 'implementation.json'])('accepts the official example %s', (name) => {
    const ok = releasePackage(exampleOf(name));
    expect(errorsOf(releasePackage)).toEqual([]);
    expect(ok).toBe(true);
  });

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

describe('OCDS releases and records of published notices', () => {
  let t: TestApp;
  let s: Scenario;

  beforeAll(async () => {
    const started = await startOpenDataApp();
    t = started.t;
    s = await publishScenario(started.pub);
  });
  afterAll(() => t.close());

  it('serves one valid release per notice, in commit order, with the right tags and links.next', async () => {
    const { packages, releases } = await crawlReleases(t, 4);
    for (const p of packages) expect({ ok: releasePackage(p), errors: errorsOf(releasePackage) }).toEqual({ ok: true, errors: [] });
    expect(releases).toHaveLength(13);
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
    const release = releases.find((r) => r.id === s.notices.tender.id)!;
    expect(release.ocid).toMatch(/^ocds-dl2102-A02-2102-T/);
    expect(release.date).toBe('2026-11-25T10:00:00+08:00');
    // The last page's next, polled, is empty and answers with the same cursor.
    const last = packages[packages.length - 1].links.next;
    const tail = await t.http().get(new URL(last).pathname + new URL(last).search).expect(200);
    expect(tail.body).toMatchObject({ releases: [], links: { next: last } });
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
    expect(record.releases.map((r: Json) => r.tag[0])).toEqual(['tender', 'tenderAmendment', 'tender', 'award', 'award', 'contract', 'implementation']);
    expect(record.compiledRelease.tag).toEqual(['compiled']);
    expect(record.compiledRelease.tender.tenderPeriod.endDate).toBe('2026-12-22T09:30:00+08:00');
    expect(record.compiledRelease.awards[0]).toMatchObject({ status: 'active', value: { amount: 11805000, currency: 'CNY' } });
    expect(record.compiledRelease.contracts[0]).toMatchObject({ id: 'HT-001', status: 'active' });
    expect(record.compiledRelease.contracts[0].implementation.documents[0].documentType).toBe('physicalProgressReport');
    await t.http().get('/api/ocds/records/ocds-dl2102-nothing').expect(404);
    await t.http().get('/api/ocds/records/elsewhere-1').expect(404);
  });
});

describe('OCDS over the demo data', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { SEED_DEMO: 'true', RATE_LIMIT_API: '100000' }, clock: new FixedClock(new Date('2026-11-25T02:00:00Z')) });
  }, 120_000);
  afterAll(() => t.close());

  it('validates every release and every record; every tag appears; bid openings carry at least three bids', async () => {
    const { packages, releases } = await crawlReleases(t, 1000);
    expect(releases.length).toBeGreaterThanOrEqual(300);
    for (const p of packages) expect({ ok: releasePackage(p), errors: errorsOf(releasePackage) }).toEqual({ ok: true, errors: [] });
    const tags = new Set(releases.flatMap((r) => r.tag));
    for (const tag of ['tender', 'tenderAmendment', 'tenderCancellation', 'award', 'contract', 'implementation']) expect(tags).toContain(tag);
    const openings = releases.filter((r) => r.bids);
    expect(openings.length).toBeGreaterThan(10);
    for (const r of openings) expect(r.bids.details.length).toBeGreaterThanOrEqual(3);

    const ocids = [...new Set(releases.map((r) => r.ocid))];
    for (const ocid of ocids) {
      const res = await t.http().get(`/api/ocds/records/${encodeURIComponent(ocid)}`).expect(200);
      expect({ ocid, ok: recordPackage(res.body), errors: errorsOf(recordPackage) }).toEqual({ ocid, ok: true, errors: [] });
      expect(res.body.records[0].releases.length).toBe(releases.filter((r) => r.ocid === ocid).length);
    }
  }, 120_000);
});
