import { getMetadataStorage } from 'class-validator';
import { CATEGORIES, NOTICE_TYPES } from '../../trading/domain/catalog.js';
import { KEYWORD, KEYWORD_PATTERN, KEYWORD_RULE } from '../../trading/notice-filter.js';
import type { RateLimitConfig } from '../../config/config.js';
import { CHANGES_LIMIT } from '../api/changes.service.js';
import { NOTICE_LIST_LIMIT } from '../api/notices-api.service.js';
import { OCDS_RELEASES_LIMIT } from '../ocds/ocds.service.js';
import { rateGroupOf } from '../rate-limit.js';

/**
 * The OpenAPI 3.0 document of the portal's machine endpoints. Paths and methods come from the controllers'
 * route metadata (every route under /api, plus the feeds, exports and bulk files), request bodies from the
 * DTO classes' validation metadata; the public endpoints' parameters and descriptions come from the same
 * constants their services use (filter slugs, limits, rate limits).
 */
export interface RouteInfo {
  method: string;
  /** Express form: /api/v1/notices/:id */
  path: string;
  controller: string;
  handler: string;
  roles?: string[];
  isPublic?: boolean;
  body?: new () => object;
}

type Json = Record<string, unknown>;

const FILTERS: Json[] = [
  { name: 'category', in: 'query', description: '交易类别', schema: { type: 'string', enum: CATEGORIES.map((c) => c.slug) } },
  { name: 'type', in: 'query', description: '公告类型', schema: { type: 'string', enum: NOTICE_TYPES.map((t) => t.slug) } },
  { name: 'region', in: 'query', description: 'GB/T 2260 行政区划代码，匹配其本身及其下所有区划', schema: { type: 'string', pattern: '^\\d{6}$' } },
  { name: 'from', in: 'query', description: '发布日期起（含，北京时间）', schema: { type: 'string', format: 'date' } },
  { name: 'to', in: 'query', description: '发布日期止（含，北京时间）', schema: { type: 'string', format: 'date' } },
  {
    name: 'q', in: 'query', description: `中文关键词，空格分隔的词须全部出现；${KEYWORD_RULE}（否则 400，不会当作搜索词）`,
    schema: { type: 'string', maxLength: KEYWORD.maxLength, pattern: KEYWORD_PATTERN },
  },
  { name: 'open', in: 'query', description: '1：只含投标截止时间未过的公告', schema: { type: 'string', enum: ['1', '0', 'true', 'false'] } },
  { name: 'sort', in: 'query', description: 'published（发布时间倒序，默认）或 deadline（截止时间）', schema: { type: 'string', enum: ['published', 'deadline'] } },
];
const limit = (l: { default: number; max: number }) => ({ name: 'limit', in: 'query', description: `每页条数，1 到 ${l.max}`, schema: { type: 'integer', minimum: 1, maximum: l.max, default: l.default } });
const after = (what: string) => ({ name: 'after', in: 'query', description: `${what}：上一页返回的 next，不透明；省略则从头开始`, schema: { type: 'string' } });

