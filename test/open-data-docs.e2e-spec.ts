import { CATEGORIES, NOTICE_TYPES } from '../src/trading/domain/catalog.js';
import { startOpenDataApp } from './support/open-data.js';
import type { TestApp } from './support/test-app.js';

describe('open data: API docs (/api/docs)', () => {
  let t: TestApp;
  let doc: any;
  beforeAll(async () => {
    ({ t } = await startOpenDataApp({ RATE_LIMIT_API: '600', RATE_LIMIT_FEEDS: '120', RATE_LIMIT_EXPORTS: '30' }));
    doc = (await t.http().get('/api/docs/openapi.json').expect(200)).body;
  });
  afterAll(() => t.close());

  it('describes every public JSON endpoint with the filter slugs and limits', () => {
    expect(doc.openapi).toBe('3.0.3');
    for (const path of ['/api/v1/notices', '/api/v1/notices/{id}', '/api/v1/projects/{id}', '/api/v1/changes', '/api/ocds/releases', '/api/ocds/records/{ocid}', '/bulk/manifest.json', '/feeds/notices.rss', '/exports/{file}']) {
      expect({ path, get: !!doc.paths[path]?.get }).toEqual({ path, get: true });
    }
    const params = doc.paths['/api/v1/notices'].get.parameters;
    expect(params.find((p: any) => p.name === 'category').schema.enum).toEqual(CATEGORIES.map((c) => c.slug));
    expect(params.find((p: any) => p.name === 'type').schema.enum).toEqual(NOTICE_TYPES.map((t) => t.slug));
    expect(params.find((p: any) => p.name === 'limit').schema).toMatchObject({ minimum: 1, maximum: 1000, default: 50 });
    expect(doc.paths['/api/v1/notices/{id}'].get.parameters[0]).toMatchObject({ name: 'id', in: 'path', required: true });
    expect(doc.paths['/api/v1/changes'].get.responses['429'].headers['Retry-After']).toBeDefined();
  });

  it('describes the staff API under /api/admin, found from the controllers, with request bodies and security', () => {
    const create = doc.paths['/api/admin/notices'].post;
    expect(create.tags).toEqual(['admin']);
    expect(create.security).toEqual([{ session: [], csrf: [] }, { apiKey: [] }]);
    const schema = doc.components.schemas[create.requestBody.content['application/json'].schema.$ref.split('/').pop()];
    expect(schema.required).toEqual(expect.arrayContaining(['projectId', 'type', 'title', 'body', 'details']));
    expect(schema.properties.type.enum).toEqual(NOTICE_TYPES.map((t) => t.slug));
    expect(doc.paths['/api/admin/notices/{id}/approve'].post).toBeDefined();
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/api/admin')).length).toBeGreaterThan(10);
  });

  it('publishes the rate limits', () => {
    expect(doc['x-rate-limits']).toEqual({ windowSeconds: 60, api: 600, feeds: 120, exports: 30, scope: 'per client IP, per instance' });
    expect(doc.info.description).toContain('每 60 秒 600 次');
  });

  it('serves a plain HTML page without inline script or style', async () => {
    const res = await t.http().get('/api/docs').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('/api/v1/changes');
    expect(res.text).toContain('每 60 秒 30 次');
    expect(res.text).toContain('/api/admin/notices');
    expect(res.text).not.toMatch(/<script|<style|style=/);
  });
});
