import type { TransferMode } from '../domain/catalog.js';
import { company, org, type Org } from './parties.js';
import type { Random } from './random.js';
import { CITY_BODIES, districtByCode, localName, type District, type Trade } from './tables.js';

/** What a transfer project (国有资产, 土地矿业权, 国有产权) offers, who sells it and who may buy it. */
export type TransferCategory = 'state-assets' | 'land-mining' | 'property-rights';

export interface TransferSubject {
  name: string;
  district: District;
  transferor: Org;
  mode: TransferMode;
  /** The object on offer, as the notice describes it. */
  description: string;
  qualifications: string;
  buyers: Trade;
  /** Reserve price range, in 万元 for land and property rights, in 元 for small state assets. */
  reserve: [number, number];
  unit: '元' | '万元';
  /** A land parcel's use, which sets its term. */
  landUse?: string;
}

type Template = (d: District, r: Random, year: number) => TransferSubject;

/** 大连市自然资源局甘井子分局 for the city's districts, 瓦房店市自然资源局 for the county-level ones. */
function landBureau(d: District): Org {
  const name = d.name.endsWith('区') ? `大连市自然资源局${d.name.slice(0, -1)}分局` : localName(d, '自然资源局');
  return org(name, 'organ', d.code, localName(d, `${d.roads[0]}${((name.length * 13) % 200) + 1}号`));
}

const stripSuffix = (place: string) => place.replace(/(街道|镇|乡)$/, '');

const STATE_ASSETS: Template[] = [
  (_, r) => {
    const b = r.pick(CITY_BODIES);
    const n = r.int(4, 16);
    return {
      name: `${b.name}报废公务车辆（${n}台）公开拍卖`,
      district: districtByCode(b.region),
      transferor: org(b.name, b.kind === 'organ' ? 'organ' : 'institution', '210200', b.address),
      mode: 'auction',
      description: `已办理报废审批的公务车辆${n}台（含轿车、越野车、面包车），车况详见车辆清单，按现状整体拍卖，竞得人负责办理报废车辆回收手续`,
      qualifications: '具有报废机动车回收拆解资质的企业法人',
      buyers: 'recycling',
      reserve: [30000, 180000],
      unit: '元',
    };
  },
  (d, r) => {
    const place = r.pick(d.places);
    const office = place.endsWith('街道') ? `${localName(d, '人民政府')}${place}办事处` : `${d.name}${place}人民政府`;
    const road = r.pick(d.roads);
    return {
      name: `${office}临街门市房五年租赁权招租`,
      district: d,
      transferor: org(office, 'organ', d.code, localName(d, `${road}${r.int(1, 200)}号`)),
      mode: 'listing',
      description: `位于${d.name}${road}的临街门市房，建筑面积约${r.int(120, 680)}平方米，租期五年，底价为首年租金`,
      qualifications: '依法设立的企业法人，经营范围符合该房产规划用途，不得从事餐饮及高污染行业',
      buyers: 'investment',
      reserve: [80000, 600000],
      unit: '元',
    };
  },
  (_, r) => {
    const b = r.pick(CITY_BODIES);
    return {
      name: `${b.name}废旧电子设备及办公家具处置项目`,
      district: districtByCode(b.region),
      transferor: org(b.name, b.kind === 'organ' ? 'organ' : 'institution', '210200', b.address),
      mode: 'auction',
      description: `已批准报废的计算机、打印机、空调等电子设备约${r.int(150, 900)}台（件）及办公家具一批，按现状整体处置，竞得人应按环保要求处置`,
      qualifications: '具有再生资源回收经营备案的企业法人；废弃电器电子产品须交有资质单位拆解',
      buyers: 'recycling',
      reserve: [20000, 150000],
      unit: '元',
    };
  },
];

