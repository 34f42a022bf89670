import { adminSignIn } from './support/admin-pages.js';
import { constructionProject, tenderNotice } from './support/fixtures.js';
import { createStaff, signIn } from './support/staff.js';
import { FixedClock, startTestApp, type TestApp } from './support/test-app.js';

/** An audit entry names the request that made the change: the X-Request-Id the response carried, as the access log does. */
describe('audit log entries carry the request id', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ clock: new FixedClock(new Date('2026-11-25T02:00:00Z')) });
  });
  afterAll(() => t.close());

  it('for JSON requests, HTML forms, multipart uploads and failed sign-ins alike; null for system changes', async () => {
    const clerkAccount = await createStaff(t, 'clerk');
    const admin = await createStaff(t, 'admin');
    const api = await signIn(t, clerkAccount.username, clerkAccount.password);
    const asAdmin = await signIn(t, admin.username, admin.password);
    const entries = async (query: string) =>
      (await asAdmin.get(`/api/admin/audit?${query}&limit=10`).expect(200)).body.items as {
        action: string;
        requestId: string | null;
      }[];

    const project = await api
      .post('/api/admin/projects')
      .set('X-Request-Id', 'json-create-project')
      .send(constructionProject())
      .expect(201);
    expect(project.headers['x-request-id']).toBe('json-create-project');
    const draft = await api.post('/api/admin/notices').send(tenderNotice(project.body.id)).expect(201);
    expect((await entries(`entityType=project&entityId=${project.body.id}`))[0].requestId).toBe('json-create-project');
    expect((await entries(`entityType=notice&entityId=${draft.body.id}`))[0].requestId).toBe(
      draft.headers['x-request-id'],
    );

    // A multipart upload: the body is read from the request stream before the change is made.
    const browser = await adminSignIn(t, clerkAccount.username, clerkAccount.password);
    const upload = await t
      .http()
      .post(`/admin/notices/${draft.body.id}/attachments`)
      .set('Cookie', [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '))
      .set('X-Request-Id', 'form-upload-1')
      .field('_csrf', browser.csrf)
      .attach('file', Buffer.from('%PDF-1.7\n' + 'x'.repeat(300_000)), {
        filename: '招标文件.pdf',
        contentType: 'application/pdf',
      });
    expect(upload.status).toBe(303);
    const [uploaded] = await entries('action=notice.attachment-add');
    expect(uploaded).toMatchObject({ requestId: 'form-upload-1' });

    // A failed sign-in: recorded although nobody is signed in.
    const failing = await t
      .http()
      .post('/api/admin/session')
      .set('X-Request-Id', 'bad-login-1')
      .send({ username: clerkAccount.username, password: 'wrong-password-1' })
      .expect(401);
    expect(failing.body.requestId).toBe('bad-login-1');
    expect((await entries('action=auth.login-failed'))[0].requestId).toBe('bad-login-1');

    // Changes made outside a request (createStaff goes straight to the service) have none.
    expect((await entries(`action=staff-user.create&entityId=${admin.id}`)).map((e) => e.requestId)).toEqual([null]);
  });
});
