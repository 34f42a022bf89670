import { PullService } from '../src/sync/pull.service.js';
import { SyncPeerState, SyncSkip } from '../src/sync/sync.entities.js';
import { Notice } from '../src/trading/notice.entity.js';
import { Project } from '../src/trading/project.entity.js';
import { adminSignIn, text } from './support/admin-pages.js';
import { constructionProject, tenderNotice } from './support/fixtures.js';
import { publishingDesk } from './support/publish-flow.js';
import { createStaff, signIn } from './support/staff.js';
import { buildPortalWorld, cst } from './support/portal-world.js';
import { listen, testPeer } from './support/sync.js';
import { FixedClock, startTestApp, TestApp } from './support/test-app.js';

/** The consuming platform (SY2101), following the peer "dalian" behind `feedUrl`. */
const startConsumer = (clock: FixedClock, feedUrl: string) =>
  startTestApp({
    clock,
    env: {
      PLATFORM_CODE: 'SY2101',
      OCID_PREFIX: 'ocds-sy2101-',
      PEERS: JSON.stringify([{ name: 'dalian', url: `${feedUrl}/api/v1/changes` }]),
    },
  });

/** Stops what a describe started, whatever got started before a failure. */
async function closeAll(...started: ({ close: () => Promise<void> } | undefined)[]) {
  for (const s of started) await s?.close();
}

