import { CATEGORIES, NOTICE_TYPES } from '../../domain/catalog.js';
import { FILTER_PARAMS, KEYWORD_RULE } from '../../trading/notice-filter.js';
import { EXPORTS } from '../../published/export-rows.js';

const KIND_LABELS = { text: '文本', number: '数值', time: '时间' } as const;

const FILTER_HELP: Record<(typeof FILTER_PARAMS)[number], string> = {
  category: '交易类别代码（见下表）',
  type: '公告类型代码（见下表）',
  region: '6 位行政区划代码，包含其下所有区划',
  from: '发布日期起（含），YYYY-MM-DD，北京时间',
  to: '发布日期止（含），YYYY-MM-DD，北京时间',
  q: `关键词，${KEYWORD_RULE}`,
  open: '1：只含投标截止时间未过的公告',
  sort: '导出文件一律按发布时间倒序；为与列表地址通用而接受此参数',
};

/** What the data dictionary page shows: the exports, their columns, the filters and their slugs. */
export function dictionaryView() {
  return {
    title: '数据下载与字段说明',
    exports: Object.values(EXPORTS).map((e) => ({
      file: `${e.slug}.csv`,
      href: `/exports/${e.slug}.csv`,
      title: e.title,
      description: e.description,
      columns: e.columns.map((c) => ({ header: c.header, kind: KIND_LABELS[c.kind], description: c.description })),
    })),
    filters: FILTER_PARAMS.map((name) => ({ name, help: FILTER_HELP[name] })),
    categories: CATEGORIES.map((c) => ({ slug: c.slug, name: c.name })),
    types: NOTICE_TYPES.map((t) => ({ slug: t.slug, name: t.name })),
  };
}
