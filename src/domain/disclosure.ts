/**
 * Disclosure on application (依申请公开): the fixed code lists a request is described by, each with its Chinese
 * label and where it comes from. The yearly report (国办公开办函〔2021〕30号, table 三 and 四) counts by these codes,
 * so a code, once used, is never renamed; a label may be reworded.
 *
 * Sources: Regulations on the Disclosure of Government Information (政府信息公开条例, State Council Order 711,
 * revised 2019) and the template of the yearly report (国务院办公厅政府信息与政务公开办公室《关于印发〈中华人民共和国
 * 政府信息公开工作年度报告格式〉的通知》国办公开办函〔2021〕30号). The rows below follow that template's table 三
 * as recalled, not as retrieved: to confirm against the published text.
 */

export interface CodeLabel<C extends string = string> {
  code: C;
  label: string;
}

/** Columns of table 三: a natural person, or a legal person or other organisation of one of five kinds. */
export const APPLICANT_TYPES = [
  { code: 'natural-person', label: '自然人' },
  { code: 'commercial-enterprise', label: '商业企业' },
  { code: 'research-institution', label: '科研机构' },
  // The template's column reads 社会公益组织 (to confirm); DOMAIN.md calls it "social organisation".
  { code: 'social-organisation', label: '社会公益组织' },
  { code: 'legal-service-body', label: '法律服务机构' },
  { code: 'other-organisation', label: '其他' },
] as const satisfies readonly CodeLabel[];
export type ApplicantType = (typeof APPLICANT_TYPES)[number]['code'];
export const APPLICANT_TYPE_BASIS = '条例第二十七条、第二十九条；年报格式表三列（国办公开办函〔2021〕30号，待核实）';

export const isOrganisation = (type: ApplicantType) => type !== 'natural-person';

/** Identity documents of a natural person (art. 29 (一) 身份证明). */
export const ID_DOCUMENT_TYPES = [
  { code: 'resident-id', label: '居民身份证' },
  { code: 'passport', label: '护照' },
  { code: 'hk-macao-permit', label: '港澳居民来往内地通行证' },
  { code: 'taiwan-permit', label: '台湾居民来往大陆通行证' },
  { code: 'foreign-permanent-residence', label: '外国人永久居留身份证' },
  { code: 'other', label: '其他有效身份证件' },
] as const satisfies readonly CodeLabel[];
export type IdDocumentType = (typeof ID_DOCUMENT_TYPES)[number]['code'];

/** How a request reached the center; decides its date of receipt (art. 31, receiptDate in disclosure-clock.ts). */
export const RECEIPT_CHANNELS = [
  { code: 'online', label: '网上申请（本门户）', basis: '条例第三十一条第（三）项：以双方确认之日为收到申请之日' },
  { code: 'in-person', label: '当面提交', basis: '条例第三十一条第（一）项：以提交之日为收到申请之日' },
  {
    code: 'post',
    label: '邮寄',
    basis: '条例第三十一条第（二）项：以签收之日为收到申请之日；平常信函等无需签收的，以与申请人确认之日为收到申请之日',
  },
  { code: 'fax', label: '传真', basis: '条例第三十一条第（三）项：以双方确认之日为收到申请之日' },
] as const satisfies readonly (CodeLabel & { basis: string })[];
export type ReceiptChannel = (typeof RECEIPT_CHANNELS)[number]['code'];

/** The form of the information asked for (art. 29 (三)). */
export const DELIVERY_FORMS = [
  { code: 'paper', label: '纸质' },
  { code: 'electronic', label: '电子文档' },
] as const satisfies readonly CodeLabel[];
export type DeliveryForm = (typeof DELIVERY_FORMS)[number]['code'];

/** How it is to be delivered (art. 29 (三) 获取信息的方式、途径). */
export const DELIVERY_CHANNELS = [
  { code: 'post', label: '邮寄' },
  { code: 'email', label: '电子邮件' },
  { code: 'collect', label: '当面领取' },
] as const satisfies readonly CodeLabel[];
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number]['code'];

/**
 * The outcome of a request: the rows of table 三's 三、本年度办理结果, as a group and, where the template splits
 * the group, a reason. Partly disclosed counts only as such (区分处理的，只计这一情形).
 */
export const OUTCOME_GROUPS = [
  { code: 'disclosed', label: '予以公开' },
  { code: 'partly-disclosed', label: '部分公开（区分处理的，只计这一情形，不计其他情形）' },
  { code: 'withheld', label: '不予公开' },
  { code: 'unavailable', label: '无法提供' },
  { code: 'not-handled', label: '不予处理' },
  { code: 'other', label: '其他处理' },
] as const satisfies readonly CodeLabel[];
export type OutcomeGroup = (typeof OUTCOME_GROUPS)[number]['code'];

export interface OutcomeReason extends CodeLabel {
  group: OutcomeGroup;
  basis: string;
}

