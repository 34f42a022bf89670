import type { ProcurementMethod } from '../domain/catalog.js';
import { localOrgan, org, type Org } from './parties.js';
import type { Random } from './random.js';
import {
  CITY_BODIES,
  districtByCode,
  HOSPITALS,
  localName,
  MEDICAL_ITEMS,
  type District,
  type Trade,
} from './tables.js';

/** What a procurement (政府采购, 医疗器械和耗材) project buys, for whom, and from which trade. */
export type PurchaseCategory = 'procurement' | 'medical';

export interface PurchaseSubject {
  name: string;
  district: District;
  purchaser: Org;
  trade: Trade;
  /** The requirement in one sentence. */
  need: string;
  delivery: string;
  /** Budget range in 万元. */
  budgetWan: [number, number];
  service: boolean;
  /** Why only one supplier can deliver (single-source projects). */
  soleReason?: string;
}

type Template = (d: District, r: Random) => PurchaseSubject;

/** A city-level body; its project is filed under the district where the body sits. */
const cityBody = (r: Random) => {
  const b = r.pick(CITY_BODIES);
  return {
    body: org(b.name, b.kind === 'organ' ? 'organ' : 'institution', '210200', b.address),
    d: districtByCode(b.region),
  };
};

const GOODS_AND_SERVICES: Template[] = [
  (d, r) => ({
    name: `${localName(d, '教育局')}中小学智慧教室设备采购项目`,
    district: d,
    purchaser: localOrgan(d, '教育局', r),
    trade: 'it',
    need: `采购交互式智能平板${r.int(80, 400)}套、常态化录播系统${r.int(4, 20)}套及配套安装服务`,
    delivery: '合同签订后45日内供货并安装调试完毕',
    budgetWan: [180, 1500],
    service: false,
  }),
  (_, r) => {
    const { body, d } = cityBody(r);
    return {
      name: `${body.name}办公家具采购项目`,
      district: d,
      purchaser: body,
      trade: 'furniture',
      need: '办公桌椅、文件柜、会议桌椅等办公家具一批（详见采购需求）',
      delivery: '合同签订后30日内交货',
      budgetWan: [20, 180],
      service: false,
    };
  },
  (_, r) => {
    const { body, d } = cityBody(r);
    return {
      name: `${body.name}业务协同信息化平台建设项目`,
      district: d,
      purchaser: body,
      trade: 'it',
      need: '业务协同平台软件开发、数据治理、等保三级安全加固及一年运维',
      delivery: '合同签订后180日内完成建设并通过验收',
      budgetWan: [150, 1200],
      service: true,
    };
  },
  (d, r) => ({
    name: `${localName(d, '城市管理局')}城区环卫保洁服务采购项目`,
    district: d,
    purchaser: localOrgan(d, '城市管理局', r),
    trade: 'services',
    need: `城区主次干道约${r.int(200, 900)}万平方米的道路清扫保洁、垃圾清运及公厕管理`,
    delivery: '服务期一年，自合同签订之日起',
    budgetWan: [600, 3200],
    service: true,
  }),
  (_, r) => {
    const { body, d } = cityBody(r);
    return {
      name: `${body.name}物业管理服务采购项目`,
      district: d,
      purchaser: body,
      trade: 'services',
      need: '办公楼保洁、秩序维护、设施设备运行维护及会议服务',
      delivery: '服务期三年，合同一年一签',
      budgetWan: [60, 420],
      service: true,
    };
  },
  (d, r) => ({
    name: `${localName(d, '教育局')}中小学食堂食材配送服务采购项目`,
    district: d,
    purchaser: localOrgan(d, '教育局', r),
    trade: 'food',
    need: `为辖区${r.int(12, 40)}所中小学食堂配送米面粮油、肉禽蛋、蔬菜等食材`,
    delivery: '服务期一年，每日按订单配送',
    budgetWan: [300, 1600],
    service: true,
  }),
  (d, r) => ({
    name: `大连市公安局${d.name}分局执法记录仪采购项目`,
    district: d,
    purchaser: org(`大连市公安局${d.name}分局`, 'organ', d.code, localName(d, `${r.pick(d.roads)}${r.int(1, 200)}号`)),
    trade: 'it',
    need: `执法记录仪${r.int(200, 800)}台、采集站${r.int(20, 80)}台及管理平台扩容`,
    delivery: '合同签订后30日内交货',
    budgetWan: [60, 320],
    service: false,
  }),
  (_, r) => {
    const { body, d } = cityBody(r);
    return {
      name: `${body.name}公务用车采购项目`,
      district: d,
      purchaser: body,
      trade: 'vehicles',
      need: `新能源公务用车${r.int(2, 8)}辆（单车价格不超过18万元）`,
      delivery: '合同签订后30日内交车',
      budgetWan: [30, 150],
      service: false,
    };
  },
  (_, r) => {
    const { body, d } = cityBody(r);
    return {
      name: `${body.name}网络安全等级保护测评服务项目`,
      district: d,
      purchaser: body,
      trade: 'it',
      need: `${r.int(3, 12)}个信息系统的等级保护测评及整改指导`,
      delivery: '合同签订后60日内出具测评报告',
      budgetWan: [12, 60],
      service: true,
    };
  },
  (d, r) => ({
    name: `${localName(d, '城市建设管理局')}城市道路照明设施维护服务项目`,
    district: d,
    purchaser: localOrgan(d, '城市建设管理局', r),
    trade: 'services',
    need: `路灯约${r.int(8, 30)}000基及配电设施的日常巡检、维修及应急抢修`,
    delivery: '服务期一年',
    budgetWan: [150, 900],
    service: true,
  }),
];

