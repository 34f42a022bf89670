import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { CATEGORIES, NOTICE_TYPES, PARTY_ROLES, PROCUREMENT_METHODS, TRANSFER_MODES } from '../domain/catalog.js';
import { AmountInput, ContactParty } from '../trading/notice-details.js';
import { IsCode, IsDateTimeInput, IsRegionCode } from '../trading/validators.js';
import { ApiFromValidation } from '../http/api-schema.js';

export class ProjectPartyInput extends ContactParty {
  @IsIn(PARTY_ROLES.map((r) => r.slug)) role: string;
}

export class ProjectLotInput {
  @IsCode() code: string;
  @IsString() @MinLength(1) @MaxLength(300) name: string;
  @IsOptional() @ValidateNested() @Type(() => AmountInput) budget?: AmountInput;
}

export class ProjectPriceInput extends AmountInput {
  @IsIn(['budget', 'reserve']) kind: 'budget' | 'reserve';
}

@ApiFromValidation()
export class CreateProjectDto {
  /** 统一交易标识码 */
  @IsCode() dealCode: string;
  /** 招标项目编号 / 项目编号 */
  @IsCode() tenderCode: string;
  @IsOptional() @IsString() @MaxLength(64) investmentCode?: string;
  @IsIn(CATEGORIES.map((c) => c.slug)) category: string;
  @IsRegionCode() regionCode: string;
  @IsString() @MinLength(2) @MaxLength(300) name: string;
  @IsOptional() @IsString() @MaxLength(20000) summary?: string;
  @IsOptional() @ValidateNested() @Type(() => ProjectPriceInput) price?: ProjectPriceInput;
  @IsOptional() @IsIn(PROCUREMENT_METHODS.map((m) => m.slug)) procurementMethod?: string;
  @IsOptional() @IsIn(TRANSFER_MODES.map((m) => m.slug)) transferMode?: string;
  @IsOptional() @IsString() @MaxLength(200) fundingSource?: string;
  @IsOptional() @IsBoolean() fullyOnline?: boolean;
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ProjectPartyInput)
  parties: ProjectPartyInput[];
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ProjectLotInput)
  lots?: ProjectLotInput[];
}

@ApiFromValidation()
export class NoticeDraftDto {
  @IsString() @MaxLength(80) projectId: string;
  @IsIn(NOTICE_TYPES.map((t) => t.slug)) type: string;
  @IsString() @MinLength(4) @MaxLength(300) title: string;
  @IsString() @MaxLength(200000) body: string;
  /** The type's own fields, validated by the class in trading/notice-details.ts. */
  @IsObject() details: Record<string, unknown>;
  /** For a correction or a withdrawal: the published notice it targets. */
  @IsOptional() @IsString() @MaxLength(80) targetNoticeId?: string;
}

@ApiFromValidation()
export class UpdateNoticeDraftDto {
  @IsOptional() @IsString() @MinLength(4) @MaxLength(300) title?: string;
  @IsOptional() @IsString() @MaxLength(200000) body?: string;
  @IsOptional() @IsObject() details?: Record<string, unknown>;
}

@ApiFromValidation()
export class SubmitDto {
  /** Ask for publication at this time (in the future); the reviewer sees it and may change it. */
  @IsOptional() @IsDateTimeInput() publishAt?: string;
}

@ApiFromValidation()
export class ApproveDto {
  /**
   * Publish at this time (in the future) instead of at once; null: at once. Omitted: at the time the author asked
   * for if it is still ahead, otherwise at once.
   */
  @IsOptional() @IsDateTimeInput() publishAt?: string | null;
}

@ApiFromValidation()
export class ReasonDto {
  @IsString() @MinLength(2) @MaxLength(2000) reason: string;
}

@ApiFromValidation()
export class WithdrawDto extends ReasonDto {
  @IsOptional() @IsString() @MinLength(4) @MaxLength(300) title?: string;
}
