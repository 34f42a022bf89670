import { constructionProject, tenderNotice } from './support/fixtures.js';
import { eventually, startAppProcess, stopAllProcesses, type AppProcess } from './support/process.js';
import { mariadbAvailable, startReplicatedMariaDb, type ReplicatedMariaDb } from './support/replication.js';
import { apiKeyClient, createStaff, STAFF_TEST_PASSWORD } from './support/staff.js';
import { isMysql, startTestApp, type TestApp } from './support/test-app.js';

/**
 * Public reads from a real MariaDB replica (DATABASE_REPLICA_URLS): a primary and a replica started here, the
 * portal as a real process on both. With the replica's SQL thread stopped (it lags without end), a staff member
 * still sees their own publication at once, the change feed (primary) lists it at once, and visitors keep the
 * replica's older pages without the cache ever keeping them under the new version: once the replica catches up,
 * the publication shows.
 */
(isMysql() && mariadbAvailable() ? describe : describe.skip)('public reads from a lagging replica (MariaDB)', () => {
  const DATABASE = 'ggzy_replica_e2e';
  let servers: ReplicatedMariaDb | undefined;
  let setup: TestApp | undefined;
  let portal: AppProcess;
  let clerkKey: Record<string, string>;
  let reviewerKey: Record<string, string>;
  let clerk: { id: number; username: string };
  let projectId: string;

  beforeAll(async () => {
    servers = await startReplicatedMariaDb();
    // Created after replication started, so the replica copies the database and everything in it.
    await servers.query('primary', `CREATE DATABASE ${DATABASE} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    // In process, on the primary alone: migrates, and makes the staff and API keys the portal process will accept.
    setup = await startTestApp({ database: { url: servers.url('primary', DATABASE), drop: async () => undefined } });
    clerk = await createStaff(setup, 'clerk');
    clerkKey = (await apiKeyClient(setup, clerk.id)).headers;
    reviewerKey = (await apiKeyClient(setup, (await createStaff(setup, 'reviewer')).id)).headers;
    portal = await startAppProcess(
      'portal',
      {
        DATABASE_URL: servers.url('primary', DATABASE),
        DATABASE_REPLICA_URLS: servers.url('replica', DATABASE),
        JOBS_ENABLED: 'false',
        CACHE_POLL_MS: '100',
      },
      { timeoutMs: 60_000 },
    );
    projectId = await staffCall('POST', '/api/admin/projects', constructionProject({ name: '副本测试道路工程' })).then(
      (b) => b.id as string,
    );
    await publish('副本测试道路工程施工招标公告');
    await servers.caughtUp();
  }, 110_000);

  afterAll(async () => {
    await stopAllProcesses();
    await setup?.app.close();
    await servers?.stop();
  }, 30_000);

  const explain = (what: string) =>
    `${what}\n--- portal ---\n${portal?.output() ?? ''}\n--- mariadb ---\n${servers?.output() ?? ''}`;

  async function staffCall(
    method: string,
    path: string,
    body?: unknown,
    key = clerkKey,
  ): Promise<Record<string, unknown>> {
    const res = await fetch(`${portal.url}${path}`, {
      method,
      headers: { ...key, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(explain(`${method} ${path}: ${res.status} ${text}`));
    return text ? JSON.parse(text) : {};
  }

  /** A clerk drafts and submits, a reviewer approves: the publication, through the portal process. */
  async function publish(title: string): Promise<string> {
    const draft = await staffCall('POST', '/api/admin/notices', { ...tenderNotice(projectId), title });
    await staffCall('POST', `/api/admin/notices/${String(draft.id)}/submit`);
    await staffCall('POST', `/api/admin/notices/${String(draft.id)}/approve`, {}, reviewerKey);
    return String(draft.id);
  }

  const visit = async (path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${portal.url}${path}`, { headers });
    return { status: res.status, cache: res.headers.get('x-cache'), body: await res.text() };
  };

  it("reads visitors' pages from the replica while it lags, and staff and the change feed from the primary", async () => {
    const first = await visit('/notices');
    expect(first.body).toContain('副本测试道路工程施工招标公告');
    expect((await visit('/notices')).cache).toBe('hit');

    await servers!.query('replica', 'STOP SLAVE SQL_THREAD');
    const title = '副本测试道路工程施工招标公告（第二次）';
    const id = await publish(title);

    // The staff member who published: their own reads (API key, session) go to the primary.
    expect(await staffCall('GET', `/api/admin/notices/${id}`)).toMatchObject({ id, status: 'published' });
    const login = await fetch(`${portal.url}/api/admin/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: clerk.username, password: STAFF_TEST_PASSWORD }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers
      .getSetCookie()
      .find((c) => c.startsWith('ggzy_session='))!
      .split(';')[0];
    expect((await visit('/admin/notices', { Cookie: cookie })).body).toContain(title);
    const staffPublic = await visit('/notices', { Cookie: cookie });
    expect([staffPublic.cache, staffPublic.body.includes(title)]).toEqual([null, true]);

    // The change feed reads the primary: a consumer sees the publication at once, with no gap before it.
    const changes = JSON.parse((await visit('/api/v1/changes?limit=100')).body) as {
      items: { seq: number; noticeId: string }[];
    };
    expect(changes.items.map((c) => c.noticeId)).toContain(id);
    expect(changes.items.map((c) => c.seq)).toEqual(changes.items.map((_, i) => i + 1));

    // Visitors: the replica's older state, rendered each time and never kept under the new version.
    await new Promise((resolve) => setTimeout(resolve, 500)); // several polls: the instance knows the new head
    for (let i = 0; i < 3; i++) {
      const page = await visit('/notices');
      expect([page.status, page.cache, page.body.includes(title)]).toEqual([200, 'miss', false]);
      expect(page.body).toContain('副本测试道路工程施工招标公告');
    }
    expect((await visit(`/notices/${id}`)).status).toBe(404);
    expect((await visit(`/api/v1/notices/${id}`)).status).toBe(404);
    const feed = await visit('/feeds/notices.rss');
    expect([feed.cache, feed.body.includes(title)]).toEqual(['miss', false]);

    // The replica catches up: the publication shows within a couple of seconds, and is then kept.
    await servers!.query('replica', 'START SLAVE SQL_THREAD');
    const started = Date.now();
    await eventually(
      'the publication on the public list',
      async () => (await visit('/notices')).body.includes(title),
      10_000,
      50,
    );
    expect(Date.now() - started).toBeLessThan(3000);
    expect((await visit(`/notices/${id}`)).body).toContain(title);
    expect((await visit('/feeds/notices.rss')).body).toContain(title);
    const again = await visit('/notices');
    expect([again.cache, again.body.includes(title)]).toEqual(['hit', true]);
  }, 60_000);

  it('reads the primary while no replica answers', async () => {
    await servers!.killReplica();
    const title = '副本测试道路工程施工招标公告（副本停机后）';
    const id = await publish(title);
    // Every visitor is answered: the first request meets the dead replica and is read from the primary.
    const page = await visit('/notices');
    if (page.status !== 200)
      throw new Error(explain(`/notices without a replica: ${page.status} ${page.body.slice(0, 500)}`));
    expect(page.body).toContain(title);
    expect((await visit(`/notices/${id}`)).status).toBe(200);
    expect(portal.output()).toContain('no replica answers, reading the primary');
  }, 30_000);
});
