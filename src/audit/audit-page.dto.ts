import { ApiProperty } from '@nestjs/swagger';

/** A page of the audit log (AuditService.search), as response classes for the API description. */
export class AuditActorDto {
  @ApiProperty({ type: 'integer', nullable: true, description: '用户编号；系统操作为 null', example: 4 })
  id: number | null;
  @ApiProperty({ description: '操作时的登录名', example: 'admin' }) username: string;
}

export class AuditEntryDto {
  @ApiProperty({ type: 'integer', example: 1024 }) id: number;
  @ApiProperty({
    type: 'string',
    format: 'date-time',
    description: 'ISO 8601 北京时间（+08:00）',
    example: '2026-05-20T09:30:00+08:00',
  })
  at: string;
  @ApiProperty({ type: AuditActorDto }) actor: AuditActorDto;
  @ApiProperty({ description: '操作途径：session（登录会话）、api-key:{编号}、demo-seed、cli 等', example: 'session' })
  via: string;
  @ApiProperty({ description: '操作', example: 'notice.approve' }) action: string;
  @ApiProperty({ description: '对象类型', example: 'notice' }) entityType: string;
  @ApiProperty({ description: '对象编号', example: 'N20260520093000abcdefgh' }) entityId: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: '修改前的内容（新建时为 null）',
  })
  before: Record<string, unknown> | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: '修改后的内容',
    example: { status: 'published' },
  })
  after: Record<string, unknown> | null;
  @ApiProperty({ type: 'string', nullable: true, description: '客户端 IP', example: '10.20.1.15' }) ip: string | null;
  @ApiProperty({ type: 'string', nullable: true, description: '请求编号，与服务器日志和错误响应的 requestId 对应' })
  requestId: string | null;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEntryDto], description: '最新的在前' }) items: AuditEntryDto[];
  @ApiProperty({ type: 'integer', nullable: true, description: '下一页的 before 参数；最后一页为 null', example: 975 })
  nextBefore: number | null;
}
