import { CATEGORIES, NOTICE_TYPES } from '../src/domain/catalog.js';
import { KEYWORD_PATTERN, KEYWORD_RULE, keywordProblem } from '../src/trading/notice-filter.js';
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

  it('describes a valid keyword q from the filter parser\'s own rule, as a pattern that agrees with the parser', () => {
    for (const path of ['/api/v1/notices', '/feeds/notices.rss', '/feeds/notices.atom', '/exports/{file}']) {
      const q = doc.paths[path].get.parameters.find((p: any) => p.name === 'q');
      expect(q.description).toBe(`中文关键词，空格分隔的词须全部出现；${KEYWORD_RULE}（否则 400，不会当作搜索词）`);
      expect(q.schema).toEqual({ type: 'string', maxLength: 50, pattern: KEYWORD_PATTERN });
    }
    const pattern = new RegExp(KEYWORD_PATTERN);
    for (const q of ['道路 绿化', '中铁九局集团（大连）', 'E21020000012345', 'UNION SELECT', 'A-1 (二标段)']) expect({ q, valid: pattern.test(q) }).toEqual({ q, valid: true });
    for (const q of ["' OR 1=1 --", '1; DROP TABLE notice', '/* x */', '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '道路\u0000']) {
      expect({ q, valid: pattern.test(q), problem: keywordProblem(q) !== undefined }).toEqual({ q, valid: false, problem: true });
    }
  });

  it('documents the OCDS release page past the end: empty, same links.next, a deliberate departure from minItems 1', () => {
    const releases = doc.paths['/api/ocds/releases'].get;
    expect(releases.description).toContain('releases 为空、links.next 不变');
    expect(releases.description).toContain('minItems: 1');
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
    expect(res.text).toContain('q（中文关键词，空格分隔的词须全部出现；最多 50 个字符，不能包含 &lt; &gt; ; &#x27; &quot; &#x60; \\ 字符、SQL 注释符 -- /* */ 和控制字符');
    expect(res.text).toContain('读到末尾之后的一页 releases 为空');
    expect(res.text).toContain('/api/admin/notices');
    expect(res.text).not.toMatch(/<script|<style|style=/);
  });
});
