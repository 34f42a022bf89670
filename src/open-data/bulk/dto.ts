import { ApiProperty } from '@nestjs/swagger';

/** /bulk/manifest.json, for the API description. */
export class BulkFileDto {
  @ApiProperty({ example: '2026-05-20-changes.jsonl.gz' }) name: string;
  @ApiProperty({ format: 'date', description: '北京时间日', example: '2026-05-20' }) day: string;
  @ApiProperty({ enum: ['changes', 'notices'] }) kind: string;
  @ApiProperty({ example: '当日变更流（gzip 压缩的 JSON Lines，每行一条，与 /api/v1/changes 的条目相同）' })
  description: string;
  @ApiProperty({ format: 'uri' }) url: string;
  @ApiProperty({ example: 'application/gzip' }) contentType: string;
  @ApiProperty({ type: 'integer', description: '字节数' }) size: number;
  @ApiProperty({ pattern: '^[0-9a-f]{64}$', description: '所下载字节的 SHA-256' }) sha256: string;
  @ApiProperty({ type: 'integer', description: '条目数' }) items: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class BulkManifestDto {
  @ApiProperty({ example: '每日批量文件：一个北京时间日一组，当日结束后生成，此后永不改变。' }) description: string;
  @ApiProperty({ type: [BulkFileDto], description: '最新的在前' }) files: BulkFileDto[];
}
