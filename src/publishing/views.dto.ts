import { ApiProperty } from '@nestjs/swagger';
import { CATEGORIES, NOTICE_TYPES, PARTY_ROLES } from '../domain/catalog.js';

/** The staff API's notice and project (views.ts), as response classes for the API description. */
const TIME = {
  type: 'string',
  format: 'date-time',
  description: 'ISO 8601 北京时间（+08:00）',
  example: '2026-05-20T09:30:00+08:00',
} as const;
const TIME_OR_NULL = { ...TIME, nullable: true } as const;
const YUAN = { description: '金额（元），十进制字符串，两位小数', example: '12805000.00' } as const;
export const NOTICE_STATUSES = ['draft', 'submitted', 'approved', 'published', 'rejected'] as const;

export class NoticeViewDto {
  @ApiProperty({ example: 'N20260520093000abcdefgh' }) id: string;
  @ApiProperty({ example: 'P20260518100000abcdefgh' }) projectId: string;
  @ApiProperty({ enum: NOTICE_TYPES.map((t) => t.slug), enumName: 'NoticeType' }) type: string;
  @ApiProperty({ enum: CATEGORIES.map((c) => c.slug), enumName: 'Category' }) category: string;
  @ApiProperty({ pattern: '^\\d{6}$', example: '320581' }) regionCode: string;
  @ApiProperty({ example: '常熟市虞山街道老旧小区改造工程施工招标公告' }) title: string;
  @ApiProperty({ example: '本招标项目已由常熟市发展和改革委员会批准建设……' }) body: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: '公告类型特有的字段，按录入时校验后的内容保存',
    example: {
      bidDeadline: '2026-06-15 09:30',
      controlPrice: { value: '1280.5', unit: '万元' },
      tenderer: { name: '常熟市住房和城乡建设局', creditCode: '11320581014120536C' },
    },
  })
  details: Record<string, unknown>;
  @ApiProperty({ type: 'string', nullable: true, description: '更正或撤回所针对的已发布公告' })
  targetNoticeId: string | null;
  @ApiProperty({
    enum: NOTICE_STATUSES,
    description: 'draft 草稿；submitted 待审核；approved 已批准待定时发布；published 已发布；rejected 已退回',
  })
  status: string;
  @ApiProperty({ type: 'integer', nullable: true, description: '录入人的用户编号' }) authorId: number | null;
  @ApiProperty({ type: 'integer', nullable: true, description: '审核人的用户编号' }) reviewerId: number | null;
  @ApiProperty({
    type: 'string',
    nullable: true,
    description: '审核意见（退回原因）',
    example: '投标截止时间不足法定期限',
  })
  reviewComment: string | null;
  @ApiProperty(TIME_OR_NULL) submittedAt: string | null;
  @ApiProperty(TIME_OR_NULL) reviewedAt: string | null;
  @ApiProperty({ ...TIME_OR_NULL, description: '定时发布的时间' }) scheduledAt: string | null;
  @ApiProperty(TIME_OR_NULL) publishedAt: string | null;
  @ApiProperty({ type: 'string', nullable: true, pattern: '^[0-9a-f]{64}$', description: '发布时规范内容的 SHA-256' })
  contentHash: string | null;
  @ApiProperty({ type: 'integer', nullable: true, description: '公示日志序号' }) logSeq: number | null;
  @ApiProperty(TIME_OR_NULL) withdrawnAt: string | null;
  @ApiProperty({ type: 'string', nullable: true, description: '撤回公告的编号' }) withdrawnBy: string | null;
  @ApiProperty(TIME) createdAt: string;
  @ApiProperty(TIME) updatedAt: string;
}

export class NoticeViewListDto {
  @ApiProperty({ type: [NoticeViewDto], description: '按最后修改时间倒序' }) items: NoticeViewDto[];
}

export class ProjectPriceViewDto {
  @ApiProperty({ enum: ['budget', 'reserve', 'none'], description: 'budget：预算金额；reserve：保留价/底价' })
  kind: string;
  @ApiProperty(YUAN) amount: string;
  @ApiProperty({ enum: ['元'] }) unit: string;
  @ApiProperty({ enum: ['元', '万元'], description: '录入时使用的单位' }) enteredUnit: string;
  @ApiProperty({ enum: ['CNY'] }) currency: string;
}

export class ProjectPartyViewDto {
  @ApiProperty({ enum: PARTY_ROLES.map((r) => r.slug) }) role: string;
  @ApiProperty({ example: '常熟市住房和城乡建设局' }) name: string;
  @ApiProperty({ description: '统一社会信用代码', example: '11320581014120536C' }) creditCode: string;
  @ApiProperty({ type: 'string', nullable: true, example: '江苏省常熟市海虞北路 2 号' }) address: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: '陈建华' }) contactName: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: '0512-52722000' }) contactPhone: string | null;
}

export class LotBudgetViewDto {
  @ApiProperty(YUAN) amount: string;
  @ApiProperty({ enum: ['元'] }) unit: string;
  @ApiProperty({ enum: ['元', '万元'], description: '录入时使用的单位' }) enteredUnit: string;
}

export class ProjectLotViewDto {
  @ApiProperty({ example: 'BD01' }) code: string;
  @ApiProperty({ example: '一标段' }) name: string;
  @ApiProperty({ type: LotBudgetViewDto, nullable: true }) budget: LotBudgetViewDto | null;
}