describe("pull: following a peer's change feed from a stored cursor", () => {
  const clock = new FixedClock(cst('2026-11-25 09:00'));
  let source: TestApp;
  let consumer: TestApp;
  let feed: Awaited<ReturnType<typeof testPeer>>;
  /** What the peer does to the next answers (in front of the real feed). */
  let fault: 'none' | 'bad-item' | 'down' = 'none';

  beforeAll(async () => {
    source = await startTestApp({ clock });
    await buildPortalWorld(source, clock);
    const sourceUrl = await listen(source);
    // The peer as the consumer sees it: the source's feed, in pages of 4, with faults on demand.
    feed = await testPeer(async (r) => {
      if (fault === 'down') return { status: 503, body: { message: '维护中' } };
      const url = new URL(r.url, sourceUrl);
      if (url.pathname === '/api/v1/changes') url.searchParams.set('limit', '4');
      const res = await fetch(url);
      const body = (await res.json()) as { items?: { notice: { details: unknown } }[] };
      if (fault === 'bad-item' && body.items && body.items.length > 2)
        body.items[2].notice.details = { nonsense: true };
      return { status: res.status, body };
    });
    consumer = await startConsumer(clock, feed.url);
  }, 120_000);
  afterAll(() => closeAll(consumer, source, feed));

  const pull = () => consumer.app.get(PullService).run();
  const state = () => consumer.db.manager.findOneByOrFail(SyncPeerState, { name: 'dalian' });
  const published = () => source.db.manager.find(Notice, { where: { status: 'published' }, order: { logSeq: 'ASC' } });

  it('applies a page together with its cursor: a failure inside a page keeps neither', async () => {
    fault = 'bad-item';
    expect(await pull()).toEqual({ applied: 0 });
    const s = await state();
    expect(s).toMatchObject({ cursor: null, applied: 0, failures: 1 });
    expect(s.lastError).toContain('details');
    // The first two items of that page (and their projects) were rolled back with it.
    expect(await consumer.db.manager.count(Notice)).toBe(0);
    expect(await consumer.db.manager.count(Project)).toBe(0);

    fault = 'down';
    expect(await pull()).toEqual({ applied: 0 });
    expect(await state()).toMatchObject({ cursor: null, failures: 2, lastError: expect.stringContaining('HTTP 503') });
  });

  it("then applies every change once, keeping the source's ids, platform and content hashes", async () => {
    fault = 'none';
    const all = await published();
    expect(await pull()).toEqual({ applied: all.length });
    const here = await consumer.db.manager.find(Notice, { order: { logSeq: 'ASC' } });
    expect(here.map((n) => [n.id, n.sourcePlatform, n.contentHash, n.status])).toEqual(
      all.map((n) => [n.id, 'DL2102', n.contentHash, 'published']),
    );
    expect(await state()).toMatchObject({
      applied: all.length,
      failures: 0,
      lastError: null,
      cursor: expect.any(String),
    });

    // Nothing new: nothing applied, the cursor stays.
    const { cursor } = await state();
    expect(await pull()).toEqual({ applied: 0 });
    expect((await state()).cursor).toBe(cursor);
  });

  it('picks up what the peer publishes next, and only that', async () => {
    const clerk = await signIn(source, ...(await credentials(source, 'clerk')));
    const reviewer = await signIn(source, ...(await credentials(source, 'reviewer')));
    const target = (await published()).find((n) => n.type === 'contract')!;
    clock.set(cst('2026-12-30 10:00'));
    const draft = await clerk
      .post('/api/admin/notices')
      .send({
        projectId: target.projectId,
        type: 'performance',
        title: '合同履约信息公告',
        body: '合同履约情况如下。',
        details: { status: 'in-progress', summary: '按合同约定供货' },
      })
      .expect(201);
    await clerk.post(`/api/admin/notices/${draft.body.id}/submit`).expect(200);
    await reviewer.post(`/api/admin/notices/${draft.body.id}/approve`).send({}).expect(200);

    const before = await consumer.db.manager.count(Notice);
    expect(await pull()).toEqual({ applied: 1 });
    expect(await consumer.db.manager.count(Notice)).toBe(before + 1);
    expect(await consumer.db.manager.findOneByOrFail(Notice, { id: draft.body.id })).toMatchObject({
      sourcePlatform: 'DL2102',
      status: 'published',
    });
  });

  it('recognises changes it already has when a cursor is lost, and duplicates nothing', async () => {
    const count = await consumer.db.manager.count(Notice);
    await consumer.db.transaction((em) => em.update(SyncPeerState, { name: 'dalian' }, { cursor: null }));
    const { applied } = await state();
    expect(await pull()).toEqual({ applied: 0 });
    expect(await consumer.db.manager.count(Notice)).toBe(count);
    expect(await state()).toMatchObject({ applied, cursor: expect.any(String) });
  });

  it('shows each peer on the sync status', async () => {
    const admin = await signIn(consumer, ...(await credentials(consumer, 'admin')));
    const res = await admin.get('/api/admin/sync').expect(200);
    expect(res.body.peers).toEqual([
      expect.objectContaining({
        name: 'dalian',
        failures: 0,
        lastError: null,
        lastSuccessAt: expect.stringMatching(/\+08:00$/),
      }),
    ]);
  });
});

async function credentials(t: TestApp, role: 'clerk' | 'reviewer' | 'admin'): Promise<[string, string]> {
  const s = await createStaff(t, role);
  return [s.username, s.password];
}