const SOLE_SOURCE: Template[] = [
  (_, r) => {
    const { body, d } = cityBody(r);
    return {
      name: `${body.name}业务管理系统升级改造项目`,
      district: d,
      purchaser: body,
      trade: 'it',
      need: '在现有业务管理系统上增加电子证照、移动办理等功能模块并完成数据迁移',
      delivery: '合同签订后120日内完成',
      budgetWan: [40, 260],
      service: true,
      soleReason:
        '现有系统由该供应商开发，拥有系统源代码及知识产权，为保证与原系统的兼容性和数据安全，只能由其实施升级改造',
    };
  },
];

const MEDICAL: Template[] = [
  (_, r) => {
    const h = r.pick(HOSPITALS);
    const d = districtByCode(h.region);
    const item = r.pick(MEDICAL_ITEMS);
    const consumables = item.goods === 'consumables';
    return {
      name: `${h.name}${item.what}采购项目`,
      district: d,
      purchaser: org(h.name, 'institution', h.region, h.address),
      trade: 'medical',
      need: consumables
        ? `${item.what}（${r.int(20, 160)}个品规）一年用量，按实际使用量结算`
        : `${item.what}${r.int(1, 3)}台（套），含安装调试、人员培训及五年原厂维保`,
      delivery: consumables ? '合同期一年，接到订单后24小时内送达' : '合同签订后90日内到货并安装验收',
      budgetWan: consumables ? [200, 2800] : [150, 2200],
      service: false,
    };
  },
];

const SOLE_MEDICAL: Template[] = [
  (_, r) => {
    const h = r.pick(HOSPITALS);
    const d = districtByCode(h.region);
    return {
      name: `${h.name}直线加速器原厂维保服务项目`,
      district: d,
      purchaser: org(h.name, 'institution', h.region, h.address),
      trade: 'medical',
      need: '医用直线加速器一台的三年原厂维保服务，含预防性维护、故障维修及零配件更换',
      delivery: '服务期三年',
      budgetWan: [180, 480],
      service: true,
      soleReason: '设备控制软件及核心零配件由原厂独家提供，其他供应商无法取得维修授权',
    };
  },
];

/** Single-source projects get their own subjects; an inquiry (询价) buys standard goods, never services. */
export function purchaseSubject(
  category: PurchaseCategory,
  method: ProcurementMethod,
  d: District,
  r: Random,
): PurchaseSubject {
  const list =
    category === 'medical'
      ? method === 'single-source'
        ? SOLE_MEDICAL
        : MEDICAL
      : method === 'single-source'
        ? SOLE_SOURCE
        : GOODS_AND_SERVICES;
  for (;;) {
    const subject = r.pick(list)(d, r);
    if (method !== 'inquiry' || !subject.service) return subject;
  }
}
