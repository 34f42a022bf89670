import { DomainError } from './errors.js';

/**
 * The fixed vocabularies of the portal. Slugs appear in public URLs, feeds and exports: never rename one.
 */
export type Family = 'construction' | 'procurement' | 'transfer';
export const FAMILIES: readonly Family[] = ['construction', 'procurement', 'transfer'];

export const CATEGORIES = [
  { slug: 'construction', name: '工程建设招投标', family: 'construction' },
  { slug: 'procurement', name: '政府采购', family: 'procurement' },
  { slug: 'state-assets', name: '行政事业单位国有资产出让', family: 'transfer' },
  { slug: 'land-mining', name: '土地使用权和矿业权出让', family: 'transfer' },
  { slug: 'property-rights', name: '国有产权交易', family: 'transfer' },
  { slug: 'highway', name: '公路工程', family: 'construction' },
  { slug: 'medical', name: '医疗器械和耗材采购', family: 'procurement' },
  { slug: 'water', name: '水利工程', family: 'construction' },
  { slug: 'port', name: '港口水运工程', family: 'construction' },
  { slug: 'municipal', name: '市政和园林绿化工程', family: 'construction' },
] as const satisfies readonly { slug: string; name: string; family: Family }[];

export type CategorySlug = (typeof CATEGORIES)[number]['slug'];
export type Category = (typeof CATEGORIES)[number];

export function categoryBySlug(slug: string): Category | undefined {
  return CATEGORIES.find((c) => c.slug === slug);
}

export type NoticeStage = 'announcement' | 'process' | 'result' | 'performance';
export type NoticeKind = 'publication' | 'correction' | 'withdrawal';

export interface NoticeType {
  slug: string;
  name: string;
  families: readonly Family[];
  stage: NoticeStage;
  kind: NoticeKind;
  /** National platform stage code (业务环节) per family, where one exists. */
  stageCodes?: Partial<Record<Family, string>>;
}

const ALL = FAMILIES;

export const NOTICE_TYPES = [
  {
    slug: 'tender',
    name: '招标公告',
    families: ['construction'],
    stage: 'announcement',
    kind: 'publication',
    stageCodes: { construction: '0101' },
  },
  {
    slug: 'prequalification',
    name: '资格预审公告',
    families: ['construction'],
    stage: 'announcement',
    kind: 'publication',
    stageCodes: { construction: '0101' },
  },
  {
    slug: 'procurement',
    name: '采购公告',
    families: ['procurement'],
    stage: 'announcement',
    kind: 'publication',
    stageCodes: { procurement: '0201' },
  },
  { slug: 'transfer', name: '出让/挂牌公告', families: ['transfer'], stage: 'announcement', kind: 'publication' },
  {
    slug: 'correction',
    name: '澄清/更正公告',
    families: ALL,
    stage: 'announcement',
    kind: 'correction',
    stageCodes: { procurement: '0204' },
  },
  {
    slug: 'bid-opening',
    name: '开标记录',
    families: ['construction', 'procurement'],
    stage: 'process',
    kind: 'publication',
    stageCodes: { construction: '0102' },
  },
  { slug: 'auction', name: '竞价过程', families: ['transfer'], stage: 'process', kind: 'publication' },
  {
    slug: 'candidates',
    name: '中标候选人公示',
    families: ['construction'],
    stage: 'result',
    kind: 'publication',
    stageCodes: { construction: '0104' },
  },
  {
    slug: 'result',
    name: '中标/成交结果公告',
    families: ['construction', 'procurement'],
    stage: 'result',
    kind: 'publication',
    stageCodes: { construction: '0104', procurement: '0202' },
  },
  { slug: 'deal', name: '成交公示', families: ['transfer'], stage: 'result', kind: 'publication' },
  {
    slug: 'contract',
    name: '合同公告',
    families: ALL,
    stage: 'performance',
    kind: 'publication',
    stageCodes: { procurement: '0203' },
  },
  { slug: 'performance', name: '履约信息', families: ALL, stage: 'performance', kind: 'publication' },
  // A termination ends the project, so it sits with the outcome.
  { slug: 'termination', name: '终止公告', families: ALL, stage: 'result', kind: 'publication' },
  { slug: 'abnormal', name: '交易异常公告', families: ['construction'], stage: 'process', kind: 'publication' },
  { slug: 'withdrawal', name: '撤回声明', families: ALL, stage: 'announcement', kind: 'withdrawal' },
] as const satisfies readonly NoticeType[];

export type NoticeTypeSlug = (typeof NOTICE_TYPES)[number]['slug'];

export function noticeTypeBySlug(slug: string): NoticeType | undefined {
  return NOTICE_TYPES.find((t) => t.slug === slug);
}

export function isNoticeTypeAllowed(typeSlug: string, categorySlug: string): boolean {
  const type = noticeTypeBySlug(typeSlug);
  const category = categoryBySlug(categorySlug);
  return !!type && !!category && type.families.includes(category.family);
}

