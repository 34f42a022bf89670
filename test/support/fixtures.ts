import { makeCreditCode } from '../../src/domain/credit-code.js';

/** Valid unified social credit codes for fixtures (check character computed per GB 32100-2015). */
export const creditCode = (n: number) => makeCreditCode(`91210200MA${String(n).padStart(7, '0')}`);

let deal = 0;

export function constructionProject(overrides: Record<string, unknown> = {}) {
  deal++;
  return {
    dealCode: `A02-2102-T${Date.now() % 100000}${deal}`,
    tenderCode: `E2102000001${String(deal).padStart(4, '0')}`,
    category: 'construction',
    regionCode: '210211',
    name: `甘井子区红旗西路道路改造工程${deal}`,
    price: { kind: 'budget', value: '1234.56', unit: '万元' },
    fundingSource: '财政资金',
    parties: [
      {
        role: 'tenderer',
        name: '大连市甘井子区城市建设管理局',
        creditCode: creditCode(1),
        address: '大连市甘井子区华北路1号',
        contactName: '王工',
        contactPhone: '0411-86000000',
      },
      { role: 'agency', name: '大连建信工程咨询有限公司', creditCode: creditCode(2) },
    ],
    lots: [
      {
        code: `E2102000001${String(deal).padStart(4, '0')}001`,
        name: '第一标段',
        budget: { value: '1234.56', unit: '万元' },
      },
    ],
    ...overrides,
  };
}

export function procurementProject(method = 'open-tender', overrides: Record<string, unknown> = {}) {
  return constructionProject({
    category: 'procurement',
    name: `大连市中心医院医用耗材采购项目${++deal}`,
    procurementMethod: method,
    parties: [{ role: 'purchaser', name: '大连市中心医院', creditCode: creditCode(3) }],
    lots: [],
    ...overrides,
  });
}

/** A tender notice issued at 2026-11-25 10:00 CST whose dates satisfy the default rules. */
export function tenderNotice(projectId: string, details: Record<string, unknown> = {}) {
  return {
    projectId,
    type: 'tender',
    title: '红旗西路道路改造工程施工招标公告',
    body: '本招标项目已由大连市甘井子区发展和改革局批准建设，现对该项目的施工进行公开招标。',
    details: {
      content: '道路改造、排水管网及绿化',
      qualifications: '具备市政公用工程施工总承包二级及以上资质',
      consortiumAccepted: false,
      documentsFrom: '2026-11-25 10:00',
      documentsTo: '2026-12-01 17:00',
      documentsMethod: '登录大连市公共资源交易平台下载',
      bidDeadline: '2026-12-16 09:30',
      openingTime: '2026-12-16 09:30',
      submissionMethod: '电子投标文件通过交易平台递交',
      controlPrice: { value: '1200', unit: '万元' },
      tenderer: { name: '大连市甘井子区城市建设管理局', creditCode: creditCode(1) },
      ...details,
    },
  };
}

export function procurementNotice(projectId: string, details: Record<string, unknown> = {}) {
  return {
    projectId,
    type: 'procurement',
    title: '医用耗材采购项目公开招标公告',
    body: '大连市中心医院医用耗材采购项目进行公开招标，欢迎合格供应商参加。',
    details: {
      method: 'open-tender',
      content: '一次性医用耗材',
      qualifications: '具有医疗器械经营许可证',
      consortiumAccepted: false,
      budget: { value: '356.8', unit: '万元' },
      documentsFrom: '2026-11-25 10:00',
      documentsTo: '2026-12-03 17:00',
      documentsMethod: '网上下载',
      bidDeadline: '2026-12-16 09:30',
      openingTime: '2026-12-16 09:30',
      submissionMethod: '电子投标',
      purchaser: { name: '大连市中心医院', creditCode: creditCode(3) },
      ...details,
    },
  };
}
