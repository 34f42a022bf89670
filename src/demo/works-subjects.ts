import { districtByCode, HOSPITALS, localName, type District, type Trade } from './tables.js';
import { company, localCompany, localOrgan, org, type Org } from './parties.js';
import type { Random } from './random.js';

/**
 * What a works project (工程建设 and the four works categories) is about: its name, owner, scale and the
 * qualification it asks for. One small template per kind of works.
 */
export type WorksCategory = 'construction' | 'municipal' | 'highway' | 'water' | 'port';

export interface WorksSubject {
  name: string;
  district: District;
  tenderer: Org;
  scale: string;
  scope: string;
  /** Budget range in 万元. */
  budgetWan: [number, number];
  durationDays: number;
  fundingSource: string;
  /** Annual maintenance contracts are priced as a down rate (下浮率) on the rates schedule. */
  rated?: boolean;
}

/** How each category's bidders are qualified, and whom they are. */
export const WORKS_TRADE: Record<
  WorksCategory,
  { trade: Trade; licence: string; speciality: string; supervisor: string }
> = {
  construction: {
    trade: 'building',
    licence: '建筑工程施工总承包',
    speciality: '建筑工程',
    supervisor: '大连市住房和城乡建设局',
  },
  municipal: {
    trade: 'municipal',
    licence: '市政公用工程施工总承包',
    speciality: '市政公用工程',
    supervisor: '大连市住房和城乡建设局',
  },
  highway: { trade: 'highway', licence: '公路工程施工总承包', speciality: '公路工程', supervisor: '大连市交通运输局' },
  water: { trade: 'water', licence: '水利水电工程施工总承包', speciality: '水利水电工程', supervisor: '大连市水务局' },
  port: {
    trade: 'port',
    licence: '港口与航道工程施工总承包',
    speciality: '港口与航道工程',
    supervisor: '大连市港口与口岸局',
  },
};

const FUNDING = ['财政资金', '地方政府专项债券资金', '中央预算内投资及地方配套资金', '企业自筹资金'];

type Template = (d: District, r: Random, year: number) => WorksSubject;

const BUILDING: Template[] = [
  (d, r) => ({
    name: `${d.name}${r.pick(d.places).replace(/(街道|镇|乡)$/, '')}小学教学楼新建工程施工`,
    district: d,
    tenderer: localOrgan(d, '教育局', r),
    scale: `新建教学楼一栋，地上${r.int(3, 5)}层，建筑面积约${r.int(60, 120)}00平方米，配套室外管网、风雨操场及绿化`,
    scope: '施工图纸范围内的土建、装饰装修、给排水、电气、暖通及室外配套工程',
    budgetWan: [2500, 7800],
    durationDays: r.pick([365, 420, 480]),
    fundingSource: '财政资金',
  }),
  (d, r) => ({
    name: `${d.name}第${r.pick(['八', '十二', '十九', '二十六', '三十六', '四十四', '五十一', '七十九'])}中学综合楼改扩建工程`,
    district: d,
    tenderer: localOrgan(d, '教育局', r),
    scale: `改扩建综合楼建筑面积约${r.int(40, 90)}00平方米，含食堂、体育馆及地下车库`,
    scope: '拆除、土建、安装、装饰装修及室外工程',
    budgetWan: [3000, 9000],
    durationDays: 450,
    fundingSource: r.pick(FUNDING.slice(0, 2)),
  }),
  (_, r) => {
    const h = r.pick(HOSPITALS);
    return {
      name: `${h.name}门诊综合楼改扩建工程`,
      district: districtByCode(h.region),
      tenderer: org(h.name, 'institution', h.region, h.address),
      scale: `新建门诊综合楼地上${r.int(8, 16)}层、地下2层，总建筑面积约${r.int(3, 6)}.${r.int(1, 9)}万平方米`,
      scope: '土建、安装、装饰装修、医用气体、净化及室外配套工程',
      budgetWan: [18000, 46000],
      durationDays: 900,
      fundingSource: '中央预算内投资及地方配套资金',
    };
  },
  (d, r) => ({
    name: `${d.name}${r.pick(d.places)}保障性租赁住房项目施工总承包`,
    district: d,
    tenderer: localCompany(d, localName(d, '城市建设投资集团有限公司'), r),
    scale: `新建住宅${r.int(4, 9)}栋，总建筑面积约${r.int(5, 12)}.${r.int(1, 9)}万平方米，房源${r.int(6, 14)}00套`,
    scope: '施工图纸范围内全部建筑安装工程及室外配套工程',
    budgetWan: [15000, 38000],
    durationDays: 720,
    fundingSource: '地方政府专项债券资金',
  }),
  (d, r, year) => ({
    name: `${d.name}${r.pick(d.places)}老旧小区改造工程（${year}年第${r.pick(['一', '二', '三'])}批）`,
    district: d,
    tenderer: localOrgan(d, '住房和城乡建设局', r),
    scale: `改造老旧小区${r.int(6, 18)}个、楼栋${r.int(40, 160)}栋，涉及居民${r.int(2, 9)}${r.int(100, 999)}户`,
    scope: '屋面防水、外墙保温、楼道修缮、雨污分流、道路及停车设施、适老化改造',
    budgetWan: [1200, 6800],
    durationDays: 240,
    fundingSource: '中央预算内投资及地方配套资金',
  }),
  (d, r) => ({
    name: `${d.name}${r.pick(d.places).replace(/(街道|镇|乡)$/, '')}社区卫生服务中心新建工程`,
    district: d,
    tenderer: localOrgan(d, '卫生健康局', r),
    scale: `新建业务用房地上${r.int(3, 5)}层，建筑面积约${r.int(30, 65)}00平方米，含门诊、预防保健及康复用房`,
    scope: '土建、安装、装饰装修、医用气体及室外配套工程',
    budgetWan: [1800, 4200],
    durationDays: 365,
    fundingSource: '中央预算内投资及地方配套资金',
  }),
  (d, r) => ({
    name: `${d.name}${r.pick(d.places).replace(/(街道|镇|乡)$/, '')}养老服务中心建设工程`,
    district: d,
    tenderer: localOrgan(d, '民政局', r),
    scale: `新建养老服务中心建筑面积约${r.int(40, 90)}00平方米，床位${r.int(12, 30)}0张`,
    scope: '土建、安装、装饰装修、适老化设施及室外工程',
    budgetWan: [2200, 6000],
    durationDays: 420,
    fundingSource: '地方政府专项债券资金',
  }),
  (d, r) => ({
    name: `${d.name}全民健身中心建设工程`,
    district: d,
    tenderer: localOrgan(d, '文化旅游和体育局', r),
    scale: `新建全民健身中心建筑面积约${r.int(12, 28)}000平方米，含游泳馆、篮球馆及健身用房`,
    scope: '土建、钢结构、安装、装饰装修及室外工程',
    budgetWan: [8000, 20000],
    durationDays: 540,
    fundingSource: '财政资金',
  }),
];

