/**
 * Names the demo data is made of: Dalian's districts with their streets and towns, public bodies, and invented
 * companies. Public bodies and places are real names; every project and company is invented.
 */
export interface District {
  code: string;
  name: string;
  roads: readonly string[];
  /** Subdistricts (街道), towns (镇) and townships (乡). */
  places: readonly string[];
  rivers: readonly string[];
}

export const DISTRICTS: readonly District[] = [
  {
    code: '210202',
    name: '中山区',
    roads: ['解放路', '人民路', '港湾街', '鲁迅路', '延安路', '七一街'],
    places: ['桃源街道', '老虎滩街道', '青泥洼桥街道', '海军广场街道', '葵英街道'],
    rivers: ['东港'],
  },
  {
    code: '210203',
    name: '西岗区',
    roads: ['长江路', '黄河路', '新开路', '北京街', '胜利路', '五四路'],
    places: ['八一路街道', '白云街道', '日新街道', '香炉礁街道', '人民广场街道'],
    rivers: ['香炉礁港'],
  },
  {
    code: '210204',
    name: '沙河口区',
    roads: ['西南路', '五一路', '中山路', '兴工街', '太原街', '数码路'],
    places: ['春柳街道', '马栏街道', '黑石礁街道', '星海湾街道', '李家街道'],
    rivers: ['马栏河', '春柳河'],
  },
  {
    code: '210211',
    name: '甘井子区',
    roads: ['华北路', '东北北路', '泉水路', '椒金山路', '红旗西路', '金柳路'],
    places: ['泉水街道', '红旗街道', '大连湾街道', '营城子街道', '辛寨子街道', '革镇堡街道'],
    rivers: ['马栏河', '周水子河'],
  },
  {
    code: '210212',
    name: '旅顺口区',
    roads: ['黄河路', '顺乐街', '登峰路', '水师营路', '铁山路'],
    places: ['龙王塘街道', '铁山街道', '水师营街道', '三涧堡街道', '长城街道'],
    rivers: ['龙河', '三涧堡河'],
  },
  {
    code: '210213',
    name: '金州区',
    roads: ['斯大林路', '五一路', '友谊街', '东山路', '金马路', '辽河西路'],
    places: ['拥政街道', '站前街道', '先进街道', '大魏家街道', '杏树街道', '登沙河街道'],
    rivers: ['登沙河', '大沙河'],
  },
  {
    code: '210214',
    name: '普兰店区',
    roads: ['中长街', '世纪路', '南山路', '丰荣路'],
    places: ['皮口街道', '城子坦街道', '莲山街道', '杨树房街道', '安波街道'],
    rivers: ['碧流河', '清水河'],
  },
  {
    code: '210224',
    name: '长海县',
    roads: ['长海路', '四块石路', '海防路'],
    places: ['大长山岛镇', '獐子岛镇', '广鹿乡', '海洋乡', '小长山乡'],
    rivers: ['大长山岛沿岸'],
  },
  {
    code: '210281',
    name: '瓦房店市',
    roads: ['共济街', '岭东路', '长兴岛大道', '新华路', '东长春路'],
    places: ['复州城镇', '谢屯镇', '李官镇', '长兴岛街道', '得利寺镇'],
    rivers: ['复州河', '浮渡河'],
  },
  {
    code: '210283',
    name: '庄河市',
    roads: ['黄海大街', '新华路', '北环路', '昌盛街'],
    places: ['青堆镇', '大郑镇', '光明山镇', '仙人洞镇', '步云山乡'],
    rivers: ['英那河', '庄河', '碧流河'],
  },
];

export function districtByCode(code: string): District {
  return DISTRICTS.find((d) => d.code === code)!;
}

/** 县 and 县级市 carry no 大连市 prefix: 大连市甘井子区教育局, but 庄河市教育局. */
const COUNTY_LEVEL = new Set(['210224', '210281', '210283']);
export const localName = (d: District, suffix: string) =>
  `${COUNTY_LEVEL.has(d.code) ? '' : '大连市'}${d.name}${suffix}`;

export const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '赵',
  '黄',
  '周',
  '吴',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
  '何',
  '高',
  '林',
  '于',
  '郑',
  '梁',
  '宋',
  '唐',
  '韩',
  '冯',
  '董',
  '曲',
  '姜',
  '邹',
  '孟',
  '谭',
  '丛',
  '隋',
  '宫',
  '初',
];
export const GIVEN_NAMES = [
  '伟',
  '芳',
  '娜',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '涛',
  '明',
  '超',
  '霞',
  '刚',
  '建华',
  '志强',
  '海涛',
  '宏伟',
  '晓东',
  '春雷',
  '立新',
  '振国',
  '玉梅',
  '淑华',
  '文博',
  '思远',
  '雪松',
  '海燕',
  '国庆',
  '红梅',
  '德胜',
  '永刚',
  '晓光',
];

/** Stems of invented company names ("大连宏建…有限公司"). */
export const COMPANY_STEMS = [
  '宏建',
  '金汇',
  '华宇',
  '恒远',
  '城通',
  '盛通',
  '海川',
  '港兴',
  '绿源',
  '鼎盛',
  '中城',
  '北方',
  '星海',
  '润泽',
  '国泰',
  '嘉禾',
  '天成',
  '永信',
  '博远',
  '安泰',
  '瑞丰',
  '东盛',
  '华信',
  '龙腾',
  '兴业',
  '广源',
  '辰宇',
  '德润',
  '同创',
  '建元',
  '滨城',
  '振华',
];