const LAND: Template[] = [
  (d, r, year) => {
    const use = r.pick(['城镇住宅用地', '商服用地', '工业用地']);
    const place = stripSuffix(r.pick(d.places));
    const area = r.int(8000, 95000);
    return {
      name: `${d.name}${place}${year}-${String(r.int(1, 40)).padStart(2, '0')}号地块国有建设用地使用权挂牌出让`,
      district: d,
      transferor: landBureau(d),
      mode: 'listing',
      description: `${d.name}${place}街区地块，土地面积${area}平方米，用途为${use}，出让年限${use === '城镇住宅用地' ? 70 : use === '商服用地' ? 40 : 50}年，容积率${use === '工业用地' ? '≥1.0' : `≤${r.pick(['1.8', '2.2', '2.5', '3.0'])}`}，建筑密度≤${r.pick([25, 30, 35, 40])}%，绿地率≥${r.pick([15, 30, 35])}%；土地现状为净地，交地条件为现状交地`,
      qualifications:
        '中华人民共和国境内外的法人和其他组织（法律另有规定者除外），均可申请参加竞买；本次挂牌不接受联合竞买；失信被执行人不得参加竞买',
      buyers: use === '工业用地' ? 'investment' : 'realEstate',
      reserve: use === '工业用地' ? [300, 3000] : [5000, 68000],
      unit: '万元',
      landUse: use,
    };
  },
  (d, r) => {
    const place = stripSuffix(r.pick(d.places));
    return {
      name: `${d.name}${place}建筑用${r.pick(['石料', '花岗岩', '砂岩'])}矿采矿权挂牌出让`,
      district: d,
      transferor: landBureau(d),
      mode: 'listing',
      description: `矿区面积${r.int(8, 60)}.${r.int(10, 99)}公顷，开采深度由+${r.int(80, 160)}米至+${r.int(10, 60)}米标高，保有资源量约${r.int(200, 1500)}万吨，生产规模${r.int(30, 120)}万吨/年，出让年限${r.int(5, 10)}年`,
      qualifications: '在中华人民共和国境内注册、具有独立法人资格的企业，具备相应的资金能力和安全生产、生态修复能力',
      buyers: 'mining',
      reserve: [300, 4800],
      unit: '万元',
    };
  },
];

const PROPERTY_RIGHTS: Template[] = [
  (d, r) => {
    const seller = company(r, 'investment');
    const target = company(r.fork('target'), r.pick(['services', 'it', 'municipal'] as const));
    const pct = r.pick([20, 35, 40, 51, 100]);
    return {
      name: `${seller.name}持有的${target.name}${pct}%股权转让`,
      district: d,
      transferor: seller,
      mode: 'listing',
      description: `转让标的为${target.name}${pct}%股权。标的企业注册资本${r.int(10, 200)}00万元，经审计的上年末净资产${r.int(800, 20000)}万元，评估基准日净资产评估值已经国有资产监督管理机构备案；本次转让不涉及职工安置`,
      qualifications: '依法设立并有效存续的企业法人，具有良好的财务状况和支付能力；接受联合体受让',
      buyers: 'investment',
      reserve: [500, 26000],
      unit: '万元',
    };
  },
  (d, r) => {
    const seller = company(r, 'investment');
    const road = r.pick(d.roads);
    return {
      name: `${seller.name}位于${d.name}${road}的房产转让`,
      district: d,
      transferor: seller,
      mode: 'listing',
      description: `${d.name}${road}${r.int(1, 300)}号房产，建筑面积${r.int(300, 6800)}平方米，用途为${r.pick(['办公', '商业', '工业厂房'])}，产权清晰，按现状转让`,
      qualifications: '依法设立的企业法人、其他组织或具有完全民事行为能力的自然人',
      buyers: 'investment',
      reserve: [200, 6000],
      unit: '万元',
    };
  },
  (d, r) => {
    const seller = company(r, 'municipal');
    return {
      name: `${seller.name}闲置施工机械设备转让`,
      district: d,
      transferor: seller,
      mode: 'auction',
      description: `挖掘机、压路机、摊铺机等闲置施工机械设备${r.int(6, 30)}台（套），按现状整体转让`,
      qualifications: '依法设立的企业法人',
      buyers: 'recycling',
      reserve: [60, 600],
      unit: '万元',
    };
  },
];

const TEMPLATES: Record<TransferCategory, Template[]> = {
  'state-assets': STATE_ASSETS,
  'land-mining': LAND,
  'property-rights': PROPERTY_RIGHTS,
};

/** `mining` picks the mining-right template of land-mining. */
export function transferSubject(
  category: TransferCategory,
  d: District,
  r: Random,
  year: number,
  mining = false,
): TransferSubject {
  if (category === 'land-mining') return (mining ? LAND[1] : LAND[0])(d, r, year);
  return r.pick(TEMPLATES[category])(d, r, year);
}
