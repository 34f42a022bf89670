import { ApiProperty } from '@nestjs/swagger';
import { CATEGORIES, NOTICE_TYPES } from '../domain/catalog.js';
import { ORG_ROLE_NAMES } from '../trading/organization-facts.js';

/** The organisation JSON (/api/v1/organizations…) as response classes for the API description. */
const TIME = { type: 'string', format: 'date-time', description: 'ISO 8601 北京时间（+08:00）' } as const;
const CODE = { pattern: '^[0-9A-HJ-NP-RTUW-Y]{18}$', description: '统一社会信用代码', example: '91210200MA0Y8K2L3Q' };
const BASE = 'https://ggzy.example.gov.cn';
const SECTIONS = ['projects', 'bids', 'candidates', 'awards', 'contracts'];

export class OrgNameDto {
  @ApiProperty({ example: '大连市政建设集团有限公司' }) name: string;
  @ApiProperty({ ...TIME, description: '首次以此名称发布' }) firstSeen: string;
  @ApiProperty({ ...TIME, description: '最近一次以此名称发布' }) lastSeen: string;
  @ApiProperty({ type: 'integer', description: '以此名称出现的次数' }) appearances: number;
}

export class OrgCountsDto {
  @ApiProperty({ type: 'integer', description: '作为招标人、采购人、出让方或代理机构的项目' }) projects: number;
  @ApiProperty({ type: 'integer', description: '投标记录（开标记录中的投标）' }) bids: number;
  @ApiProperty({ type: 'integer', description: '作为中标候选人或竞得人' }) candidates: number;
  @ApiProperty({ type: 'integer', description: '中标（成交）' }) awards: number;
  @ApiProperty({ type: 'integer', description: '合同' }) contracts: number;
}

export class AwardTotalDto {
  @ApiProperty({ pattern: '^\\d{4}$', description: '发布年份（北京时间）', example: '2026' }) year: string;
  @ApiProperty({ enum: CATEGORIES.map((c) => c.slug), enumName: 'Category' }) category: string;
  @ApiProperty({ example: '工程建设招投标' }) categoryName: string;
  @ApiProperty({ type: 'integer', description: '中标（成交）次数（每个标段一次）' }) awards: number;
  @ApiProperty({ description: '以金额报价的中标价合计，元，精确两位小数', example: '12805000.00' }) amountYuan: string;
  @ApiProperty({ type: 'integer', description: '以费率、下浮率、折扣或单价报价的中标：只计次数，不计入金额' })
  unpriced: number;
}

export class OrgRefDto {
  @ApiProperty(CODE) creditCode: string;
  @ApiProperty({ type: 'string', nullable: true, description: '最近一次发布的名称' }) name: string | null;
}

export class BuyerShareDto {
  @ApiProperty({ type: OrgRefDto, description: '招标人或采购人' }) buyer: OrgRefDto;
  @ApiProperty({ pattern: '^\\d{4}$', example: '2026' }) year: string;
  @ApiProperty({ type: 'integer', description: '本机构当年中该招标人/采购人的标' }) awards: number;
  @ApiProperty({ type: 'integer', description: '该招标人/采购人当年的全部中标（成交）' }) buyerAwards: number;
  @ApiProperty({ type: 'number', minimum: 0, maximum: 1, description: 'awards / buyerAwards，四位小数' }) share: number;
  @ApiProperty({ example: '3500000.00' }) amountYuan: string;
  @ApiProperty({ example: '9800000.00' }) buyerAmountYuan: string;
}

export class OrgLinksDto {
  @ApiProperty({ type: 'string', format: 'uri', example: `${BASE}/organizations/91210200MA0Y8K2L3Q` }) html: string;
  @ApiProperty({ type: 'string', format: 'uri' }) self: string;
  @ApiProperty({ type: 'string', format: 'uri', description: '本机构全部记录的 CSV' }) csv: string;
  @ApiProperty({ type: 'string', format: 'uri' }) projects: string;
  @ApiProperty({ type: 'string', format: 'uri' }) bids: string;
  @ApiProperty({ type: 'string', format: 'uri' }) candidates: string;
  @ApiProperty({ type: 'string', format: 'uri' }) awards: string;
  @ApiProperty({ type: 'string', format: 'uri' }) contracts: string;
}

