import { Validator } from '@seriousme/openapi-schema-validator';
import Ajv2020Module from 'ajv/dist/2020.js';
import AjvDraft04 from 'ajv-draft-04';
import formats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import { ERROR_CODES } from '../src/http/error-codes.js';
import { CATEGORIES, NOTICE_TYPES } from '../src/domain/catalog.js';
import { Notice } from '../src/trading/notice.entity.js';
import { KEYWORD_PATTERN, KEYWORD_RULE, keywordProblem } from '../src/trading/notice-filter.js';
import { DEMO_ACCOUNTS } from '../src/demo/demo-accounts.js';
import { OutboxEntry } from '../src/outbox/outbox.entity.js';
import { SyncPeerState } from '../src/sync/sync.entities.js';
import { constructionProject, tenderNotice } from './support/fixtures.js';
import { exampleOf } from './support/ocds-validator.js';
import { signIn, type StaffClient } from './support/staff.js';
import { FixedClock, startTestApp, type TestApp } from './support/test-app.js';

// CommonJS packages imported from ESM: their export sits on .default.
const Ajv2020 = Ajv2020Module.default;
const addFormats = formats.default;

/**
 * The generated API description (/api/docs/openapi.json): a valid OpenAPI 3.1 document, and every JSON
 * endpoint's real responses over the demo data (every notice type) match the schemas it publishes, with no
 * field left undocumented. OCDS responses are checked against the draft-04 schemas the description refers to.
 */
