import { setTimeout as sleep } from 'node:timers/promises';
import { AuditLogEntry } from '../src/audit/audit-log.entity.js';
import { OCDS_NO_PROJECT_RECORD } from '../src/sync/ocds-message.js';
import { OutboxEntry } from '../src/outbox/outbox.entity.js';
import { RelayService, UNCONFIGURED_GRACE_MS, UNCONFIGURED_REASON } from '../src/sync/relay.service.js';
import { verifySignature } from '../src/sync/signing.js';
import { SyncReceipt } from '../src/sync/sync.entities.js';
import { Notice } from '../src/trading/notice.entity.js';
import { text } from './support/admin-pages.js';
import { constructionProject, procurementNotice, procurementProject, tenderNotice } from './support/fixtures.js';
import { errorsOf, ocdsValidators } from './support/ocds-validator.js';
import { bidder } from './support/open-data.js';
import { publishingDesk } from './support/publish-flow.js';
import { apiKeyClient, createStaff, signIn, StaffClient } from './support/staff.js';
import { listen, testPeer, type Received } from './support/sync.js';
import { FixedClock, restartTestApp, startTestApp, TestApp } from './support/test-app.js';

const KEY = { keyId: 'dalian', secret: 'dalian-secret-0123456789' };
const NOW = new Date('2026-11-25T02:00:00Z');
type Answer = { status: number; body?: unknown; headers?: Record<string, string>; delayMs?: number };