describe('pull stalled on a permanently invalid change, and staff skipping it', () => {
  const clock = new FixedClock(new Date('2026-11-25T02:00:00Z'));
  let source: TestApp;
  let consumer: TestApp;
  let feed: Awaited<ReturnType<typeof testPeer>>;
  let desk: Awaited<ReturnType<typeof publishingDesk>>;
  /** The source's changes in log order: c[4] is the one the peer serves broken, always. */
  const c: { id: string; logSeq: number }[] = [];

  beforeAll(async () => {
    source = await startTestApp({ clock });
    desk = await publishingDesk(source);
    for (let i = 0; i < 6; i++) c.push(await desk.publish(tenderNotice(await desk.project(constructionProject()))));
    const sourceUrl = await listen(source);
    // The peer: the source's feed in pages of at most 3 ([c1 c2 c3] [c4 c5 c6]), with c5's details broken for good.
    feed = await testPeer(async (r) => {
      const url = new URL(r.url, sourceUrl);
      if (url.pathname === '/api/v1/changes')
        url.searchParams.set('limit', String(Math.min(Number(url.searchParams.get('limit') ?? 100), 3)));
      const res = await fetch(url);
      const body = (await res.json()) as { items?: { notice: { id: string; details: unknown } }[] };
      for (const item of body.items ?? []) if (item.notice.id === c[4].id) item.notice.details = { nonsense: true };
      return { status: res.status, body };
    });
    consumer = await startConsumer(clock, feed.url);
  });
  afterAll(() => closeAll(consumer, source, feed));

  const pull = () => consumer.app.get(PullService).run();
  const state = () => consumer.db.manager.findOneByOrFail(SyncPeerState, { name: 'dalian' });
  const here = async () => (await consumer.db.manager.find(Notice, { order: { logSeq: 'ASC' } })).map((n) => n.id);
  const ids = (...which: number[]) => which.map((i) => c[i].id);

  it('stalls before the page holding the change it rejects (earlier pages applied), naming the change and its error', async () => {
    expect(await pull()).toEqual({ applied: 3 });
    expect(await here()).toEqual(ids(0, 1, 2));
    const stalled = await state();
    expect(stalled).toMatchObject({
      applied: 3,
      failures: 1,
      stalledChangeId: c[4].id,
      stalledSeq: c[4].logSeq,
      stalledKind: 'publication',
    });
    expect(stalled.stalledError).toContain('details');
    expect(stalled.lastError).toContain(c[4].id);

    // Until the data changes, every run stops at the same change: nothing is applied past it, and it stays named.
    clock.advance(60_000);
    expect(await pull()).toEqual({ applied: 0 });
    expect(await here()).toEqual(ids(0, 1, 2));
    expect(await state()).toMatchObject({
      failures: 2,
      cursor: stalled.cursor,
      stalledChangeId: c[4].id,
      stalledAt: stalled.stalledAt,
    });

    const reviewer = await signIn(consumer, ...(await credentials(consumer, 'reviewer')));
    const status = await reviewer.get('/api/admin/sync').expect(200);
    expect(status.body.peers[0]).toMatchObject({
      name: 'dalian',
      failures: 2,
      cursor: stalled.cursor,
      stalled: {
        changeId: c[4].id,
        seq: c[4].logSeq,
        kind: 'publication',
        error: expect.stringContaining('details'),
        since: expect.stringMatching(/\+08:00$/),
      },
    });
    expect(status.body.skippedChanges).toEqual([]);
    // Reviewers see the stall; only administrators get the form, and the API refuses reviewers.
    const page = text((await reviewer.get('/admin/sync').expect(200)).text);
    expect(page).toContain('拉取停滞在被拒绝的变更上');
    expect(page).toContain(c[4].id);
    expect(page).not.toContain('/admin/sync/peers/dalian/skip');
    await reviewer
      .post('/api/admin/sync/peers/dalian/skip')
      .send({ changeId: c[4].id, reason: '来源数据无效' })
      .expect(403);
  });

  it('refuses a skip that names another change, has no reason or names no configured peer, clearly and without a 500', async () => {
    const admin = await signIn(consumer, ...(await credentials(consumer, 'admin')));
    const wrong = await admin
      .post('/api/admin/sync/peers/dalian/skip')
      .send({ changeId: c[5].id, reason: '来源数据无效' })
      .expect(409);
    expect(wrong.body).toMatchObject({
      error: 'workflow.not-the-stalled-change',
      message: expect.stringContaining(c[4].id),
    });
    const noReason = await admin.post('/api/admin/sync/peers/dalian/skip').send({ changeId: c[4].id }).expect(400);
    expect(noReason.body.errors).toEqual([expect.objectContaining({ field: 'reason' })]);
    const blank = await admin
      .post('/api/admin/sync/peers/dalian/skip')
      .send({ changeId: c[4].id, reason: '    ' })
      .expect(400);
    expect(blank.body.errors).toEqual([
      expect.objectContaining({ field: 'reason', message: expect.stringContaining('跳过原因') }),
    ]);
    await admin
      .post('/api/admin/sync/peers/dalian/skip')
      .send({ changeId: 'x'.repeat(300), reason: '来源数据无效' })
      .expect(400);
    await admin
      .post('/api/admin/sync/peers/dalian/skip')
      .send({ changeId: c[4].id, reason: '来源数据无效', cursor: 'x' })
      .expect(400);
    await admin
      .post('/api/admin/sync/peers/dalian/skip')
      .send('not json')
      .set('Content-Type', 'application/json')
      .expect(400);
    await admin
      .post('/api/admin/sync/peers/nowhere/skip')
      .send({ changeId: c[4].id, reason: '来源数据无效' })
      .expect(404);
    // Described at /api/docs with its body, like every staff route.
    const doc = (await consumer.http().get('/api/docs/openapi.json').expect(200)).body;
    expect(doc.paths['/api/admin/sync/peers/{name}/skip'].post).toMatchObject({
      'x-roles': ['admin'],
      requestBody: { required: true },
    });
    expect(doc.components.schemas.SkipChangeDto).toMatchObject({ required: ['changeId', 'reason'] });

    // The page: a missing reason shows the form again with the message; another change gets a Chinese error page.
    const browser = await adminSignIn(consumer, ...(await credentials(consumer, 'admin')));
    await browser.get('/admin/sync');
    const empty = await browser.post('/admin/sync/peers/dalian/skip', { changeId: c[4].id, reason: '' });
    expect(empty.status).toBe(400);
    expect(text(empty.text)).toContain('请填写跳过原因');
    const stale = await browser.post('/admin/sync/peers/dalian/skip', { changeId: c[5].id, reason: '来源数据无效' });
    expect(stale.status).toBe(409);
    expect(stale.headers['content-type']).toMatch(/text\/html/);
    expect(text(stale.text)).toContain('只能跳过停滞的那一条');
    expect(
      (await browser.post('/admin/sync/peers/dalian/skip', { _csrf: '', changeId: c[4].id, reason: '来源数据无效' }))
        .status,
    ).toBe(403);
    expect(await consumer.db.manager.count(SyncSkip)).toBe(0);
    expect(await state()).toMatchObject({ stalledChangeId: c[4].id });
  });

  it('skips exactly that change: recorded with who and why, in the audit log and on the page; the pull then goes on', async () => {
    const { cursor } = await state();
    const browser = await adminSignIn(consumer, ...(await credentials(consumer, 'admin')));
    await browser.get('/admin/sync');
    const reason = '大连市中心确认该公告数据缺失，已在其平台更正后重新发布';
    const res = await browser.post('/admin/sync/peers/dalian/skip', { changeId: c[4].id, reason });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/sync?done=skipped');
    const page = text((await browser.get(res.headers.location)).text);
    expect(page).toContain('已跳过该变更并记入审计日志');
    expect(page).toContain(reason);
    expect(page).toContain('待下一轮拉取越过');
    expect(page).not.toContain('拉取停滞在被拒绝的变更上');

    const admin = await signIn(consumer, ...(await credentials(consumer, 'admin')));
    const status = await admin.get('/api/admin/sync').expect(200);
    expect(status.body.peers[0].stalled).toBeNull();
    expect(status.body.skippedChanges).toEqual([
      expect.objectContaining({
        peer: 'dalian',
        changeId: c[4].id,
        seq: c[4].logSeq,
        kind: 'publication',
        cursor,
        error: expect.stringContaining('details'),
        reason,
        skippedBy: expect.stringMatching(/^admin/),
        skippedAt: expect.stringMatching(/\+08:00$/),
        passedAt: null,
      }),
    ]);
    const audit = await admin.get('/api/admin/audit?action=sync.skip-change').expect(200);
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        action: 'sync.skip-change',
        entityType: 'sync_peer',
        entityId: 'dalian',
        actor: expect.objectContaining({ username: status.body.skippedChanges[0].skippedBy }),
        before: {
          stalled: expect.objectContaining({ changeId: c[4].id, cursor, error: expect.stringContaining('details') }),
        },
        after: { skipped: expect.objectContaining({ changeId: c[4].id, reason }) },
      }),
    ]);
    // Nothing is stalled any more: a second skip is refused.
    await admin.post('/api/admin/sync/peers/dalian/skip').send({ changeId: c[4].id, reason }).expect(409);

    // The next pull applies the rest of that page and what follows, once, and passes the skipped change.
    expect(await pull()).toEqual({ applied: 2 });
    expect(await here()).toEqual(ids(0, 1, 2, 3, 5));
    expect(await state()).toMatchObject({ applied: 5, failures: 0, lastError: null, stalledChangeId: null });
    expect(await consumer.db.manager.findOneByOrFail(SyncSkip, { changeId: c[4].id })).toMatchObject({
      passedAt: expect.any(Date),
      passedCursor: (await state()).cursor,
    });
    expect(await pull()).toEqual({ applied: 0 });
    expect(text((await browser.get('/admin/sync')).text)).toContain('已越过');

    // What the peer publishes next arrives; and with the cursor lost, the skipped change is still passed, nothing doubled.
    const next = await desk.publish(tenderNotice(await desk.project(constructionProject())));
    expect(await pull()).toEqual({ applied: 1 });
    await consumer.db.transaction((em) => em.update(SyncPeerState, { name: 'dalian' }, { cursor: null }));
    expect(await pull()).toEqual({ applied: 0 });
    expect(await here()).toEqual([...ids(0, 1, 2, 3, 5), next.id]);
    expect(await state()).toMatchObject({ stalledChangeId: null, failures: 0 });
  });
});