export const PROCUREMENT_METHODS = [
  { slug: 'open-tender', name: '公开招标' },
  { slug: 'invited-tender', name: '邀请招标' },
  { slug: 'competitive-negotiation', name: '竞争性谈判' },
  { slug: 'competitive-consultation', name: '竞争性磋商' },
  { slug: 'inquiry', name: '询价' },
  { slug: 'single-source', name: '单一来源' },
] as const;
export type ProcurementMethod = (typeof PROCUREMENT_METHODS)[number]['slug'];

/**
 * 评标办法 (evaluation method) of a tender or procurement notice. Works tenders name it as in the standard tender
 * documents (综合评估法, 经评审的最低投标价法); government procurement as in MOF Order 87 (综合评分法, 最低评标价法),
 * which also covers the lowest-price rule of competitive negotiation and inquiry (最低价成交). `name` is the
 * works wording, `procurementName` the procurement one; a method without `procurementName` is not one of
 * government procurement's. Indicators that compare prices read these slugs: never rename one.
 */
export const EVALUATION_METHODS = [
  { slug: 'comprehensive', name: '综合评估法', procurementName: '综合评分法' },
  { slug: 'lowest-evaluated-price', name: '经评审的最低投标价法' },
  { slug: 'lowest-price', name: '最低投标价法', procurementName: '最低评标价法' },
] as const satisfies readonly { slug: string; name: string; procurementName?: string }[];
export type EvaluationMethod = (typeof EVALUATION_METHODS)[number]['slug'];

/** The methods a procurement notice may name (MOF Order 87 knows two). */
export const PROCUREMENT_EVALUATION_METHODS = EVALUATION_METHODS.filter((m) => 'procurementName' in m);

/** A method's Chinese name in the wording of its family (procurement or works); undefined for an unknown slug. */
export function evaluationMethodName(slug: unknown, family?: Family): string | undefined {
  const method = EVALUATION_METHODS.find((m) => m.slug === slug);
  if (!method) return undefined;
  return family === 'procurement' && 'procurementName' in method ? method.procurementName : method.name;
}

export const TRANSFER_MODES = [
  { slug: 'auction', name: '拍卖' },
  { slug: 'listing', name: '挂牌' },
  { slug: 'tender', name: '招标' },
  { slug: 'agreement', name: '协议' },
] as const;
export type TransferMode = (typeof TRANSFER_MODES)[number]['slug'];

export const PARTY_ROLES = [
  { slug: 'tenderer', name: '招标人' },
  { slug: 'purchaser', name: '采购人' },
  { slug: 'transferor', name: '出让方/转让方' },
  { slug: 'agency', name: '代理机构' },
] as const;
export type PartyRole = (typeof PARTY_ROLES)[number]['slug'];

export function partyRoleLabel(role: string): string | undefined {
  return PARTY_ROLES.find((r) => r.slug === role)?.name;
}

// ---- regions (GB/T 2260) -----------------------------------------------------------------------------

export interface Region {
  code: string;
  name: string;
  parent?: string;
  /** A code no longer in use, kept so old records still resolve. */
  historical?: true;
}

export const REGIONS: readonly Region[] = [
  { code: '210000', name: '辽宁省' },
  { code: '210200', name: '大连市', parent: '210000' },
  { code: '210202', name: '中山区', parent: '210200' },
  { code: '210203', name: '西岗区', parent: '210200' },
  { code: '210204', name: '沙河口区', parent: '210200' },
  { code: '210211', name: '甘井子区', parent: '210200' },
  { code: '210212', name: '旅顺口区', parent: '210200' },
  { code: '210213', name: '金州区', parent: '210200' },
  { code: '210214', name: '普兰店区', parent: '210200' },
  { code: '210224', name: '长海县', parent: '210200' },
  { code: '210281', name: '瓦房店市', parent: '210200' },
  { code: '210282', name: '普兰店市', parent: '210200', historical: true }, // became 普兰店区 in 2015
  { code: '210283', name: '庄河市', parent: '210200' },
];

/** The prefixes of the catalog's provinces (its regions without a parent): '21'. */
export const PROVINCE_PREFIXES: readonly string[] = REGIONS.filter((r) => !r.parent).map((r) => regionPrefix(r.code));

export function isValidRegionCode(code: string): boolean {
  return typeof code === 'string' && /^\d{6}$/.test(code) && code !== '000000';
}

/**
 * The prefix shared by a code and every code under it: province 210000 → '21', city 210200 → '2102',
 * county 210213 → '210213'. A region filter matches `code LIKE prefix%`.
 */
export function regionPrefix(code: string): string {
  if (!isValidRegionCode(code)) {
    throw new DomainError('region.invalid', `行政区划代码不正确：“${code}”，应为6位数字`, { value: code });
  }
  let prefix = code;
  while (prefix.length > 2 && prefix.endsWith('00')) prefix = prefix.slice(0, -2);
  return prefix;
}

/**
 * Every region prefix a six-digit code falls under, each once: its 2-, 4- and 6-digit prefixes (210211 → 21, 2102,
 * 210211; 210200 → 21, 2102, 210200). A filter's regionPrefix is one of them when the filter holds the code.
 */
export const regionPrefixes = (code: string): string[] => [...new Set([2, 4, 6].map((n) => code.slice(0, n)))];

export function regionName(code: string): string | undefined {
  return REGIONS.find((r) => r.code === code)?.name;
}