describe('push relay (outbox → upstream platforms)', () => {
  let clock: FixedClock;
  let city: TestApp;
  let relay: RelayService;
  let clerk: StaffClient;
  let reviewer: StaffClient;
  let admin: StaffClient;
  /** Answers the upstream gives, per Idempotency-Key, in turn; 200 once a key's list is used up. */
  const script = new Map<string, Answer[]>();
  let upstream: Awaited<ReturnType<typeof testPeer>>;
  let alerts: Awaited<ReturnType<typeof testPeer>>;

  beforeAll(async () => {
    clock = new FixedClock(NOW);
    upstream = await testPeer(async (r) => {
      const a = script.get(String(r.headers['idempotency-key']))?.shift() ?? {
        status: 200,
        body: { status: 'applied' },
      };
      if (a.delayMs) await sleep(a.delayMs);
      return a;
    });
    alerts = await testPeer(() => ({ status: 204 }));
    city = await startTestApp({
      clock,
      env: {
        UPSTREAMS: JSON.stringify([{ name: 'province', url: `${upstream.url}/api/v1/ingest`, ...KEY }]),
        SYNC_ALERT_WEBHOOK: `${alerts.url}/alerts`,
        SYNC_MAX_ATTEMPTS: '4',
        SYNC_RETRY_BASE_MS: '1000',
        SYNC_RETRY_MAX_MS: '60000',
        SYNC_HTTP_TIMEOUT_MS: '1000',
      },
    });
    relay = city.app.get(RelayService);
    clerk = await apiKeyClient(city, (await createStaff(city, 'clerk')).id);
    const r = await createStaff(city, 'reviewer');
    reviewer = await signIn(city, r.username, r.password);
    const a = await createStaff(city, 'admin');
    admin = await signIn(city, a.username, a.password);
  });
  afterAll(async () => {
    await city?.close();
    await upstream?.close();
    await alerts?.close();
  });

  async function publish(body: Record<string, unknown>) {
    const draft = await clerk.post('/api/admin/notices').send(body).expect(201);
    await clerk.post(`/api/admin/notices/${draft.body.id}/submit`).expect(200);
    const res = await reviewer.post(`/api/admin/notices/${draft.body.id}/approve`).send({}).expect(200);
    return res.body as { id: string; logSeq: number };
  }
  async function projectWithTender() {
    const projectId = (await clerk.post('/api/admin/projects').send(constructionProject()).expect(201)).body
      .id as string;
    const tender = await publish(tenderNotice(projectId));
    return {
      projectId,
      tender,
      keys: { project: `DL2102:project:${projectId}`, tender: `DL2102:log:${tender.logSeq}` },
    };
  }
  const entry = (key: string) => city.db.manager.findOneByOrFail(OutboxEntry, { idempotencyKey: key });
  const sent = (from: number) => upstream.received.slice(from).map((r) => r.headers['idempotency-key']);
  const later = (ms: number) => clock.advance(ms);

  it('sends a project before its notices, signs every attempt afresh, and retries 503, 409, 429 and timeouts', async () => {
    const { projectId, tender, keys } = await projectWithTender();
    const correction = await publish({
      projectId,
      type: 'correction',
      targetNoticeId: tender.id,
      title: '红旗西路道路改造工程澄清公告',
      body: '澄清招标文件第三章。',
      details: { reason: '澄清工程量清单', affectsBids: false, changes: {} },
    });
    const correctionKey = `DL2102:log:${correction.logSeq}`;
    script.set(keys.project, [{ status: 503 }]);
    script.set(keys.tender, [
      { status: 409, body: { message: '项目尚未收到' } },
      { status: 429, headers: { 'Retry-After': '120' } },
      { status: 200, delayMs: 1500 },
    ]);
    const start = upstream.received.length;

    // The project fails: its notices wait behind it.
    expect(await relay.run()).toEqual({ delivered: 0, retried: 1, parked: 0, notSent: 0 });
    expect(sent(start)).toEqual([keys.project]);
    const retry = await entry(keys.project);
    expect(retry).toMatchObject({ status: 'pending', attempts: 1, lastError: 'HTTP 503' });
    expect(retry.nextAttemptAt.getTime() - NOW.getTime()).toBeGreaterThanOrEqual(500);
    expect(await relay.run()).toEqual({ delivered: 0, retried: 0, parked: 0, notSent: 0 }); // not due yet

    later(60_000);
    // Project delivered; the tender then meets 409 (the receiver lacks its parent) and is retried.
    expect(await relay.run()).toEqual({ delivered: 1, retried: 1, parked: 0, notSent: 0 });
    expect((await entry(keys.tender)).lastError).toBe('HTTP 409：项目尚未收到');

    later(60_000);
    expect(await relay.run()).toEqual({ delivered: 0, retried: 1, parked: 0, notSent: 0 });
    const waiting = await entry(keys.tender);
    expect(waiting.nextAttemptAt.getTime() - clock.now().getTime()).toBe(60_000); // Retry-After 120 s, capped at SYNC_RETRY_MAX_MS

    later(60_000);
    // The upstream answers after the 1 s timeout: retried.
    expect(await relay.run()).toEqual({ delivered: 0, retried: 1, parked: 0, notSent: 0 });
    expect((await entry(keys.tender)).lastError).toMatch(/timeout after 1000 ms/);

    later(60_000);
    expect(await relay.run()).toEqual({ delivered: 2, retried: 0, parked: 0, notSent: 0 });
    expect(sent(start)).toEqual([
      keys.project,
      keys.project,
      keys.tender,
      keys.tender,
      keys.tender,
      keys.tender,
      correctionKey,
    ]);

    const attempts = upstream.received.slice(start);
    const secretOf = (id: string) => (id === KEY.keyId ? KEY.secret : undefined);
    for (const r of attempts)
      expect(verifySignature(r.headers, Buffer.from(r.body), secretOf, clock.now())).toMatchObject({ ok: true });
    expect(new Set(attempts.map((r) => r.headers['x-nonce'])).size).toBe(attempts.length);

    // Bodies: the project's public JSON, then change-feed items, each with our platform code and checkpoint.
    const [first] = attempts.map((r) => JSON.parse(r.body));
    expect(first).toMatchObject({
      platform: 'DL2102',
      kind: 'project',
      projectId,
      project: { id: projectId, dealCode: expect.any(String) },
    });
    const last = JSON.parse(attempts[attempts.length - 1].body);
    expect(last).toMatchObject({
      platform: 'DL2102',
      kind: 'correction',
      seq: correction.logSeq,
      notice: { id: correction.id, targetNoticeId: tender.id },
    });
    expect(last).toHaveProperty('checkpoint');
    expect(await entry(correctionKey)).toMatchObject({ status: 'delivered', attempts: 1, lastError: null });
  });

  it('parks at once on another 4xx, alerts, holds back that project, and delivers after a re-drive', async () => {
    const other = await projectWithTender();
    const { keys } = await projectWithTender();
    script.set(keys.project, [{ status: 422, body: { message: '招标人信用代码不在省库中' } }]);
    const alertsBefore = alerts.received.length;

    expect(await relay.run()).toEqual({ delivered: 2, retried: 0, parked: 1, notSent: 0 });
    const parked = await entry(keys.project);
    expect(parked).toMatchObject({ status: 'parked', attempts: 1, lastError: 'HTTP 422：招标人信用代码不在省库中' });
    expect((await entry(keys.tender)).status).toBe('pending'); // held back behind its project
    expect((await entry(other.keys.tender)).status).toBe('delivered'); // other projects flow on
    const alert = JSON.parse(alerts.received[alertsBefore].body);
    expect(alert).toMatchObject({
      event: 'sync.outbox-parked',
      upstream: 'province',
      entryId: parked.id,
      idempotencyKey: keys.project,
      attempts: 1,
    });

    const status = await reviewer.get('/api/admin/sync').expect(200);
    const province = status.body.upstreams[0];
    expect(province).toMatchObject({
      name: 'province',
      parked: 1,
      backlog: 1,
      lastSuccessAt: expect.stringMatching(/\+08:00$/),
    });
    expect(province.parkedEntries.map((e: { id: number }) => e.id)).toEqual([parked.id]);
    expect(province.lastError.message).toContain('招标人信用代码不在省库中');

    // The back-office page shows the same, with re-drive buttons for administrators only.
    const page = await admin.get('/admin/sync').expect(200);
    expect(page.text).toContain('平台同步');
    expect(page.text).toContain('招标人信用代码不在省库中');
    expect(page.text).toContain(`/admin/sync/outbox/${parked.id}/redrive`);
    const readOnly = await reviewer.get('/admin/sync').expect(200);
    expect(readOnly.text).toContain(keys.project);
    expect(readOnly.text).not.toContain(`/admin/sync/outbox/${parked.id}/redrive`);

    await reviewer.post(`/api/admin/sync/outbox/${parked.id}/redrive`).expect(403);
    await clerk.get('/api/admin/sync').expect(403);
    await city.http().get('/api/admin/sync').expect(401);
    const redriven = await admin.post(`/api/admin/sync/outbox/${parked.id}/redrive`).expect(200);
    expect(redriven.body).toEqual({ redriven: [parked.id] });
    await admin.post(`/api/admin/sync/outbox/${parked.id}/redrive`).expect(409);

    expect(await relay.run()).toEqual({ delivered: 2, retried: 0, parked: 0, notSent: 0 });
    const after = await admin.get('/api/admin/sync').expect(200);
    expect(after.body.upstreams[0]).toMatchObject({ parked: 0, backlog: 0 });
  });

  it('parks after SYNC_MAX_ATTEMPTS failures, and staff re-drive a whole upstream', async () => {
    const { keys } = await projectWithTender();
    script.set(keys.project, Array(4).fill({ status: 500 }));
    const alertsBefore = alerts.received.length;
    for (let i = 0; i < 4; i++) {
      await relay.run();
      later(120_000);
    }
    expect(await entry(keys.project)).toMatchObject({
      status: 'parked',
      attempts: 4,
      lastError: 'HTTP 500；已失败 4 次',
    });
    expect(alerts.received.length).toBe(alertsBefore + 1);

    const list = await admin.get('/api/admin/sync/outbox?status=parked').expect(200);
    expect(list.body.items.map((e: { idempotencyKey: string }) => e.idempotencyKey)).toEqual([keys.project]);
    await admin
      .post('/admin/sync/upstreams/province/redrive')
      .type('form')
      .send({ _csrf: admin.headers['X-CSRF-Token'] })
      .expect(303)
      .expect('Location', '/admin/sync?done=redriven-all');
    await admin.post('/api/admin/sync/upstreams/nowhere/redrive').expect(404);
    expect(await relay.run()).toEqual({ delivered: 2, retried: 0, parked: 0, notSent: 0 });
    expect(await entry(keys.project)).toMatchObject({ status: 'delivered', attempts: 1 });
  });
});

