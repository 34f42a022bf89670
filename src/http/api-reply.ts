import { applyDecorators, type Type } from '@nestjs/common';
import { ApiOperation, ApiResponse } from '@nestjs/swagger';
import { ApiErrors, type ErrorStatus } from './error-body.js';

const SUCCESS_TEXT = { 200: '成功', 201: '已创建', 204: '成功，无响应体' } as const;

/**
 * A JSON operation in the API description: its Chinese summary, the success status with its response class
 * (none for 204), and the errors it can answer besides those its guard adds (401 and 403 under /api/admin).
 */
export function ApiReply(o: {
  summary: string;
  description?: string;
  status?: keyof typeof SUCCESS_TEXT;
  type?: Type | [Type];
  errors?: ErrorStatus[];
}) {
  const status = o.status ?? 200;
  return applyDecorators(
    ApiOperation({ summary: o.summary, ...(o.description ? { description: o.description } : {}) }),
    ApiResponse({ status, description: SUCCESS_TEXT[status], ...(o.type ? { type: o.type } : {}) }),
    ApiErrors(...(o.errors ?? [])),
  );
}