/** Summaries and parameters of the public endpoints, by "METHOD /path". */
const PUBLIC: Record<string, { summary: string; description?: string; parameters?: Json[]; produces?: string }> = {
  'GET /api/v1/notices': { summary: '已发布公告列表（键集分页）', parameters: [...FILTERS, limit(NOTICE_LIST_LIMIT), after('分页游标')] },
  'GET /api/v1/notices/{id}': { summary: '一条已发布公告' },
  'GET /api/v1/projects/{id}': { summary: '一个项目及其全部已发布公告（按发布顺序）' },
  'GET /api/v1/changes': {
    summary: '变更流：每次发布、更正、撤回，按提交顺序',
    description: '从头沿 next 读取，每个变更恰好出现一次（并发发布时亦然）；空页返回相同的 next 供轮询；游标无效为 400。',
    parameters: [after('变更游标'), limit(CHANGES_LIMIT)],
  },
  'GET /api/ocds/releases': {
    summary: 'OCDS 1.1.5 发布包（每条公告一个 release，links.next 分页）',
    description: '按提交顺序，与变更流同一游标；从头沿 links.next 读取，每个 release 恰好出现一次。每页都给出 links.next：'
      + '读到末尾之后的一页 releases 为空、links.next 不变，用它轮询即可取得之后发布的 release。'
      + '这是有意偏离发布包模式（releases 的 minItems: 1）的唯一之处：空页不是有效的 OCDS 发布包，校验或存档时应跳过；有 release 的页均符合模式。',
    parameters: [after('变更游标'), limit(OCDS_RELEASES_LIMIT)],
  },
  'GET /api/ocds/records/{ocid}': { summary: 'OCDS 1.1.5 记录包（含 compiledRelease）' },
  'GET /feeds/notices.rss': { summary: 'RSS 2.0 订阅', parameters: FILTERS, produces: 'application/rss+xml' },
  'GET /feeds/notices.atom': { summary: 'Atom 1.0 订阅', parameters: FILTERS, produces: 'application/atom+xml' },
  'GET /exports/{file}': { summary: 'CSV 下载：notices.csv、bids.csv、awards.csv（UTF-8 带 BOM，RFC 4180）', parameters: FILTERS, produces: 'text/csv' },
  'GET /exports': { summary: '数据字典（HTML）', produces: 'text/html' },
  'GET /bulk': { summary: '每日批量文件列表（HTML）', produces: 'text/html' },
  'GET /bulk/manifest.json': { summary: '每日批量文件清单：大小与 sha256' },
  'GET /bulk/{name}': { summary: '一个每日批量文件（gzip）', produces: 'application/gzip' },
  'GET /api/docs/openapi.json': { summary: '本文档' },
  'GET /api/docs': { summary: '本文档的网页版', produces: 'text/html' },
};

export const RATE_GROUP_LABELS = { api: '/api/v1、/api/ocds', feeds: '/feeds', exports: '/exports、/bulk' } as const;

export function rateLimitText(r: RateLimitConfig): string[] {
  return (Object.keys(RATE_GROUP_LABELS) as (keyof typeof RATE_GROUP_LABELS)[]).map(
    (g) => `${RATE_GROUP_LABELS[g]}：每个客户端 IP 每 ${r.windowSeconds} 秒 ${r[g]} 次`,
  );
}

export const documentedPath = (path: string) => path.startsWith('/api') || rateGroupOf(path) !== undefined;