/** Sub-rows of table 三 (to confirm against the template), with the article of the regulation behind each. */
export const OUTCOME_REASONS = [
  { group: 'withheld', code: 'state-secret', label: '属于国家秘密', basis: '条例第十四条' },
  { group: 'withheld', code: 'law-forbids', label: '其他法律行政法规禁止公开', basis: '条例第十四条' },
  { group: 'withheld', code: 'three-safeties', label: '危及“三安全一稳定”', basis: '条例第十四条' },
  { group: 'withheld', code: 'third-party', label: '保护第三方合法权益', basis: '条例第十五条' },
  { group: 'withheld', code: 'internal-affairs', label: '属于三类内部事务信息', basis: '条例第十六条第一款' },
  { group: 'withheld', code: 'process-info', label: '属于四类过程性信息', basis: '条例第十六条第二款' },
  { group: 'withheld', code: 'enforcement-file', label: '属于行政执法案卷', basis: '条例第十六条第二款' },
  { group: 'withheld', code: 'administrative-inquiry', label: '属于行政查询事项', basis: '条例第三十六条第（七）项' },
  { group: 'unavailable', code: 'not-held', label: '本机关不掌握相关政府信息', basis: '条例第三十六条第（四）项' },
  {
    group: 'unavailable',
    code: 'needs-creation',
    label: '没有现成信息需要另行制作',
    basis: '条例第三十八条',
  },
  { group: 'unavailable', code: 'unclear', label: '补正后申请内容仍不明确', basis: '条例第三十条' },
  { group: 'not-handled', code: 'petition', label: '信访举报投诉类申请', basis: '条例第三十九条第一款' },
  { group: 'not-handled', code: 'repeated', label: '重复申请', basis: '条例第三十六条第（六）项' },
  { group: 'not-handled', code: 'publication', label: '要求提供公开出版物', basis: '条例第三十九条第二款' },
  {
    group: 'not-handled',
    code: 'voluminous',
    label: '无正当理由大量反复申请',
    basis: '条例第三十五条',
  },
  {
    group: 'not-handled',
    code: 'confirm-or-reissue',
    label: '要求行政机关确认或重新出具已获取信息',
    basis: '条例第三十九条第二款',
  },
  {
    group: 'other',
    code: 'no-clarification',
    label: '申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请',
    basis: '条例第三十条',
  },
  {
    group: 'other',
    code: 'fee-unpaid',
    label: '申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请',
    basis: '条例第四十二条',
  },
  { group: 'other', code: 'other', label: '其他', basis: '' },
] as const satisfies readonly OutcomeReason[];
export type OutcomeReasonCode = (typeof OUTCOME_REASONS)[number]['code'];

/** Groups that name a reason (the others take none). */
export const GROUPS_WITH_REASONS: readonly OutcomeGroup[] = ['withheld', 'unavailable', 'not-handled', 'other'];

/** Whether a (group, reason) pair is a row of the fixed list; a group with sub-rows needs one of them. */
export function isOutcome(group: string, reason: string | null | undefined): boolean {
  if (!OUTCOME_GROUPS.some((g) => g.code === group)) return false;
  if (!GROUPS_WITH_REASONS.includes(group as OutcomeGroup)) return !reason;
  return OUTCOME_REASONS.some((r) => r.group === group && r.code === reason);
}

export function outcomeLabel(group: string | null, reason: string | null): string {
  if (!group) return '';
  const g = OUTCOME_GROUPS.find((x) => x.code === group)?.label.replace(/（.*$/, '') ?? group;
  const r = reason ? OUTCOME_REASONS.find((x) => x.group === group && x.code === reason)?.label : undefined;
  return r ? `${g}（${r}）` : g;
}

/** Administrative reconsideration (行政复议) and lawsuit (行政诉讼) about disclosure: table 四. */
export const REVIEW_KINDS = [
  { code: 'reconsideration', label: '行政复议' },
  { code: 'lawsuit', label: '行政诉讼' },
] as const satisfies readonly CodeLabel[];
export type ReviewKind = (typeof REVIEW_KINDS)[number]['code'];

/** A lawsuit is brought directly (未经复议直接起诉) or after a reconsideration (复议后起诉). */
export const LAWSUIT_ROUTES = [
  { code: 'direct', label: '未经复议直接起诉' },
  { code: 'after-reconsideration', label: '复议后起诉' },
] as const satisfies readonly CodeLabel[];
export type LawsuitRoute = (typeof LAWSUIT_ROUTES)[number]['code'];

export const REVIEW_OUTCOMES = [
  { code: 'upheld', label: '结果维持' },
  { code: 'corrected', label: '结果纠正' },
  { code: 'other', label: '其他结果' },
  { code: 'pending', label: '尚未审结' },
] as const satisfies readonly CodeLabel[];
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number]['code'];
export const REVIEW_BASIS = '年报格式表四（国办公开办函〔2021〕30号，待核实）；条例第五十一条';

/** The states of a request in the office (not a code of the report: the report counts outcomes). */
export const REQUEST_STATUSES = [
  { code: 'received', label: '已收到，办理中' },
  { code: 'awaiting-clarification', label: '待申请人补正' },
  { code: 'consulting', label: '征求第三方意见中（暂停计时）' },
  { code: 'answered', label: '已答复' },
  { code: 'withdrawn', label: '视为放弃申请（逾期未补正）' },
] as const satisfies readonly CodeLabel[];
export type RequestStatus = (typeof REQUEST_STATUSES)[number]['code'];

export const labelOf = (list: readonly CodeLabel[], code: string | null | undefined): string =>
  (code && list.find((x) => x.code === code)?.label) || '';

export const codesOf = (list: readonly CodeLabel[]) => list.map((x) => x.code);

/** A tracking number: YSQ, the year of submission, a dash and a six-digit sequence of that year (YSQ2026-000123). */
export const formatTrackingNo = (year: number, seq: number) => `YSQ${year}-${String(seq).padStart(6, '0')}`;
export const TRACKING_NO = /^YSQ(\d{4})-(\d{6,})$/;
