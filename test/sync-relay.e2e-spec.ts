import { setTimeout as sleep } from 'node:timers/promises';
import { OutboxEntry } from '../src/sync/outbox.entity.js';
import { RelayService } from '../src/sync/relay.service.js';
import { verifySignature } from '../src/sync/signing.js';
import { SyncReceipt } from '../src/sync/sync.entities.js';
import { Notice } from '../src/trading/notice.entity.js';
import { constructionProject, tenderNotice } from './support/fixtures.js';
import { apiKeyClient, createStaff, signIn, StaffClient } from './support/staff.js';
import { listen, testPeer } from './support/sync.js';
import { FixedClock, startTestApp, TestApp } from './support/test-app.js';

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
      const a = script.get(String(r.headers['idempotency-key']))?.shift() ?? { status: 200, body: { status: 'applied' } };
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
    const projectId = (await clerk.post('/api/admin/projects').send(constructionProject()).expect(201)).body.id as string;
    const tender = await publish(tenderNotice(projectId));
    return { projectId, tender, keys: { project: `DL2102:project:${projectId}`, tender: `DL2102:log:${tender.logSeq}` } };
  }
  const entry = (key: string) => city.db.manager.findOneByOrFail(OutboxEntry, { idempotencyKey: key });
  const sent = (from: number) => upstream.received.slice(from).map((r) => r.headers['idempotency-key']);
  const later = (ms: number) => clock.advance(ms);

  it('sends a project before its notices, signs every attempt afresh, and retries 503, 409, 429 and timeouts', async () => {
    const { projectId, tender, keys } = await projectWithTender();
    const correction = await publish({
      projectId, type: 'correction', targetNoticeId: tender.id, title: '红旗西路道路改造工程澄清公告', body: '澄清招标文件第三章。',
      details: { reason: '澄清工程量清单', affectsBids: false, changes: {} },
    });
    const correctionKey = `DL2102:log:${correction.logSeq}`;
    script.set(keys.project, [{ status: 503 }]);
    script.set(keys.tender, [{ status: 409, body: { message: '项目尚未收到' } }, { status: 429, headers: { 'Retry-After': '120' } }, { status: 200, delayMs: 1500 }]);
    const start = upstream.received.length;

    // The project fails: its notices wait behind it.
    expect(await relay.run()).toEqual({ delivered: 0, retried: 1, parked: 0 });
    expect(sent(start)).toEqual([keys.project]);
    const retry = await entry(keys.project);
    expect(retry).toMatchObject({ status: 'pending', attempts: 1, lastError: 'HTTP 503' });
    expect(retry.nextAttemptAt.getTime() - NOW.getTime()).toBeGreaterThanOrEqual(500);
    expect(await relay.run()).toEqual({ delivered: 0, retried: 0, parked: 0 }); // not due yet

    later(60_000);
    // Project delivered; the tender then meets 409 (the receiver lacks its parent) and is retried.
    expect(await relay.run()).toEqual({ delivered: 1, retried: 1, parked: 0 });
    expect((await entry(keys.tender)).lastError).toBe('HTTP 409：项目尚未收到');

    later(60_000);
    expect(await relay.run()).toEqual({ delivered: 0, retried: 1, parked: 0 });
    const waiting = await entry(keys.tender);
    expect(waiting.nextAttemptAt.getTime() - clock.now().getTime()).toBe(60_000); // Retry-After 120 s, capped at SYNC_RETRY_MAX_MS

    later(60_000);
    // The upstream answers after the 1 s timeout: retried.
    expect(await relay.run()).toEqual({ delivered: 0, retried: 1, parked: 0 });
    expect((await entry(keys.tender)).lastError).toMatch(/timeout after 1000 ms/);

    later(60_000);
    expect(await relay.run()).toEqual({ delivered: 2, retried: 0, parked: 0 });
    expect(sent(start)).toEqual([keys.project, keys.project, keys.tender, keys.tender, keys.tender, keys.tender, correctionKey]);

    const attempts = upstream.received.slice(start);
    const secretOf = (id: string) => (id === KEY.keyId ? KEY.secret : undefined);
    for (const r of attempts) expect(verifySignature(r.headers, Buffer.from(r.body), secretOf, clock.now())).toMatchObject({ ok: true });
    expect(new Set(attempts.map((r) => r.headers['x-nonce'])).size).toBe(attempts.length);

    // Bodies: the project's public JSON, then change-feed items, each with our platform code and checkpoint.
    const [first] = attempts.map((r) => JSON.parse(r.body));
    expect(first).toMatchObject({ platform: 'DL2102', kind: 'project', projectId, project: { id: projectId, dealCode: expect.any(String) } });
    const last = JSON.parse(attempts[attempts.length - 1].body);
    expect(last).toMatchObject({ platform: 'DL2102', kind: 'correction', seq: correction.logSeq, notice: { id: correction.id, targetNoticeId: tender.id } });
    expect(last).toHaveProperty('checkpoint');
    expect(await entry(correctionKey)).toMatchObject({ status: 'delivered', attempts: 1, lastError: null });
  });

  it('parks at once on another 4xx, alerts, holds back that project, and delivers after a re-drive', async () => {
    const other = await projectWithTender();
    const { keys } = await projectWithTender();
    script.set(keys.project, [{ status: 422, body: { message: '招标人信用代码不在省库中' } }]);
    const alertsBefore = alerts.received.length;

    expect(await relay.run()).toEqual({ delivered: 2, retried: 0, parked: 1 });
    const parked = await entry(keys.project);
    expect(parked).toMatchObject({ status: 'parked', attempts: 1, lastError: 'HTTP 422：招标人信用代码不在省库中' });
    expect((await entry(keys.tender)).status).toBe('pending'); // held back behind its project
    expect((await entry(other.keys.tender)).status).toBe('delivered'); // other projects flow on
    const alert = JSON.parse(alerts.received[alertsBefore].body);
    expect(alert).toMatchObject({ event: 'sync.outbox-parked', upstream: 'province', entryId: parked.id, idempotencyKey: keys.project, attempts: 1 });

    const status = await reviewer.get('/api/admin/sync').expect(200);
    const province = status.body.upstreams[0];
    expect(province).toMatchObject({ name: 'province', parked: 1, backlog: 1, lastSuccessAt: expect.stringMatching(/\+08:00$/) });
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

    expect(await relay.run()).toEqual({ delivered: 2, retried: 0, parked: 0 });
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
    expect(await entry(keys.project)).toMatchObject({ status: 'parked', attempts: 4, lastError: 'HTTP 500；已失败 4 次' });
    expect(alerts.received.length).toBe(alertsBefore + 1);

    const list = await admin.get('/api/admin/sync/outbox?status=parked').expect(200);
    expect(list.body.items.map((e: { idempotencyKey: string }) => e.idempotencyKey)).toEqual([keys.project]);
    await admin.post('/admin/sync/upstreams/province/redrive').type('form').send({ _csrf: admin.headers['X-CSRF-Token'] }).expect(303).expect('Location', '/admin/sync?done=redriven-all');
    await admin.post('/api/admin/sync/upstreams/nowhere/redrive').expect(404);
    expect(await relay.run()).toEqual({ delivered: 2, retried: 0, parked: 0 });
    expect(await entry(keys.project)).toMatchObject({ status: 'delivered', attempts: 1 });
  });
});

