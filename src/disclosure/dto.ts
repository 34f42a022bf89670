import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  APPLICANT_TYPES,
  codesOf,
  DELIVERY_CHANNELS,
  DELIVERY_FORMS,
  ID_DOCUMENT_TYPES,
  LAWSUIT_ROUTES,
  OUTCOME_GROUPS,
  OUTCOME_REASONS,
  RECEIPT_CHANNELS,
  REQUEST_STATUSES,
  REVIEW_KINDS,
  REVIEW_OUTCOMES,
} from '../domain/disclosure.js';
import { ApiFromValidation } from '../http/api-schema.js';
import { IsChinaDate } from '../trading/validators.js';
import { LIST_FILTERS } from './disclosure.service.js';

// Requests: the service checks every field again with the public form's rules (application-input.ts).

@ApiFromValidation()
export class DisclosureListQuery {
  /** open 办理中；overdue 已超期；due-soon 即将到期；closed 已办结；all 全部 */
  @IsOptional() @IsIn(LIST_FILTERS) filter?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
}

@ApiFromValidation()
export class RegisterRequestDto {
  @IsIn(codesOf(RECEIPT_CHANNELS).filter((c) => c !== 'online')) channel: string;
  /** 收到申请之日（条例第三十一条：当面提交之日、邮件签收之日或双方确认之日） */
  @IsChinaDate() receivedOn: string;
  @IsIn(codesOf(APPLICANT_TYPES)) applicantType: string;
  @IsString() @MinLength(1) @MaxLength(100) name: string;
  @IsOptional() @IsString() @MaxLength(18) creditCode?: string;
  @IsOptional() @IsIn(codesOf(ID_DOCUMENT_TYPES)) idType?: string;
  @IsOptional() @IsString() @MaxLength(30) idNumber?: string;
  @IsOptional() @IsString() @MaxLength(30) phone?: string;
  @IsOptional() @IsString() @MaxLength(254) email?: string;
  @IsOptional() @IsString() @MaxLength(200) address?: string;
  @IsString() @MinLength(1) @MaxLength(2000) description: string;
  @IsOptional() @IsString() @MaxLength(500) purpose?: string;
  @IsIn(codesOf(DELIVERY_FORMS)) deliveryForm: string;
  @IsIn(codesOf(DELIVERY_CHANNELS)) deliveryChannel: string;
}

@ApiFromValidation()
export class ClarificationDto {
  /** 告知补正之日（默认今天），须在收到申请之日起 7 个工作日内 */
  @IsOptional() @IsChinaDate() on?: string;
  /** 给予申请人的补正期限（默认按规则 clarification-period 计算） */
  @IsOptional() @IsChinaDate() dueOn?: string;
  /** 需要补正的事项 */
  @IsString() @MinLength(1) @MaxLength(2000) text: string;
}

@ApiFromValidation()
export class StepDateDto {
  @IsOptional() @IsChinaDate() on?: string;
}

@ApiFromValidation()
export class ExtensionDto {
  @IsOptional() @IsChinaDate() on?: string;
  @IsInt() @Min(1) @Max(60) workingDays: number;
  /** 同意延期的政府信息公开工作机构负责人 */
  @IsString() @MinLength(1) @MaxLength(100) approver: string;
  /** 告知申请人的延期通知内容 */
  @IsString() @MinLength(1) @MaxLength(2000) notice: string;
  @IsOptional() @IsChinaDate() notifiedOn?: string;
}

@ApiFromValidation()
export class PauseDto {
  @IsOptional() @IsChinaDate() on?: string;
  /** 征求意见的第三方或其他机关 */
  @IsString() @MinLength(1) @MaxLength(500) note: string;
}

export class ReplyAttachmentInput {
  @IsString() @MinLength(1) @MaxLength(200) fileName: string;
  /** 文件内容，Base64 */
  @IsString() @MinLength(1) @MaxLength(1_500_000) contentBase64: string;
}

