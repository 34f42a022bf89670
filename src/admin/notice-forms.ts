import {
  EVALUATION_METHODS,
  PROCUREMENT_EVALUATION_METHODS,
  PROCUREMENT_METHODS,
  TRANSFER_MODES,
} from '../domain/catalog.js';
import { amount, contactParty, type FieldSpec, party, price } from './form-schema.js';

/**
 * The form of each notice type: the fields of its details class in trading/notice-details.ts, labelled in
 * Chinese, in the order staff read a notice. The validators decide what is valid; these only lay it out.
 * notice-forms.spec.ts proves each form has its class's fields, required flags, parts and choices.
 */
const text = (key: string, label: string, required = false, hint?: string): FieldSpec => ({
  key,
  label,
  kind: 'text',
  required,
  hint,
});
const area = (key: string, label: string, required = false, hint?: string): FieldSpec => ({
  key,
  label,
  kind: 'textarea',
  required,
  hint,
});
const time = (key: string, label: string, required = false): FieldSpec => ({ key, label, kind: 'datetime', required });
const date = (key: string, label: string, required = false): FieldSpec => ({ key, label, kind: 'date', required });
const bool = (key: string, label: string): FieldSpec => ({ key, label, kind: 'bool', required: true });
const lot = (lots: { value: string; label: string }[]): FieldSpec =>
  lots.length
    ? { key: 'lotCode', label: '标段（包）', kind: 'select', options: lots, blank: '全部／不分标段' }
    : text('lotCode', '标段（包）编号');

/** 评标办法: optional, and asked for (the integrity indicators that compare prices need it). */
const evaluationMethod = (label: string, options: { value: string; label: string }[]): FieldSpec => ({
  key: 'evaluationMethod',
  label,
  kind: 'select',
  blank: '未载明',
  options,
  hint: '建议填写招标（采购）文件规定的方法；不填写的，依赖评标办法的统计指标不对本项目计算',
});

/**
 * 否决投标情况 of a candidate publicity or result: the bids the evaluation committee rejected, each with its reason.
 * Left empty and unticked, the notice says nothing about rejections; ticked, it records that none was rejected.
 */
const rejectedBids = (lots: { value: string; label: string }[], sameLot: string): FieldSpec => ({
  key: 'rejectedBids',
  label: '否决投标情况',
  kind: 'rows',
  rows: 2,
  max: 500,
  none: '评标委员会没有否决任何投标',
  hint: '评标委员会否决投标的，逐一填写投标人及否决理由（随公示公开）；没有否决的，请勾选“评标委员会没有否决任何投标”。',
  fields: [
    text('bidder', '投标人', true),
    text('creditCode', '统一社会信用代码', true),
    text('reason', '否决理由', true),
    lots.length
      ? { key: 'lotCode', label: '标段（包）', kind: 'select', options: lots, blank: sameLot }
      : text('lotCode', '标段（包）编号'),
  ],
});

const announcementDocuments = [
  time('documentsFrom', '文件发出（获取开始）时间', true),
  time('documentsTo', '文件获取截止时间', true),
  text('documentsMethod', '文件获取方式', true),
  text('submissionMethod', '递交方式', true),
  text('platformUrl', '电子交易平台网址'),
];