describe('pull: a project the peer says it does not have', () => {
  const clock = new FixedClock(new Date('2026-11-25T02:00:00Z'));
  let source: TestApp;
  let consumer: TestApp;
  let feed: Awaited<ReturnType<typeof testPeer>>;
  let orphan = '';
  let projectsDown = false;

  beforeAll(async () => {
    source = await startTestApp({ clock });
    const desk = await publishingDesk(source);
    await desk.publish(tenderNotice(await desk.project(constructionProject())));
    orphan = await desk.project(constructionProject());
    await desk.publish(tenderNotice(orphan));
    const sourceUrl = await listen(source);
    // The peer's feed as it is, but its project endpoint answers 404 for one project (or 503 for all, when down).
    feed = await testPeer(async (r) => {
      const url = new URL(r.url, sourceUrl);
      if (url.pathname.startsWith('/api/v1/projects/')) {
        if (projectsDown) return { status: 503, body: { message: '维护中' } };
        if (decodeURIComponent(url.pathname).endsWith(orphan)) return { status: 404, body: { message: '项目不存在' } };
      }
      const res = await fetch(url);
      return { status: res.status, body: await res.json() };
    });
    consumer = await startConsumer(clock, feed.url);
  });
  afterAll(() => closeAll(consumer, source, feed));

  const state = () => consumer.db.manager.findOneByOrFail(SyncPeerState, { name: 'dalian' });

  it('is retried while the peer fails, and stalls on the change naming it (so staff can skip it) when the peer answers 404', async () => {
    const [first, second] = await source.db.manager.find(Notice, {
      where: { status: 'published' },
      order: { logSeq: 'ASC' },
    });
    projectsDown = true;
    await consumer.app.get(PullService).run();
    expect(await state()).toMatchObject({
      applied: 0,
      failures: 1,
      stalledChangeId: null,
      lastError: expect.stringContaining('HTTP 503'),
    });
    projectsDown = false;
    await consumer.app.get(PullService).run();
    // One page holds both changes, and a page is applied whole or not at all.
    expect(await consumer.db.manager.findOneBy(Notice, { id: first.id })).toBeNull();
    expect(await state()).toMatchObject({
      applied: 0,
      failures: 2,
      stalledChangeId: second.id,
      stalledError: expect.stringContaining('尚未收到'),
    });
  });
});
