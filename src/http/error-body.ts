import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';
import { ERROR_CODES } from './error-codes.js';

/** The JSON error body (error.filter.ts), as the API description shows it. */
export class FieldErrorDto {
  @ApiProperty({ description: '字段路径', example: 'details.bidDeadline' }) field: string;
  @ApiProperty({ example: '必填' }) message: string;
}

export class ErrorBodyDto {
  @ApiProperty({ type: 'integer', description: 'HTTP 状态码', example: 400 }) statusCode: number;
  @ApiProperty({
    enum: ERROR_CODES,
    enumName: 'ErrorCode',
    description: '稳定的错误代码，程序据此判断',
    example: 'filter.invalid',
  })
  error: string;
  @ApiProperty({ description: '中文说明，可直接展示给用户', example: '交易类别 category 不正确' }) message: string;
  @ApiPropertyOptional({ type: [FieldErrorDto], description: '输入有误时，每个字段一条' }) errors?: FieldErrorDto[];
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: '帮助定位问题的附加信息（如时限规则的违反项、需等待的秒数）',
  })
  details?: unknown;
  @ApiPropertyOptional({ description: '本次请求的编号，与服务器日志对应，报告问题时请附上' }) requestId?: string;
}

const ERROR_TEXT: Record<number, string> = {
  400: '参数或请求体有误（errors 逐个字段说明）',
  401: '未登录、会话已过期，或签名无效',
  403: '无权限（角色不符、CSRF 令牌缺失或密钥所属平台不符）',
  404: '不存在或未发布',
  409: '当前状态不允许此操作',
  413: '请求体过大',
  415: '请求体不是 JSON',
  422: '不符合业务规则（如法定时限）',
  429: '超过频率限制；Retry-After 头给出需等待的秒数',
};

export type ErrorStatus = keyof typeof ERROR_TEXT;

/** Error responses of an operation, each with the error body; 429 also with its Retry-After header. */
export function ApiErrors(...statuses: ErrorStatus[]) {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: ERROR_TEXT[status],
        type: ErrorBodyDto,
        ...(status === 429
          ? { headers: { 'Retry-After': { description: '需等待的秒数', schema: { type: 'integer' } } } }
          : {}),
      }),
    ),
  );
}