describe('push relay to a real province over loopback', () => {
  const clock = new FixedClock(NOW);
  let province: TestApp;
  let city: TestApp;

  beforeAll(async () => {
    province = await startTestApp({
      clock,
      env: {
        PLATFORM_CODE: 'LN2100',
        OCID_PREFIX: 'ocds-ln2100-',
        INGEST_KEYS: JSON.stringify([{ ...KEY, platformCode: 'DL2102' }]),
      },
    });
    const url = await listen(province);
    city = await startTestApp({
      clock,
      env: { UPSTREAMS: JSON.stringify([{ name: 'province', url: `${url}/api/v1/ingest`, ...KEY }]) },
    });
  });
  afterAll(async () => {
    await city?.close();
    await province?.close();
  });

  it('delivers each publication once, even when the city loses the acknowledgement and sends again', async () => {
    const clerk = await apiKeyClient(city, (await createStaff(city, 'clerk')).id);
    const reviewer = await apiKeyClient(city, (await createStaff(city, 'reviewer')).id);
    for (let i = 0; i < 3; i++) {
      const projectId = (await clerk.post('/api/admin/projects').send(constructionProject()).expect(201)).body.id;
      const draft = await clerk.post('/api/admin/notices').send(tenderNotice(projectId)).expect(201);
      await clerk.post(`/api/admin/notices/${draft.body.id}/submit`).expect(200);
      await reviewer.post(`/api/admin/notices/${draft.body.id}/approve`).send({}).expect(200);
    }
    const relay = city.app.get(RelayService);
    expect(await relay.run()).toEqual({ delivered: 6, retried: 0, parked: 0, notSent: 0 });

    // As if the city had died after the province applied everything but before recording the answers.
    await city.db.transaction((em) =>
      em.update(OutboxEntry, { status: 'delivered' }, { status: 'pending', deliveredAt: null, attempts: 0 }),
    );
    expect(await relay.run()).toEqual({ delivered: 0, retried: 0, parked: 0, notSent: 0 }); // still claimed by the "dead" attempt
    clock.advance(20_000); // the claim (request timeout + 5 s) runs out
    expect(await relay.run()).toEqual({ delivered: 6, retried: 0, parked: 0, notSent: 0 });

    const published = await city.db.manager.find(Notice, { where: { status: 'published' } });
    const there = await province.db.manager.find(Notice);
    expect(there.map((n) => [n.id, n.contentHash]).sort()).toEqual(published.map((n) => [n.id, n.contentHash]).sort());
    expect(await province.db.manager.count(SyncReceipt)).toBe(6);
  });
});

