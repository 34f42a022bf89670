import { ApiProperty } from '@nestjs/swagger';
import { CATEGORIES, NOTICE_TYPES, PARTY_ROLES } from '../../domain/catalog.js';

/**
 * The public JSON (public-json.ts, changes.service.ts) as response classes for the API description. The
 * description's test checks real responses against these, with no undocumented field allowed.
 */
const TIME = { type: 'string', format: 'date-time', description: 'ISO 8601 北京时间（+08:00）' } as const;
const url = (example: string) => ({ type: 'string', format: 'uri', example }) as const;
const BASE = 'https://ggzy.example.gov.cn';

export class RegionDto {
  @ApiProperty({ pattern: '^\\d{6}$', description: 'GB/T 2260 行政区划代码', example: '320581' }) code: string;
  @ApiProperty({ type: 'string', nullable: true, example: '常熟市' }) name: string | null;
}

export class AmountDto {
  @ApiProperty({ description: '按录入单位的十进制字符串', example: '1280.5' }) value: string;
  @ApiProperty({ enum: ['元', '万元'], example: '万元' }) unit: string;
  @ApiProperty({ description: '折合元的精确值（两位小数）', example: '12805000.00' }) yuan: string;
}

export class PriceDto extends AmountDto {
  @ApiProperty({ enum: ['budget', 'reserve', 'none'], description: 'budget：预算金额；reserve：保留价/底价' })
  kind: string;
}

export class WithdrawnDto {
  @ApiProperty(TIME) at: string;
  @ApiProperty({ type: 'string', nullable: true, description: '撤回公告的编号' }) byNoticeId: string | null;
}

export class NoticeLinksDto {
  @ApiProperty(url(`${BASE}/notices/N20260520093000abcdefgh`)) html: string;
  @ApiProperty(url(`${BASE}/api/v1/notices/N20260520093000abcdefgh`)) self: string;
  @ApiProperty(url(`${BASE}/api/v1/projects/P20260518100000abcdefgh`)) project: string;
  @ApiProperty(url(`${BASE}/api/ocds/records/ocds-dl2102-E3205810101202605001`)) ocdsRecord: string;
}

export class PublicNoticeDto {
  @ApiProperty({ example: 'N20260520093000abcdefgh' }) id: string;
  @ApiProperty({ example: 'P20260518100000abcdefgh' }) projectId: string;
  @ApiProperty({ description: '来源平台标识码', example: 'DL2102' }) sourcePlatform: string;
  @ApiProperty({ description: '来源平台上的编号' }) sourceId: string;
  @ApiProperty({ enum: NOTICE_TYPES.map((t) => t.slug), enumName: 'NoticeType', description: '公告类型代码' })
  type: string;
  @ApiProperty({ example: '招标公告' }) typeName: string;
  @ApiProperty({ enum: ['publication', 'correction', 'withdrawal'] }) kind: string;
  @ApiProperty({ enum: CATEGORIES.map((c) => c.slug), enumName: 'Category', description: '交易类别代码' })
  category: string;
  @ApiProperty({ example: '工程建设招投标' }) categoryName: string;
  @ApiProperty({ type: RegionDto }) region: RegionDto;
  @ApiProperty({ example: '常熟市虞山街道老旧小区改造工程施工招标公告' }) title: string;
  @ApiProperty({ description: '正文（纯文本）', example: '本招标项目已由常熟市发展和改革委员会批准建设……' })
  body: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: '公告类型特有的字段，与发布时签名的内容一致：金额为 {value, unit, yuan}，时间为带 +08:00 的 ISO 8601',
    example: {
      bidDeadline: '2026-06-15T09:30:00+08:00',
      controlPrice: { value: '1280.5', unit: '万元', yuan: '12805000.00' },
      tenderer: { name: '常熟市住房和城乡建设局', creditCode: '11320581014120536C' },
    },
  })
  details: Record<string, unknown>;
  @ApiProperty({ ...TIME, nullable: true }) publishedAt: string | null;
  @ApiProperty({ type: 'string', nullable: true, description: '更正或撤回所针对的公告' }) targetNoticeId: string | null;
  @ApiProperty({ type: WithdrawnDto, nullable: true, description: '已被撤回时给出撤回时间与撤回公告' })
  withdrawn: WithdrawnDto | null;
  @ApiProperty({
    type: 'string',
    nullable: true,
    pattern: '^[0-9a-f]{64}$',
    description: '规范内容的 SHA-256（见 /transparency）',
  })
  contentHash: string | null;
  @ApiProperty({ type: 'integer', nullable: true, description: '公示日志序号' }) logSeq: number | null;
  @ApiProperty({ type: NoticeLinksDto }) links: NoticeLinksDto;
}

export class NextLinkDto {
  @ApiProperty({ type: 'string', format: 'uri', nullable: true, description: '下一页地址；没有下一页时为 null' })
  next: string | null;
}

export class NoticeListDto {
  @ApiProperty({
    type: 'integer',
    description:
      '符合条件的总数：筛选条件的组合为精确数；关键词搜索、“正在报名”及其他组合最多数到 10,000，超过时为下限（见 totalExact）',
    example: 128,
  })
  total: number;
  @ApiProperty({
    description: 'total 是否为精确数；false 表示符合条件的超过 total 条（页面显示“超过 10,000 条”）',
    example: true,
  })
  totalExact: boolean;
  @ApiProperty({ type: 'integer', example: 50 }) limit: number;
  @ApiProperty({ type: 'string', nullable: true, description: '下一页的 after 游标（不透明）；最后一页为 null' })
  next: string | null;
  @ApiProperty({ type: NextLinkDto }) links: NextLinkDto;
  @ApiProperty({ type: [PublicNoticeDto] }) items: PublicNoticeDto[];
}

