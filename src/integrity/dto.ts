import { ApiProperty } from '@nestjs/swagger';
import { CATEGORIES } from '../domain/catalog.js';
import { INDICATORS } from '../trading/integrity-rules.js';
import { FLAG_TOTAL_CAP } from './integrity-reads.js';

/** The flags JSON (/api/v1/flags) as response classes for the API description. */
const TIME = { type: 'string', format: 'date-time', description: 'ISO 8601 北京时间（+08:00）' } as const;

export class CohortDto {
  @ApiProperty({ type: 'number', description: '同一交易类别、同一年度可比标段比值的第一四分位数' }) q1: number;
  @ApiProperty({ type: 'number', description: '第三四分位数' }) q3: number;
  @ApiProperty({ type: 'integer', description: '计算时的可比标段数' }) n: number;
}

export class FlagDto {
  @ApiProperty({ type: 'integer' }) id: number;
  @ApiProperty({ enum: INDICATORS.map((i) => i.id) }) indicator: string;
  @ApiProperty({ example: '仅一家投标' }) indicatorName: string;
  @ApiProperty({ type: 'integer', description: '指标算法的版本：算法变更时递增' }) indicatorVersion: number;
  @ApiProperty({ type: 'string', nullable: true }) projectId: string | null;
  @ApiProperty({ type: 'string', nullable: true }) projectName: string | null;
  @ApiProperty({ description: '标段（包）编号；整个项目为空字符串' }) lotCode: string;
  @ApiProperty({ type: 'string', nullable: true, description: '招标人/采购人的统一社会信用代码（中标集中指标）' })
  buyerCode: string | null;
  @ApiProperty({ type: 'string', nullable: true, description: '提示涉及的单位（中标人、最低价投标人等）' })
  orgCode: string | null;
  @ApiProperty({ enum: CATEGORIES.map((c) => c.slug), enumName: 'Category' }) category: string;
  @ApiProperty({ pattern: '^\\d{6}$' }) regionCode: string;
  @ApiProperty({ pattern: '^\\d{4}$' }) year: string;
  @ApiProperty({ type: 'string', format: 'date', description: '据以计算的公告的发布日期（北京时间）；year 为其年份' })
  date: string;
  @ApiProperty({ type: 'string', nullable: true, description: '据以计算的公告' }) noticeId: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: '触发提示的计算值' })
  values: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, description: '计算时使用的阈值' })
  thresholds: Record<string, number>;
  @ApiProperty({ type: CohortDto, nullable: true, description: '同组比较类指标的四分位数与样本数' })
  cohort: CohortDto | null;
  @ApiProperty(TIME) computedAt: string;
  @ApiProperty({ type: 'string', format: 'uri', nullable: true }) project: string | null;
}

export class FlagListDto {
  @ApiProperty({ description: '红旗指标是提示而非认定' }) notice: string;
  @ApiProperty({
    type: 'integer',
    description: `符合条件的提示总数：只按指标、交易类别、年度筛选时为精确数；含地区或日期时最多数到 ${FLAG_TOTAL_CAP.toLocaleString('en-US')}，超过时为下限（见 totalExact）`,
  })
  total: number;
  @ApiProperty({ description: 'false：total 是下限（实际更多）' }) totalExact: boolean;
  @ApiProperty({
    description: 'true：阈值或指标版本刚更新，全部提示正在重新计算，完成前列表与总数可能不全（通常几分钟内完成）',
  })
  recomputing: boolean;
  @ApiProperty({ type: 'integer' }) limit: number;
  @ApiProperty({ type: 'string', nullable: true, description: '下一页的 after 游标；最后一页为 null' })
  next: string | null;
  @ApiProperty({ type: 'string', format: 'uri', nullable: true }) nextUrl: string | null;
  @ApiProperty({ type: [FlagDto] }) items: FlagDto[];
}