const MUNICIPAL: Template[] = [
  (d, r) => ({
    name: `大连市${d.name}${r.pick(d.roads)}道路改造工程`,
    district: d,
    tenderer: localOrgan(d, '城市建设管理局', r),
    scale: `道路全长约${r.int(8, 36)}00米，红线宽度${r.pick([20, 24, 30, 40])}米，含车行道、人行道、排水、照明及交通设施`,
    scope: '道路、排水、照明、交通工程及绿化恢复',
    budgetWan: [800, 6500],
    durationDays: r.pick([150, 180, 210]),
    fundingSource: '财政资金',
  }),
  (d, r) => ({
    name: `${d.name}${r.pick(d.roads)}雨污分流改造工程`,
    district: d,
    tenderer: localOrgan(d, '城市建设管理局', r),
    scale: `新建污水管道约${r.int(3, 15)}.${r.int(1, 9)}公里、雨水管道约${r.int(2, 10)}.${r.int(1, 9)}公里，检查井${r.int(80, 400)}座`,
    scope: '管道开挖及非开挖施工、检查井、路面恢复',
    budgetWan: [600, 4800],
    durationDays: 180,
    fundingSource: '地方政府专项债券资金',
  }),
  (d, r) => ({
    name: `${d.name}${r.pick(d.places).replace(/(街道|镇|乡)$/, '')}公园提升改造工程`,
    district: d,
    tenderer: localOrgan(d, '城市建设管理局', r),
    scale: `改造面积约${r.int(2, 9)}.${r.int(1, 9)}万平方米，含园路、广场、景观绿化、照明及休憩设施`,
    scope: '园林绿化、园建、给排水及电气工程',
    budgetWan: [300, 2200],
    durationDays: 120,
    fundingSource: '财政资金',
  }),
  (d, r) => ({
    name: `${d.name}城区供热管网改造工程`,
    district: d,
    tenderer: localCompany(d, localName(d, '热力有限公司'), r),
    scale: `改造一级供热管网约${r.int(3, 12)}.${r.int(1, 9)}公里（DN300–DN800），换热站${r.int(4, 16)}座`,
    scope: '管网拆除与敷设、换热站设备安装及路面恢复',
    budgetWan: [1500, 7500],
    durationDays: 150,
    fundingSource: '企业自筹资金',
  }),
  (d, r) => ({
    name: `大连市${d.name}${r.pick(d.roads)}桥梁维修加固工程`,
    district: d,
    tenderer: localOrgan(d, '城市建设管理局', r),
    scale: `桥梁${r.int(1, 4)}座，主要为桥面铺装更换、伸缩缝更换、梁体裂缝修补及粘贴钢板加固`,
    scope: '桥梁加固、附属设施维修及交通导改',
    budgetWan: [400, 2600],
    durationDays: 120,
    fundingSource: '财政资金',
  }),
  (d, r, year) => ({
    name: `${d.name}市政道路及附属设施${year}—${year + 1}年度养护工程`,
    district: d,
    tenderer: localOrgan(d, '城市建设管理局', r),
    scale: `辖区内城市道路约${r.int(120, 480)}万平方米的日常养护、小修及应急抢修`,
    scope: '车行道、人行道、路缘石、检查井及附属设施的养护维修',
    budgetWan: [500, 3000],
    durationDays: 365,
    fundingSource: '财政资金',
    rated: true,
  }),
];

