import { createApp } from '../src/app.js';
import { SYSTEM_ACTOR } from '../src/auth/actor.js';
import { StaffUsersService } from '../src/auth/staff-users.service.js';
import { loadConfig } from '../src/config/config.js';
import { eventually, startAppProcess, stopAllProcesses, type AppProcess } from './support/process.js';
import { STAFF_TEST_PASSWORD } from './support/staff.js';
import { freshDatabase, isMysql } from './support/test-app.js';

const MINUTES = 60_000;

interface LogLine {
  level: string;
  time: string;
  msg: string;
  requestId?: string;
  req?: { method: string; url: string; remoteAddress: string | null };
  res?: { statusCode: number };
  context?: string;
}

/** What the operator's collector reads: the process's output, one JSON object per line. */
function jsonLines(app: AppProcess): LogLine[] {
  return app
    .output()
    .split('\n')
    .map((l) => l.replace(/^\[[^\]]+\] /, ''))
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as LogLine);
}

describe(`access log: JSON lines with request ids, no secrets${isMysql() ? ' (MariaDB)' : ' (SQLite)'}`, () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let app: AppProcess;
  const username = 'log-admin';

  beforeAll(async () => {
    db = await freshDatabase();
    const setup = await createApp(
      loadConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'silent', SEED_DEMO: 'false', JOBS_ENABLED: 'false' }),
    );
    try {
      await setup
        .get(StaffUsersService)
        .createUser(SYSTEM_ACTOR, { username, displayName: '日志测试', role: 'admin', password: STAFF_TEST_PASSWORD });
    } finally {
      await setup.close();
    }
    app = await startAppProcess('log', {
      DATABASE_URL: db.url,
      LOG_LEVEL: 'info',
      TRUST_PROXY: '1',
      JOBS_ENABLED: 'false',
    });
  }, 3 * MINUTES);

  afterAll(async () => {
    await stopAllProcesses();
    await db?.drop();
  }, MINUTES);

  it(
    'logs every request once with the id the response and its error body carry, and keeps secrets out',
    async () => {
      const get = (path: string, headers: Record<string, string> = {}) =>
        fetch(`${app.url}${path}`, { headers, redirect: 'manual' });
      const secrets: string[] = [];

      // A 404 in JSON: the body's requestId is the X-Request-Id header and the logged one.
      const missing = await get('/api/v1/notices/NO-SUCH-NOTICE');
      expect(missing.status).toBe(404);
      const missingBody = (await missing.json()) as { requestId: string };
      expect(missingBody.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(missing.headers.get('x-request-id')).toBe(missingBody.requestId);

      // A proxy's own id is kept when it looks like one; the Chinese error page shows it.
      const page = await get('/no-such-page', { 'X-Request-Id': 'edge-7f3a9c01' });
      expect(page.status).toBe(404);
      expect(page.headers.get('x-request-id')).toBe('edge-7f3a9c01');
      expect(await page.text()).toContain('请求编号：<code>edge-7f3a9c01</code>');
      // Anything else is replaced.
      const forged = await get('/health', { 'X-Request-Id': 'x'.repeat(65) });
      expect(forged.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

      // Signing in: the password, the session cookie and the CSRF token are secrets.
      const login = await fetch(`${app.url}/api/admin/session`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': '198.51.100.1, 203.0.113.5' },
        body: JSON.stringify({ username, password: STAFF_TEST_PASSWORD }),
      });
      expect(login.status).toBe(200);
      const session = /ggzy_session=([^;]+)/.exec(login.headers.get('set-cookie')!)![1];
      const { csrfToken } = (await login.json()) as { csrfToken: string };
      secrets.push(STAFF_TEST_PASSWORD, session, csrfToken);
      const staff = { Cookie: `ggzy_session=${session}`, 'X-CSRF-Token': csrfToken };
      const audit = await get(`/api/admin/audit?action=auth.login&limit=1`, staff);
      expect(audit.status).toBe(200);
      const [loginEntry] = ((await audit.json()) as { items: { requestId: string; ip: string }[] }).items;
      // The audit entry names the request that signed in, and the address the proxy saw.
      expect(loginEntry).toMatchObject({ requestId: login.headers.get('x-request-id'), ip: '203.0.113.5' });

      // Credentials in headers, private tokens in paths and query strings.
      const bearer = 'ggzy_key_SECRET0123456789abcdef';
      const signature = 'sha256=SECRETsignature0123456789';
      const pathToken = 'PATHTOKEN0123456789';
      const queryToken = 'QUERYTOKEN0123456789';
      secrets.push(bearer, signature, pathToken, queryToken);
      expect((await get('/api/admin/session', { Authorization: `Bearer ${bearer}` })).status).toBe(401);
      const ingest = await fetch(`${app.url}/api/v1/ingest`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Signature': signature, 'X-Key-Id': 'nobody' },
        body: '{}',
      });
      expect(ingest.status).toBeGreaterThanOrEqual(400);
      expect((await get(`/alerts/confirm/${pathToken}`)).status).toBe(404);
      await get(`/api/v1/notices?token=${queryToken}&limit=1`);

      const lines = await eventually(
        'the access log line of the last request',
        async () => {
          const all = jsonLines(app);
          return all.some((l) => l.req?.url.startsWith('/api/v1/notices?token=')) && all;
        },
        10_000,
      );
      const access = lines.filter((l) => l.req && l.res);

      const logged = access.find((l) => l.requestId === missingBody.requestId)!;
      expect(logged).toMatchObject({
        level: 'info',
        req: { method: 'GET', url: '/api/v1/notices/NO-SUCH-NOTICE' },
        res: { statusCode: 404 },
      });
      expect(Date.parse(logged.time)).not.toBeNaN();
      expect(access.filter((l) => l.requestId === 'edge-7f3a9c01')).toHaveLength(1);
      expect(access.find((l) => l.requestId === login.headers.get('x-request-id'))).toMatchObject({
        req: { method: 'POST', url: '/api/admin/session', remoteAddress: '203.0.113.5' },
        res: { statusCode: 200 },
      });
      expect(access.map((l) => l.req!.url)).toEqual(
        expect.arrayContaining([
          '/alerts/confirm/[redacted]',
          '/api/v1/notices?token=[redacted]&limit=1',
          '/api/admin/audit?action=auth.login&limit=1',
        ]),
      );
      // Nest's own lines are JSON too.
      expect(lines.some((l) => l.context === 'main' && l.msg.includes('listening on'))).toBe(true);

      const output = app.output();
      for (const secret of secrets) expect(output).not.toContain(secret);
      expect(output).not.toMatch(/cookie|authorization|x-signature/i);
    },
    2 * MINUTES,
  );

  it(
    'honours LOG_LEVEL: at warn, ordinary requests are not logged',
    async () => {
      await app.stop();
      app = await startAppProcess('quiet', { DATABASE_URL: db.url, LOG_LEVEL: 'warn', JOBS_ENABLED: 'false' });
      const res = await fetch(`${app.url}/api/v1/notices/NO-SUCH-NOTICE`);
      expect(res.status).toBe(404);
      await new Promise((r) => setTimeout(r, 300));
      expect(jsonLines(app).filter((l) => l.req)).toEqual([]);
      expect(jsonLines(app).filter((l) => l.level === 'info')).toEqual([]);
    },
    2 * MINUTES,
  );
});