@ApiFromValidation()
export class AnswerDto {
  @IsOptional() @IsChinaDate() on?: string;
  @IsIn(codesOf(OUTCOME_GROUPS)) outcome: string;
  /** 不予公开、无法提供、不予处理、其他处理的具体理由（年报格式表三的细项） */
  @IsOptional() @IsIn([...new Set(OUTCOME_REASONS.map((r) => r.code))]) reason?: string;
  @IsString() @MinLength(1) @MaxLength(20000) replyText: string;
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5)
  @ValidateNested({ each: true })
  @Type(() => ReplyAttachmentInput)
  attachments?: ReplyAttachmentInput[];
}

@ApiFromValidation()
export class ReviewDto {
  @IsIn(codesOf(REVIEW_KINDS)) kind: string;
  @IsOptional() @IsIn(codesOf(LAWSUIT_ROUTES)) lawsuitRoute?: string;
  @IsOptional() @IsString() @MaxLength(24) trackingNo?: string;
  @IsString() @MinLength(1) @MaxLength(100) caseNumber: string;
  @IsChinaDate() filedOn: string;
  @IsIn(codesOf(REVIEW_OUTCOMES)) outcome: string;
  @IsOptional() @IsChinaDate() decidedOn?: string;
  @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

@ApiFromValidation()
export class UpdateReviewDto {
  @IsOptional() @IsIn(codesOf(REVIEW_OUTCOMES)) outcome?: string;
  @IsOptional() @IsChinaDate() decidedOn?: string;
  @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

@ApiFromValidation()
export class UpdateDisclosureRuleDto {
  @IsOptional() @IsInt() @Min(0) @Max(365) amount?: number;
  @IsOptional() @IsBoolean() enabled?: boolean;
}

// Replies.

const DATE = { type: 'string', format: 'date', example: '2026-09-21' } as const;
const DATE_OR_NULL = { ...DATE, nullable: true } as const;

export class ClockDto {
  @ApiProperty({
    enum: ['running', 'awaiting-clarification', 'clarification-lapsed', 'paused', 'closed', 'calendar-missing'],
  })
  state: string;
  @ApiProperty({ ...DATE_OR_NULL, description: '答复期限起算日（收到申请或收到补正申请之日）' }) startsOn:
    string | null;
  @ApiProperty({ ...DATE_OR_NULL, description: '答复期限的最后一日' }) dueOn: string | null;
  @ApiProperty({ ...DATE_OR_NULL, description: '告知补正的最后一日（条例第三十条）' })
  clarificationRequestBy: string | null;
  @ApiProperty({ description: '已计入的工作日' }) usedWorkingDays: number;
  @ApiProperty({ type: 'integer', nullable: true, description: '剩余工作日（负数为已超期）' })
  remainingWorkingDays: number | null;
  @ApiProperty() overdue: boolean;
  @ApiProperty() dueSoon: boolean;
  @ApiProperty({ required: false, description: '缺少节假日数据的年份' }) missingYear?: number;
}

export class DisclosureRequestSummaryDto {
  @ApiProperty({ example: 'YSQ2026-000123' }) trackingNo: string;
  @ApiProperty({ enum: codesOf(RECEIPT_CHANNELS) }) channel: string;
  @ApiProperty({ enum: codesOf(APPLICANT_TYPES) }) applicantType: string;
  @ApiProperty(DATE) receivedOn: string;
  @ApiProperty({ enum: codesOf(REQUEST_STATUSES) }) status: string;
  @ApiProperty({ type: 'string', nullable: true, enum: codesOf(OUTCOME_GROUPS) }) outcome: string | null;
  @ApiProperty({ type: 'string', nullable: true }) outcomeReason: string | null;
  @ApiProperty(DATE_OR_NULL) answeredOn: string | null;
  @ApiProperty({ type: ClockDto }) clock: ClockDto;
}

export class DisclosureRequestListDto {
  @ApiProperty({ type: [DisclosureRequestSummaryDto] }) items: DisclosureRequestSummaryDto[];
}

export class PersonalDto {
  @ApiProperty() name: string;
  @ApiProperty({ type: 'string', nullable: true }) creditCode: string | null;
  @ApiProperty({ type: 'string', nullable: true, enum: codesOf(ID_DOCUMENT_TYPES) }) idType: string | null;
  @ApiProperty({ type: 'string', nullable: true }) idNumber: string | null;
  @ApiProperty({ type: 'string', nullable: true }) phone: string | null;
  @ApiProperty({ type: 'string', nullable: true }) email: string | null;
  @ApiProperty({ type: 'string', nullable: true }) address: string | null;
}

export class StepDto {
  @ApiProperty() kind: string;
  @ApiProperty(DATE) on: string;
  @ApiProperty({ type: 'string', format: 'date-time' }) at: string;
  @ApiProperty() actor: string;
  @ApiProperty({ type: 'string', nullable: true }) note: string | null;
}

export class FileDto {
  @ApiProperty() id: number;
  @ApiProperty({ enum: ['identity', 'reply'] }) kind: string;
  @ApiProperty() fileName: string;
  @ApiProperty() contentType: string;
  @ApiProperty() size: number;
}

export class DisclosureRequestDto extends DisclosureRequestSummaryDto {
  @ApiProperty({ type: PersonalDto, nullable: true, description: '申请人信息（解密后；密钥不符时为 null）' })
  personal: PersonalDto | null;
  @ApiProperty() description: string;
  @ApiProperty({ type: 'string', nullable: true }) purpose: string | null;
  @ApiProperty({ enum: codesOf(DELIVERY_FORMS) }) deliveryForm: string;
  @ApiProperty({ enum: codesOf(DELIVERY_CHANNELS) }) deliveryChannel: string;
  @ApiProperty(DATE_OR_NULL) clarificationRequestedOn: string | null;
  @ApiProperty(DATE_OR_NULL) clarificationDueOn: string | null;
  @ApiProperty({ type: 'string', nullable: true }) clarificationText: string | null;
  @ApiProperty(DATE_OR_NULL) clarifiedOn: string | null;
  @ApiProperty(DATE_OR_NULL) extensionGrantedOn: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) extensionDays: number | null;
  @ApiProperty({ type: 'string', nullable: true }) extensionApprover: string | null;
  @ApiProperty({ type: 'string', nullable: true }) extensionNotice: string | null;
  @ApiProperty(DATE_OR_NULL) extensionNotifiedOn: string | null;
  @ApiProperty({ type: 'string', nullable: true }) replyText: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) identityDeletedAt: string | null;
  @ApiProperty({ type: [StepDto] }) steps: StepDto[];
  @ApiProperty({ type: [FileDto] }) files: FileDto[];
}