describe('per-upstream data format: an OCDS upstream beside a ggzy-json one', () => {
  const clock = new FixedClock(NOW);
  const NATION_KEY = { keyId: 'dalian-ocds', secret: 'nation-secret-0123456789' };
  const { releasePackage } = ocdsValidators();
  let province: TestApp;
  let city: TestApp;
  let nation: Awaited<ReturnType<typeof testPeer>>;
  /** What the OCDS receiver found in each request: the signature check and the schema errors. */
  const checked: { request: Received; signed: boolean; errors: string[]; body: Record<string, any> }[] = [];

  beforeAll(async () => {
    // A national platform taking OCDS 1.1: it accepts a request only when signed and valid against the 1.1.5 schema.
    nation = await testPeer((r) => {
      const secretOf = (id: string) => (id === NATION_KEY.keyId ? NATION_KEY.secret : undefined);
      const signed = verifySignature(r.headers, Buffer.from(r.body), secretOf, clock.now()).ok;
      const body = JSON.parse(r.body);
      const valid = releasePackage(body);
      const errors = valid ? [] : errorsOf(releasePackage);
      checked.push({ request: r, signed, errors, body });
      return signed && valid
        ? { status: 200, body: { ok: true } }
        : { status: 400, body: { message: signed ? errors.join('; ') : 'bad signature' } };
    });
    province = await startTestApp({
      clock,
      env: {
        PLATFORM_CODE: 'LN2100',
        OCID_PREFIX: 'ocds-ln2100-',
        INGEST_KEYS: JSON.stringify([{ ...KEY, platformCode: 'DL2102' }]),
      },
    });
    const provinceUrl = await listen(province);
    city = await startTestApp({
      clock,
      env: {
        SESSION_TTL_MINUTES: '43200',
        UPSTREAMS: JSON.stringify([
          { name: 'province', url: `${provinceUrl}/api/v1/ingest`, ...KEY },
          { name: 'nation', url: `${nation.url}/ocds/releases`, ...NATION_KEY, format: 'ocds' },
        ]),
      },
    });
  });
  afterAll(async () => {
    await city?.close();
    await province?.close();
    await nation?.close();
  });

  it("sends each publication, correction and withdrawal as a signed, valid OCDS release package with the notice's amounts", async () => {
    const desk = await publishingDesk(city);
    const works = await desk.project(constructionProject());
    const tender = await desk.publish(tenderNotice(works));
    const correction = await desk.publish({
      projectId: works,
      type: 'correction',
      targetNoticeId: tender.id,
      title: '红旗西路道路改造工程澄清公告',
      body: '投标截止时间顺延。',
      details: {
        reason: '补充工程量清单',
        affectsBids: true,
        changes: { bidDeadline: '2026-12-22 09:30', openingTime: '2026-12-22 09:30' },
      },
    });
    const opening = await desk.publish({
      projectId: works,
      type: 'bid-opening',
      title: '红旗西路道路改造工程开标记录',
      body: '开标记录如下。',
      details: {
        openingTime: '2026-11-24 09:30',
        openingPlace: '不见面开标大厅',
        controlPrice: { value: '1200', unit: '万元' },
        bids: [
          bidder(1, '大连建工集团有限公司', '1180.5', '万元'),
          bidder(2, '大连市政建设有限公司', '11900000.10'),
          bidder(3, '辽宁路桥有限公司', '3.5', '%', 'down-rate'),
        ],
      },
    });
    const goods = await desk.project(procurementProject());
    const procurement = await desk.publish(procurementNotice(goods));
    const withdrawal = await desk.withdraw(procurement.id, '采购需求调整，撤回本公告');
    const notices = [tender, correction, opening, procurement, withdrawal];

    // Per upstream: 2 project entries and 5 notices. The OCDS upstream takes no project record: nothing to send.
    const relay = city.app.get(RelayService);
    expect(await relay.run()).toEqual({ delivered: 12, retried: 0, parked: 0, notSent: 2 });

    // The OCDS upstream: one request per notice, each project's in log order, signed afresh, with the same idempotency keys.
    const sentKeys = checked.map((c) => String(c.request.headers['idempotency-key']));
    const keyOf = (n: { logSeq: number }) => `DL2102:log:${n.logSeq}`;
    expect([...sentKeys].sort()).toEqual(notices.map(keyOf).sort());
    expect(sentKeys.filter((k) => [tender, correction, opening].map(keyOf).includes(k))).toEqual(
      [tender, correction, opening].map(keyOf),
    );
    expect(sentKeys.filter((k) => [procurement, withdrawal].map(keyOf).includes(k))).toEqual(
      [procurement, withdrawal].map(keyOf),
    );
    for (const c of checked)
      expect({ key: c.request.headers['idempotency-key'], signed: c.signed, errors: c.errors }).toEqual({
        key: c.request.headers['idempotency-key'],
        signed: true,
        errors: [],
      });
    expect(
      checked.every(
        (c) =>
          c.request.headers['x-key-id'] === NATION_KEY.keyId &&
          c.request.headers['content-type']?.startsWith('application/json'),
      ),
    ).toBe(true);
    const releaseOf = (id: string) => {
      const c = checked.find((x) => x.body.releases[0].id === id)!;
      expect(c.body.releases).toHaveLength(1);
      return c.body.releases[0] as Record<string, any>;
    };
    expect(notices.map((n) => releaseOf(n.id).tag)).toEqual([
      ['tender'],
      ['tenderAmendment'],
      ['tender'],
      ['tender'],
      ['tenderCancellation'],
    ]);

    // The amounts are the notices' own, exactly: the procurement budget and each bid quoted as an amount.
    const publicNotice = async (id: string) => (await city.http().get(`/api/v1/notices/${id}`).expect(200)).body;
    const budget = (await publicNotice(procurement.id)).details.budget;
    expect(releaseOf(procurement.id).tender.value).toEqual({ amount: Number(budget.yuan), currency: 'CNY' });
    const bids = (await publicNotice(opening.id)).details.bids as { price: { yuan?: string } }[];
    const sentBids = releaseOf(opening.id).bids.details as { value?: { amount: number; currency: string } }[];
    expect(sentBids.map((b) => b.value)).toEqual(
      bids.map((b) => (b.price.yuan ? { amount: Number(b.price.yuan), currency: 'CNY' } : undefined)),
    );
    expect(sentBids.map((b) => b.value?.amount)).toEqual([11_805_000, 11_900_000.1, undefined]);

    // Built by the code that serves /api/ocds/releases: the package's own uri answers with the same releases.
    for (const c of checked) {
      const uri = new URL(c.body.uri);
      const served = await city
        .http()
        .get(uri.pathname + uri.search)
        .expect(200);
      expect(served.body.releases).toEqual(c.body.releases);
    }

    // The ggzy-json upstream, beside it, still gets today's messages: projects first, stored with the same hashes.
    const there = await province.db.manager.find(Notice);
    expect(there.map((n) => [n.id, n.contentHash]).sort()).toEqual(
      (await city.db.manager.find(Notice, { where: { status: 'published' } })).map((n) => [n.id, n.contentHash]).sort(),
    );
    expect(await province.db.manager.count(SyncReceipt)).toBe(7);

    // Nothing was sent for the OCDS upstream's project entries, and their rows say why.
    const projectEntries = await city.db.manager.find(OutboxEntry, { where: { upstream: 'nation', kind: 'project' } });
    expect(
      projectEntries.map((e) => ({
        status: e.status,
        attempts: e.attempts,
        lastAttemptAt: e.lastAttemptAt,
        note: e.note,
      })),
    ).toEqual(
      [works, goods].map(() => ({
        status: 'delivered',
        attempts: 0,
        lastAttemptAt: null,
        note: OCDS_NO_PROJECT_RECORD,
      })),
    );
  });

  it("shows each upstream's format, and counts entries sent apart from those with nothing to send", async () => {
    const a = await createStaff(city, 'admin');
    const admin = await signIn(city, a.username, a.password);
    const status = await admin.get('/api/admin/sync').expect(200);
    expect(status.body.upstreams).toEqual([
      expect.objectContaining({
        name: 'province',
        format: 'ggzy-json',
        configured: true,
        delivered: 7,
        notSent: 0,
        backlog: 0,
        parked: 0,
      }),
      expect.objectContaining({
        name: 'nation',
        format: 'ocds',
        configured: true,
        delivered: 5,
        notSent: 2,
        backlog: 0,
        parked: 0,
        lastSuccessAt: expect.stringMatching(/\+08:00$/),
      }),
    ]);
    const listed = await admin.get('/api/admin/sync/outbox?upstream=nation&status=delivered').expect(200);
    expect(listed.body.items.filter((e: { note: string | null }) => e.note === OCDS_NO_PROJECT_RECORD)).toHaveLength(2);
    const page = text((await admin.get('/admin/sync').expect(200)).text);
    expect(page).toContain('ggzy-json（本平台的 JSON 消息');
    expect(page).toContain('OCDS 1.1 发布包');
    expect(page).toMatch(/无需发送<\/dt><dd>2 条/);
  });
});

