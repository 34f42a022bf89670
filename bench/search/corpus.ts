/**
 * Generated notices for the search benchmark: titles and bodies assembled from word tables the way the
 * centre's notices read, with a skewed choice of subjects so that some words are common (工程, 道路) and some
 * rare, as in real data. Deterministic for a seed, so runs are comparable.
 */

export interface Rng {
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** Earlier items far more often (Zipf-like): a few subjects dominate, most are rare. */
  skewed<T>(items: readonly T[]): T;
}

export function rng(seed: number): Rng {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: (items) => items[Math.floor(next() * items.length)],
    skewed: (items) => items[Math.min(items.length - 1, Math.floor(items.length * next() ** 2.5))],
  };
}

export const DISTRICTS = [
  { code: '210202', name: '中山区' },
  { code: '210203', name: '西岗区' },
  { code: '210204', name: '沙河口区' },
  { code: '210211', name: '甘井子区' },
  { code: '210212', name: '旅顺口区' },
  { code: '210213', name: '金州区' },
  { code: '210214', name: '普兰店区' },
  { code: '210224', name: '长海县' },
  { code: '210281', name: '瓦房店市' },
  { code: '210283', name: '庄河市' },
] as const;

const ROADS = [
  '红旗西路',
  '黄河路',
  '中山路',
  '五一路',
  '西南路',
  '华北路',
  '东北路',
  '疏港路',
  '金马路',
  '滨海路',
  '长江路',
  '人民路',
  '解放路',
  '胜利路',
  '友好路',
  '青泥洼路',
  '沙河口路',
  '马栏河路',
  '周水子路',
  '泉水路',
  '南关岭路',
  '营城子路',
  '旅顺南路',
  '龙王塘路',
  '光明路',
  '新华街',
  '站北街',
  '五四路',
  '兴工街',
  '春柳街',
  '香炉礁路',
  '石道街',
  '辽河路',
];

const WORKS = [
  ['道路', '改造工程'],
  ['道路', '维修工程'],
  ['排水管网', '改造工程'],
  ['老旧小区', '改造工程'],
  ['绿化', '提升工程'],
  ['供热管网', '改造工程'],
  ['桥梁', '加固工程'],
  ['学校', '新建工程'],
  ['河道', '综合治理工程'],
  ['路灯', '节能改造工程'],
  ['污水处理厂', '扩建工程'],
  ['公园', '景观提升工程'],
  ['停车场', '新建工程'],
  ['体育馆', '维修改造工程'],
  ['海堤', '加固工程'],
  ['交通信号', '优化工程'],
  ['变电站', '配套工程'],
  ['幼儿园', '新建工程'],
  ['卫生院', '改扩建工程'],
  ['农田水利', '建设工程'],
  ['码头', '改造工程'],
  ['地下通道', '维修工程'],
  ['垃圾转运站', '建设工程'],
  ['燃气管网', '改造工程'],
  ['边坡', '治理工程'],
] as const;

const GOODS = [
  '医用耗材',
  '办公设备',
  '计算机设备',
  '服务器及存储设备',
  '物业管理服务',
  '保洁服务',
  '食堂食材',
  '课桌椅',
  '图书',
  '视频监控设备',
  '显示屏',
  '空调设备',
  '电梯维保服务',
  '公务用车',
  '绿化养护服务',
  '安保服务',
  '印刷服务',
  '检测试剂',
  '体检服务',
  '审计服务',
  '法律顾问服务',
  '实验室仪器',
  '消防器材',
  '校服',
  '药品',
  '救护车',
  '除雪设备',
  '档案数字化服务',
] as const;

const ASSETS = [
  '国有建设用地使用权',
  '商业用房租赁权',
  '采矿权',
  '报废车辆',
  '闲置设备',
  '股权',
  '林地经营权',
  '海域使用权',
  '广告位经营权',
] as const;

const OWNERS = [
  '城市建设管理局',
  '住房和城乡建设局',
  '交通运输局',
  '水务局',
  '教育局',
  '卫生健康局',
  '园林绿化管理处',
  '市政设施管理处',
  '人民医院',
  '中心医院',
  '第一中学',
  '实验小学',
  '城市管理局',
  '农业农村局',
  '自然资源局',
  '财政局',
] as const;

const COMPANIES = [
  '大连建信工程咨询有限公司',
  '辽宁宏达建设集团有限公司',
  '大连金石市政工程有限公司',
  '大连华远招标代理有限公司',
  '辽宁天正项目管理有限公司',
  '大连城投建设有限公司',
  '中铁九局集团有限公司',
  '大连路桥建设有限公司',
  '大连海湾园林绿化有限公司',
  '辽宁正诚招标有限公司',
  '大连博远科技有限公司',
  '大连医药集团有限公司',
] as const;

const QUALIFICATIONS = [
  '市政公用工程施工总承包二级及以上资质',
  '建筑工程施工总承包三级及以上资质',
  '公路工程施工总承包二级及以上资质',
  '水利水电工程施工总承包三级及以上资质',
  '园林绿化工程施工经验',
  '具有医疗器械经营许可证',
  '具有有效的安全生产许可证',
] as const;

const FUNDING = ['财政资金', '自筹资金', '地方政府专项债券', '中央预算内投资', '国有企业自有资金'] as const;

export interface GeneratedNotice {
  category: string;
  type: string;
  regionCode: string;
  title: string;
  body: string;
  projectName: string;
  parties: string[];
}

export interface GeneratedProject {
  category: string;
  regionCode: string;
  name: string;
  parties: string[];
  notices: GeneratedNotice[];
}