export function openApiDocument(routes: RouteInfo[], opts: { baseUrl: string; title: string; rateLimit: RateLimitConfig }): Json {
  const paths: Record<string, Json> = {};
  const schemas: Json = {};
  for (const r of [...routes].filter((x) => documentedPath(x.path)).sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method))) {
    const path = r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/\/$/, '') || '/';
    const key = `${r.method} ${path}`;
    const known = PUBLIC[key];
    const admin = path.startsWith('/api/admin');
    const pathParams = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const limited = rateGroupOf(path) !== undefined && (r.method === 'GET' || r.method === 'HEAD');
    const responses: Json = {
      '200': { description: '成功', content: { [known?.produces ?? 'application/json']: {} } },
      '400': { description: '参数有误（JSON：statusCode、error、message、errors）', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      ...(pathParams.length ? { '404': { description: '不存在', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } } : {}),
      ...(r.method === 'GET' && !admin ? { '304': { description: '未修改（If-None-Match / If-Modified-Since）' } } : {}),
      ...(limited ? { '429': { description: '超过频率限制；Retry-After 头给出等待秒数', headers: { 'Retry-After': { schema: { type: 'integer' } } }, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } } : {}),
      ...(admin && !r.isPublic ? { '401': { description: '未登录' }, '403': { description: '角色无权限' } } : {}),
    };
    let requestBody: Json | undefined;
    if (r.body) {
      schemas[r.body.name] = dtoSchema(r.body);
      requestBody = { required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${r.body.name}` } } } };
    }
    const operation: Json = {
      operationId: `${r.controller}.${r.handler}`,
      tags: [admin ? 'admin' : path.startsWith('/api/v1') ? 'api' : path.startsWith('/api/ocds') ? 'ocds' : path.split('/')[1] ?? 'other'],
      summary: known?.summary ?? (admin ? `管理接口 ${r.controller}.${r.handler}` : `${r.controller}.${r.handler}`),
      ...(known?.description ? { description: known.description } : {}),
      ...(r.roles?.length ? { description: `角色：${r.roles.join('、')}` } : {}),
      parameters: [...pathParams, ...(known?.parameters ?? [])],
      ...(requestBody ? { requestBody } : {}),
      responses,
      ...(admin && !r.isPublic ? { security: [{ session: [], csrf: [] }, { apiKey: [] }] } : {}),
      ...(limited ? { 'x-rate-limit-group': rateGroupOf(path) } : {}),
    };
    paths[path] = { ...(paths[path] ?? {}), [r.method.toLowerCase()]: operation };
  }
  return {
    openapi: '3.0.3',
    info: {
      title: `${opts.title} 开放数据与管理接口`,
      version: '1',
      description: [
        '时间为 ISO 8601 北京时间（+08:00）；金额为十进制字符串并注明单位（元/万元）与报价形式；OCDS 金额为数字，与 CSV 相同。',
        `频率限制（按客户端 IP，固定窗口，各实例分别在内存中计数；多实例部署时实际上限最多为实例数倍）：${rateLimitText(opts.rateLimit).join('；')}。超过时返回 429 与 Retry-After。`,
        `交易类别代码：${CATEGORIES.map((c) => `${c.slug}（${c.name}）`).join('、')}。`,
        `公告类型代码：${NOTICE_TYPES.map((t) => `${t.slug}（${t.name}）`).join('、')}。`,
      ].join('\n\n'),
    },
    servers: [{ url: opts.baseUrl }],
    'x-rate-limits': { windowSeconds: opts.rateLimit.windowSeconds, api: opts.rateLimit.api, feeds: opts.rateLimit.feeds, exports: opts.rateLimit.exports, scope: 'per client IP, per instance' },
    paths,
    components: {
      schemas: {
        Error: { type: 'object', required: ['statusCode', 'error', 'message'], properties: { statusCode: { type: 'integer' }, error: { type: 'string' }, message: { type: 'string' }, requestId: { type: 'string', description: '请求编号，与响应头 X-Request-Id 相同' }, errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } } } },
        ...schemas,
      },
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'ggzy_session', description: 'POST /api/admin/session 登录后的会话' },
        csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token', description: '登录响应中的 csrfToken，会话请求必带' },
        apiKey: { type: 'http', scheme: 'bearer', description: '管理员签发的 API 密钥（电子交易系统调用）' },
      },
    },
  };
}

/** A JSON Schema of a DTO from its class-validator metadata: properties, required ones, simple types and enums. */
function dtoSchema(cls: new () => object): Json {
  const metas = getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false);
  const props: Record<string, Json> = {};
  const optional = new Set<string>();
  for (const m of metas) {
    const p = (props[m.propertyName] ??= {});
    const name = m.name ?? m.type;
    if (m.type === 'conditionalValidation') optional.add(m.propertyName);
    else if (name === 'isString') p.type = 'string';
    else if (name === 'isInt') p.type = 'integer';
    else if (name === 'isBoolean') p.type = 'boolean';
    else if (name === 'isArray') p.type = 'array';
    else if (name === 'isObject') p.type = 'object';
    else if (name === 'isIn' && Array.isArray(m.constraints?.[0])) p.enum = m.constraints[0];
    else if (m.type === 'nestedValidation') p.type ??= 'object';
  }
  for (const p of Object.values(props)) if (p.type === undefined && !p.enum) p.type = 'string';
  const required = Object.keys(props).filter((k) => !optional.has(k));
  return { type: 'object', properties: props, ...(required.length ? { required } : {}), additionalProperties: false };
}