export class ProjectViewDto {
  @ApiProperty({ example: 'P20260518100000abcdefgh' }) id: string;
  @ApiProperty({ description: '统一交易标识码', example: 'E3205810101202605001' }) dealCode: string;
  @ApiProperty({ description: '招标项目编号', example: 'CSJS-2026-017' }) tenderCode: string;
  @ApiProperty({ type: 'string', nullable: true, description: '投资项目统一代码', example: '2026-320581-47-01-512345' })
  investmentCode: string | null;
  @ApiProperty({ enum: CATEGORIES.map((c) => c.slug), enumName: 'Category' }) category: string;
  @ApiProperty({ pattern: '^\\d{6}$', example: '320581' }) regionCode: string;
  @ApiProperty({ example: '常熟市虞山街道老旧小区改造工程' }) name: string;
  @ApiProperty({ type: 'string', nullable: true, example: '改造虞山街道 12 个老旧小区的道路、管网与绿化' })
  summary: string | null;
  @ApiProperty({ type: ProjectPriceViewDto, nullable: true }) price: ProjectPriceViewDto | null;
  @ApiProperty({ type: 'string', nullable: true, description: '采购方式代码（政府采购）' })
  procurementMethod: string | null;
  @ApiProperty({ type: 'string', nullable: true, description: '出让方式代码（产权、土地等）' })
  transferMode: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: '财政资金' }) fundingSource: string | null;
  @ApiProperty({ description: '是否全流程电子化' }) fullyOnline: boolean;
  @ApiProperty({ description: '来源平台标识码', example: 'DL2102' }) sourcePlatform: string;
  @ApiProperty(TIME_OR_NULL) bidDeadline: string | null;
  @ApiProperty(TIME_OR_NULL) openingTime: string | null;
  @ApiProperty(TIME_OR_NULL) firstPublishedAt: string | null;
  @ApiProperty({ ...TIME_OR_NULL, description: '项目终止（全部撤回）的时间' }) terminatedAt: string | null;
  @ApiProperty({ type: [ProjectPartyViewDto] }) parties: ProjectPartyViewDto[];
  @ApiProperty({ type: [ProjectLotViewDto] }) lots: ProjectLotViewDto[];
}

/** A statutory timing rule (domain/timing-rules.ts) as administrators maintain it. */
export class TimingRuleDto {
  @ApiProperty({ example: 'construction.tender.documents-to-deadline' }) code: string;
  @ApiProperty({
    description: '规则名称，拒绝发布时显示',
    example: '自招标文件开始发出之日起至投标截止之日止，不得少于二十日',
  })
  label: string;
  @ApiProperty({ description: '法律依据', example: '《中华人民共和国招标投标法》第二十四条' }) basis: string;
  @ApiProperty({ type: [String], description: '适用的行业大类；空表示全部', example: ['construction'] })
  families: string[];
  @ApiProperty({ type: [String], description: '适用的交易类别；空表示所列大类的全部类别', example: [] })
  categories: string[];
  @ApiProperty({ type: [String], description: '适用的公告类型；空表示全部', example: ['tender'] })
  noticeTypes: string[];
  @ApiProperty({ type: [String], description: '适用的采购方式；空表示任何方式（含无）', example: [] })
  methods: string[];
  @ApiProperty({ description: '期限起算的事件（公告字段）', example: 'documentsFrom' }) from: string;
  @ApiProperty({ description: '与期限终点比较的事件（公告字段）', example: 'bidDeadline' }) to: string;
  @ApiProperty({ enum: ['at-least', 'within'], description: 'at-least：不早于期限终点；within：不晚于期限终点' })
  comparison: string;
  @ApiProperty({ type: 'integer', minimum: 0, example: 20 }) amount: number;
  @ApiProperty({ enum: ['calendar-days', 'working-days'], description: '自然日或工作日' }) unit: string;
  @ApiProperty() enabled: boolean;
}

export class TimingRuleListDto {
  @ApiProperty({ type: [TimingRuleDto], description: '按规则代码排序' }) items: TimingRuleDto[];
}

export class UpdatedTimingRuleDto extends TimingRuleDto {
  @ApiProperty(TIME) updatedAt: string;
}

export class CalendarDayDto {
  @ApiProperty({ format: 'date', example: '2027-05-01' }) date: string;
  @ApiProperty({ enum: ['holiday', 'workday'], description: 'holiday：放假；workday：调休上班' }) kind: string;
  @ApiProperty({ example: '劳动节' }) name: string;
  @ApiProperty({ description: '放假安排的出处', example: '国办发明电〔2026〕7号' }) source: string;
}

export class CalendarYearViewDto {
  @ApiProperty({ type: 'integer', example: 2027 }) year: number;
  @ApiProperty({ description: '放假安排的出处', example: '国办发明电〔2026〕7号' }) source: string;
  @ApiProperty(TIME) loadedAt: string;
  @ApiProperty({ type: [CalendarDayDto], description: '放假日与调休上班日，按日期排序；未列出的日期按星期' })
  days: CalendarDayDto[];
}

export class CalendarYearListDto {
  @ApiProperty({ type: [CalendarYearViewDto] }) items: CalendarYearViewDto[];
}
