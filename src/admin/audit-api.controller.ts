import { Controller, Get, Query } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateBy } from 'class-validator';
import { Roles } from '../auth/decorators.js';
import { isValidChinaDate } from '../domain/china-time.js';
import { AuditService } from '../audit/audit.service.js';
import { ApiFromValidation } from '../http/api-schema.js';
import { ApiReply } from '../http/api-reply.js';
import { AuditPageDto } from '../audit/audit-page.dto.js';

const IsChinaDate = () =>
  ValidateBy({
    name: 'isChinaDate',
    validator: {
      validate: (v) => typeof v === 'string' && isValidChinaDate(v),
      defaultMessage: () => '必须是有效的日期，格式为 YYYY-MM-DD',
    },
  });

@ApiFromValidation()
export class AuditQuery {
  @IsOptional() @IsString() @MaxLength(100) actor?: string;
  @IsOptional() @IsString() @MaxLength(64) action?: string;
  @IsOptional() @IsString() @MaxLength(32) entityType?: string;
  @IsOptional() @IsString() @MaxLength(100) entityId?: string;
  @IsOptional() @IsChinaDate() from?: string;
  @IsOptional() @IsChinaDate() to?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) before?: number;
}

/** The audit log, for administrators: who changed what, when, from where, with before and after images. */
@Controller('api/admin/audit')
@Roles('admin')
export class AuditApiController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiReply({
    summary: '审计日志（谁在何时从何处改了什么，含修改前后内容）',
    description: '按编号倒序分页：下一页以 nextBefore 作为 before。',
    type: AuditPageDto,
    errors: [400],
  })
  search(@Query() query: AuditQuery) {
    return this.audit.search(query);
  }
}