export class PartyDto {
  @ApiProperty({ enum: PARTY_ROLES.map((r) => r.slug) }) role: string;
  @ApiProperty({ example: '招标人' }) roleName: string;
  @ApiProperty({ example: '常熟市住房和城乡建设局' }) name: string;
  @ApiProperty({ description: '统一社会信用代码', example: '11320581014120536C' }) creditCode: string;
  @ApiProperty({ type: 'string', nullable: true, example: '江苏省常熟市海虞北路 2 号' }) address: string | null;
}

export class LotDto {
  @ApiProperty({ example: 'BD01' }) code: string;
  @ApiProperty({ example: '一标段' }) name: string;
  @ApiProperty({ type: AmountDto, nullable: true }) budget: AmountDto | null;
}

export class ProjectLinksDto {
  @ApiProperty(url(`${BASE}/projects/P20260518100000abcdefgh`)) html: string;
  @ApiProperty(url(`${BASE}/api/v1/projects/P20260518100000abcdefgh`)) self: string;
  @ApiProperty(url(`${BASE}/api/ocds/records/ocds-dl2102-E3205810101202605001`)) ocdsRecord: string;
}

export class PublicProjectDto {
  @ApiProperty({ example: 'P20260518100000abcdefgh' }) id: string;
  @ApiProperty({ description: 'OCDS 开放合同标识', example: 'ocds-dl2102-E3205810101202605001' }) ocid: string;
  @ApiProperty({ description: '统一交易标识码', example: 'E3205810101202605001' }) dealCode: string;
  @ApiProperty({ description: '招标项目编号', example: 'CSJS-2026-017' }) tenderCode: string;
  @ApiProperty({ type: 'string', nullable: true, description: '投资项目统一代码' }) investmentCode: string | null;
  @ApiProperty({ example: 'DL2102' }) sourcePlatform: string;
  @ApiProperty({ enum: CATEGORIES.map((c) => c.slug), enumName: 'Category' }) category: string;
  @ApiProperty({ example: '工程建设招投标' }) categoryName: string;
  @ApiProperty({ type: RegionDto }) region: RegionDto;
  @ApiProperty({ example: '常熟市虞山街道老旧小区改造工程' }) name: string;
  @ApiProperty({ type: 'string', nullable: true }) summary: string | null;
  @ApiProperty({ type: PriceDto, nullable: true }) price: PriceDto | null;
  @ApiProperty({ type: 'string', nullable: true, description: '采购方式代码（政府采购）' })
  procurementMethod: string | null;
  @ApiProperty({ type: 'string', nullable: true, description: '出让方式代码（产权、土地等）' })
  transferMode: string | null;
  @ApiProperty({ type: 'string', nullable: true, example: '财政资金' }) fundingSource: string | null;
  @ApiProperty({ description: '是否全流程电子化' }) fullyOnline: boolean;
  @ApiProperty({ ...TIME, nullable: true }) bidDeadline: string | null;
  @ApiProperty({ ...TIME, nullable: true }) openingTime: string | null;
  @ApiProperty({ ...TIME, nullable: true }) firstPublishedAt: string | null;
  @ApiProperty({ ...TIME, nullable: true, description: '项目终止（全部撤回）的时间' }) terminatedAt: string | null;
  @ApiProperty({ type: [PartyDto] }) parties: PartyDto[];
  @ApiProperty({ type: [LotDto] }) lots: LotDto[];
  @ApiProperty({ type: ProjectLinksDto }) links: ProjectLinksDto;
}

export class ProjectWithNoticesDto extends PublicProjectDto {
  @ApiProperty({ type: [PublicNoticeDto], description: '已发布的公告，按发布顺序' }) notices: PublicNoticeDto[];
}

export class ChangeEntryDto {
  @ApiProperty({ type: 'integer', example: 42 }) seq: number;
  @ApiProperty({ enum: ['publication', 'correction', 'withdrawal'] }) kind: string;
  @ApiProperty(TIME) recordedAt: string;
  @ApiProperty() noticeId: string;
  @ApiProperty() projectId: string;
  @ApiProperty({ pattern: '^[0-9a-f]{64}$' }) contentHash: string;
  @ApiProperty({ pattern: '^[0-9a-f]{64}$' }) prevHash: string;
  @ApiProperty({ pattern: '^[0-9a-f]{64}$' }) entryHash: string;
  @ApiProperty({ type: PublicNoticeDto, description: '该公告现在的公开 JSON' }) notice: PublicNoticeDto;
}

export class ChangeLinksDto {
  @ApiProperty({ type: 'string', format: 'uri', description: '下一页地址（总是给出，空页时不变，可用于轮询）' })
  next: string;
}

export class ChangePageDto {
  @ApiProperty({ description: '下一页的 after 游标', example: 'eyJ2IjoxLCJzZXEiOjQyfQ' }) next: string;
  @ApiProperty({ description: '是否还有下一页（否则已读到末尾）' }) more: boolean;
  @ApiProperty({ type: ChangeLinksDto }) links: ChangeLinksDto;
  @ApiProperty({ type: [ChangeEntryDto] }) items: ChangeEntryDto[];
}
