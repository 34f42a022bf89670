import { PullService } from '../src/sync/pull.service.js';
import { SyncPeerState } from '../src/sync/sync.entities.js';
import { Notice } from '../src/trading/notice.entity.js';
import { Project } from '../src/trading/project.entity.js';
import { createStaff, signIn } from './support/staff.js';
import { buildPortalWorld, cst } from './support/portal-world.js';
import { listen, testPeer } from './support/sync.js';
import { FixedClock, startTestApp, TestApp } from './support/test-app.js';

describe('pull: following a peer\'s change feed from a stored cursor', () => {
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
      if (fault === 'bad-item' && body.items && body.items.length > 2) body.items[2].notice.details = { nonsense: true };
      return { status: res.status, body };
    });
    consumer = await startTestApp({ clock, env: { PLATFORM_CODE: 'SY2101', OCID_PREFIX: 'ocds-sy2101-', PEERS: JSON.stringify([{ name: 'dalian', url: `${feed.url}/api/v1/changes` }]) } });
  }, 120_000);
  afterAll(async () => {
    await consumer?.close();
    await source?.close();
    await feed?.close();
  });

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

  it('then applies every change once, keeping the source\'s ids, platform and content hashes', async () => {
    fault = 'none';
    const all = await published();
    expect(await pull()).toEqual({ applied: all.length });
    const here = await consumer.db.manager.find(Notice, { order: { logSeq: 'ASC' } });
    expect(here.map((n) => [n.id, n.sourcePlatform, n.contentHash, n.status])).toEqual(all.map((n) => [n.id, 'DL2102', n.contentHash, 'published']));
    expect(await state()).toMatchObject({ applied: all.length, failures: 0, lastError: null, cursor: expect.any(String) });

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
    const draft = await clerk.post('/api/admin/notices').send({
      projectId: target.projectId, type: 'performance', title: '合同履约信息公告', body: '合同履约情况如下。', details: { status: 'in-progress', summary: '按合同约定供货' },
    }).expect(201);
    await clerk.post(`/api/admin/notices/${draft.body.id}/submit`).expect(200);
    await reviewer.post(`/api/admin/notices/${draft.body.id}/approve`).send({}).expect(200);

    const before = await consumer.db.manager.count(Notice);
    expect(await pull()).toEqual({ applied: 1 });
    expect(await consumer.db.manager.count(Notice)).toBe(before + 1);
    expect(await consumer.db.manager.findOneByOrFail(Notice, { id: draft.body.id })).toMatchObject({ sourcePlatform: 'DL2102', status: 'published' });
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
    expect(res.body.peers).toEqual([expect.objectContaining({ name: 'dalian', failures: 0, lastError: null, lastSuccessAt: expect.stringMatching(/\+08:00$/) })]);
  });
});

async function credentials(t: TestApp, role: 'clerk' | 'reviewer' | 'admin'): Promise<[string, string]> {
  const s = await createStaff(t, role);
  return [s.username, s.password];
}
