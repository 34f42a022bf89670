import { startTestApp, TestApp } from './support/test-app.js';

describe('GET /health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answers 200 while the database answers', async () => {
    const res = await t.http().get('/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', database: 'up' });
  });

  it('answers an unknown API path with a JSON 404 and an unknown page with a Chinese page', async () => {
    const api = await t.http().get('/api/v1/nothing-here').expect(404);
    expect(api.body.message).toContain('不存在');
    const page = await t.http().get('/nothing-here').expect(404);
    expect(page.text).toContain('页面不存在');
  });

  it('answers 503 once the database is gone', async () => {
    await t.db.dataSource.destroy();
    const res = await t.http().get('/health').expect(503);
    expect(res.body.database).toBe('down');
  });
});