describe('open data: API docs (/api/docs)', () => {
  let t: TestApp;
  let doc: any;
  let base: string;
  const checked = new Set<string>();

  beforeAll(async () => {
    t = await startTestApp({
      clock: new FixedClock(new Date('2026-11-25T02:00:00Z')),
      env: {
        SEED_DEMO: 'true',
        RATE_LIMIT_API: '100000',
        RATE_LIMIT_FEEDS: '3',
        RATE_LIMIT_EXPORTS: '30',
        // So that the staff sync status has an upstream, a peer and an ingest key to describe.
        UPSTREAMS: JSON.stringify([
          {
            name: 'province',
            url: 'http://127.0.0.1:9/api/v1/ingest',
            keyId: 'dl2102',
            secret: 'dalian-secret-0123456',
          },
        ]),
        PEERS: JSON.stringify([{ name: 'county', url: 'http://127.0.0.1:9/api/v1/changes' }]),
        INGEST_KEYS: JSON.stringify([{ keyId: 'county-wfd', secret: 'county-secret-0123456', platformCode: 'WFD' }]),
      },
    });
    base = t.config.publicBaseUrl;
    doc = (await t.http().get('/api/docs/openapi.json').expect(200)).body;
  }, 180_000);
  afterAll(() => t?.close());

  /**
   * Ajv over the document's own schemas, closed: an object may carry only the properties it documents. The
   * OCDS components stay open, as the standard is (extensions add fields).
   */
  function closed(node: unknown): unknown {
    if (Array.isArray(node)) return node.map(closed);
    if (!node || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k] = k === 'example' || k === 'enum' ? v : closed(v);
    if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
    return out;
  }
  let ajv: InstanceType<typeof Ajv2020>;
  const validators = new Map<string, ValidateFunction>();
  function schemaValidator(schema: any): ValidateFunction {
    if (!ajv) {
      ajv = new Ajv2020({ strict: false, allErrors: true });
      addFormats(ajv);
      const schemas = Object.fromEntries(
        Object.entries(doc.components.schemas).map(([name, s]) => [name, name.startsWith('Ocds') ? s : closed(s)]),
      );
      ajv.addSchema({ $id: 'https://docs.test/openapi.json', components: { schemas } } as object);
    }
    const key = JSON.stringify(schema);
    if (!validators.has(key)) {
      const rewritten = JSON.parse(key.replace(/"#\/components\//g, '"https://docs.test/openapi.json#/components/'));
      validators.set(key, ajv.compile(rewritten));
    }
    return validators.get(key)!;
  }

  /** The served official OCDS schemas (draft-04), loaded by their ids as a client would. */
  let ocdsAjv: InstanceType<typeof AjvDraft04.default> | undefined;
  async function ocdsValidator(name: string): Promise<ValidateFunction> {
    const url = `${base}/api/docs/ocds/${name}`;
    if (!ocdsAjv) {
      ocdsAjv = new AjvDraft04.default({ strict: false, allErrors: true });
      addFormats(ocdsAjv);
      for (const name of [
        'release-schema.json',
        'versioned-release-validation-schema.json',
        'release-package-schema.json',
        'record-package-schema.json',
      ]) {
        const served = (
          await t
            .http()
            .get(`/api/docs/ocds/${name}`)
            .expect(200)
            .expect('Content-Type', /application\/schema\+json/)
        ).body;
        expect(served.$schema).toBe('http://json-schema.org/draft-04/schema#');
        ocdsAjv.addSchema(served);
      }
    }
    return ocdsAjv.getSchema(url)!;
  }

  const errorsOf = (v: ValidateFunction) =>
    (v.errors ?? []).slice(0, 5).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);

  /** The documented path a URL falls under. */
  function templateOf(url: string) {
    const path = url.split('?')[0];
    const template = doc.paths[path]
      ? path
      : Object.keys(doc.paths).find((p) => new RegExp(`^${p.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path));
    expect({ url, documented: !!template }).toEqual({ url, documented: true });
    return template!;
  }

  /** GETs `url`, finds its operation in the description and checks the body against the documented response. */
  async function getChecked(url: string, status = 200, headers: Record<string, string> = {}) {
    let req = t.http().get(url);
    for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
    const res = await req;
    expect({ url, status: res.status }).toEqual({ url, status });
    const template = templateOf(url);
    const response = doc.paths[template].get.responses[String(status)];
    expect({ url, status, documented: !!response }).toEqual({ url, status, documented: true });
    if (status === 204 || status === 304) return res;
    expect({ url, status, json: !!response.content?.['application/json'] }).toEqual({ url, status, json: true });
    const schema = response.content['application/json'].schema;
    const validate = schemaValidator(schema);
    expect({ url, errors: validate(res.body) ? [] : errorsOf(validate) }).toEqual({ url, errors: [] });
    // OCDS bodies also against the official schemas the description's copy was converted from.
    const official = {
      '#/components/schemas/OcdsReleasePackage': 'release-package-schema.json',
      '#/components/schemas/OcdsRecordPackage': 'record-package-schema.json',
    }[schema.$ref as string];
    if (official) {
      const draft04 = await ocdsValidator(official);
      expect({ url, errors: draft04(res.body) ? [] : errorsOf(draft04) }).toEqual({ url, errors: [] });
    }
    if (status === 200) checked.add(template);
    return res;
  }

  it('is a valid OpenAPI 3.1 document', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('describes every public JSON endpoint with the filter slugs, limits and error codes as enums', () => {
    for (const path of [
      '/api/v1/notices',
      '/api/v1/notices/{id}',
      '/api/v1/projects/{id}',
      '/api/v1/changes',
      '/api/ocds/releases',
      '/api/ocds/records/{ocid}',
      '/api/v1/transparency/log',
      '/api/v1/transparency/checkpoints',
      '/health',
      '/bulk/manifest.json',
      '/feeds/notices.rss',
      '/exports/{file}',
    ]) {
      expect({ path, get: !!doc.paths[path]?.get }).toEqual({ path, get: true });
    }
    expect(doc.paths['/api/v1/ingest'].post).toBeDefined();
    const params = doc.paths['/api/v1/notices'].get.parameters;
    expect(doc.components.schemas.Category.enum).toEqual(CATEGORIES.map((c) => c.slug));
    expect(doc.components.schemas.NoticeType.enum).toEqual(NOTICE_TYPES.map((n) => n.slug));
    expect(params.find((p: any) => p.name === 'category').schema.$ref).toBe('#/components/schemas/Category');
    expect(params.find((p: any) => p.name === 'type').schema.$ref).toBe('#/components/schemas/NoticeType');
    expect(params.find((p: any) => p.name === 'region').schema.pattern).toBe('^\\d{6}$');
    expect(params.find((p: any) => p.name === 'limit').schema).toMatchObject({
      minimum: 1,
      maximum: 1000,
      default: 50,
    });
    // The flags take the /notices filters they share, documented alike, with the indicator and the year.
    const flagParams = doc.paths['/api/v1/flags'].get.parameters;
    expect(flagParams.map((p: any) => p.name).sort()).toEqual(
      ['after', 'category', 'from', 'indicator', 'limit', 'region', 'to', 'year'].sort(),
    );
    const shape = (schema: any) => ({ ...schema, example: undefined });
    for (const name of ['category', 'region', 'from', 'to'])
      expect({ name, schema: shape(flagParams.find((p: any) => p.name === name).schema) }).toEqual({
        name,
        schema: shape(params.find((p: any) => p.name === name).schema),
      });
    expect(doc.paths['/exports/flags.csv'].get.parameters.map((p: any) => p.name).sort()).toEqual([
      'category',
      'from',
      'indicator',
      'region',
      'to',
      'year',
    ]);
    expect(doc.paths['/api/v1/notices/{id}'].get.parameters[0]).toMatchObject({
      name: 'id',
      in: 'path',
      required: true,
    });
    expect(doc.paths['/api/v1/changes'].get.responses['429'].headers['Retry-After']).toBeDefined();
    expect(doc.components.schemas.ErrorCode.enum).toEqual([...ERROR_CODES]);
    expect(doc.components.schemas.ErrorBodyDto.required).toEqual(['statusCode', 'error', 'message']);
    expect(doc.components.schemas.ErrorBodyDto.properties.requestId).toMatchObject({ type: 'string' });
    // Only machine endpoints: no page, no staff form.
    expect(Object.keys(doc.paths).filter((p) => !/^\/(api|feeds|exports|bulk|health)(\/|$)/.test(p))).toEqual([]);
    expect(Object.keys(doc.paths).some((p) => p.startsWith('/api/docs'))).toBe(false);
  });

  it("describes each notice type's details from the notice-detail classes the staff forms validate with, in their published form", async () => {
    const notice = doc.components.schemas.PublicNoticeDto;
    const branches = Object.fromEntries(
      notice.oneOf.map((b: any) => [b.properties.type.const, b.properties.details.$ref.split('/').pop()]),
    );
    expect(Object.keys(branches).sort()).toEqual(NOTICE_TYPES.map((n) => n.slug).sort());
    const tender = doc.components.schemas[branches.tender];
    expect(tender.required).toEqual(
      expect.arrayContaining(['bidDeadline', 'openingTime', 'tenderer', 'documentsFrom']),
    );
    expect(tender.required).not.toContain('controlPrice');
    expect(tender.properties.bidDeadline).toMatchObject({ type: 'string', format: 'date-time' });
    expect(tender.properties.controlPrice.anyOf[0]).toEqual({ $ref: '#/components/schemas/NoticeAmount' });
    expect(tender.additionalProperties).toBe(false);
    expect(doc.components.schemas.NoticeAmount.required).toEqual(['value', 'unit', 'yuan']);

    // A published tender notice passes; the same notice with a details field missing, misspelt or in input form does not.
    const [published] = await t.db.manager.find(Notice, { where: { status: 'published', type: 'tender' }, take: 1 });
    const body = (await getChecked(`/api/v1/notices/${encodeURIComponent(published.id)}`)).body;
    const validate = schemaValidator({ $ref: '#/components/schemas/PublicNoticeDto' });
    expect(validate(body)).toBe(true);
    const { bidDeadline: _deadline, ...withoutDeadline } = body.details;
    for (const details of [
      withoutDeadline,
      { ...body.details, bidDeadLine: body.details.bidDeadline },
      { ...body.details, bidDeadline: '2026-06-15 09:30' },
    ]) {
      expect(validate({ ...body, details })).toBe(false);
    }
    expect(validate({ ...body, type: 'deal' })).toBe(false);
  });

  it("describes a valid keyword q from the filter parser's own rule, as a pattern that agrees with the parser", () => {
    for (const path of ['/api/v1/notices', '/feeds/notices.rss', '/feeds/notices.atom', '/exports/{file}']) {
      const q = doc.paths[path].get.parameters.find((p: any) => p.name === 'q');
      expect(q.description).toBe(`中文关键词，空格分隔的词须全部出现；${KEYWORD_RULE}（否则 400，不会当作搜索词）`);
      expect(q.schema).toMatchObject({ type: 'string', maxLength: 50, pattern: KEYWORD_PATTERN });
    }
    const pattern = new RegExp(KEYWORD_PATTERN);
    for (const q of ['道路 绿化', '中铁九局集团（大连）', 'E21020000012345', 'UNION SELECT', 'A-1 (二标段)'])
      expect({ q, valid: pattern.test(q) }).toEqual({ q, valid: true });
    for (const q of [
      "' OR 1=1 --",
      '1; DROP TABLE notice',
      '/* x */',
      '<script>alert(1)</script>',
      '"><img src=x onerror=alert(1)>',
      '道路\u0000',
    ]) {
      expect({ q, valid: pattern.test(q), problem: keywordProblem(q) !== undefined }).toEqual({
        q,
        valid: false,
        problem: true,
      });
    }
  });

  it('describes the staff API and the signed ingest with their request bodies and security schemes', () => {
    const create = doc.paths['/api/admin/notices'].post;
    expect(create.tags).toContain('admin');
    expect(create.security).toEqual([{ session: [], csrf: [] }, { apiKey: [] }]);
    expect(create['x-roles']).toEqual(['clerk', 'admin']);
    const schema = doc.components.schemas[create.requestBody.content['application/json'].schema.$ref.split('/').pop()];
    expect(schema.required).toEqual(expect.arrayContaining(['projectId', 'type', 'title', 'body', 'details']));
    expect(schema.properties.type.enum).toEqual(NOTICE_TYPES.map((n) => n.slug));
    expect(schema.additionalProperties).toBe(false);
    const project = doc.components.schemas.CreateProjectDto;
    expect(project.properties.parties).toMatchObject({
      type: 'array',
      maxItems: 20,
      items: { $ref: '#/components/schemas/ProjectPartyInput' },
    });
    expect(doc.components.schemas.ProjectPartyInput.required).toEqual(['role', 'name', 'creditCode']);
    expect(doc.paths['/api/admin/session'].post.security).toContainEqual({});
    expect(doc.paths['/api/admin/notices/{id}/approve'].post).toBeDefined();
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/api/admin')).length).toBeGreaterThan(10);
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['apiKey', 'csrf', 'session', 'signature']);
    const ingest = doc.paths['/api/v1/ingest'].post;
    expect(ingest.security).toEqual([{ signature: [] }]);
    expect(
      ingest.parameters
        .filter((p: any) => p.in === 'header')
        .map((p: any) => p.name)
        .sort(),
    ).toEqual(['Idempotency-Key', 'X-Key-Id', 'X-Nonce', 'X-Timestamp']);
    expect(Object.keys(ingest.responses).sort()).toEqual(['200', '400', '401', '403', '413', '415', '422']);
  });

  it('documents the OCDS release page past the end as 204 with a Link header, and describes OCDS bodies by the OCDS schemas', () => {
    const releases = doc.paths['/api/ocds/releases'].get;
    expect(releases.responses['204'].headers.Link).toBeDefined();
    expect(releases.responses['200'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/OcdsReleasePackage',
    });
    expect(doc.paths['/api/ocds/records/{ocid}'].get.responses['200'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/OcdsRecordPackage',
    });
    expect(doc.components.schemas.OcdsReleasePackage).toMatchObject({
      required: ['uri', 'publisher', 'publishedDate', 'releases', 'version'],
      properties: { releases: { type: 'array', minItems: 1, items: { $ref: '#/components/schemas/OcdsRelease' } } },
    });
    expect(doc.components.schemas.OcdsRelease_Bid).toBeDefined(); // the bids extension
    expect(JSON.stringify(doc.components.schemas.OcdsRelease)).not.toMatch(
      /"(\$schema|definitions|title|codelist)":|standard\.open-contracting\.org/,
    );
  });

  it("converts and serves OCDS schemas that accept the standard's own examples", async () => {
    const official = await ocdsValidator('release-package-schema.json');
    const converted = schemaValidator({ $ref: '#/components/schemas/OcdsReleasePackage' });
    for (const example of ['tender.json', 'award.json', 'contract.json', 'implementation.json']) {
      expect({ example, errors: official(exampleOf(example)) ? [] : errorsOf(official) }).toEqual({
        example,
        errors: [],
      });
      expect({ example, errors: converted(exampleOf(example)) ? [] : errorsOf(converted) }).toEqual({
        example,
        errors: [],
      });
    }
    // ... and refuse what the standard refuses: a package without releases, a release without an ocid.
    expect(converted({ ...exampleOf('tender.json'), releases: [] })).toBe(false);
    const { ocid: _ocid, ...noOcid } = exampleOf('tender.json').releases[0];
    expect(converted({ ...exampleOf('tender.json'), releases: [noOcid] })).toBe(false);
    await t.http().get('/api/docs/ocds/other.json').expect(404);
  });

  it('publishes the rate limits', () => {
    expect(doc['x-rate-limits']).toEqual({
      windowSeconds: 60,
      api: 100000,
      feeds: 3,
      exports: 30,
      scope: 'per client IP, per instance',
    });
    expect(doc.info.description).toContain('每 60 秒 30 次');
  });

  it('answers every documented JSON read over the demo data as its schema says, for every notice type', async () => {
    const published = await t.db.manager.find(Notice, { where: { status: 'published' } });
    const types = [...new Set(published.map((n) => n.type))].sort();
    expect(types.length).toBeGreaterThanOrEqual(12);
    const seen = new Set<string>();
    const projects = new Set<string>();
    for (const type of types) {
      const page = (await getChecked(`/api/v1/notices?type=${type}&limit=20`)).body;
      expect({ type, items: page.items.length > 0 }).toEqual({ type, items: true });
      for (const n of page.items.slice(0, 3)) {
        seen.add((await getChecked(`/api/v1/notices/${encodeURIComponent(n.id)}`)).body.type);
        projects.add(n.projectId);
      }
    }
    expect([...seen].sort()).toEqual(types);
    for (const query of [
      '',
      'category=construction',
      'category=procurement&open=1&sort=deadline',
      'region=210200',
      'q=%E9%81%93%E8%B7%AF',
      'from=2026-01-01&to=2026-12-31&limit=1000',
    ]) {
      expect((await getChecked(`/api/v1/notices${query ? `?${query}` : ''}`)).body.items.length).toBeGreaterThan(0);
    }
    const ocids = new Set<string>();
    for (const id of projects) ocids.add((await getChecked(`/api/v1/projects/${encodeURIComponent(id)}`)).body.ocid);
    for (const ocid of [...ocids].slice(0, 15))
      expect((await getChecked(`/api/ocds/records/${encodeURIComponent(ocid)}`)).body.records).toHaveLength(1);

    // The change feed and the OCDS releases, followed to the end.
    let url = '/api/v1/changes?limit=1000';
    let changes = 0;
    for (;;) {
      const page = (await getChecked(url)).body;
      changes += page.items.length;
      if (!page.more) break;
      url = page.links.next.slice(base.length);
    }
    // The change feed is the log's notice entries; the demo's published yearly report is an entry of the log only.
    const kinds = new Map<string, number>();
    let head: { seq: number };
    for (let after = 0; ;) {
      const page = (await getChecked(`/api/v1/transparency/log?after=${after}&limit=1000`)).body;
      head = page.head;
      for (const e of page.items) kinds.set(e.kind, (kinds.get(e.kind) ?? 0) + 1);
      if (!page.items.length || page.next === head.seq) break;
      after = page.next;
    }
    expect(kinds.get('annual-report')).toBe(1);
    expect(changes).toBe(head.seq - 1);
    url = '/api/ocds/releases?limit=1000';
    let releases = 0;
    while (releases < changes) {
      const page = (await getChecked(url)).body;
      expect(page.releases.length).toBeGreaterThan(0);
      releases += page.releases.length;
      url = page.links.next.slice(base.length);
    }
    expect(releases).toBe(changes);

    // Organisations: the busiest bidder and a winner of the demo data, every section, and a search.
    const busiest = async (section: string) =>
      (
        await t.db.manager.query(
          `SELECT credit_code FROM org_fact WHERE section = ? GROUP BY credit_code ORDER BY COUNT(*) DESC, credit_code LIMIT 1`,
          [section],
        )
      )[0].credit_code as string;
    for (const code of [await busiest('bid'), await busiest('award'), await busiest('party')]) {
      expect((await getChecked(`/api/v1/organizations/${code}`)).body.creditCode).toBe(code);
      for (const section of ['projects', 'bids', 'candidates', 'awards', 'contracts'])
        await getChecked(`/api/v1/organizations/${code}/${section}?limit=5`);
    }
    expect(
      (await getChecked(`/api/v1/organizations?q=${encodeURIComponent('有限公司')}`)).body.items.length,
    ).toBeGreaterThan(0);

    // Integrity flags over the demo data: all, per indicator raised, and a page past the first.
    const flags = (await getChecked('/api/v1/flags?limit=2')).body;
    expect(flags.total).toBeGreaterThan(0);
    if (flags.nextUrl) await getChecked(flags.nextUrl.slice(base.length));
    for (const indicator of [
      ...new Set((await getChecked('/api/v1/flags?limit=500')).body.items.map((f: any) => f.indicator)),
    ])
      await getChecked(`/api/v1/flags?indicator=${indicator}&limit=3`);
    // The /notices filters it shares, and a bad one answered with the documented error body.
    const regional = (await getChecked('/api/v1/flags?region=210200&from=2020-01-01&to=2030-12-31&limit=2')).body;
    expect(regional.totalExact).toBe(true);
    if (regional.nextUrl) await getChecked(regional.nextUrl.slice(base.length));
    expect((await getChecked('/api/v1/flags?region=21', 400)).body.errors[0].field).toBe('region');

    await getChecked('/api/v1/transparency/checkpoints');
    await getChecked('/health');
    await getChecked('/bulk/manifest.json');
    // A client whose copy is current gets the documented 304.
    const first = await getChecked('/api/v1/changes');
    await getChecked('/api/v1/changes', 304, { 'If-None-Match': first.headers.etag });

    const jsonReads = Object.entries(doc.paths)
      .filter(
        ([path, item]: [string, any]) =>
          !path.startsWith('/api/admin') && item.get?.responses['200']?.content?.['application/json'],
      )
      .map(([path]) => path);
    expect(jsonReads.filter((p) => !checked.has(p))).toEqual([]);
  }, 300_000);

  it('answers errors with the documented error body (400, 404, 429)', async () => {
    const bad = (await getChecked('/api/v1/notices?category=nope', 400)).body;
    expect(bad).toMatchObject({ statusCode: 400, error: 'filter.invalid' });
    expect((await getChecked('/api/v1/notices?limit=0', 400)).body.error).toBe('filter.limit');
    expect((await getChecked('/api/v1/changes?after=!!', 400)).body.error).toBe('filter.cursor');
    expect((await getChecked('/api/v1/notices/N-nope', 404)).body.error).toBe('not-found');
    expect((await getChecked('/api/ocds/records/ocds-xx-nope', 404)).body.error).toBe('not-found');
    for (let i = 0; i < 3; i++) await t.http().get('/feeds/notices.rss?type=tender');
    const limited = await t.http().get('/feeds/notices.rss?type=tender').expect(429);
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
    const validate = schemaValidator(
      doc.paths['/feeds/notices.rss'].get.responses['429'].content['application/json'].schema,
    );
    expect(validate(limited.body) ? [] : errorsOf(validate)).toEqual([]);
    expect(limited.body.error).toBe('rate-limited');
  });

  it('serves a plain Chinese HTML page, rendered from the description, without script or style', async () => {
    const res = await t.http().get('/api/docs').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('/api/v1/changes');
    expect(res.text).toContain(doc.paths['/api/v1/changes'].get.summary);
    expect(res.text).toContain('每 60 秒 30 次');
    expect(res.text).toContain(
      'q（中文关键词，空格分隔的词须全部出现；最多 50 个字符，不能包含 &lt; &gt; ; &#x27; &quot; &#x60; \\ 字符、SQL 注释符 -- /* */ 和控制字符',
    );
    expect(res.text).toContain('读到末尾之后返回 204');
    expect(res.text).toContain('/api/admin/notices');
    expect(res.text).toContain('<code>filter.cursor</code>');
    expect(res.text).not.toMatch(/<script|<style|style=/);
  });
  describe('the staff API (/api/admin)', () => {
    const adminChecked = new Set<string>();
    type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

    /**
     * Calls an /api/admin operation as a signed-in client (anonymous without one) and checks the reply against the
     * response the description documents for its method and status: a closed schema, as for the public reads.
     */
    async function adminCall(as: StaffClient | undefined, method: Method, url: string, status: number, body?: object) {
      let req = as ? as[method](url) : t.http()[method](url);
      if (body !== undefined) req = req.send(body);
      const res = await req;
      expect({ method, url, status: res.status, body: res.status === status ? undefined : res.body }).toEqual({
        method,
        url,
        status,
        body: undefined,
      });
      const template = templateOf(url);
      const response = doc.paths[template][method]?.responses[String(status)];
      expect({ method, url, status, documented: !!response }).toEqual({ method, url, status, documented: true });
      if (status === 204) {
        expect(res.text).toBe('');
      } else {
        const schema = response.content?.['application/json']?.schema;
        expect({ method, url, status, json: !!schema }).toEqual({ method, url, status, json: true });
        const validate = schemaValidator(schema);
        expect({ method, url, errors: validate(res.body) ? [] : errorsOf(validate) }).toEqual({
          method,
          url,
          errors: [],
        });
      }
      if (status < 300) adminChecked.add(`${method.toUpperCase()} ${template}`);
      return res;
    }

    const adminOperations = () =>
      Object.entries(doc.paths)
        .filter(([path]) => path.startsWith('/api/admin'))
        .flatMap(([path, item]: [string, any]) =>
          Object.entries(item).map(([method, op]: [string, any]) => ({ key: `${method.toUpperCase()} ${path}`, op })),
        );

    it('gives every staff operation a Chinese summary and a documented success reply (a JSON schema unless 204)', () => {
      const ops = adminOperations();
      expect(ops.length).toBeGreaterThanOrEqual(30);
      for (const { key, op } of ops) {
        const success = Object.entries(op.responses).filter(([status]) => /^2\d\d$/.test(status)) as [string, any][];
        const schema = success[0]?.[1].content?.['application/json']?.schema;
        expect({
          key,
          summary: /\p{Script=Han}/u.test(op.summary ?? ''),
          successes: success.length,
          schema: success[0]?.[0] === '204' || (!!schema && Object.keys(schema).length > 0),
        }).toEqual({ key, summary: true, successes: 1, schema: true });
      }
      expect(doc.components.schemas.NewApiKeyDto.properties.key.description).toContain('只在这一次响应中出现');
      expect(doc.components.schemas.ApiKeyDto.properties.key).toBeUndefined();
      expect(doc.components.schemas.NoticeViewDto.properties.status.enum).toEqual([
        'draft',
        'submitted',
        'approved',
        'published',
        'rejected',
      ]);
    });

    it('answers every staff operation as its schema says: sign-in, users, API keys, the publishing workflow, rules, calendar, audit, sync', async () => {
      const account = (username: string) => DEMO_ACCOUNTS.find((a) => a.username === username)!;
      const login = (
        await adminCall(undefined, 'post', '/api/admin/session', 200, {
          username: 'admin',
          password: account('admin').password,
        })
      ).body;
      expect(login.user).toMatchObject({ username: 'admin', role: 'admin' });
      const [admin, clerk, reviewer] = await Promise.all(
        ['admin', 'clerk', 'reviewer'].map((u) => signIn(t, u, account(u).password)),
      );
      expect((await adminCall(admin, 'get', '/api/admin/session', 200)).body).toMatchObject({
        via: 'session',
        user: { username: 'admin' },
      });

      // Users and API keys: the key itself appears once, in the reply that creates it.
      const users = (await adminCall(admin, 'get', '/api/admin/users', 200)).body.items;
      expect(users.map((u: any) => u.username)).toEqual(expect.arrayContaining(DEMO_ACCOUNTS.map((a) => a.username)));
      const created = (
        await adminCall(admin, 'post', '/api/admin/users', 201, {
          username: 'zhao.lei',
          displayName: '赵磊',
          role: 'clerk',
          password: 'Autumn-wind-2026',
        })
      ).body;
      expect(
        (
          await adminCall(admin, 'patch', `/api/admin/users/${created.id}`, 200, {
            displayName: '赵磊（审核）',
            role: 'reviewer',
          })
        ).body,
      ).toMatchObject({ role: 'reviewer', active: true });
      const key = (
        await adminCall(admin, 'post', '/api/admin/api-keys', 201, { userId: created.id, name: '电子交易系统' })
      ).body;
      expect(key.key.slice(0, 12)).toBe(key.prefix);
      const machine = await adminCall(
        {
          ...admin,
          get: (path: string) => t.http().get(path).set('Authorization', `Bearer ${key.key}`),
        } as StaffClient,
        'get',
        '/api/admin/session',
        200,
      );
      expect(machine.body).toMatchObject({
        via: `api-key:${key.id}`,
        csrfToken: null,
        expiresAt: null,
        user: { username: 'zhao.lei' },
      });
      const keys = (await adminCall(admin, 'get', '/api/admin/api-keys', 200)).body.items;
      expect(keys.find((k: any) => k.id === key.id)).toMatchObject({ name: '电子交易系统', revokedAt: null });
      expect((await adminCall(admin, 'delete', `/api/admin/api-keys/${key.id}`, 200)).body.revokedAt).toMatch(
        /\+08:00$/,
      );
      const zhao = await signIn(t, 'zhao.lei', 'Autumn-wind-2026');
      await adminCall(zhao, 'post', '/api/admin/session/password', 204, {
        currentPassword: 'Autumn-wind-2026',
        newPassword: 'Winter-snow-2026',
      });
      await adminCall(zhao, 'delete', '/api/admin/session', 204);

      // The workflow: a project, a draft edited and submitted by a clerk, approved by a reviewer (never by its
      // own author), a correction rejected, a withdrawal drafted.
      const project = (await adminCall(clerk, 'post', '/api/admin/projects', 201, constructionProject())).body;
      expect((await adminCall(clerk, 'get', `/api/admin/projects/${project.id}`, 200)).body.price).toMatchObject({
        kind: 'budget',
        unit: '元',
        enteredUnit: '万元',
      });
      const draft = (await adminCall(clerk, 'post', '/api/admin/notices', 201, tenderNotice(project.id))).body;
      await adminCall(clerk, 'patch', `/api/admin/notices/${draft.id}`, 200, {
        title: '红旗西路道路改造工程施工招标公告（第二版）',
      });
      expect((await adminCall(clerk, 'post', `/api/admin/notices/${draft.id}/submit`, 200, {})).body.status).toBe(
        'submitted',
      );
      const published = (await adminCall(reviewer, 'post', `/api/admin/notices/${draft.id}/approve`, 200, {})).body;
      expect(published).toMatchObject({ status: 'published', publishedAt: '2026-11-25T10:00:00+08:00' });
      const correction = (
        await adminCall(admin, 'post', '/api/admin/notices', 201, {
          projectId: project.id,
          type: 'correction',
          title: '红旗西路道路改造工程施工招标澄清公告',
          body: '投标截止时间顺延。',
          targetNoticeId: draft.id,
          details: {
            reason: '招标文件补充工程量清单',
            affectsBids: true,
            changes: { bidDeadline: '2026-12-22 09:30', openingTime: '2026-12-22 09:30' },
          },
        })
      ).body;
      await adminCall(admin, 'post', `/api/admin/notices/${correction.id}/submit`, 200, {});
      expect((await adminCall(admin, 'post', `/api/admin/notices/${correction.id}/approve`, 403, {})).body.error).toBe(
        'workflow.four-eyes',
      );
      expect(
        (
          await adminCall(reviewer, 'post', `/api/admin/notices/${correction.id}/reject`, 200, {
            reason: '顺延天数与招标人函件不符',
          })
        ).body.status,
      ).toBe('rejected');
      expect(
        (
          await adminCall(clerk, 'post', `/api/admin/notices/${draft.id}/withdrawals`, 201, {
            reason: '招标人调整建设方案',
          })
        ).body,
      ).toMatchObject({ type: 'withdrawal', status: 'draft' });
      expect((await adminCall(reviewer, 'get', `/api/admin/notices/${draft.id}`, 200)).body.status).toBe('published');
      expect(
        (await adminCall(reviewer, 'get', '/api/admin/notices?status=published&limit=200', 200)).body.items,
      ).toHaveLength(200);
      expect(
        (await adminCall(reviewer, 'get', `/api/admin/notices?projectId=${project.id}`, 200)).body.items,
      ).toHaveLength(3);

      // Rules and calendar.
      const rules = (await adminCall(clerk, 'get', '/api/admin/timing-rules', 200)).body.items;
      expect(rules.length).toBeGreaterThan(5);
      const updated = (
        await adminCall(admin, 'patch', `/api/admin/timing-rules/${rules[0].code}`, 200, { amount: rules[0].amount })
      ).body;
      expect(updated).toMatchObject({
        code: rules[0].code,
        amount: rules[0].amount,
        updatedAt: '2026-11-25T10:00:00+08:00',
      });
      const year = (
        await adminCall(admin, 'put', '/api/admin/calendar/2030', 200, {
          source: '国办发明电〔2029〕7号',
          days: [{ date: '2030-01-01', kind: 'holiday', name: '元旦' }],
        })
      ).body;
      expect(year).toEqual({
        year: 2030,
        source: '国办发明电〔2029〕7号',
        loadedAt: '2026-11-25T10:00:00+08:00',
        days: [{ date: '2030-01-01', kind: 'holiday', name: '元旦', source: '国办发明电〔2029〕7号' }],
      });
      expect((await adminCall(clerk, 'get', '/api/admin/calendar', 200)).body.items.map((y: any) => y.year)).toContain(
        2030,
      );

      // The audit log, with before and after images.
      const audit = (await adminCall(admin, 'get', '/api/admin/audit?limit=200', 200)).body;
      expect(audit.items.length).toBeGreaterThan(10);
      expect(
        (await adminCall(admin, 'get', `/api/admin/audit?entityType=notice&entityId=${draft.id}`, 200)).body.items
          .length,
      ).toBeGreaterThan(1);

      // Sync: the published notice is queued for the upstream; a parked entry is re-driven; a stalled pull skipped.
      const outbox = (await adminCall(reviewer, 'get', '/api/admin/sync/outbox?upstream=province', 200)).body.items;
      expect(outbox.map((e: any) => e.kind)).toEqual(expect.arrayContaining(['project', 'publication']));
      await t.db.manager.update(
        OutboxEntry,
        { id: outbox[0].id },
        { status: 'parked', parkedAt: new Date('2026-11-25T01:00:00Z'), lastError: '上级平台返回 503', attempts: 8 },
      );
      await t.db.manager.save(
        t.db.manager.create(SyncPeerState, {
          name: 'county',
          cursor: 'eyJ2IjoxLCJzZXEiOjd9',
          applied: 7,
          failures: 1,
          lastError: '公告所属项目不存在',
          lastAttemptAt: new Date('2026-11-25T01:30:00Z'),
          stalledChangeId: 'WFD-8',
          stalledSeq: 8,
          stalledKind: 'publication',
          stalledError: '公告所属项目不存在',
          stalledAt: new Date('2026-11-25T01:30:00Z'),
        }),
      );
      const overview = (await adminCall(reviewer, 'get', '/api/admin/sync', 200)).body;
      expect(overview.upstreams[0]).toMatchObject({ name: 'province', configured: true, parked: 1 });
      expect(overview.peers[0].stalled).toMatchObject({ changeId: 'WFD-8', seq: 8 });
      expect(overview.ingestKeys).toEqual([{ keyId: 'county-wfd', platformCode: 'WFD', relays: [] }]);
      expect((await adminCall(admin, 'post', `/api/admin/sync/outbox/${outbox[0].id}/redrive`, 200)).body).toEqual({
        redriven: [outbox[0].id],
      });
      expect((await adminCall(admin, 'post', '/api/admin/sync/upstreams/province/redrive', 200)).body).toEqual({
        redriven: [],
      });
      const skipped = (
        await adminCall(admin, 'post', '/api/admin/sync/peers/county/skip', 200, {
          changeId: 'WFD-8',
          reason: '该公告已由县级平台撤回，经电话核实后跳过',
        })
      ).body.skipped;
      expect(skipped).toMatchObject({ peer: 'county', changeId: 'WFD-8', skippedBy: 'admin', passedAt: null });
      expect((await adminCall(reviewer, 'get', '/api/admin/sync', 200)).body.skippedChanges).toHaveLength(1);

      // Disclosure on application: every step of one request, reviews and the clock's settings.
      const listed = (await adminCall(reviewer, 'get', '/api/admin/disclosure?filter=all', 200)).body.items;
      expect(listed.length).toBeGreaterThanOrEqual(12);
      const registered = (
        await adminCall(clerk, 'post', '/api/admin/disclosure', 201, {
          channel: 'in-person',
          receivedOn: '2026-11-24',
          applicantType: 'research-institution',
          name: '大连示例研究院',
          creditCode: '91110000802100433B',
          phone: '0411-88880000',
          description: '2025 年度政府采购项目数量统计',
          deliveryForm: 'electronic',
          deliveryChannel: 'email',
          email: 'info@example.cn',
        })
      ).body;
      const request = `/api/admin/disclosure/requests/${registered.trackingNo}`;
      await adminCall(clerk, 'post', `${request}/clarification`, 200, { text: '请写明统计口径' });
      await adminCall(clerk, 'post', `${request}/clarified`, 200, {});
      await adminCall(clerk, 'post', `${request}/pause`, 200, { note: '其他机关：市财政局' });
      await adminCall(clerk, 'post', `${request}/resume`, 200, {});
      await adminCall(clerk, 'post', `${request}/extension`, 200, {
        workingDays: 5,
        approver: '政务公开办公室负责人',
        notice: '延长 5 个工作日',
      });
      const answered = (
        await adminCall(clerk, 'post', `${request}/answer`, 200, { outcome: 'disclosed', replyText: '见附件。' })
      ).body;
      expect(answered.status).toBe('answered');
      expect((await adminCall(reviewer, 'get', request, 200)).body.personal.name).toBe('大连示例研究院');
      const review = (
        await adminCall(clerk, 'post', '/api/admin/disclosure/reviews', 201, {
          kind: 'reconsideration',
          trackingNo: registered.trackingNo,
          caseNumber: '大政复〔2026〕9号',
          filedOn: '2026-11-25',
          outcome: 'pending',
        })
      ).body;
      await adminCall(clerk, 'patch', `/api/admin/disclosure/reviews/${review.id}`, 200, {
        outcome: 'upheld',
        decidedOn: '2026-11-25',
      });
      expect((await adminCall(reviewer, 'get', '/api/admin/disclosure/reviews', 200)).body.items.length).toBe(3);
      expect((await adminCall(reviewer, 'get', '/api/admin/disclosure/rules', 200)).body.items.length).toBe(7);
      await adminCall(admin, 'patch', '/api/admin/disclosure/rules/due-soon', 200, { amount: 5 });

      expect(
        adminOperations()
          .map((o) => o.key)
          .filter((k) => !adminChecked.has(k)),
      ).toEqual([]);
    }, 120_000);
  });
});