describe('push relay to a real province over loopback', () => {
  const clock = new FixedClock(NOW);
  let province: TestApp;
  let city: TestApp;

  beforeAll(async () => {
    province = await startTestApp({ clock, env: { PLATFORM_CODE: 'LN2100', OCID_PREFIX: 'ocds-ln2100-', INGEST_KEYS: JSON.stringify([{ ...KEY, platformCode: 'DL2102' }]) } });
    const url = await listen(province);
    city = await startTestApp({ clock, env: { UPSTREAMS: JSON.stringify([{ name: 'province', url: `${url}/api/v1/ingest`, ...KEY }]) } });
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
    expect(await relay.run()).toEqual({ delivered: 6, retried: 0, parked: 0 });

    // As if the city had died after the province applied everything but before recording the answers.
    await city.db.transaction((em) => em.update(OutboxEntry, { status: 'delivered' }, { status: 'pending', deliveredAt: null, attempts: 0 }));
    expect(await relay.run()).toEqual({ delivered: 0, retried: 0, parked: 0 }); // still claimed by the "dead" attempt
    clock.advance(20_000); // the claim (request timeout + 5 s) runs out
    expect(await relay.run()).toEqual({ delivered: 6, retried: 0, parked: 0 });

    const published = await city.db.manager.find(Notice, { where: { status: 'published' } });
    const there = await province.db.manager.find(Notice);
    expect(there.map((n) => [n.id, n.contentHash]).sort()).toEqual(published.map((n) => [n.id, n.contentHash]).sort());
    expect(await province.db.manager.count(SyncReceipt)).toBe(6);
  });
});

