import type { Test } from 'supertest';
import { apiKeyClient, createStaff, type StaffClient } from './staff.js';
import type { TestApp } from './test-app.js';

/**
 * A clerk and a reviewer working through the staff API with API keys (which, unlike sessions, do not expire when
 * a test moves its clock by months): register projects, publish notices through draft → submit → approve.
 */
export interface PublishingDesk {
  clerk: StaffClient;
  reviewer: StaffClient;
  project(body: Record<string, unknown>): Promise<string>;
  publish(
    body: Record<string, unknown>,
  ): Promise<{ id: string; logSeq: number; contentHash: string; publishedAt: string }>;
  withdraw(noticeId: string, reason: string): Promise<{ id: string; logSeq: number }>;
}

async function ok(req: Test, status: number) {
  const res = await req;
  if (res.status !== status) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function publishingDesk(t: TestApp): Promise<PublishingDesk> {
  const clerk = await apiKeyClient(t, (await createStaff(t, 'clerk')).id);
  const reviewer = await apiKeyClient(t, (await createStaff(t, 'reviewer')).id);
  const approve = async (id: string) => {
    await ok(clerk.post(`/api/admin/notices/${id}/submit`), 200);
    return ok(reviewer.post(`/api/admin/notices/${id}/approve`).send({}), 200);
  };
  return {
    clerk,
    reviewer,
    project: async (body) => (await ok(clerk.post('/api/admin/projects').send(body), 201)).id,
    publish: async (body) => approve((await ok(clerk.post('/api/admin/notices').send(body), 201)).id),
    withdraw: async (noticeId, reason) =>
      approve((await ok(clerk.post(`/api/admin/notices/${noticeId}/withdrawals`).send({ reason }), 201)).id),
  };
}