const CATEGORY_WEIGHTS: [string, number][] = [
  ['construction', 30],
  ['municipal', 14],
  ['highway', 5],
  ['water', 5],
  ['port', 2],
  ['procurement', 30],
  ['medical', 6],
  ['state-assets', 3],
  ['land-mining', 3],
  ['property-rights', 2],
];

function weighted(r: Rng, weights: [string, number][]): string {
  const total = weights.reduce((s, [, w]) => s + w, 0);
  let x = r.next() * total;
  for (const [v, w] of weights) if ((x -= w) < 0) return v;
  return weights[weights.length - 1][0];
}

const cnDate = (r: Rng) => `2026年${r.int(1, 12)}月${r.int(1, 28)}日`;

/** A project and its notices: announcement, then (mostly) opening, candidates or result, sometimes a correction. */
export function generateProject(r: Rng, serial: number): GeneratedProject {
  const category = weighted(r, CATEGORY_WEIGHTS);
  const district = r.pick(DISTRICTS);
  const owner = `大连市${district.name}${r.skewed(OWNERS)}`;
  const agency = r.pick(COMPANIES);
  const code = `E2102${String(serial).padStart(10, '0')}`;
  const family = ['procurement', 'medical'].includes(category)
    ? 'procurement'
    : ['state-assets', 'land-mining', 'property-rights'].includes(category)
      ? 'transfer'
      : 'works';
  let name: string;
  let subject: string;
  if (family === 'works') {
    const [object, work] = r.skewed(WORKS);
    name = `${district.name}${r.pick(ROADS)}${object}${work}`;
    subject = `${object}${work.replace(/工程$/, '')}`;
  } else if (family === 'procurement') {
    const goods = r.skewed(GOODS);
    name = `${owner}${goods}采购项目`;
    subject = goods;
  } else {
    const asset = r.skewed(ASSETS);
    name = `${district.name}${r.pick(ROADS)}${asset}出让项目`;
    subject = asset;
  }
  const parties = [owner, agency];
  const sentences = (type: string) =>
    body(r, { family, type, name, owner, agency, district: district.name, subject, code });
  const types =
    family === 'works'
      ? ['tender', 'bid-opening', 'candidates', 'result']
      : family === 'procurement'
        ? ['procurement', 'result', 'contract']
        : ['transfer', 'deal'];
  const count = r.int(1, types.length);
  const notices: GeneratedNotice[] = [];
  for (let i = 0; i < count; i++) {
    const type = types[i];
    notices.push({
      category,
      type,
      regionCode: district.code,
      title: `${name}${TITLE_SUFFIX[type]}`,
      body: sentences(type),
      projectName: name,
      parties,
    });
    if (i === 0 && r.next() < 0.1) {
      notices.push({
        category,
        type: 'correction',
        regionCode: district.code,
        title: `${name}澄清公告`,
        body: sentences('correction'),
        projectName: name,
        parties,
      });
    }
  }
  return { category, regionCode: district.code, name, parties, notices };
}

const TITLE_SUFFIX: Record<string, string> = {
  tender: '施工招标公告',
  'bid-opening': '开标记录',
  candidates: '中标候选人公示',
  result: '中标结果公告',
  procurement: '公开招标公告',
  contract: '合同公告',
  transfer: '挂牌出让公告',
  deal: '成交公示',
  correction: '澄清公告',
};

interface BodyFacts {
  family: string;
  type: string;
  name: string;
  owner: string;
  agency: string;
  district: string;
  subject: string;
  code: string;
}

/** A body of a few hundred characters: the facts of the project in the centre's usual sentences. */
function body(r: Rng, f: BodyFacts): string {
  const s: string[] = [];
  const winner = r.pick(COMPANIES);
  const amount = `${r.int(10, 9000)}.${r.int(10, 99)}万元`;
  s.push(`项目名称：${f.name}。项目编号：${f.code}。`);
  switch (f.type) {
    case 'tender':
    case 'procurement':
    case 'transfer':
      s.push(
        `本项目已由${f.district}发展和改革局批准，建设资金来自${r.pick(FUNDING)}，招标人为${f.owner}，招标代理机构为${f.agency}。`,
      );
      s.push(`项目已具备招标条件，现对${f.subject}进行公开招标，欢迎符合条件的投标人参加。`);
      s.push(
        `投标人须具备${r.pick(QUALIFICATIONS)}，并在人员、设备、资金等方面具有相应的能力，本次招标${r.next() < 0.3 ? '接受' : '不接受'}联合体投标。`,
      );
      s.push(
        `请于${cnDate(r)}至${cnDate(r)}登录大连市公共资源交易平台下载招标文件，投标截止时间为${cnDate(r)}9时30分。`,
      );
      break;
    case 'bid-opening':
      s.push(`开标时间：${cnDate(r)}9时30分，开标地点：大连市公共资源交易中心开标室。`);
      for (let i = 0; i < r.int(2, 4); i++)
        s.push(
          `投标人${r.pick(COMPANIES)}，投标报价${r.int(10, 9000)}.${r.int(10, 99)}万元，工期${r.int(60, 365)}日历天。`,
        );
      break;
    case 'candidates':
    case 'result':
    case 'deal':
    case 'contract':
      s.push(`经评标委员会评审，确定${winner}为第一中标候选人，中标价格${amount}。`);
      s.push(`公示期自${cnDate(r)}起三日，投标人或者其他利害关系人对评标结果有异议的，应当在公示期内向招标人提出。`);
      break;
    default:
      s.push(`因招标文件内容调整，投标截止时间延期至${cnDate(r)}9时30分，其他内容不变。`);
  }
  s.push(`联系人：${f.owner}，电话：0411-${r.int(80000000, 89999999)}；代理机构：${f.agency}。`);
  return s.join('\n');
}