export class OrganizationDto {
  @ApiProperty(CODE) creditCode: string;
  @ApiProperty({ description: '最近一次发布的名称' }) name: string;
  @ApiProperty({ type: [OrgNameDto], description: '以此代码发布过的全部名称，最近的在前' }) names: OrgNameDto[];
  @ApiProperty({ type: OrgCountsDto, description: '各类记录的条数（撤回的公告不计）' }) counts: OrgCountsDto;
  @ApiProperty({ type: [AwardTotalDto], description: '按年份和交易类别的中标（成交）合计' })
  awardsByYear: AwardTotalDto[];
  @ApiProperty({ type: [BuyerShareDto], description: '在各招标人/采购人当年中标中所占份额' })
  buyerShares: BuyerShareDto[];
  @ApiProperty({ description: '招标人/采购人过多，buyerShares 只列出前 200 个' }) buyerSharesTruncated: boolean;
  @ApiProperty({ type: OrgLinksDto }) links: OrgLinksDto;
}

export class FactPriceDto {
  @ApiProperty({
    description:
      '报价形式：amount（金额）、down-rate（下浮率）、fee-rate（费率）、discount（折扣）、unit-price（单价）',
  })
  form: string;
  @ApiProperty({ example: '1280.5' }) value: string;
  @ApiProperty({ example: '万元' }) unit: string;
  @ApiProperty({ type: 'string', nullable: true, description: '金额折合元（精确两位小数）；费率、折扣、单价为 null' })
  yuan: string | null;
}

export class BidOutcomeDto {
  @ApiProperty({ type: 'integer', nullable: true, description: '在中标候选人公示中的排名' }) candidateRank:
    number | null;
  @ApiProperty({ description: '是否在已发布的中标（成交）结果中' }) won: boolean;
}

export class OrgFactDto {
  @ApiProperty({ enum: SECTIONS }) section: string;
  @ApiProperty({ enum: Object.keys(ORG_ROLE_NAMES) }) role: string;
  @ApiProperty({ example: '投标人' }) roleName: string;
  @ApiProperty({ description: '该公告中发布的名称' }) name: string;
  @ApiProperty() noticeId: string;
  @ApiProperty({ enum: NOTICE_TYPES.map((t) => t.slug), enumName: 'NoticeType' }) noticeType: string;
  @ApiProperty() projectId: string;
  @ApiProperty({ type: 'string', nullable: true }) projectName: string | null;
  @ApiProperty({ type: 'string', nullable: true, description: '标段（包）编号' }) lotCode: string | null;
  @ApiProperty({ type: FactPriceDto, nullable: true }) price: FactPriceDto | null;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: '中标候选人：排名；投标：在本标段以金额报价的投标中按报价从低到高的位次',
  })
  place: number | null;
  @ApiProperty({ description: '计入中标（成交）合计' }) award: boolean;
  @ApiProperty({ enum: CATEGORIES.map((c) => c.slug), enumName: 'Category' }) category: string;
  @ApiProperty({ pattern: '^\\d{6}$' }) regionCode: string;
  @ApiProperty(TIME) publishedAt: string;
  @ApiProperty({ description: '所在公告已被撤回（不计入合计）' }) withdrawn: boolean;
  @ApiProperty({ type: BidOutcomeDto, required: false, description: '仅投标记录：候选排名与是否中标' })
  outcome?: BidOutcomeDto;
  @ApiProperty({ type: 'string', format: 'uri' }) notice: string;
}

export class OrgFactListDto {
  @ApiProperty(CODE) creditCode: string;
  @ApiProperty({ enum: SECTIONS }) section: string;
  @ApiProperty({ type: 'integer', description: '本类记录总数（撤回的公告不计）' }) total: number;
  @ApiProperty({ type: 'integer' }) limit: number;
  @ApiProperty({ type: 'string', nullable: true, description: '下一页的 after 游标；最后一页为 null' })
  next: string | null;
  @ApiProperty({ type: 'string', format: 'uri', nullable: true }) nextUrl: string | null;
  @ApiProperty({ type: [OrgFactDto] }) items: OrgFactDto[];
}

export class OrgMatchDto {
  @ApiProperty(CODE) creditCode: string;
  @ApiProperty() name: string;
  @ApiProperty(TIME) lastSeen: string;
  @ApiProperty({ type: 'string', format: 'uri' }) self: string;
}

export class OrgSearchDto {
  @ApiProperty({ description: '查询词：名称的一部分，或信用代码的前缀' }) q: string;
  @ApiProperty({ description: 'true：可能还有其他相符的机构（只列出最先找到的），请给出更完整的名称或代码' })
  more: boolean;
  @ApiProperty({ type: [OrgMatchDto], description: '最多 50 个，最近发布者在前' }) items: OrgMatchDto[];
}