const HIGHWAY: Template[] = [
  (d, r) => ({
    name: `国道G${r.pick(['201', '202', '228'])}线${d.name}段路面改造工程`,
    district: d,
    tenderer: org('大连市公路事业发展中心', 'institution', '210200', '大连市西岗区长江路'),
    scale: `路线全长约${r.int(8, 28)}.${r.int(1, 9)}公里，二级公路标准，沥青混凝土路面`,
    scope: '路基处理、路面铣刨重铺、桥涵维修、交通安全设施',
    budgetWan: [3000, 16000],
    durationDays: 180,
    fundingSource: '中央车购税资金及地方配套资金',
  }),
  (d, r) => {
    const [a, b] = r.sample(d.places, 2);
    return {
      name: `省道S${r.int(201, 322)}线${a.replace(/(街道|镇|乡)$/, '')}至${b.replace(/(街道|镇|乡)$/, '')}段改建工程`,
      district: d,
      tenderer: localOrgan(d, '交通运输局', r),
      scale: `路线全长约${r.int(6, 22)}.${r.int(1, 9)}公里，双向四车道一级公路标准，设计速度60公里/小时`,
      scope: '路基、路面、桥涵、交通安全设施及沿线设施',
      budgetWan: [8000, 42000],
      durationDays: 540,
      fundingSource: '地方政府专项债券资金',
    };
  },
  (d, r, year) => ({
    name: `${d.name}农村公路提质改造工程（${year}年）`,
    district: d,
    tenderer: localOrgan(d, '交通运输局', r),
    scale: `改造农村公路${r.int(12, 48)}条、总长约${r.int(30, 120)}公里`,
    scope: '路面改造、排水设施、安全生命防护工程',
    budgetWan: [1500, 8000],
    durationDays: 150,
    fundingSource: '财政资金',
  }),
  (d, r) => ({
    name: `${d.name}${r.pick(d.places).replace(/(街道|镇|乡)$/, '')}跨线桥新建工程`,
    district: d,
    tenderer: localOrgan(d, '交通运输局', r),
    scale: `新建跨线桥一座，全长约${r.int(180, 620)}米，桥宽${r.pick([12, 16.5, 24.5])}米，预应力混凝土连续箱梁`,
    scope: '桥梁下部结构、上部结构、桥面系及引道工程',
    budgetWan: [6000, 22000],
    durationDays: 480,
    fundingSource: '地方政府专项债券资金',
  }),
];

