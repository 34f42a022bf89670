import { CATEGORIES, PARTY_ROLES, PROCUREMENT_METHODS, REGIONS, TRANSFER_MODES } from '../domain/catalog.js';
import { amount, type FieldSpec } from './form-schema.js';

/** The project registration form: the fields of CreateProjectDto (publishing/dto.ts). */
export const PROJECT_SPECS: FieldSpec[] = [
  { key: 'name', label: '项目名称', kind: 'text', required: true, wide: true },
  {
    key: 'category',
    label: '交易类别',
    kind: 'select',
    required: true,
    blank: '请选择',
    options: CATEGORIES.map((c) => ({ value: c.slug, label: c.name })),
  },
  {
    key: 'regionCode',
    label: '行政区划',
    kind: 'select',
    required: true,
    blank: '请选择',
    options: REGIONS.filter((r) => !r.historical).map((r) => ({ value: r.code, label: `${r.name}（${r.code}）` })),
  },
  { key: 'dealCode', label: '统一交易标识码', kind: 'text', required: true, hint: '字母、数字和连字符' },
  { key: 'tenderCode', label: '招标（项目）编号', kind: 'text', required: true },
  { key: 'investmentCode', label: '投资项目代码', kind: 'text' },
  { key: 'fundingSource', label: '资金来源', kind: 'text' },
  {
    key: 'price',
    label: '预算（招标、采购）或底价（出让、转让）',
    kind: 'group',
    inline: true,
    presentIf: 'value',
    fields: [
      {
        key: 'kind',
        label: '类型',
        kind: 'select',
        options: [
          { value: 'budget', label: '预算' },
          { value: 'reserve', label: '底价' },
        ],
      },
      { key: 'value', label: '金额', kind: 'text' },
      {
        key: 'unit',
        label: '单位',
        kind: 'select',
        options: [
          { value: '元', label: '元' },
          { value: '万元', label: '万元' },
        ],
      },
    ],
  },
  {
    key: 'procurementMethod',
    label: '采购方式（政府采购项目）',
    kind: 'select',
    blank: '不适用',
    options: PROCUREMENT_METHODS.map((m) => ({ value: m.slug, label: m.name })),
  },
  {
    key: 'transferMode',
    label: '交易方式（出让、转让项目）',
    kind: 'select',
    blank: '不适用',
    options: TRANSFER_MODES.map((m) => ({ value: m.slug, label: m.name })),
  },
  { key: 'fullyOnline', label: '是否全流程电子化', kind: 'bool' },
  { key: 'summary', label: '项目概况', kind: 'textarea' },
  {
    key: 'parties',
    label: '招标人／采购人／出让方及代理机构',
    kind: 'rows',
    required: true,
    rows: 2,
    max: 20,
    fields: [
      {
        key: 'role',
        label: '身份',
        kind: 'select',
        required: true,
        blank: '请选择',
        options: PARTY_ROLES.map((r) => ({ value: r.slug, label: r.name })),
      },
      { key: 'name', label: '名称', kind: 'text', required: true },
      { key: 'creditCode', label: '统一社会信用代码', kind: 'text', required: true },
      { key: 'address', label: '地址', kind: 'text' },
      { key: 'contactName', label: '联系人', kind: 'text' },
      { key: 'contactPhone', label: '联系电话', kind: 'text' },
    ],
  },
  {
    key: 'lots',
    label: '标段（包）',
    kind: 'rows',
    rows: 2,
    max: 200,
    fields: [
      { key: 'code', label: '标段（包）编号', kind: 'text', required: true },
      { key: 'name', label: '名称', kind: 'text', required: true },
      amount('budget', '预算'),
    ],
  },
];