/** What each kind of company calls itself, and whether it registers as 大连 or 辽宁. */
export const COMPANY_TRADES = {
  building: ['建设集团有限公司', '建筑工程有限公司', '建工集团有限公司'],
  municipal: ['市政工程有限公司', '市政建设集团有限公司', '园林绿化工程有限公司'],
  highway: ['路桥工程有限公司', '公路工程集团有限公司', '交通建设有限公司'],
  water: ['水利工程有限公司', '水利水电建设有限公司', '水务工程有限公司'],
  port: ['航务工程有限公司', '港湾工程有限公司', '海洋工程有限公司'],
  supervision: ['工程监理有限公司', '工程项目管理有限公司', '建设监理咨询有限公司'],
  agency: ['工程咨询有限公司', '招标代理有限公司', '项目管理有限公司', '工程造价咨询有限公司'],
  it: ['信息技术有限公司', '科技发展有限公司', '软件有限公司'],
  furniture: ['家具制造有限公司', '办公设备有限公司'],
  services: ['物业服务有限公司', '环境卫生服务有限公司', '后勤管理服务有限公司'],
  food: ['食品配送有限公司', '农副产品供应链有限公司'],
  vehicles: ['汽车销售服务有限公司', '汽车贸易有限公司'],
  medical: ['医疗器械有限公司', '医疗科技有限公司', '医药有限公司', '生物科技有限公司'],
  realEstate: ['置业有限公司', '房地产开发有限公司', '城市开发建设有限公司'],
  mining: ['矿业有限公司', '建材有限公司'],
  investment: ['投资有限公司', '实业集团有限公司', '资产管理有限公司'],
  recycling: ['再生资源回收有限公司', '二手车经纪有限公司', '拍卖有限公司'],
} as const;
export type Trade = keyof typeof COMPANY_TRADES;

/** Public hospitals of Dalian (purchasers in medical procurement). */
export const HOSPITALS = [
  { name: '大连市中心医院', region: '210204', address: '大连市沙河口区学工街42号' },
  { name: '大连市第三人民医院', region: '210211', address: '大连市甘井子区金家街40号' },
  { name: '大连市第五人民医院', region: '210204', address: '大连市沙河口区黄河路890号' },
  { name: '大连市妇女儿童医疗中心', region: '210204', address: '大连市沙河口区中山路154号' },
  { name: '大连市中医医院', region: '210203', address: '大连市西岗区解放街6号' },
  { name: '大连市友谊医院', region: '210202', address: '大连市中山区三八广场8号' },
  { name: '大连市第七人民医院', region: '210211', address: '大连市甘井子区凌工路1号' },
  { name: '金州区第一人民医院', region: '210213', address: '大连市金州区斯大林路' },
  { name: '瓦房店市中心医院', region: '210281', address: '瓦房店市共济街' },
  { name: '庄河市中心医院', region: '210283', address: '庄河市新华路' },
];

export const MEDICAL_ITEMS = [
  { what: '骨科类医用耗材', goods: 'consumables' },
  { what: '血液透析耗材', goods: 'consumables' },
  { what: '一次性使用医用耗材', goods: 'consumables' },
  { what: '临床检验试剂', goods: 'consumables' },
  { what: '血管介入类耗材', goods: 'consumables' },
  { what: '64排螺旋CT', goods: 'equipment' },
  { what: '彩色多普勒超声诊断仪', goods: 'equipment' },
  { what: '数字化X射线摄影系统（DR）', goods: 'equipment' },
  { what: '全自动生化分析仪', goods: 'equipment' },
  { what: '医用电子内窥镜系统', goods: 'equipment' },
  { what: '重症监护病房（ICU）设备', goods: 'equipment' },
  { what: '麻醉机及多参数监护仪', goods: 'equipment' },
] as const;

/** City-level public bodies (机关 and 事业单位) that buy goods and services. */
export const CITY_BODIES = [
  { name: '大连市教育局', kind: 'organ', region: '210203', address: '大连市西岗区长江路' },
  { name: '大连市公安局', kind: 'organ', region: '210202', address: '大连市中山区人民路' },
  { name: '大连市自然资源局', kind: 'organ', region: '210203', address: '大连市西岗区长江路' },
  { name: '大连市城市管理局', kind: 'organ', region: '210204', address: '大连市沙河口区西南路' },
  { name: '大连市生态环境局', kind: 'organ', region: '210203', address: '大连市西岗区长江路' },
  { name: '大连市市场监督管理局', kind: 'organ', region: '210203', address: '大连市西岗区长江路' },
  { name: '大连图书馆', kind: 'institution', region: '210203', address: '大连市西岗区长白街7号' },
  { name: '大连市档案馆', kind: 'institution', region: '210203', address: '大连市西岗区北京街' },
  { name: '大连市疾病预防控制中心', kind: 'institution', region: '210204', address: '大连市沙河口区' },
  { name: '大连市城建档案馆', kind: 'institution', region: '210203', address: '大连市西岗区' },
] as const;
