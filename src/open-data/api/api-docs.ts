import { applyDecorators, type Type } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../http/error-body.js';
import { CATEGORIES, NOTICE_TYPES } from '../../domain/catalog.js';
import { KEYWORD, KEYWORD_PATTERN, KEYWORD_RULE } from '../../trading/notice-filter.js';

/**
 * Decorators that describe the open-data endpoints in the API description (docs/docs.service.ts): the list
 * filters, paging, conditional responses and errors, from the same constants the services check.
 */

/** The category filter, as every list that takes it describes it. */
export const ApiCategoryQuery = () =>
  ApiQuery({
    name: 'category',
    required: false,
    description: '交易类别',
    enum: CATEGORIES.map((c) => c.slug),
    enumName: 'Category',
  });

/** The region filter (six digits, matching the code and every code under it). */
export const ApiRegionQuery = (description: string, example: string) =>
  ApiQuery({ name: 'region', required: false, description, schema: { type: 'string', pattern: '^\\d{6}$', example } });

/** A date filter bound (YYYY-MM-DD, China time). */
export const ApiDateQuery = (name: 'from' | 'to', description: string, example: string) =>
  ApiQuery({ name, required: false, description, schema: { type: 'string', format: 'date', example } });

/** The public list filters (trading/notice-filter.ts): the same on /api/v1/notices, the feeds and the exports. */
export const ApiNoticeFilters = () =>
  applyDecorators(
    ApiCategoryQuery(),
    ApiQuery({
      name: 'type',
      required: false,
      description: '公告类型',
      enum: NOTICE_TYPES.map((t) => t.slug),
      enumName: 'NoticeType',
    }),
    ApiRegionQuery('GB/T 2260 行政区划代码，匹配其本身及其下所有区划', '320500'),
    ApiDateQuery('from', '发布日期起（含，北京时间）', '2026-05-01'),
    ApiDateQuery('to', '发布日期止（含，北京时间）', '2026-05-31'),
    ApiQuery({
      name: 'q',
      required: false,
      description: `中文关键词，空格分隔的词须全部出现；${KEYWORD_RULE}（否则 400，不会当作搜索词）`,
      schema: { type: 'string', maxLength: KEYWORD.maxLength, pattern: KEYWORD_PATTERN, example: '道路 绿化' },
    }),
    ApiQuery({
      name: 'open',
      required: false,
      description: '1：只含投标截止时间未过的公告',
      enum: ['1', '0', 'true', 'false'],
    }),
    ApiQuery({
      name: 'sort',
      required: false,
      description: 'published（发布时间倒序，默认）或 deadline（截止时间）',
      enum: ['published', 'deadline'],
    }),
  );

export const ApiLimit = (limit: { default: number; max: number }) =>
  ApiQuery({
    name: 'limit',
    required: false,
    description: `每页条数，1 到 ${limit.max}`,
    schema: { type: 'integer', minimum: 1, maximum: limit.max, default: limit.default },
  });

export const ApiAfter = (what: string) =>
  ApiQuery({
    name: 'after',
    required: false,
    description: `${what}：上一页返回的 next，不透明；省略则从头开始`,
    schema: { type: 'string' },
  });

const CONDITIONAL_HEADERS = {
  ETag: { description: '弱校验值；下次请求带 If-None-Match', schema: { type: 'string' } },
  'Last-Modified': { description: '数据最后变更时间（HTTP 日期）', schema: { type: 'string' } },
};

/**
 * A public read: its summary, the 200 body (a response class, or a raw schema such as a $ref), 304 for a
 * client whose copy is current, and the errors it can answer (400, 429 always; 404 when it names a thing).
 */
export function ApiPublicRead(o: {
  summary: string;
  description?: string;
  tag: string;
  type?: Type | [Type];
  schema?: Record<string, unknown>;
  produces?: string;
  notFound?: boolean;
  conditional?: boolean;
}) {
  const content =
    o.produces && !o.produces.includes('json') ? { content: { [o.produces]: { schema: { type: 'string' } } } } : {};
  return applyDecorators(
    ApiTags(o.tag),
    ApiOperation({ summary: o.summary, ...(o.description ? { description: o.description } : {}) }),
    ApiResponse({
      status: 200,
      description: '成功',
      ...(o.conditional === false ? {} : { headers: CONDITIONAL_HEADERS }),
      ...(o.type ? { type: o.type } : {}),
      ...(o.schema ? { schema: o.schema } : {}),
      ...content,
    }),
    ...(o.conditional === false
      ? []
      : [ApiResponse({ status: 304, description: '未修改（If-None-Match / If-Modified-Since）' })]),
    o.notFound ? ApiErrors(400, 404, 429) : ApiErrors(400, 429),
  );
}
