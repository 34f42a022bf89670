import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsObject, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';
import { ApiFromValidation } from '../http/api-schema.js';
import { CreateProjectDto, NoticeDraftDto } from '../publishing/dto.js';
import { IsDateTimeInput } from '../trading/validators.js';

/** URL-safe record identifiers (ours are `<platform>-<…>`; a county's own ids get that prefix on arrival). */
const RECORD_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;
const PLATFORM_CODE = /^[A-Za-z0-9]{2,24}$/;

/** A project from another platform: the staff API's project input plus its id and source (records.ts projectInput). */
export class ProjectRecordDto extends CreateProjectDto {
  @Matches(RECORD_ID) id: string;
  @Matches(PLATFORM_CODE) sourcePlatform: string;
}

/** A published notice from another platform: the staff API's notice input plus what publication fixed (records.ts noticeInput). */
export class NoticeRecordDto extends NoticeDraftDto {
  @Matches(RECORD_ID) id: string;
  @Matches(PLATFORM_CODE) sourcePlatform: string;
  @IsOptional() @Matches(RECORD_ID) sourceId?: string;
  @IsDateTimeInput() publishedAt: string;
  @IsOptional() @Matches(/^[0-9a-f]{64}$/) contentHash?: string;
}

/**
 * The envelope of a push (records.ts SyncMessage): a change feed item or a project, with the sender's platform
 * code and checkpoint. The record inside is checked by its own class, after mapping from its public JSON.
 */
@ApiFromValidation()
export class SyncMessageDto {
  @Matches(PLATFORM_CODE) platform: string;
  @IsIn(['project', 'publication', 'correction', 'withdrawal']) kind:
    'project' | 'publication' | 'correction' | 'withdrawal';
  @IsOptional() @IsInt() @Min(1) seq?: number;
  @IsOptional() @IsDateTimeInput() recordedAt?: string;
  @IsOptional() @IsString() @MaxLength(80) noticeId?: string;
  @IsOptional() @IsString() @MaxLength(80) projectId?: string;
  @IsOptional() @IsString() @MaxLength(64) contentHash?: string;
  @IsOptional() @IsString() @MaxLength(64) prevHash?: string;
  @IsOptional() @IsString() @MaxLength(64) entryHash?: string;
  @IsOptional() @IsObject() project?: Record<string, unknown>;
  @IsOptional() @IsObject() notice?: Record<string, unknown>;
  @IsOptional() @IsObject() checkpoint?: Record<string, unknown> | null;
}

/** What /api/v1/ingest answers (importer.ts ImportResult). */
export class ImportResultDto {
  @ApiProperty({
    enum: ['applied', 'present'],
    description: 'applied：本次写入；present：已有相同内容（重复发送或经两条路径到达）',
  })
  status: string;
  @ApiProperty({ enum: ['project', 'notice'] }) kind: string;
  @ApiProperty({ description: '本平台上的编号' }) id: string;
  @ApiProperty({ type: 'integer', nullable: true, required: false, description: '公告的公示日志序号' })
  logSeq?: number | null;
}
