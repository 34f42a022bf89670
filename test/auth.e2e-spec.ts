import { StaffUsersService } from '../src/auth/staff-users.service.js';
import { SYSTEM_ACTOR } from '../src/auth/actor.js';
import { apiKeyClient, createStaff, signIn, STAFF_TEST_PASSWORD, StaffClient } from './support/staff.js';
import { FixedClock, startTestApp, TestApp } from './support/test-app.js';

const MINUTE = 60_000;
// Every error body carries the request's id (X-Request-Id), as the access log does.
const requestId = expect.stringMatching(/^[0-9a-f-]{36}$/);
const UNAUTHENTICATED = { statusCode: 401, error: 'auth.unauthenticated', message: '请先登录', requestId };
const FORBIDDEN = { statusCode: 403, error: 'auth.forbidden', message: '您的角色无权执行此操作', requestId };
const BAD_LOGIN = { statusCode: 401, error: 'auth.unauthenticated', message: '用户名或密码错误', requestId };

type Staff = { id: number; username: string; password: string };

describe('staff authentication and administration (/api/admin)', () => {
  let t: TestApp;
  // 2025-06-01 10:00 China time
  const clock = new FixedClock(new Date('2025-06-01T02:00:00Z'));
  let admin: Staff, clerk: Staff, reviewer: Staff;
  let asAdmin: StaffClient;

  beforeAll(async () => {
    t = await startTestApp({ clock });
    admin = await createStaff(t, 'admin', 'chief');
    clerk = await createStaff(t, 'clerk');
    reviewer = await createStaff(t, 'reviewer');
    asAdmin = await signIn(t, admin.username, admin.password);
  });
  afterAll(() => t.close());

  describe('signing in', () => {
    it('returns the user and a CSRF token and sets an HttpOnly, SameSite=Lax session cookie', async () => {
      const res = await t
        .http()
        .post('/api/admin/session')
        .send({ username: clerk.username, password: clerk.password })
        .expect(200);
      expect(res.body).toEqual({
        user: { id: clerk.id, username: clerk.username, displayName: expect.any(String), role: 'clerk' },
        csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      });
      const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('ggzy_session='))!;
      expect(cookie).toMatch(/^ggzy_session=[A-Za-z0-9_-]{43};/);
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; SameSite=Lax/);
      expect(cookie).toMatch(/; Path=\//);
      expect(cookie).not.toMatch(/Secure/);
    });

    it('accepts the username in any letter case', async () => {
      await t
        .http()
        .post('/api/admin/session')
        .send({ username: clerk.username.toUpperCase(), password: clerk.password })
        .expect(200);
    });

    it('gives one answer for a wrong password, an unknown user and a disabled user', async () => {
      const disabled = await createStaff(t, 'clerk');
      await asAdmin.patch(`/api/admin/users/${disabled.id}`).send({ active: false }).expect(200);
      for (const body of [
        { username: clerk.username, password: 'wrong-password-123' },
        { username: 'nobody-here', password: 'wrong-password-123' },
        { username: disabled.username, password: disabled.password },
      ]) {
        const res = await t.http().post('/api/admin/session').send(body).expect(401);
        expect(res.body).toEqual(BAD_LOGIN);
        expect(res.headers['set-cookie']).toBeUndefined();
      }
    });

    it('refuses malformed bodies with 400 and Chinese field messages, never 500', async () => {
      const missing = await t.http().post('/api/admin/session').send({ username: 'x' }).expect(400);
      expect(missing.body.errors).toContainEqual({
        field: 'password',
        message: expect.stringMatching(/[\u4e00-\u9fa5]/),
      });
      const extra = await t
        .http()
        .post('/api/admin/session')
        .send({ username: 'x', password: 'y', admin: true })
        .expect(400);
      expect(extra.body.errors).toContainEqual({ field: 'admin', message: '不允许的字段' });
      await t
        .http()
        .post('/api/admin/session')
        .send({ username: ['a'], password: 5 })
        .expect(400);
      await t
        .http()
        .post('/api/admin/session')
        .set('Content-Type', 'application/json')
        .send('{"username":')
        .expect(400);
    });

    it('marks the cookie Secure when the request came over HTTPS (behind a trusted proxy)', async () => {
      const behindProxy = await startTestApp({ env: { TRUST_PROXY: '1' } });
      try {
        const u = await createStaff(behindProxy, 'clerk');
        const res = await behindProxy
          .http()
          .post('/api/admin/session')
          .set('X-Forwarded-Proto', 'https')
          .send({ username: u.username, password: u.password })
          .expect(200);
        expect((res.headers['set-cookie'] as unknown as string[])[0]).toMatch(/; Secure/);
      } finally {
        await behindProxy.close();
      }
    });
  });

  describe('sessions', () => {
    it('tells the signed-in user who they are, and anonymous callers to sign in', async () => {
      const me = await (await signIn(t, reviewer.username, reviewer.password)).get('/api/admin/session').expect(200);
      expect(me.body).toMatchObject({
        user: { id: reviewer.id, username: reviewer.username, role: 'reviewer' },
        via: 'session',
        csrfToken: expect.any(String),
      });
      const anonymous = await t.http().get('/api/admin/session').expect(401);
      expect(anonymous.body).toEqual(UNAUTHENTICATED);
      await t.http().get('/api/admin/session').set('Cookie', 'ggzy_session=forged-token').expect(401);
    });

    it('expires after the configured idle time, sliding while in use', async () => {
      const ttl = t.config.sessionTtlMinutes * MINUTE;
      const s = await signIn(t, clerk.username, clerk.password);
      clock.advance(ttl - MINUTE);
      await s.get('/api/admin/session').expect(200);
      clock.advance(ttl - MINUTE); // still alive: the last request moved the expiry
      await s.get('/api/admin/session').expect(200);
      clock.advance(ttl + MINUTE);
      expect((await s.get('/api/admin/session').expect(401)).body).toEqual(UNAUTHENTICATED);
      asAdmin = await signIn(t, admin.username, admin.password);
    });

    it('ends on logout and clears the cookie', async () => {
      const s = await signIn(t, clerk.username, clerk.password);
      const res = await s.delete('/api/admin/session').expect(204);
      expect((res.headers['set-cookie'] as unknown as string[])[0]).toMatch(
        /^ggzy_session=;.*Expires=Thu, 01 Jan 1970/,
      );
      await s.get('/api/admin/session').expect(401);
    });

    it('requires the CSRF token on unsafe requests made with the cookie', async () => {
      const s = await signIn(t, clerk.username, clerk.password);
      const cookie = s.headers.Cookie;
      const noToken = await t.http().delete('/api/admin/session').set('Cookie', cookie).expect(403);
      expect(noToken.body).toEqual({
        statusCode: 403,
        error: 'auth.csrf',
        message: '缺少或无效的 CSRF 令牌',
        requestId,
      });
      await t.http().delete('/api/admin/session').set('Cookie', cookie).set('X-CSRF-Token', 'x'.repeat(43)).expect(403);
      await s.get('/api/admin/session').expect(200); // the refused logout did nothing
      await s.delete('/api/admin/session').expect(204);
    });
  });

  describe('roles', () => {
    it('refuses staff management to clerks and reviewers (403) and to anonymous callers (401)', async () => {
      const asClerk = await signIn(t, clerk.username, clerk.password);
      const asReviewer = await signIn(t, reviewer.username, reviewer.password);
      for (const [method, path] of [
        ['get', '/api/admin/users'],
        ['post', '/api/admin/users'],
        ['patch', `/api/admin/users/${clerk.id}`],
        ['get', '/api/admin/api-keys'],
        ['post', '/api/admin/api-keys'],
        ['delete', '/api/admin/api-keys/1'],
        ['get', '/api/admin/audit'],
      ] as const) {
        expect((await asClerk[method](path).send({})).body).toEqual(FORBIDDEN);
        expect((await asReviewer[method](path).send({})).status).toBe(403);
        expect((await t.http()[method](path).send({})).body).toEqual(UNAUTHENTICATED);
      }
      await asAdmin.get('/api/admin/users').expect(200);
    });

    it('keeps at least one active administrator', async () => {
      const res = await asAdmin.patch(`/api/admin/users/${admin.id}`).send({ role: 'clerk' }).expect(409);
      expect(res.body.message).toBe('至少需要保留一个启用的管理员账号');
      await asAdmin.patch(`/api/admin/users/${admin.id}`).send({ active: false }).expect(409);
    });

    it('answers every route under /api/admin with 401 to anonymous callers, except signing in', async () => {
      const stack = (
        t.app.getHttpAdapter().getInstance() as {
          router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
        }
      ).router.stack;
      const routes = stack.flatMap((layer) =>
        layer.route && /^\/api\/admin(\/|$)/.test(layer.route.path)
          ? Object.keys(layer.route.methods)
              .filter((m) => m !== '_all')
              .map((m) => [m, layer.route!.path] as const)
          : [],
      );
      expect(routes.length).toBeGreaterThanOrEqual(10);
      const open = routes.filter(([m, p]) => !(m === 'post' && p === '/api/admin/session'));
      for (const [method, path] of open) {
        const url = path.replace(/:[A-Za-z_]+/g, '1');
        const http = t.http() as unknown as Record<string, (u: string) => import('supertest').Test>;
        const res = await http[method](url).send({});
        expect({ route: `${method.toUpperCase()} ${path}`, status: res.status, body: res.body }).toEqual({
          route: `${method.toUpperCase()} ${path}`,
          status: 401,
          body: UNAUTHENTICATED,
        });
      }
    });
  });

  describe('staff accounts', () => {
    it('creates a user without ever returning the password hash, and records it in the audit log', async () => {
      const res = await asAdmin
        .post('/api/admin/users')
        .send({ username: 'Wang.Fang', displayName: '王芳', role: 'clerk', password: 'Spring-rain-2025' })
        .expect(201);
      expect(res.body).toEqual({
        id: expect.any(Number),
        username: 'wang.fang',
        displayName: '王芳',
        role: 'clerk',
        active: true,
        createdAt: expect.stringMatching(/^2025-06-02T\d\d:\d\d:\d\d\+08:00$/),
        updatedAt: expect.any(String),
      });
      const list = await asAdmin.get('/api/admin/users').expect(200);
      expect(list.body.items.map((u: { username: string }) => u.username)).toContain('wang.fang');
      expect(JSON.stringify(list.body)).not.toMatch(/argon2|passwordHash|password/i);

      const audit = await asAdmin.get(`/api/admin/audit?action=staff-user.create&entityId=${res.body.id}`).expect(200);
      expect(audit.body.items).toHaveLength(1);
      expect(audit.body.items[0]).toMatchObject({
        actor: { id: admin.id, username: admin.username },
        via: 'session',
        entityType: 'staff_user',
        before: null,
        after: { username: 'wang.fang', role: 'clerk', displayName: '王芳' },
      });
      expect(JSON.stringify(audit.body)).not.toMatch(/argon2|passwordHash|Spring-rain/);
      await signIn(t, 'wang.fang', 'Spring-rain-2025');
    });

    it('refuses a taken username (409), a bad username, a weak password and an unknown role (400)', async () => {
      const taken = await asAdmin
        .post('/api/admin/users')
        .send({ username: 'WANG.FANG', displayName: '另一个王芳', role: 'clerk', password: 'Spring-rain-2025' })
        .expect(409);
      expect(taken.body.errors).toEqual([{ field: 'username', message: '用户名已被使用' }]);
      const bad = await asAdmin
        .post('/api/admin/users')
        .send({ username: '王 芳', displayName: '王芳', role: 'boss', password: 'short' })
        .expect(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['role']);
      const weak = await asAdmin
        .post('/api/admin/users')
        .send({ username: '王 芳', displayName: '王芳', role: 'clerk', password: 'short' })
        .expect(400);
      expect(weak.body.errors).toEqual(
        expect.arrayContaining([
          { field: 'username', message: expect.stringContaining('用户名须为') },
          { field: 'password', message: '密码至少需要 10 个字符' },
        ]),
      );
    });

    it('changes a role with before and after in the audit log; unknown and malformed ids are 404 and 400', async () => {
      const u = await createStaff(t, 'clerk');
      const res = await asAdmin
        .patch(`/api/admin/users/${u.id}`)
        .send({ role: 'reviewer', displayName: '李审核' })
        .expect(200);
      expect(res.body).toMatchObject({ id: u.id, role: 'reviewer', displayName: '李审核' });
      const audit = await asAdmin
        .get(`/api/admin/audit?entityType=staff_user&entityId=${u.id}&action=staff-user.update`)
        .expect(200);
      expect(audit.body.items[0].before).toMatchObject({ role: 'clerk' });
      expect(audit.body.items[0].after).toMatchObject({ role: 'reviewer', displayName: '李审核' });
      expect((await asAdmin.patch('/api/admin/users/999999').send({ role: 'clerk' }).expect(404)).body.message).toBe(
        '用户不存在',
      );
      await asAdmin.patch('/api/admin/users/abc').send({ role: 'clerk' }).expect(400);
      await asAdmin.patch(`/api/admin/users/${u.id}`).send({ active: 'no' }).expect(400);
      await asAdmin.patch(`/api/admin/users/${u.id}`).send({ passwordHash: 'x' }).expect(400);
      expect((await asAdmin.patch(`/api/admin/users/${u.id}`).send({}).expect(400)).body.message).toBe(
        '请至少提供一个要修改的字段',
      );
    });

    it("ends a user's sessions when an administrator resets the password or disables the account", async () => {
      const u = await createStaff(t, 'clerk');
      const s = await signIn(t, u.username, u.password);
      await asAdmin.patch(`/api/admin/users/${u.id}`).send({ password: 'Brand-new-secret-1' }).expect(200);
      await s.get('/api/admin/session').expect(401);
      const again = await signIn(t, u.username, 'Brand-new-secret-1');
      await asAdmin.patch(`/api/admin/users/${u.id}`).send({ active: false }).expect(200);
      await again.get('/api/admin/session').expect(401);
      const audit = await asAdmin.get(`/api/admin/audit?entityId=${u.id}&action=staff-user.reset-password`).expect(200);
      expect(audit.body.items[0].after).toMatchObject({ passwordReset: true });
    });

    it('lets any staff member change their own password, ending their other sessions', async () => {
      const u = await createStaff(t, 'reviewer');
      const here = await signIn(t, u.username, u.password);
      const elsewhere = await signIn(t, u.username, u.password);
      const wrong = await here
        .post('/api/admin/session/password')
        .send({ currentPassword: 'not-my-password', newPassword: 'Autumn-leaves-2025' })
        .expect(400);
      expect(wrong.body.errors).toEqual([{ field: 'currentPassword', message: '当前密码不正确' }]);
      const weak = await here
        .post('/api/admin/session/password')
        .send({ currentPassword: u.password, newPassword: 'short' })
        .expect(400);
      expect(weak.body.errors).toEqual([{ field: 'newPassword', message: '密码至少需要 10 个字符' }]);
      await here
        .post('/api/admin/session/password')
        .send({ currentPassword: u.password, newPassword: 'Autumn-leaves-2025' })
        .expect(204);
      await here.get('/api/admin/session').expect(200);
      await elsewhere.get('/api/admin/session').expect(401);
      await t.http().post('/api/admin/session').send({ username: u.username, password: u.password }).expect(401);
      await signIn(t, u.username, 'Autumn-leaves-2025');
    });
  });

  describe('API keys', () => {
    it('are shown in plaintext once, act as their owner without CSRF, and stop working when revoked', async () => {
      const created = await asAdmin
        .post('/api/admin/api-keys')
        .send({ userId: admin.id, name: '电子交易系统' })
        .expect(201);
      const { id, key, prefix } = created.body;
      expect(key).toMatch(/^ggzy_[A-Za-z0-9_-]{43}$/);
      expect(prefix).toBe(key.slice(0, 12));
      const listed = await asAdmin.get('/api/admin/api-keys').expect(200);
      expect(listed.body.items.find((k: { id: number }) => k.id === id)).toMatchObject({
        userId: admin.id,
        username: admin.username,
        name: '电子交易系统',
        prefix,
        revokedAt: null,
      });
      expect(JSON.stringify(listed.body)).not.toContain(key);
      expect(JSON.stringify(listed.body)).not.toMatch(/keyHash/);

      const bearer = { Authorization: `Bearer ${key}` };
      const me = await t.http().get('/api/admin/session').set(bearer).expect(200);
      expect(me.body).toMatchObject({ user: { id: admin.id, role: 'admin' }, via: `api-key:${id}`, csrfToken: null });
      // No ambient credential, so no CSRF token is needed; the change is recorded as made through the key.
      const made = await t
        .http()
        .post('/api/admin/users')
        .set(bearer)
        .send({ username: 'via-key', displayName: '接口创建', role: 'clerk', password: 'Key-created-2025' })
        .expect(201);
      const audit = await asAdmin.get(`/api/admin/audit?entityId=${made.body.id}&entityType=staff_user`).expect(200);
      expect(audit.body.items[0]).toMatchObject({ actor: { username: admin.username }, via: `api-key:${id}` });

      await asAdmin
        .delete(`/api/admin/api-keys/${id}`)
        .expect(200)
        .expect((r) => expect(r.body.revokedAt).toEqual(expect.any(String)));
      expect((await t.http().get('/api/admin/session').set(bearer).expect(401)).body).toEqual(UNAUTHENTICATED);
      await asAdmin.delete('/api/admin/api-keys/999999').expect(404);
    });

    it("gives a clerk's key a clerk's rights, and refuses malformed or unknown keys even beside a valid cookie", async () => {
      const asClerkKey = await apiKeyClient(t, clerk.id);
      await asClerkKey.get('/api/admin/session').expect(200);
      await asClerkKey.get('/api/admin/users').expect(403);
      const cookie = asAdmin.headers.Cookie;
      await t
        .http()
        .get('/api/admin/users')
        .set('Cookie', cookie)
        .set('Authorization', `Bearer ggzy_${'A'.repeat(43)}`)
        .expect(401);
      await t.http().get('/api/admin/users').set('Authorization', 'Basic YWRtaW46YWRtaW4=').expect(401);
      await t.http().get('/api/admin/users').set('Authorization', 'Bearer').expect(401);
    });

    it('cannot be made for an unknown user or without a name', async () => {
      const res = await asAdmin.post('/api/admin/api-keys').send({ userId: 999999, name: 'x' }).expect(400);
      expect(res.body.errors).toEqual([{ field: 'userId', message: '用户不存在或已停用' }]);
      await asAdmin.post('/api/admin/api-keys').send({ userId: 'one', name: '' }).expect(400);
    });
  });

  describe('audit log', () => {
    it('filters by actor, action, entity and China-time dates, and pages by id', async () => {
      const service = t.app.get(StaffUsersService);
      clock.set(new Date('2025-07-10T15:59:00Z')); // 2025-07-10 23:59 China time
      const late = await service.createUser(SYSTEM_ACTOR, {
        username: 'late-night',
        displayName: '夜班',
        role: 'clerk',
        password: STAFF_TEST_PASSWORD,
      });
      clock.set(new Date('2025-07-10T16:01:00Z')); // already 2025-07-11 in China
      const early = await service.createUser(SYSTEM_ACTOR, {
        username: 'early-bird',
        displayName: '早班',
        role: 'clerk',
        password: STAFF_TEST_PASSWORD,
      });
      asAdmin = await signIn(t, admin.username, admin.password); // a month passed: the old session expired

      const onTenth = await asAdmin.get('/api/admin/audit?from=2025-07-10&to=2025-07-10').expect(200);
      expect(onTenth.body.items.map((a: { entityId: string }) => a.entityId)).toEqual([String(late.id)]);
      expect(onTenth.body.items[0]).toMatchObject({
        at: '2025-07-10T23:59:00+08:00',
        actor: { id: null, username: 'system' },
        via: 'system',
      });
      const fromEleventh = await asAdmin.get('/api/admin/audit?from=2025-07-11&action=staff-user.create').expect(200);
      expect(fromEleventh.body.items.map((a: { entityId: string }) => a.entityId)).toEqual([String(early.id)]);
      const bySystem = await asAdmin.get('/api/admin/audit?actor=system&entityType=staff_user').expect(200);
      expect(bySystem.body.items.every((a: { actor: { username: string } }) => a.actor.username === 'system')).toBe(
        true,
      );

      const first = await asAdmin.get('/api/admin/audit?limit=2').expect(200);
      expect(first.body.items).toHaveLength(2);
      expect(first.body.items[0].id).toBeGreaterThan(first.body.items[1].id);
      const second = await asAdmin.get(`/api/admin/audit?limit=2&before=${first.body.nextBefore}`).expect(200);
      expect(second.body.items[0].id).toBeLessThan(first.body.items[1].id);
      const all = await asAdmin.get('/api/admin/audit?limit=200').expect(200);
      expect(all.body.nextBefore).toBeNull();
    });

    it.each([
      ['from=2025-02-30', 'from'],
      ['to=20250101', 'to'],
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['limit=abc', 'limit'],
      ['before=-1', 'before'],
      ['actor=a&actor=b', 'actor'],
      ['colour=red', 'colour'],
      ['from=2025-07-11&to=2025-07-10', 'to'],
    ])('refuses the filter %s with 400', async (query, field) => {
      const res = await asAdmin.get(`/api/admin/audit?${query}`).expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(res.body.message).toMatch(/[\u4e00-\u9fa5]/);
    });
  });
});