export class RegisteredDto {
  @ApiProperty({ example: 'YSQ2026-000123' }) trackingNo: string;
  @ApiProperty({ description: '查询码：只在这一次响应中出现，请交给申请人', example: 'ABCD-EFGH-JKLM' }) code: string;
  @ApiProperty(DATE) receivedOn: string;
  @ApiProperty(DATE_OR_NULL) dueOn: string | null;
}

export class ReviewViewDto {
  @ApiProperty() id: number;
  @ApiProperty({ enum: codesOf(REVIEW_KINDS) }) kind: string;
  @ApiProperty({ type: 'string', nullable: true, enum: codesOf(LAWSUIT_ROUTES) }) lawsuitRoute: string | null;
  @ApiProperty({ type: 'string', nullable: true }) trackingNo: string | null;
  @ApiProperty() caseNumber: string;
  @ApiProperty(DATE) filedOn: string;
  @ApiProperty({ enum: codesOf(REVIEW_OUTCOMES) }) outcome: string;
  @ApiProperty(DATE_OR_NULL) decidedOn: string | null;
  @ApiProperty({ type: 'string', nullable: true }) note: string | null;
}

export class ReviewListDto {
  @ApiProperty({ type: [ReviewViewDto] }) items: ReviewViewDto[];
}

export class DisclosureRuleDto {
  @ApiProperty() code: string;
  @ApiProperty() label: string;
  @ApiProperty() basis: string;
  @ApiProperty() amount: number;
  @ApiProperty() enabled: boolean;
}

export class DisclosureRuleListDto {
  @ApiProperty({ type: [DisclosureRuleDto] }) items: DisclosureRuleDto[];
}