describe('entries of an upstream no longer configured', () => {
  const clock = new FixedClock(NOW);
  const COUNTY_KEY = { keyId: 'dalian-to-county', secret: 'county-secret-0123456789' };
  let province: Awaited<ReturnType<typeof testPeer>>;
  let county: Awaited<ReturnType<typeof testPeer>>;
  let alerts: Awaited<ReturnType<typeof testPeer>>;
  let city: TestApp;
  const upstreams = (withCounty: boolean) =>
    JSON.stringify([
      { name: 'province', url: `${province.url}/api/v1/ingest`, ...KEY },
      ...(withCounty ? [{ name: 'county', url: `${county.url}/api/v1/ingest`, ...COUNTY_KEY }] : []),
    ]);
  const env = (withCounty: boolean) => ({
    SESSION_TTL_MINUTES: '43200',
    UPSTREAMS: upstreams(withCounty),
    SYNC_ALERT_WEBHOOK: `${alerts.url}/alerts`,
  });

  beforeAll(async () => {
    province = await testPeer(() => ({ status: 200, body: { status: 'applied' } }));
    county = await testPeer(() => ({ status: 200, body: { status: 'applied' } }));
    alerts = await testPeer(() => ({ status: 204 }));
    city = await startTestApp({ clock, env: env(true) });
  });
  afterAll(async () => {
    await city?.close();
    for (const peer of [province, county, alerts]) await peer?.close();
  });

  const countyEntries = () =>
    city.db.manager.find(OutboxEntry, { where: { upstream: 'county' }, order: { id: 'ASC' } });
  const signedInAdmin = async () => {
    const a = await createStaff(city, 'admin');
    return signIn(city, a.username, a.password);
  };

  it("parks them with the reason once they are older than the grace period, grouped under the upstream's name", async () => {
    const desk = await publishingDesk(city);
    const projectId = await desk.project(constructionProject());
    await desk.publish(tenderNotice(projectId));
    // Restarted without the county before anything was sent to it.
    city = await restartTestApp(city, { env: env(false) });
    const relay = city.app.get(RelayService);

    // Just queued (as by an instance still on a newer configuration): left alone, but shown.
    expect(await relay.run()).toEqual({ delivered: 2, retried: 0, parked: 0, notSent: 0 });
    expect((await countyEntries()).map((e) => e.status)).toEqual(['pending', 'pending']);
    const admin = await signedInAdmin();
    const waiting = await admin.get('/api/admin/sync').expect(200);
    expect(waiting.body.upstreams.map((u: { name: string }) => u.name)).toEqual(['province', 'county']);
    expect(waiting.body.upstreams[1]).toMatchObject({
      name: 'county',
      configured: false,
      url: null,
      format: null,
      backlog: 2,
      parked: 0,
    });

    clock.advance(UNCONFIGURED_GRACE_MS);
    const alertsBefore = alerts.received.length;
    expect(await relay.run()).toEqual({ delivered: 0, retried: 0, parked: 2, notSent: 0 });
    expect(county.received).toHaveLength(0);
    expect(
      (await countyEntries()).map((e) => ({ status: e.status, lastError: e.lastError, attempts: e.attempts })),
    ).toEqual([
      { status: 'parked', lastError: UNCONFIGURED_REASON, attempts: 0 },
      { status: 'parked', lastError: UNCONFIGURED_REASON, attempts: 0 },
    ]);
    expect(JSON.parse(alerts.received[alertsBefore].body)).toMatchObject({
      event: 'sync.upstream-unconfigured',
      upstream: 'county',
      entries: 2,
      reason: UNCONFIGURED_REASON,
    });
    expect(await relay.run()).toEqual({ delivered: 0, retried: 0, parked: 0, notSent: 0 });

    const status = await admin.get('/api/admin/sync').expect(200);
    const gone = status.body.upstreams[1];
    expect(gone).toMatchObject({
      name: 'county',
      configured: false,
      backlog: 0,
      parked: 2,
      lastError: { message: UNCONFIGURED_REASON, at: expect.stringMatching(/\+08:00$/) },
    });
    expect(gone.parkedEntries.map((e: { lastError: string }) => e.lastError)).toEqual([
      UNCONFIGURED_REASON,
      UNCONFIGURED_REASON,
    ]);
    const page = text((await admin.get('/admin/sync').expect(200)).text);
    expect(page).toContain('county （已不在配置中）');
    expect(page).toContain(UNCONFIGURED_REASON);
    expect(page).not.toContain('/admin/sync/upstreams/county/redrive');
    expect(page).not.toContain(`/admin/sync/outbox/${gone.parkedEntries[0].id}/redrive`);

    // A re-drive while it is still unconfigured would only be parked again: refused, saying why.
    const refused = await admin.post('/api/admin/sync/upstreams/county/redrive').expect(409);
    expect(refused.body.message).toContain('已不在配置中');
    await admin.post(`/api/admin/sync/outbox/${gone.parkedEntries[0].id}/redrive`).expect(409);
    await admin.post('/api/admin/sync/upstreams/nowhere/redrive').expect(404);
  });

  it('delivers them, in order, after the upstream is configured again and staff re-drive it', async () => {
    city = await restartTestApp(city, { env: env(true) });
    const admin = await signedInAdmin();
    const before = await admin.get('/api/admin/sync').expect(200);
    expect(before.body.upstreams.map((u: { name: string; configured: boolean }) => [u.name, u.configured])).toEqual([
      ['province', true],
      ['county', true],
    ]);
    expect(before.body.upstreams[1]).toMatchObject({ parked: 2, format: 'ggzy-json' });

    const parked = await countyEntries();
    const redriven = await admin.post('/api/admin/sync/upstreams/county/redrive').expect(200);
    expect(redriven.body).toEqual({ redriven: parked.map((e) => e.id) });
    expect(await city.db.manager.countBy(AuditLogEntry, { action: 'sync.redrive' })).toBe(2);

    expect(await city.app.get(RelayService).run()).toEqual({ delivered: 2, retried: 0, parked: 0, notSent: 0 });
    expect(county.received.map((r) => r.headers['idempotency-key'])).toEqual(parked.map((e) => e.idempotencyKey));
    const secretOf = (id: string) => (id === COUNTY_KEY.keyId ? COUNTY_KEY.secret : undefined);
    for (const r of county.received)
      expect(verifySignature(r.headers, Buffer.from(r.body), secretOf, clock.now())).toMatchObject({ ok: true });
    expect((await admin.get('/api/admin/sync').expect(200)).body.upstreams[1]).toMatchObject({
      name: 'county',
      configured: true,
      parked: 0,
      backlog: 0,
      delivered: 2,
    });
  });
});
