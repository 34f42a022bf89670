import { RequestMethod } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import type { Test } from 'supertest';
import { IS_PUBLIC, ROLES } from '../src/auth/decorators.js';
import type { StaffRole } from '../src/auth/staff-user.entity.js';
import { adminSignIn, AdminBrowser } from './support/admin-pages.js';
import { apiKeyClient, createStaff } from './support/staff.js';
import { startTestApp, TestApp } from './support/test-app.js';

type Declared = { roles?: StaffRole[]; isPublic?: boolean };
const ROLE_LIST: StaffRole[] = ['clerk', 'reviewer', 'admin'];

/** Every handler Nest knows, by "method path", with the roles and @Public its decorators declare. */
function declaredRoutes(t: TestApp): Map<string, Declared> {
  const routes = new Map<string, Declared>();
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const cls = wrapper.metatype as (new () => object) | null;
      if (!cls) continue;
      const base = [Reflect.getMetadata('path', cls)].flat()[0] as string;
      for (const name of Object.getOwnPropertyNames(cls.prototype)) {
        const handler = (cls.prototype as Record<string, unknown>)[name];
        if (
          name === 'constructor' ||
          typeof handler !== 'function' ||
          Reflect.getMetadata('path', handler) === undefined
        )
          continue;
        const path =
          `/${[base, [Reflect.getMetadata('path', handler)].flat()[0]].filter((p) => p && p !== '/').join('/')}`.replace(
            /\/+/g,
            '/',
          );
        const method = RequestMethod[Reflect.getMetadata('method', handler) as number].toLowerCase();
        routes.set(`${method} ${path}`, {
          roles: Reflect.getMetadata(ROLES, handler) ?? Reflect.getMetadata(ROLES, cls),
          isPublic: Reflect.getMetadata(IS_PUBLIC, handler) ?? Reflect.getMetadata(IS_PUBLIC, cls),
        });
      }
    }
  }
  return routes;
}

describe('every /admin route refuses anonymous users and the wrong role', () => {
  let t: TestApp;
  const as = {} as Record<StaffRole, AdminBrowser>;

  beforeAll(async () => {
    t = await startTestApp();
    for (const role of ROLE_LIST) {
      const u = await createStaff(t, role);
      as[role] = await adminSignIn(t, u.username, u.password);
    }
  });
  afterAll(() => t.close());

  function adminRoutes() {
    const stack = (
      t.app.getHttpAdapter().getInstance() as {
        router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
      }
    ).router.stack;
    const declared = declaredRoutes(t);
    const seen = new Set<string>();
    return stack.flatMap((layer) => {
      // Nest mounts middleware as routes too: AdminGate for every method, the upload readers on their handler's path.
      if (!layer.route || !/^\/admin(\/|$)/.test(layer.route.path) || Object.keys(layer.route.methods).length > 2)
        return [];
      const path = layer.route.path;
      return Object.keys(layer.route.methods)
        .filter((method) => !seen.has(`${method} ${path}`) && seen.add(`${method} ${path}`))
        .map((method) => ({
          method,
          path,
          url: path.replace(/:year/g, '2026').replace(/:[A-Za-z_]+/g, 'x1'),
          declared: declared.get(`${method} ${path}`),
        }));
    });
  }

  const send = (
    b: AdminBrowser | null,
    method: string,
    url: string,
  ): Promise<{ status: number; headers: Record<string, string>; text: string }> => {
    if (!b) return (t.http() as unknown as Record<string, (u: string) => Test>)[method](url).then((r) => r);
    return method === 'get' ? b.get(url) : b.post(url, {});
  };

  it('declares roles on every route (only signing in is public)', () => {
    const routes = adminRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(40);
    for (const r of routes) {
      expect({ route: `${r.method} ${r.path}`, known: !!r.declared }).toEqual({
        route: `${r.method} ${r.path}`,
        known: true,
      });
      if (r.declared!.isPublic) expect(r.path).toMatch(/^\/admin\/login(\/2fa)?$/);
      else
        expect({ route: `${r.method} ${r.path}`, hasRoles: (r.declared!.roles?.length ?? 0) > 0 }).toEqual({
          route: `${r.method} ${r.path}`,
          hasRoles: true,
        });
    }
  });

  it('sends anonymous visitors of every route to the login page', async () => {
    for (const r of adminRoutes().filter((x) => !x.declared?.isPublic)) {
      const res = await send(null, r.method, r.url);
      expect({ route: `${r.method} ${r.path}`, status: res.status, to: res.headers.location?.split('?')[0] }).toEqual({
        route: `${r.method} ${r.path}`,
        status: 303,
        to: '/admin/login',
      });
    }
    // An API key is for /api/admin: a page wants a person signed in.
    const key = await apiKeyClient(t, (await createStaff(t, 'admin')).id);
    expect((await key.get('/admin/users')).status).toBe(303);
  });

  it('answers every route with a Chinese 403 page to the roles it does not declare, and lets the declared ones in', async () => {
    for (const r of adminRoutes().filter((x) => !x.declared?.isPublic)) {
      for (const role of ROLE_LIST) {
        const allowed = r.declared!.roles!.includes(role);
        if (allowed && r.method !== 'get') continue; // the forms themselves are exercised by the other suites
        const res = await send(as[role], r.method, r.url);
        const seen = {
          route: `${r.method} ${r.path}`,
          role,
          forbidden: res.status === 403 && res.text.includes('您的角色无权执行此操作'),
          toLogin: res.status === 303 && /^\/admin\/login/.test(res.headers.location ?? ''),
          serverError: res.status >= 500,
        };
        expect(seen).toEqual({ route: seen.route, role, forbidden: !allowed, toLogin: false, serverError: false });
      }
    }
  });

  it('refuses every form post without the CSRF token, even to a role it allows', async () => {
    for (const r of adminRoutes().filter((x) => !x.declared?.isPublic && x.method === 'post')) {
      const role = r.declared!.roles![0];
      const res = await as[role].post(r.url, { _csrf: '' });
      expect({ route: r.path, status: res.status, chinese: res.text.includes('缺少或无效的 CSRF 令牌') }).toEqual({
        route: r.path,
        status: 403,
        chinese: true,
      });
    }
    expect((await as.clerk.get('/admin')).status).toBe(200); // the refused logout did nothing
  });
});
