import type { Test } from 'supertest';
import { SYSTEM_ACTOR } from '../../src/auth/actor.js';
import { ApiKeysService } from '../../src/auth/api-keys.service.js';
import { StaffUsersService } from '../../src/auth/staff-users.service.js';
import type { StaffRole } from '../../src/auth/staff-user.entity.js';
import type { TestApp } from './test-app.js';

/** Staff accounts and signed-in HTTP clients for end-to-end tests. */
export interface StaffClient {
  get(path: string): Test;
  post(path: string): Test;
  put(path: string): Test;
  patch(path: string): Test;
  delete(path: string): Test;
  /** The credential headers every request carries (Cookie and X-CSRF-Token, or Authorization). */
  headers: Record<string, string>;
}

let counter = 0;
export const STAFF_TEST_PASSWORD = 'Test-password-2025';

export async function createStaff(t: TestApp, role: StaffRole, username = `${role}${++counter}`) {
  const user = await t.app
    .get(StaffUsersService)
    .createUser(SYSTEM_ACTOR, { username, displayName: `测试${role}${counter}`, role, password: STAFF_TEST_PASSWORD });
  return { id: user.id, username: user.username, password: STAFF_TEST_PASSWORD };
}

function client(t: TestApp, headers: Record<string, string>): StaffClient {
  const make = (method: 'get' | 'post' | 'put' | 'patch' | 'delete') => (path: string) =>
    t.http()[method](path).set(headers);
  return {
    get: make('get'),
    post: make('post'),
    put: make('put'),
    patch: make('patch'),
    delete: make('delete'),
    headers,
  };
}

/** Signs in over HTTP; requests then carry the session cookie and the CSRF header. */
export async function signIn(t: TestApp, username: string, password: string): Promise<StaffClient> {
  const res = await t.http().post('/api/admin/session').send({ username, password }).expect(200);
  const cookie = (res.headers['set-cookie'] as unknown as string[])
    .find((c) => c.startsWith('ggzy_session='))!
    .split(';')[0];
  return client(t, { Cookie: cookie, 'X-CSRF-Token': res.body.csrfToken });
}

/** A client authenticated by a fresh API key of the given user. */
export async function apiKeyClient(t: TestApp, userId: number): Promise<StaffClient> {
  const { key } = await t.app.get(ApiKeysService).createApiKey(SYSTEM_ACTOR, userId, 'test key');
  return client(t, { Authorization: `Bearer ${key}` });
}