const WATER: Template[] = [
  (d, r) => ({
    name: `${d.name}${r.pick(d.rivers)}河道综合治理工程`,
    district: d,
    tenderer: localOrgan(d, '水务局', r),
    scale: `治理河道长约${r.int(3, 18)}.${r.int(1, 9)}公里，新建护岸${r.int(4, 20)}.${r.int(1, 9)}公里，清淤约${r.int(5, 40)}万立方米`,
    scope: '河道清淤疏浚、护岸、堤防加固、拦河建筑物及生态修复',
    budgetWan: [1500, 12000],
    durationDays: 240,
    fundingSource: '中央水利发展资金及地方配套资金',
  }),
  (d, r) => ({
    name: `${d.name}${r.pick(d.places).replace(/(街道|镇|乡)$/, '')}水库除险加固工程`,
    district: d,
    tenderer: localOrgan(d, '水务局', r),
    scale: `小（${r.pick(['一', '二'])}）型水库，总库容约${r.int(100, 900)}万立方米；大坝防渗、溢洪道改建及管理设施`,
    scope: '大坝防渗加固、溢洪道及放水洞改建、安全监测设施',
    budgetWan: [600, 3800],
    durationDays: 210,
    fundingSource: '中央水利发展资金及地方配套资金',
  }),
  (d, r, year) => ({
    name: `${d.name}农村供水保障工程（${year}年）`,
    district: d,
    tenderer: localOrgan(d, '水务局', r),
    scale: `新建及改造供水管网约${r.int(40, 160)}公里，水厂${r.int(1, 4)}座，受益人口约${r.int(2, 9)}.${r.int(1, 9)}万人`,
    scope: '水源、净水厂、输配水管网及入户工程',
    budgetWan: [1200, 7200],
    durationDays: 270,
    fundingSource: '地方政府专项债券资金',
  }),
  (d, r) => ({
    name: `${d.name}${r.pick(d.places).replace(/(街道|镇|乡)$/, '')}海堤加固工程`,
    district: d,
    tenderer: localOrgan(d, '水务局', r),
    scale: `加固海堤约${r.int(2, 9)}.${r.int(1, 9)}公里，防潮标准50年一遇`,
    scope: '堤身加高培厚、护面及防浪墙、穿堤建筑物',
    budgetWan: [2000, 9000],
    durationDays: 300,
    fundingSource: '财政资金',
  }),
];

const PORT: Template[] = [
  (d, r) => ({
    name: `大连港${r.pick(['大窑湾', '和尚岛', '鲇鱼湾', '太平湾'])}港区${r.int(1, 22)}号泊位改造工程`,
    district: d,
    tenderer: localCompany(d, '大连港湾投资建设有限公司', r),
    scale: `改造${r.pick(['5', '7', '10'])}万吨级泊位一个，码头岸线长约${r.int(260, 380)}米`,
    scope: '码头结构加固、前沿停泊水域疏浚、护舷及系船柱更换、供电照明',
    budgetWan: [8000, 48000],
    durationDays: 540,
    fundingSource: '企业自筹资金',
  }),
  (_, r) => ({
    name: `长海县${r.pick(['獐子岛', '大长山岛', '小长山岛', '广鹿岛', '海洋岛'])}渔港升级改造工程`,
    district: districtByCode('210224'),
    tenderer: org('长海县海洋发展局', 'organ', '210224', '长海县大长山岛镇四块石路'),
    scale: `新建防波堤约${r.int(200, 800)}米，改造渔船码头${r.int(150, 500)}米，港池疏浚约${r.int(10, 60)}万立方米`,
    scope: '防波堤、码头、港池疏浚及陆域配套设施',
    budgetWan: [3000, 18000],
    durationDays: 420,
    fundingSource: '中央渔业发展补助资金及地方配套资金',
  }),
  (d, r) => ({
    name: `${d.name}${r.pick(d.places).replace(/(街道|镇|乡)$/, '')}中心渔港疏浚工程`,
    district: d,
    tenderer: localOrgan(d, '海洋发展局', r),
    scale: `港池及航道疏浚约${r.int(20, 90)}万立方米，疏浚底标高-${r.int(3, 6)}.0米`,
    scope: '疏浚、吹填、测量及环境保护措施',
    budgetWan: [1500, 6000],
    durationDays: 180,
    fundingSource: '财政资金',
  }),
  (d, r, year) => ({
    name: `大连湾${r.pick(['北岸', '南岸'])}航道维护疏浚工程（${year}年度）`,
    district: d,
    tenderer: org('大连市港口与口岸局', 'organ', '210200', '大连市中山区港湾街'),
    scale: `航道维护疏浚约${r.int(30, 120)}万立方米`,
    scope: '维护性疏浚、抛泥及水深测量',
    budgetWan: [2000, 8000],
    durationDays: 240,
    fundingSource: '财政资金',
    rated: true,
  }),
];

const TEMPLATES: Record<WorksCategory, Template[]> = {
  construction: BUILDING,
  municipal: MUNICIPAL,
  highway: HIGHWAY,
  water: WATER,
  port: PORT,
};

export function worksSubject(category: WorksCategory, d: District, r: Random, year: number): WorksSubject {
  return r.pick(TEMPLATES[category])(d, r, year);
}

/** The agency (招标代理机构) that runs a project for its owner. */
export const worksAgency = (r: Random) => company(r, 'agency');

/** A district's rural-road programme of a year, let in lots: the demo's cohort of comparable highway lots. */
export const ruralRoadProgramme = (d: District, r: Random, year: number): WorksSubject => HIGHWAY[2](d, r, year);