export function noticeDetailSpecs(type: string, lots: { value: string; label: string }[]): FieldSpec[] {
  switch (type) {
    case 'tender':
      return [
        area('content', '招标内容', true),
        area('scope', '招标范围'),
        text('scale', '建设规模'),
        text('fundingSource', '资金来源'),
        area('qualifications', '投标人资格要求', true),
        bool('consortiumAccepted', '是否接受联合体投标'),
        ...announcementDocuments,
        time('bidDeadline', '投标截止时间', true),
        time('openingTime', '开标时间', true),
        text('openingPlace', '开标地点'),
        amount('controlPrice', '最高投标限价（招标控制价）'),
        evaluationMethod(
          '评标办法',
          EVALUATION_METHODS.map((m) => ({ value: m.slug, label: m.name })),
        ),
        contactParty('tenderer', '招标人', true),
        contactParty('agency', '招标代理机构'),
      ];
    case 'prequalification':
      return [
        area('content', '项目内容', true),
        area('scope', '招标范围'),
        area('qualifications', '申请人资格要求', true),
        bool('consortiumAccepted', '是否接受联合体申请'),
        ...announcementDocuments,
        time('applicationDeadline', '资格预审申请截止时间', true),
        contactParty('tenderer', '招标人', true),
        contactParty('agency', '招标代理机构'),
      ];
    case 'procurement':
      return [
        {
          key: 'method',
          label: '采购方式',
          kind: 'select',
          required: true,
          blank: '请选择',
          options: PROCUREMENT_METHODS.map((m) => ({ value: m.slug, label: m.name })),
        },
        area('content', '采购需求', true),
        amount('budget', '预算金额', true),
        amount('maxPrice', '最高限价'),
        evaluationMethod(
          '评审方法',
          PROCUREMENT_EVALUATION_METHODS.map((m) => ({ value: m.slug, label: m.procurementName })),
        ),
        area('qualifications', '供应商资格要求', true),
        bool('consortiumAccepted', '是否接受联合体'),
        ...announcementDocuments,
        time('bidDeadline', '投标（响应）截止时间', true),
        time('openingTime', '开标时间'),
        contactParty('purchaser', '采购人', true),
        contactParty('agency', '采购代理机构'),
      ];
    case 'transfer':
      return [
        {
          key: 'mode',
          label: '交易方式',
          kind: 'select',
          required: true,
          blank: '请选择',
          options: TRANSFER_MODES.map((m) => ({ value: m.slug, label: m.name })),
        },
        area('subject', '标的情况', true),
        area('qualifications', '竞买人资格要求', true),
        amount('reservePrice', '起始价（底价）', true),
        amount('deposit', '保证金'),
        amount('increment', '加价幅度'),
        time('listingStart', '挂牌（公告）开始时间', true),
        time('listingEnd', '挂牌截止时间', true),
        time('auctionStart', '拍卖（竞价）开始时间'),
        contactParty('transferor', '出让方（转让方）', true),
        contactParty('agency', '代理机构'),
      ];
    case 'correction':
      return [
        area('reason', '更正原因和内容', true),
        {
          ...bool('affectsBids', '是否影响投标文件编制'),
          hint: '影响的，更正须在投标截止时间至少 15 日前发出，否则应顺延投标截止时间',
        },
        {
          key: 'changes',
          label: '结构化变更（只填写变更的项目）',
          kind: 'group',
          always: true,
          fields: [
            time('bidDeadline', '新的投标截止时间'),
            time('openingTime', '新的开标时间'),
            time('documentsTo', '新的文件获取截止时间'),
            time('listingEnd', '新的挂牌截止时间'),
            amount('budget', '新的预算金额'),
            amount('controlPrice', '新的最高投标限价'),
            amount('reservePrice', '新的起始价（底价）'),
          ],
        },
      ];
    case 'bid-opening':
      return [
        time('openingTime', '开标时间', true),
        text('openingPlace', '开标地点'),
        lot(lots),
        amount('controlPrice', '最高投标限价（招标控制价）'),
        {
          key: 'bids',
          label: '投标人及报价',
          kind: 'rows',
          required: true,
          rows: 5,
          max: 500,
          fields: [
            text('bidder', '投标人', true),
            text('creditCode', '统一社会信用代码', true),
            price('price', '投标报价', true),
            text('duration', '工期'),
            text('quality', '质量'),
            text('projectManager', '项目经理'),
            text('remark', '备注'),
          ],
        },
      ];
    case 'auction':
      return [
        time('startTime', '竞价开始时间', true),
        time('endTime', '竞价结束时间', true),
        amount('reservePrice', '起始价（底价）', true),
        {
          key: 'rounds',
          label: '竞价轮次',
          kind: 'rows',
          required: true,
          rows: 5,
          max: 5000,
          fields: [
            { key: 'round', label: '轮次', kind: 'int', required: true },
            text('bidder', '竞买人（号牌）', true),
            amount('price', '出价', true),
            time('time', '出价时间', true),
          ],
        },
        amount('finalPrice', '成交价', true),
        party('winner', '竞得人', true),
      ];
    case 'candidates':
      return [
        date('evaluationReportDate', '评标报告提交日期', true),
        time('publicityStart', '公示开始时间', true),
        time('publicityEnd', '公示结束时间', true),
        lot(lots),
        {
          key: 'candidates',
          label: '中标候选人',
          kind: 'rows',
          required: true,
          rows: 3,
          max: 10,
          fields: [
            { key: 'rank', label: '排名', kind: 'int', required: true },
            text('name', '名称', true),
            text('creditCode', '统一社会信用代码', true),
            price('price', '投标报价', true),
            text('quality', '质量'),
            text('duration', '工期'),
            text('projectManager', '项目负责人', true),
            text('certificateName', '证书名称', true),
            text('certificateNo', '证书编号', true),
            text('qualification', '资格能力条件', true),
          ],
        },
        rejectedBids(lots, '同本公示标段'),
        area('objectionChannel', '提出异议的渠道和方式', true),
        text('publisher', '公示发布责任人', true),
        text('checker', '数据核对人', true),
      ];
    case 'result':
      return [
        date('decisionDate', '中标（成交）确定日期', true),
        {
          key: 'winners',
          label: '中标（成交）人',
          kind: 'rows',
          required: true,
          rows: 2,
          max: 100,
          fields: [
            text('name', '名称', true),
            text('creditCode', '统一社会信用代码', true),
            price('price', '中标（成交）价', true),
            text('lotCode', '标段（包）编号'),
          ],
        },
        rejectedBids(lots, '不分标段'),
        area('remark', '其他说明'),
      ];
    case 'deal':
      return [
        date('dealDate', '成交日期', true),
        amount('dealPrice', '成交价', true),
        party('buyer', '受让方（竞得人）', true),
        time('publicityStart', '公示开始时间'),
        time('publicityEnd', '公示结束时间'),
      ];
    case 'contract':
      return [
        date('signedDate', '合同签订日期', true),
        text('contractNo', '合同编号'),
        party('supplier', '中标（成交）供应商／承包人', true),
        amount('amount', '合同金额', true),
        text('duration', '履约期限'),
        area('content', '合同主要内容'),
      ];
    case 'performance':
      return [
        {
          key: 'status',
          label: '履约状态',
          kind: 'select',
          required: true,
          blank: '请选择',
          options: [
            { value: 'in-progress', label: '履约中' },
            { value: 'completed', label: '已完成' },
            { value: 'accepted', label: '已验收' },
          ],
        },
        date('acceptanceDate', '验收日期'),
        area('summary', '履约情况', true),
      ];
    case 'abnormal':
      return [area('reason', '异常情况和原因', true), area('measures', '处理措施')];
    case 'termination':
      return [area('reason', '终止原因', true)];
    case 'withdrawal':
      return [area('reason', '撤回原因', true)];
    default:
      return [];
  }
}

/** Title, body and (for corrections and withdrawals) the published notice concerned. */
export function noticeHeadSpecs(targets: { value: string; label: string }[] | null): FieldSpec[] {
  return [
    ...(targets
      ? [
          {
            key: 'targetNoticeId',
            label: '针对的已发布公告',
            kind: 'select',
            required: true,
            blank: '请选择',
            options: targets,
            wide: true,
          } as FieldSpec,
        ]
      : []),
    { key: 'title', label: '公告标题', kind: 'text', required: true, wide: true },
    { key: 'body', label: '公告正文', kind: 'textarea', hint: '空行分段。' },
  ];
}
