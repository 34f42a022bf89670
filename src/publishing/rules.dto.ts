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
import { IsChinaDate } from '../trading/validators.js';
import { ApiFromValidation } from '../http/api-schema.js';

@ApiFromValidation()
export class AdminListQuery {
  @IsOptional() @IsIn(['draft', 'submitted', 'approved', 'published', 'rejected']) status?: string;
  @IsOptional() @IsString() @MaxLength(80) projectId?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
}

@ApiFromValidation()
export class UpdateTimingRuleDto {
  @IsOptional() @IsInt() @Min(0) @Max(3650) amount?: number;
  @IsOptional() @IsIn(['calendar-days', 'working-days']) unit?: 'calendar-days' | 'working-days';
  @IsOptional() @IsIn(['at-least', 'within']) comparison?: 'at-least' | 'within';
  @IsOptional() @IsBoolean() enabled?: boolean;
  @IsOptional() @IsString() @MinLength(2) @MaxLength(200) label?: string;
  @IsOptional() @IsString() @MinLength(2) @MaxLength(200) basis?: string;
}

export class CalendarDayInput {
  @IsChinaDate() date: string;
  @IsIn(['holiday', 'workday']) kind: 'holiday' | 'workday';
  @IsString() @MinLength(1) @MaxLength(100) name: string;
}

@ApiFromValidation()
export class CalendarYearDto {
  /** The State Council notice the arrangement comes from, e.g. 国办发明电〔2025〕7号. */
  @IsString() @MinLength(2) @MaxLength(200) source: string;
  @IsArray() @ArrayMaxSize(366) @ValidateNested({ each: true }) @Type(() => CalendarDayInput) days: CalendarDayInput[];
}
