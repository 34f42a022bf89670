import { SecondFactorService } from '../src/auth/second-factor.service.js';
import { SYSTEM_ACTOR } from '../src/auth/actor.js';
import { totp } from '../src/auth/totp.js';
import { adminBrowser, adminSignIn, text } from './support/admin-pages.js';
import { createStaff, signIn } from './support/staff.js';
import { FixedClock, startTestApp, TestApp } from './support/test-app.js';

describe('back office: signing in and out, throttling, password, two-factor sign-in', () => {
  let t: TestApp;
  // 2025-06-02 09:00 China time
  const clock = new FixedClock(new Date('2025-06-02T01:00:00Z'));

  beforeAll(async () => {
    t = await startTestApp({
      clock,
      env: { LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', LOGIN_MAX_FAILURES_PER_IP: '8', LOGIN_LOCKOUT_MINUTES: '15' },
    });
  });
  afterAll(() => t.close());

  it('sends anonymous visitors of any /admin page to the login page with a local way back', async () => {
    for (const path of ['/admin', '/admin/notices?status=draft', '/admin/users', '/admin/no-such-page']) {
      const res = await t.http().get(path).expect(303);
      expect(res.headers.location).toBe(
        path === '/admin' ? '/admin/login' : `/admin/login?next=${encodeURIComponent(path)}`,
      );
    }
    const form = await t.http().post('/admin/notices').type('form').send('title=x').expect(303);
    expect(form.headers.location).toBe('/admin/login');
    const page = await t.http().get('/admin/login?next=/admin/users').expect(200);
    expect(page.text).toContain('工作人员登录');
    expect(page.text).toContain('name="next" value="/admin/users"');
    expect(page.headers['cache-control']).toBe('no-store');
  });

  it('signs in with a form, sets the session cookie as the API does, and returns to the requested page', async () => {
    const u = await createStaff(t, 'admin');
    const b = adminBrowser(t);
    await b.get('/admin/login?next=%2Fadmin%2Fusers');
    const res = await b
      .post('/admin/login', { username: u.username.toUpperCase(), password: u.password, next: '/admin/users' })
      .then((r) => r);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/users');
    const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('ggzy_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const users = await b.get('/admin/users');
    expect(users.status).toBe(200);
    expect(users.text).toContain(u.username);
  });

  it.each([
    'https://evil.example/',
    '//evil.example/admin',
    '/\\evil.example',
    '/notices',
    'javascript:alert(1)',
    '/admin/login',
  ])('never returns to %p after signing in', async (next) => {
    const u = await createStaff(t, 'clerk');
    const b = adminBrowser(t);
    await b.get('/admin/login');
    const res = await b.post('/admin/login', { username: u.username, password: u.password, next });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin');
  });

  it('refuses a login form without its token (login CSRF) with a 403 in Chinese', async () => {
    const u = await createStaff(t, 'clerk');
    const res = await t
      .http()
      .post('/admin/login')
      .type('form')
      .send({ username: u.username, password: u.password })
      .expect(403);
    expect(res.text).toContain('登录表单已过期或缺少安全令牌');
    expect(res.headers['set-cookie']?.toString() ?? '').not.toMatch(/ggzy_session=[A-Za-z0-9]/);
  });

  it('says the same for a wrong password and an unknown user, and keeps what was typed', async () => {
    const u = await createStaff(t, 'clerk');
    for (const username of [u.username, 'nobody-at-all']) {
      const b = adminBrowser(t);
      await b.get('/admin/login');
      const res = await b.post('/admin/login', { username, password: 'wrong-password-1' });
      expect(res.status).toBe(401);
      expect(res.text).toContain('用户名或密码错误');
      expect(res.text).toContain(`value="${username}"`);
    }
  });

  it('locks an account after repeated failures, across the API and the form, and says when to retry', async () => {
    const u = await createStaff(t, 'clerk');
    const b = adminBrowser(t);
    await b.get('/admin/login');
    await b
      .post('/admin/login', { username: u.username, password: 'wrong-password-1' })
      .then((r) => expect(r.status).toBe(401));
    await t.http().post('/api/admin/session').send({ username: u.username, password: 'wrong-password-2' }).expect(401);
    const third = await b.post('/admin/login', { username: u.username, password: 'wrong-password-3' });
    expect(third.status).toBe(429);
    expect(text(third.text)).toContain('登录失败次数过多，已暂时锁定。请于 2025-06-02 09:15（北京时间）之后再试。');
    // Locked: even the right password is refused, on both doors, with Retry-After.
    const api = await t
      .http()
      .post('/api/admin/session')
      .send({ username: u.username, password: u.password })
      .expect(429);
    expect(api.headers['retry-after']).toBe('900');
    expect(api.body.message).toContain('2025-06-02 09:15');
    expect((await b.post('/admin/login', { username: u.username, password: u.password })).status).toBe(429);
    clock.advance(15 * 60_000);
    await signIn(t, u.username, u.password);
    // Every failed attempt is in the audit log under the name that was tried, the one that locked marked so.
    const admin = await createStaff(t, 'admin');
    const asAdmin = await signIn(t, admin.username, admin.password);
    const audit = await asAdmin.get(`/api/admin/audit?entityType=staff_user&entityId=${u.id}&limit=20`).expect(200);
    const failures = audit.body.items.filter((a: { action: string }) => a.action.startsWith('auth.login-'));
    expect(failures.map((a: { action: string }) => a.action)).toEqual([
      'auth.login-locked',
      'auth.login-failed',
      'auth.login-failed',
    ]);
    expect(failures[2]).toMatchObject({
      actor: { id: null, username: u.username },
      via: 'sign-in',
      after: { failed: 'password', lockedUntil: null },
    });
    expect(failures[0].after).toEqual({ failed: 'password', lockedUntil: '2025-06-02T01:15:00.000Z' });
    // An unknown name is recorded as tried, without pretending a user exists.
    await t
      .http()
      .post('/api/admin/session')
      .send({ username: 'no-such-user', password: 'wrong-password-9' })
      .expect(401);
    const unknown = await asAdmin.get('/api/admin/audit?action=auth.login-failed&entityId=no-such-user').expect(200);
    expect(unknown.body.items[0]).toMatchObject({
      actor: { id: null, username: 'no-such-user' },
      after: { failed: 'unknown-user' },
    });
  });

  it('counts failures per address too, whatever account they try', async () => {
    const behind = await startTestApp({ clock, env: { TRUST_PROXY: '1', LOGIN_MAX_FAILURES_PER_IP: '4' } });
    try {
      const u = await createStaff(behind, 'clerk');
      const from = (ip: string, username: string, password: string) =>
        behind.http().post('/api/admin/session').set('X-Forwarded-For', ip).send({ username, password });
      for (let i = 0; i < 3; i++) expect((await from('203.0.113.7', `guess${i}`, 'wrong-password-1')).status).toBe(401);
      expect((await from('203.0.113.7', 'guess9', 'wrong-password-1')).status).toBe(429);
      expect((await from('203.0.113.7', u.username, u.password)).status).toBe(429);
      expect((await from('198.51.100.2', u.username, u.password)).status).toBe(200);
    } finally {
      await behind.close();
    }
  });

  it('signs out with a form (CSRF-checked) and the session is gone', async () => {
    const u = await createStaff(t, 'reviewer');
    const b = await adminSignIn(t, u.username, u.password);
    const noToken = await b.post('/admin/logout', { _csrf: '' });
    expect(noToken.status).toBe(403);
    expect(noToken.text).toContain('缺少或无效的 CSRF 令牌');
    const out = await b.post('/admin/logout');
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/admin/login?done=logged-out');
    expect((await b.get('/admin')).status).toBe(303);
  });

  it('changes the password on its page, with Chinese field errors', async () => {
    const u = await createStaff(t, 'clerk');
    const b = await adminSignIn(t, u.username, u.password);
    const wrong = await b.post('/admin/account/password', {
      currentPassword: 'not-it-at-all',
      newPassword: 'A-new-password-42',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('当前密码不正确');
    const weak = await b.post('/admin/account/password', { currentPassword: u.password, newPassword: 'short' });
    expect(weak.text).toContain('密码至少需要 10 个字符');
    const ok = await b.post('/admin/account/password', {
      currentPassword: u.password,
      newPassword: 'A-new-password-42',
    });
    expect(ok.status).toBe(303);
    expect((await b.get(ok.headers.location)).text).toContain('密码已修改');
    await signIn(t, u.username, 'A-new-password-42');
  });

  describe('two-factor sign-in (TOTP)', () => {
    async function enrol(username: string, password: string) {
      const b = await adminSignIn(t, username, password);
      const page = await b.get('/admin/account/2fa');
      const secret = /id="totp-secret">([A-Z2-7 ]+)</.exec(page.text)![1].replace(/ /g, '');
      expect(text(page.text)).toContain(`otpauth://totp/`);
      expect(text(page.text)).toContain(`secret=${secret}`);
      expect(page.text).toMatch(/<svg class="qr" role="img"/);
      const bad = await b.post('/admin/account/2fa/confirm', {
        code: '000000' === totp(secret, clock.now()) ? '111111' : '000000',
      });
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('验证码不正确');
      const ok = await b.post('/admin/account/2fa/confirm', { code: totp(secret, clock.now()) });
      expect(ok.status).toBe(303);
      return { b, secret };
    }

    it('enrols with the secret shown, then asks for a code at login (each code only once)', async () => {
      const u = await createStaff(t, 'clerk');
      const { secret } = await enrol(u.username, u.password);
      clock.advance(30_000);
      const b = adminBrowser(t);
      await b.get('/admin/login');
      const step1 = await b.post('/admin/login', {
        username: u.username,
        password: u.password,
        next: '/admin/notices',
      });
      expect(step1.status).toBe(303);
      expect(step1.headers.location).toBe('/admin/login/2fa?next=%2Fadmin%2Fnotices');
      expect(b.cookies.has('ggzy_session')).toBe(false);
      await b.get(step1.headers.location);
      const wrong = await b.post('/admin/login/2fa', { code: '12345', next: '/admin/notices' });
      expect(wrong.status).toBe(401);
      expect(wrong.text).toContain('两步验证码不正确');
      const code = totp(secret, clock.now());
      const ok = await b.post('/admin/login/2fa', { code, next: '/admin/notices' });
      expect(ok.status).toBe(303);
      expect(ok.headers.location).toBe('/admin/notices');
      expect((await b.get('/admin/notices')).status).toBe(200);
      // The same code again (a replay) fails, on the API too; the API wants the code with the password.
      expect(
        (await t.http().post('/api/admin/session').send({ username: u.username, password: u.password })).body.error,
      ).toBe('auth.totp-required');
      expect(
        (await t.http().post('/api/admin/session').send({ username: u.username, password: u.password, totpCode: code }))
          .status,
      ).toBe(401);
      clock.advance(30_000);
      await t
        .http()
        .post('/api/admin/session')
        .send({ username: u.username, password: u.password, totpCode: totp(secret, clock.now()) })
        .expect(200);
    });

    it('cannot be skipped: the code page needs the password step first', async () => {
      const b = adminBrowser(t);
      await b.get('/admin/login');
      expect((await b.get('/admin/login/2fa')).headers.location).toBe('/admin/login');
      const res = await b.post('/admin/login/2fa', { code: '123456' });
      expect(res.status).toBe(401);
      expect(res.text).toContain('两步验证已超时');
    });

    it('when an administrator makes it mandatory, sends users without it to enrolment and closes everything else', async () => {
      const admin = await createStaff(t, 'admin');
      const clerk = await createStaff(t, 'clerk');
      const { b: a } = await enrol(admin.username, admin.password);
      const set = await a.post('/admin/settings/2fa', { required: 'true' });
      expect(set.status).toBe(303);
      try {
        const b = adminBrowser(t);
        await b.get('/admin/login');
        const login = await b.post('/admin/login', {
          username: clerk.username,
          password: clerk.password,
          next: '/admin/notices',
        });
        expect(login.headers.location).toBe('/admin/account/2fa');
        const notices = await b.get('/admin/notices');
        expect(notices.status).toBe(303);
        expect(notices.headers.location).toBe('/admin/account/2fa');
        const enrolPage = await b.get('/admin/account/2fa');
        expect(enrolPage.text).toContain('管理员已要求所有工作人员启用两步验证');
        // The JSON API refuses the session too, until enrolment.
        const api = await t
          .http()
          .get('/api/admin/notices')
          .set('Cookie', `ggzy_session=${b.cookies.get('ggzy_session')}`)
          .expect(403);
        expect(api.body.error).toBe('auth.enrol-totp');
        const secret = /id="totp-secret">([A-Z2-7 ]+)</.exec(enrolPage.text)![1].replace(/ /g, '');
        clock.advance(30_000);
        expect((await b.post('/admin/account/2fa/confirm', { code: totp(secret, clock.now()) })).status).toBe(303);
        expect((await b.get('/admin/notices')).status).toBe(200);
        // The administrator resets a lost phone; the audit log has both changes.
        const users = await a.get('/admin/users');
        expect(users.text).toContain('必须启用两步验证');
        const audit = await a.get('/admin/audit?action=setting.update');
        expect(audit.text).toContain('staff.totp-required');
        const row = new RegExp(
          `<td class="code">${clerk.username}</td>.*?<td>已启用</td><td><a href="(/admin/users/\\d+)"`,
        ).exec(users.text)!;
        expect((await a.post(`${row[1]}/2fa-reset`)).status).toBe(303);
        expect((await a.get('/admin/audit?action=staff-user.totp-disable')).text).toContain('staff-user.totp-disable');
        // Still mandatory: the clerk is sent to enrol again.
        expect((await b.get('/admin/notices')).headers.location).toBe('/admin/account/2fa');
      } finally {
        await t.app.get(SecondFactorService).setRequired(SYSTEM_ACTOR, false);
      }
    });
  });
});
