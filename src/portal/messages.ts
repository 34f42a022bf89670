/**
 * User-facing strings of the public pages that are chosen in code (titles, states, labels of structured
 * values). Strings that only lay out a page stay in its template. Kept together so another language can follow.
 */
export const PORTAL_TEXT = {
  portalName: '公共资源交易信息公开门户',
  beijingTime: '（北京时间）',
  nav: {
    home: '首页',
    notices: '交易公告',
    organizations: '市场主体',
    statistics: '数据统计',
    transparency: '信息公开',
    openData: '开放数据',
  },
  display: { large: '大字号高对比度', standard: '标准显示' },
  titles: {
    home: '首页',
    notices: '交易公告',
    search: (q: string) => `“${q}”的搜索结果`,
  },
  /** The state of an announcement's bidding period, by family of announcement. */
  bidding: {
    tender: { open: '正在接受投标', closed: '投标已截止' },
    prequalification: { open: '正在接受资格预审申请', closed: '资格预审申请已截止' },
    procurement: { open: '正在接受投标（响应）', closed: '投标（响应）已截止' },
    transfer: { open: '挂牌中，正在接受竞买申请', closed: '挂牌已结束' },
    withdrawn: '本公告已撤回',
    terminated: '项目已终止',
  },
  /** A publicity period (candidates, deal) and its objection window. */
  publicity: {
    upcoming: '公示尚未开始',
    open: '公示中，异议期未结束，可按下列渠道和方式提出异议',
    closed: '公示已结束，异议期已过',
  },
  performance: { 'in-progress': '履约中', completed: '已完成', accepted: '已验收' } as Record<string, string>,
  /** Labels of the structured changes a correction carries. */
  changes: {
    bidDeadline: '投标截止时间',
    openingTime: '开标时间',
    documentsTo: '文件获取截止时间',
    listingEnd: '挂牌截止时间',
    budget: '预算金额',
    controlPrice: '最高投标限价（招标控制价）',
    reservePrice: '起始价（底价）',
  } as Record<string, string>,
  priceKind: { budget: '预算金额', reserve: '起始价（底价）' } as Record<string, string>,
  /** The summary of the folded list filters on /notices. */
  filters: {
    none: '全部公告',
    from: (date: string) => `${date} 起`,
    to: (date: string) => `至 ${date}`,
    open: '只看正在招标',
    byDeadline: '按投标截止时间排序',
  },
};
