import { setTimeout as sleep } from 'node:timers/promises';
import { createApp } from '../src/app.js';
import { SYSTEM_ACTOR } from '../src/auth/actor.js';
import { ApiKeysService } from '../src/auth/api-keys.service.js';
import { StaffUsersService } from '../src/auth/staff-users.service.js';
import { loadConfig } from '../src/config/config.js';
import { constructionProject } from './support/fixtures.js';
import { eventually, startAppProcess, stopAllProcesses, type AppProcess } from './support/process.js';
import { STAFF_TEST_PASSWORD } from './support/staff.js';
import { freshDatabase, isMysql } from './support/test-app.js';

/**
 * Platform sync end to end, with real processes talking HTTP on loopback: a city pushing to a province (the same
 * software, receiving through /api/v1/ingest), and a consumer instance following the province's change feed.
 */
const CITY_KEY = { keyId: 'dalian', secret: 'dalian-secret-0123456789' };
const MINUTES = 60_000;

type Keys = Record<'clerk' | 'reviewer' | 'admin', string>;
type Db = Awaited<ReturnType<typeof freshDatabase>>;

describe(`platform sync between real processes on loopback${isMysql() ? ' (MariaDB)' : ' (SQLite)'}`, () => {
  let cityDb: Db;
  let provinceDb: Db;
  let consumerDb: Db;
  let keys: Keys;
  let province: AppProcess;
  let consumer: AppProcess;
  let city: AppProcess;
  let cityEnv: Record<string, string>;
  const projects: string[] = [];
  const published: string[] = [];

  const provinceEnv = (extra: Record<string, string> = {}) => ({
    DATABASE_URL: provinceDb.url,
    PLATFORM_CODE: 'LN2100',
    OCID_PREFIX: 'ocds-ln2100-',
    INGEST_KEYS: JSON.stringify([{ ...CITY_KEY, platformCode: 'DL2102' }]),
    ...extra,
  });

  beforeAll(async () => {
    [cityDb, provinceDb, consumerDb] = [await freshDatabase(), await freshDatabase(), await freshDatabase()];
    keys = await staffKeys(cityDb.url);
    province = await startAppProcess('province', provinceEnv());
    consumer = await startAppProcess('consumer', {
      DATABASE_URL: consumerDb.url,
      PLATFORM_CODE: 'SY2101',
      OCID_PREFIX: 'ocds-sy2101-',
      SYNC_INTERVAL_MS: '300',
      PEERS: JSON.stringify([{ name: 'province', url: `${province.url}/api/v1/changes` }]),
    });
    cityEnv = {
      DATABASE_URL: cityDb.url,
      UPSTREAMS: JSON.stringify([{ name: 'province', url: `${province.url}/api/v1/ingest`, ...CITY_KEY }]),
      SYNC_INTERVAL_MS: '250',
      SYNC_RETRY_BASE_MS: '200',
      SYNC_RETRY_MAX_MS: '1000',
      SYNC_MAX_ATTEMPTS: '1000',
      SYNC_HTTP_TIMEOUT_MS: '8000',
      JOB_LEASE_SECONDS: '3',
    };
    city = await startAppProcess('city', cityEnv);
  }, 5 * MINUTES);

  afterAll(async () => {
    await stopAllProcesses();
    for (const db of [cityDb, provinceDb, consumerDb]) await db?.drop();
  }, MINUTES);

  // ---- talking to the processes -------------------------------------------------------------------------
  /** JSON from another process, as it came. */
  async function call(app: AppProcess, method: string, path: string, key?: string, body?: unknown): Promise<any> {
    const res = await fetch(`${app.url}${path}`, {
      method,
      headers: {
        Accept: 'application/json',
        ...(key ? { Authorization: `Bearer ${key}` } : {}),
        ...(body ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(20_000),
    });
    const json = await res.json().catch(() => null);
    if (res.status >= 300) throw new Error(`${app.name} ${method} ${path}: HTTP ${res.status} ${JSON.stringify(json)}`);
    return json;
  }
  async function newProject(app: AppProcess) {
    const project = await call(app, 'POST', '/api/admin/projects', keys.clerk, constructionProject());
    projects.push(project.id);
    return project.id as string;
  }
  async function publish(app: AppProcess, draft: Record<string, unknown> | { withdraw: string }) {
    const created =
      'withdraw' in draft
        ? await call(app, 'POST', `/api/admin/notices/${draft.withdraw}/withdrawals`, keys.clerk, {
            reason: '交易中心复核后撤回',
          })
        : await call(app, 'POST', '/api/admin/notices', keys.clerk, draft);
    await call(app, 'POST', `/api/admin/notices/${created.id}/submit`, keys.clerk);
    const done = await call(app, 'POST', `/api/admin/notices/${created.id}/approve`, keys.reviewer, {});
    published.push(done.id);
    return done.id as string;
  }
  const abnormal = (projectId: string, n: number) => ({
    projectId,
    type: 'abnormal',
    title: `交易异常公告（第${n}号）`,
    body: `第${n}号：电子交易系统在开标前出现故障。`,
    details: { reason: `电子交易系统故障（第${n}号）`, measures: '顺延并另行通知' },
  });
  /** Every item of a change feed, from the beginning, following `next`. */
  async function crawl(
    app: AppProcess,
    after?: string,
  ): Promise<{ items: { notice: { id: string; contentHash: string } }[]; next: string }> {
    const items = [];
    let cursor = after;
    for (;;) {
      const page = await call(app, 'GET', `/api/v1/changes?limit=50${cursor ? `&after=${cursor}` : ''}`);
      items.push(...page.items);
      if (!page.items.length || page.next === cursor) return { items, next: page.next };
      cursor = page.next;
    }
  }
  const status = async (app: AppProcess) => (await call(app, 'GET', '/api/admin/sync', keys.admin)).upstreams[0];
  const idsOf = (items: { notice: { id: string } }[]) => items.map((i) => i.notice.id);

  // ---- the story ------------------------------------------------------------------------------------------
  it(
    'pushes what the city publishes to the province, and the consumer pulls it from there',
    async () => {
      const p1 = await newProject(city);
      for (let n = 1; n <= 3; n++) await publish(city, abnormal(p1, n));
      await eventually('the province to have 3 changes', async () => (await crawl(province)).items.length === 3);
      await eventually('the consumer to have 3 changes', async () => (await crawl(consumer)).items.length === 3);
    },
    3 * MINUTES,
  );

  it(
    'keeps publishing while the province is down, retrying without parking',
    async () => {
      await province.stop('SIGKILL');
      const p2 = await newProject(city);
      for (let n = 1; n <= 4; n++) await publish(city, abnormal(p2, n));
      const p1 = projects[0];
      await publish(city, {
        projectId: p1,
        type: 'correction',
        targetNoticeId: published[0],
        title: '交易异常公告更正',
        body: '更正第1号公告的处理措施。',
        details: { reason: '处理措施调整', affectsBids: false, changes: {} },
      });
      await publish(city, { withdraw: published[1] });
      const waiting = await eventually(
        'the relay to have failed a few times',
        async () => {
          const s = await status(city);
          return s.failing > 0 && s.backlog >= 7 ? s : undefined;
        },
        30_000,
      );
      expect(waiting).toMatchObject({
        parked: 0,
        lastError: { message: expect.stringMatching(/ECONNREFUSED|fetch failed|refused/) },
      });
    },
    3 * MINUTES,
  );

  it(
    'recovers when the city is killed after the province applied a message but before the city recorded the answer',
    async () => {
      // The province comes back slow: it applies each new message, then waits 5 s before answering.
      const { next: seen } = await crawl(consumer); // the province had what the consumer has
      province = await startAppProcess('province', provinceEnv({ INGEST_TEST_REPLY_DELAY_MS: '5000' }), {
        port: province.port,
      });
      const applied = await eventually(
        'the province to apply a message',
        async () => {
          const page = await call(province, 'GET', `/api/v1/changes?after=${seen}&limit=1`);
          return page.items[0]?.notice as { id: string } | undefined;
        },
        MINUTES,
        25,
      );
      await city.stop('SIGKILL');

      await province.stop();
      province = await startAppProcess('province', provinceEnv(), { port: province.port });
      city = await startAppProcess('city', cityEnv);
      const { logSeq } = await call(city, 'GET', `/api/v1/notices/${applied.id}`);
      const pending = (await call(city, 'GET', '/api/admin/sync/outbox?status=pending&limit=500', keys.admin)).items;
      // Applied there, unacknowledged here: it is sent again, and the province answers from its receipt.
      expect(pending).toEqual(
        expect.arrayContaining([expect.objectContaining({ idempotencyKey: `DL2102:log:${logSeq}` })]),
      );
      await eventually('the backlog to drain', async () => (await status(city)).backlog === 0, 2 * MINUTES, 500).catch(
        async (e) => {
          throw new Error(
            `${e.message}\n${JSON.stringify(await status(city))}\n${city.output()}\n${province.output()}`,
          );
        },
      );
      const entry = (
        await call(city, 'GET', '/api/admin/sync/outbox?status=delivered&limit=500', keys.admin)
      ).items.find((e: { idempotencyKey: string }) => e.idempotencyKey === `DL2102:log:${logSeq}`);
      expect(entry).toMatchObject({ status: 'delivered' });
    },
    5 * MINUTES,
  );

  // Skipped on SQLite on purpose: SQLite serves one instance (PRODUCT.md); several instances share MySQL/MariaDB.
  (isMysql() ? it : it.skip)(
    'runs two city instances on one MariaDB database: one relay at a time, and the other takes over when it dies (MySQL/MariaDB only)',
    async () => {
      const second = await startAppProcess('city-2', cityEnv);
      const p3 = await newProject(second);
      for (let n = 1; n <= 6; n++) await publish(n % 2 ? city : second, abnormal(p3, n));
      const jobs = (await call(second, 'GET', '/api/admin/sync', keys.admin)).jobs as {
        name: string;
        holder: string;
        thisInstance: boolean;
      }[];
      const relayLease = jobs.find((j) => j.name === 'sync-relay')!;
      expect(relayLease).toBeDefined();
      // Kill whichever instance holds the relay's lease, and keep publishing on the other.
      const [holder, survivor] = relayLease.thisInstance ? [second, city] : [city, second];
      await holder.stop('SIGKILL');
      for (let n = 7; n <= 9; n++) await publish(survivor, abnormal(p3, n));
      await eventually(
        'the survivor to take the relay over and drain the backlog',
        async () => (await status(survivor)).backlog === 0,
        2 * MINUTES,
        500,
      );
      const after = (await call(survivor, 'GET', '/api/admin/sync', keys.admin)).jobs.find(
        (j: { name: string }) => j.name === 'sync-relay',
      );
      expect(after).toMatchObject({ thisInstance: true });
      city = survivor;
    },
    5 * MINUTES,
  );

  it(
    'ends with every notice at the province and in the consumer exactly once, and nothing parked',
    async () => {
      await eventually(
        'the city to have delivered everything',
        async () => {
          const s = await status(city);
          return s.backlog === 0 && s.parked === 0;
        },
        2 * MINUTES,
        500,
      );
      const expected = [...published].sort();
      const atProvince = await eventually(
        'the province to have every notice',
        async () => {
          const { items } = await crawl(province);
          return items.length >= expected.length ? items : undefined;
        },
        MINUTES,
      );
      const atConsumer = await eventually(
        'the consumer to have every notice',
        async () => {
          const { items } = await crawl(consumer);
          return items.length >= expected.length ? items : undefined;
        },
        MINUTES,
      );
      await sleep(1000); // a late duplicate would show up by now
      for (const items of [atProvince, atConsumer, (await crawl(province)).items, (await crawl(consumer)).items]) {
        expect(idsOf(items).sort()).toEqual(expected);
      }
      for (const id of expected) {
        const original = await call(city, 'GET', `/api/v1/notices/${id}`);
        for (const app of [province, consumer]) {
          expect(await call(app, 'GET', `/api/v1/notices/${id}`)).toMatchObject({
            id,
            sourcePlatform: 'DL2102',
            contentHash: original.contentHash,
            withdrawn: original.withdrawn ? expect.anything() : null,
          });
        }
      }
      expect(await status(city)).toMatchObject({ parked: 0, backlog: 0 });
    },
    5 * MINUTES,
  );
});

/** Staff and API keys in the city's database, made by booting the app in-process once before the processes start. */
async function staffKeys(databaseUrl: string): Promise<Keys> {
  const app = await createApp(
    loadConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', SEED_DEMO: 'false', JOBS_ENABLED: 'false' }),
  );
  try {
    const users = app.get(StaffUsersService);
    const apiKeys = app.get(ApiKeysService);
    const keys = {} as Keys;
    for (const role of ['clerk', 'reviewer', 'admin'] as const) {
      const user = await users.createUser(SYSTEM_ACTOR, {
        username: `sync-${role}`,
        displayName: `同步测试${role}`,
        role,
        password: STAFF_TEST_PASSWORD,
      });
      keys[role] = (await apiKeys.createApiKey(SYSTEM_ACTOR, user.id, 'sync e2e')).key;
    }
    return keys;
  } finally {
    await app.close();
  }
}
