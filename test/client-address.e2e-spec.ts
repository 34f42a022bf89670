import { createStaff, signIn } from './support/staff.js';
import { FixedClock, startTestApp, type TestApp } from './support/test-app.js';

/**
 * The client address behind proxies (TRUST_PROXY). A client writes whatever X-Forwarded-For it likes; each proxy
 * appends the address it saw. Only the entries the trusted proxies added may be believed.
 */
describe('client address behind proxies: forged X-Forwarded-For entries change nothing', () => {
  const clock = new FixedClock(new Date('2025-06-02T01:00:00Z'));
  const signInFrom = (t: TestApp, forwardedFor: string, username: string, password: string) =>
    t.http().post('/api/admin/session').set('X-Forwarded-For', forwardedFor).send({ username, password });
  const auditedAddresses = async (t: TestApp, action: string) => {
    const admin = await createStaff(t, 'admin');
    const asAdmin = await signIn(t, admin.username, admin.password);
    const res = await asAdmin.get(`/api/admin/audit?action=${action}&limit=50`).expect(200);
    return res.body.items.map((a: { ip: string }) => a.ip);
  };

  describe('one proxy in front (TRUST_PROXY=1)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({
        clock,
        env: {
          TRUST_PROXY: '1',
          LOGIN_MAX_FAILURES_PER_IP: '4',
          LOGIN_MAX_FAILURES_PER_ACCOUNT: '100',
          RATE_LIMIT_API: '3',
        },
      });
    });
    afterAll(() => t.close());

    it('locks the address the proxy saw however the client varies the entries before it', async () => {
      const u = await createStaff(t, 'clerk');
      // The proxy appends 203.0.113.7; the client forges a new left-most entry (or several) on every attempt.
      for (let i = 0; i < 4; i++) {
        // the fourth failure is the one that locks
        expect(
          (await signInFrom(t, `198.51.100.${i}, 10.0.0.${i}, 203.0.113.7`, `guess${i}`, 'wrong-password-1')).status,
        ).toBe(i < 3 ? 401 : 429);
      }
      const locked = await signInFrom(t, '192.0.2.99, 203.0.113.7', u.username, u.password);
      expect(locked.status).toBe(429);
      expect(locked.body.message).toContain('登录失败次数过多');
      // Another client behind the same proxy is not locked, whatever it forges.
      expect((await signInFrom(t, '203.0.113.7, 198.51.100.50', u.username, u.password)).status).toBe(200);
      // The audit log names the address the proxy saw, never a forged one.
      const failed = await auditedAddresses(t, 'auth.login-failed');
      expect(failed).toHaveLength(3); // the fourth is auth.login-locked
      expect(new Set(failed)).toEqual(new Set(['203.0.113.7']));
    });

    it('counts the open-data rate limit per real address, not per forged entry', async () => {
      for (let i = 0; i < 3; i++)
        await t.http().get('/api/v1/notices').set('X-Forwarded-For', `198.51.100.${i}, 203.0.113.20`).expect(200);
      const limited = await t
        .http()
        .get('/api/v1/notices')
        .set('X-Forwarded-For', '198.51.100.200, 203.0.113.20')
        .expect(429);
      expect(limited.body).toMatchObject({ statusCode: 429, error: 'rate-limited' });
      await t.http().get('/api/v1/notices').set('X-Forwarded-For', '203.0.113.20, 203.0.113.21').expect(200);
    });
  });

  describe('a list of proxies (TRUST_PROXY=loopback,10.0.0.0/8)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({
        clock,
        env: {
          TRUST_PROXY: 'loopback,10.0.0.0/8',
          LOGIN_MAX_FAILURES_PER_IP: '3',
          LOGIN_MAX_FAILURES_PER_ACCOUNT: '100',
        },
      });
    });
    afterAll(() => t.close());

    it('takes the right-most address that is not one of the listed proxies', async () => {
      const u = await createStaff(t, 'clerk');
      // client (forges 10.0.0.8 and 192.0.2.x) → edge proxy 10.1.2.3 sees 203.0.113.9 → local proxy → portal
      for (let i = 0; i < 3; i++) {
        expect(
          (await signInFrom(t, `192.0.2.${i}, 10.0.0.8, 203.0.113.9, 10.1.2.3`, `guess${i}`, 'wrong-password-1'))
            .status,
        ).toBe(i < 2 ? 401 : 429);
      }
      expect((await signInFrom(t, '203.0.113.10, 203.0.113.9, 10.1.2.3', u.username, u.password)).status).toBe(429);
      expect((await signInFrom(t, '203.0.113.9, 203.0.113.10, 10.1.2.3', u.username, u.password)).status).toBe(200);
      expect(new Set(await auditedAddresses(t, 'auth.login-failed'))).toEqual(new Set(['203.0.113.9']));
    });
  });

  describe('no proxy (TRUST_PROXY unset)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ clock, env: { LOGIN_MAX_FAILURES_PER_IP: '2', LOGIN_MAX_FAILURES_PER_ACCOUNT: '100' } });
    });
    afterAll(() => t.close());

    it('ignores X-Forwarded-For altogether: the socket peer is the client', async () => {
      expect((await signInFrom(t, '203.0.113.1', 'guess1', 'wrong-password-1')).status).toBe(401);
      expect((await signInFrom(t, '203.0.113.2', 'guess2', 'wrong-password-1')).status).toBe(429);
      expect((await signInFrom(t, '203.0.113.77', 'guess9', 'wrong-password-1')).status).toBe(429);
    });
  });
});
