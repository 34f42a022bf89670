import { Reflector } from '@nestjs/core';
import type { ExecutionContext } from '@nestjs/common';
import { AppError } from '../http/app-error.js';
import type { StaffAuth } from './actor.js';
import { Public, Roles } from './decorators.js';
import type { StaffAuthenticator } from './staff-auth.js';
import { StaffAuthGuard } from './staff-auth.guard.js';

class Plain {
  handler() {}
}
class Guarded {
  @Roles('admin') adminOnly() {}
  @Public() open() {}
  undecorated() {}
}

const admin: StaffAuth = {
  actor: { userId: 1, username: 'a', displayName: 'A', role: 'admin', via: 'session', ip: null },
  sessionId: 's',
  csrfToken: 'c',
  expiresAt: null,
};

function contextFor(cls: { prototype: object }, method: string, path: string): ExecutionContext {
  const req = { method: 'GET', originalUrl: path, url: path, route: { path }, headers: {} };
  return {
    getType: () => 'http',
    getHandler: () => (cls.prototype as Record<string, unknown>)[method],
    getClass: () => cls,
    switchToHttp: () => ({ getRequest: () => req }),
  } as unknown as ExecutionContext;
}

const guard = (auth: StaffAuth | null) =>
  new StaffAuthGuard(new Reflector(), {
    require: async () => {
      if (!auth) throw new AppError('auth.unauthenticated', '请先登录');
      return auth;
    },
  } as unknown as StaffAuthenticator);

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'allowed',
    (e: AppError) => e.code,
  );

describe('StaffAuthGuard', () => {
  it('leaves public pages alone and honours @Public under /api/admin', async () => {
    expect(await codeOf(guard(null).canActivate(contextFor(Plain, 'handler', '/notices')))).toBe('allowed');
    expect(await codeOf(guard(null).canActivate(contextFor(Guarded, 'open', '/api/admin/session')))).toBe('allowed');
  });

  it('refuses an undecorated /api/admin route to everyone, an admin included', async () => {
    expect(await codeOf(guard(null).canActivate(contextFor(Guarded, 'undecorated', '/api/admin/x')))).toBe(
      'auth.unauthenticated',
    );
    expect(await codeOf(guard(admin).canActivate(contextFor(Guarded, 'undecorated', '/api/admin/x')))).toBe(
      'auth.forbidden',
    );
    expect(await codeOf(guard(admin).canActivate(contextFor(Plain, 'handler', '/API/Admin/x')))).toBe('auth.forbidden');
  });

  it('fails closed on the back-office pages under /admin too', async () => {
    expect(await codeOf(guard(null).canActivate(contextFor(Guarded, 'undecorated', '/admin/anything')))).toBe(
      'auth.unauthenticated',
    );
    expect(await codeOf(guard(admin).canActivate(contextFor(Guarded, 'undecorated', '/admin/anything')))).toBe(
      'auth.forbidden',
    );
    expect(await codeOf(guard(null).canActivate(contextFor(Guarded, 'open', '/admin/login')))).toBe('allowed');
    expect(await codeOf(guard(admin).canActivate(contextFor(Plain, 'handler', '/administration')))).toBe('allowed');
  });

  it('keeps only enrolment open while a mandatory second factor is missing', async () => {
    const enrolling = { ...admin, mustEnrolTotp: true };
    expect(await codeOf(guard(enrolling).canActivate(contextFor(Guarded, 'adminOnly', '/api/admin/users')))).toBe(
      'auth.enrol-totp',
    );
  });

  it('applies @Roles wherever it is, by role', async () => {
    expect(await codeOf(guard(admin).canActivate(contextFor(Guarded, 'adminOnly', '/admin/users')))).toBe('allowed');
    const clerk = { ...admin, actor: { ...admin.actor, role: 'clerk' as const } };
    expect(await codeOf(guard(clerk).canActivate(contextFor(Guarded, 'adminOnly', '/api/admin/users')))).toBe(
      'auth.forbidden',
    );
  });
});
