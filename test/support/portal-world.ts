import { NoticeSearch } from '../../src/trading/notice-search.js';
import { constructionProject, creditCode, procurementNotice, procurementProject, tenderNotice } from './fixtures.js';
import { apiKeyClient, createStaff, StaffClient } from './staff.js';
import type { FixedClock, TestApp } from './test-app.js';

/**
 * A small published world for the public pages, built through the staff API in time order: one project per
 * family with every notice type, a correction, a withdrawal, a termination, and regions under Dalian (210200).
 * `ids` names each notice by its role ("aTender", "bResult", …) and each project ("A" … "G").
 */
export interface PortalWorld {
  projects: Record<string, string>;
  ids: Record<string, string>;
  draftId: string;
  unpublishedProjectId: string;
  clerk: StaffClient;
  reviewer: StaffClient;
}

/** Wall-clock time in China Standard Time → the instant. */
export const cst = (s: string) => new Date(`${s.replace(' ', 'T')}:00+08:00`);

const bid = (n: number, name: string, price: Record<string, string>, extra: Record<string, string> = {}) => ({
  bidder: name,
  creditCode: creditCode(n),
  price,
  ...extra,
});

export async function buildPortalWorld(t: TestApp, clock: FixedClock): Promise<PortalWorld> {
  const clerk = await apiKeyClient(t, (await createStaff(t, 'clerk')).id);
  const reviewer = await apiKeyClient(t, (await createStaff(t, 'reviewer')).id);
  const projects: Record<string, string> = {};
  const ids: Record<string, string> = {};

  const newProject = async (key: string, body: Record<string, unknown>) => {
    projects[key] = (await clerk.post('/api/admin/projects').send(body).expect(201)).body.id;
  };
  const publish = async (key: string, at: string, body: Record<string, unknown>) => {
    clock.set(cst(at));
    const draft = await clerk.post('/api/admin/notices').send(body);
    if (draft.status !== 201) throw new Error(`${key}: ${JSON.stringify(draft.body)}`);
    const submitted = await clerk.post(`/api/admin/notices/${draft.body.id}/submit`);
    if (submitted.status !== 200) throw new Error(`${key}: ${JSON.stringify(submitted.body)}`);
    const res = await reviewer.post(`/api/admin/notices/${draft.body.id}/approve`).send({});
    if (res.status !== 200) throw new Error(`${key}: ${JSON.stringify(res.body)}`);
    ids[key] = draft.body.id;
  };

  clock.set(cst('2026-11-25 09:00'));
  await newProject('A', constructionProject({ name: '甘井子区红旗西路道路改造工程', regionCode: '210211' }));
  await newProject(
    'B',
    procurementProject('open-tender', { name: '金州区中心医院医用耗材采购项目', regionCode: '210213' }),
  );
  await newProject(
    'C',
    constructionProject({
      category: 'land-mining',
      name: '瓦房店市2026-08号地块国有建设用地使用权挂牌出让',
      regionCode: '210281',
      transferMode: 'listing',
      fundingSource: undefined,
      price: { kind: 'reserve', value: '5000', unit: '万元' },
      lots: [],
      parties: [
        {
          role: 'transferor',
          name: '瓦房店市自然资源局',
          creditCode: creditCode(10),
          address: '瓦房店市共济街1号',
          contactName: '李科长',
          contactPhone: '0411-85600000',
        },
      ],
    }),
  );
  await newProject(
    'D',
    constructionProject({ category: 'municipal', name: '中山区滨海路景观绿化提升工程', regionCode: '210202' }),
  );
  await newProject(
    'E',
    constructionProject({ category: 'highway', name: '旅顺口区环岛公路养护工程', regionCode: '210212' }),
  );
  await newProject(
    'F',
    constructionProject({ category: 'water', name: '长海县供水管网改造工程', regionCode: '210224' }),
  );
  await newProject('G', constructionProject({ category: 'port', name: '大连湾港池疏浚工程', regionCode: '210200' }));
  await newProject('H', constructionProject({ name: '尚未发布公告的项目' }));
  const owner = {
    name: '大连市甘井子区城市建设管理局',
    creditCode: creditCode(1),
    contactName: '王工',
    contactPhone: '0411-86000000',
  };

  await publish(
    'aTender',
    '2026-11-25 10:00',
    tenderNotice(projects.A, { tenderer: owner, evaluationMethod: 'comprehensive' }),
  );
  await publish('bProcurement', '2026-11-25 10:10', procurementNotice(projects.B));
  await publish('cTransfer', '2026-11-25 10:20', {
    projectId: projects.C,
    type: 'transfer',
    title: '瓦房店市2026-08号地块国有建设用地使用权挂牌出让公告',
    body: '经瓦房店市人民政府批准，瓦房店市自然资源局决定以挂牌方式出让一宗国有建设用地使用权。',
    details: {
      mode: 'listing',
      subject: '瓦房店市2026-08号地块，面积 35,000 平方米，用途为工业用地',
      qualifications: '中华人民共和国境内外的法人和其他组织',
      reservePrice: { value: '5000', unit: '万元' },
      deposit: { value: '1000', unit: '万元' },
      increment: { value: '50', unit: '万元' },
      listingStart: '2026-12-15 09:00',
      listingEnd: '2026-12-29 16:00',
      auctionStart: '2026-12-29 16:30',
      transferor: { name: '瓦房店市自然资源局', creditCode: creditCode(10) },
    },
  });
  await publish('dPrequalification', '2026-11-25 10:30', {
    projectId: projects.D,
    type: 'prequalification',
    title: '滨海路景观绿化提升工程资格预审公告',
    body: '本项目对滨海路沿线绿化进行提升改造，现进行资格预审。',
    details: {
      content: '景观绿化提升',
      qualifications: '具备园林绿化工程施工能力',
      consortiumAccepted: true,
      documentsFrom: '2026-11-25 10:30',
      documentsTo: '2026-11-30 17:00',
      documentsMethod: '网上下载',
      applicationDeadline: '2026-12-02 17:00',
      submissionMethod: '电子递交',
      tenderer: { name: '大连市中山区城市管理局', creditCode: creditCode(11) },
    },
  });
  await publish('eTender', '2026-11-25 10:40', tenderNotice(projects.E, { content: '环岛公路路面养护' }));
  await publish('fTender', '2026-11-25 10:50', {
    ...tenderNotice(projects.F),
    title: '长海县供水管网改造工程施工招标公告',
    body: '长海县供水管网改造工程施工招标。',
  });
  await publish('gTender', '2026-11-25 11:00', {
    ...tenderNotice(projects.G),
    title: '大连湾港池疏浚工程施工招标公告',
    body: '大连湾港池疏浚工程施工招标。',
  });
  await publish('aCorrection', '2026-11-26 10:00', {
    projectId: projects.A,
    type: 'correction',
    targetNoticeId: ids.aTender,
    title: '红旗西路道路改造工程施工招标澄清公告',
    body: '投标截止时间和开标时间顺延。',
    details: {
      reason: '招标文件补充工程量清单',
      affectsBids: true,
      changes: { bidDeadline: '2026-12-22 09:30', openingTime: '2026-12-22 09:30' },
    },
  });
  await publish('dAbnormal', '2026-11-26 11:00', {
    projectId: projects.D,
    type: 'abnormal',
    title: '滨海路景观绿化提升工程交易异常公告',
    body: '电子交易系统故障导致资格预审文件下载中断。',
    details: { reason: '电子交易系统故障', measures: '延长资格预审文件获取时间' },
  });
  await publish('eWithdrawal', '2026-11-26 14:00', {
    projectId: projects.E,
    type: 'withdrawal',
    targetNoticeId: ids.eTender,
    title: '关于撤回旅顺口区环岛公路养护工程招标公告的声明',
    body: '招标人调整建设方案',
    details: { reason: '招标人调整建设方案' },
  });
  await publish('dTermination', '2026-11-27 10:00', {
    projectId: projects.D,
    type: 'termination',
    title: '滨海路景观绿化提升工程终止公告',
    body: '因规划调整，本项目终止招标。',
    details: { reason: '规划调整，项目终止' },
  });
  await publish('bBidOpening', '2026-12-16 12:00', {
    projectId: projects.B,
    type: 'bid-opening',
    title: '医用耗材采购项目开标记录',
    body: '开标记录如下。',
    details: {
      openingTime: '2026-12-16 09:30',
      openingPlace: '大连市公共资源交易中心第三开标室',
      controlPrice: { value: '356.8', unit: '万元' },
      bids: [
        bid(30, '大连康健医疗器械有限公司', { form: 'amount', value: '3400000', unit: '元' }),
        bid(31, '辽宁华泰医药有限公司', { form: 'amount', value: '349.5', unit: '万元' }),
      ],
    },
  });
  await publish('bResult', '2026-12-17 10:00', {
    projectId: projects.B,
    type: 'result',
    title: '医用耗材采购项目中标结果公告',
    body: '经评审，确定中标供应商如下。',
    details: {
      decisionDate: '2026-12-16',
      winners: [
        {
          name: '大连康健医疗器械有限公司',
          creditCode: creditCode(30),
          price: { form: 'amount', value: '3400000', unit: '元' },
        },
      ],
    },
  });
  await publish('bContract', '2026-12-18 10:00', {
    projectId: projects.B,
    type: 'contract',
    title: '医用耗材采购项目合同公告',
    body: '合同已签订。',
    details: {
      signedDate: '2026-12-17',
      contractNo: 'DLZX-2026-118',
      supplier: { name: '大连康健医疗器械有限公司', creditCode: creditCode(30) },
      amount: { value: '3400000', unit: '元' },
      duration: '一年',
    },
  });
  const lotCode = (await clerk.get(`/api/admin/projects/${projects.A}`).expect(200)).body.lots[0].code;
  await publish('aBidOpening', '2026-12-22 12:00', {
    projectId: projects.A,
    type: 'bid-opening',
    title: '红旗西路道路改造工程开标记录',
    body: '开标记录如下。',
    details: {
      openingTime: '2026-12-22 09:30',
      openingPlace: '大连市公共资源交易中心第一开标室',
      lotCode,
      controlPrice: { value: '1200', unit: '万元' },
      bids: [
        bid(
          20,
          '大连市政建设集团有限公司',
          { form: 'amount', value: '1150.5', unit: '万元' },
          { duration: '180日历天', quality: '合格', projectManager: '张建国' },
        ),
        bid(
          21,
          '辽宁路桥工程有限公司',
          { form: 'amount', value: '1180', unit: '万元' },
          { duration: '180日历天', quality: '合格' },
        ),
        bid(22, '大连绿城园林有限公司', { form: 'down-rate', value: '3.5', unit: '%' }),
      ],
    },
  });
  await publish('aCandidates', '2026-12-24 10:00', {
    projectId: projects.A,
    type: 'candidates',
    title: '红旗西路道路改造工程中标候选人公示',
    body: '经评标委员会评审，中标候选人公示如下。',
    details: {
      evaluationReportDate: '2026-12-23',
      publicityStart: '2026-12-24 10:00',
      publicityEnd: '2026-12-28 17:00',
      lotCode,
      objectionChannel:
        '投标人或其他利害关系人对评标结果有异议的，应在公示期内以书面形式向招标人提出（地址：大连市甘井子区华北路1号）',
      publisher: '赵敏',
      checker: '钱峰',
      candidates: [
        {
          rank: 1,
          name: '大连市政建设集团有限公司',
          creditCode: creditCode(20),
          price: { form: 'amount', value: '1150.5', unit: '万元' },
          quality: '合格',
          duration: '180日历天',
          projectManager: '张建国',
          certificateName: '一级建造师（市政公用工程）',
          certificateNo: '辽121060800123',
          qualification: '市政公用工程施工总承包一级',
        },
        {
          rank: 2,
          name: '辽宁路桥工程有限公司',
          creditCode: creditCode(21),
          price: { form: 'amount', value: '1180', unit: '万元' },
          projectManager: '孙立',
          certificateName: '一级建造师（市政公用工程）',
          certificateNo: '辽121070900456',
          qualification: '市政公用工程施工总承包二级',
        },
      ],
      rejectedBids: [
        { bidder: '大连绿城园林有限公司', creditCode: creditCode(22), reason: '不具备市政公用工程施工总承包资质' },
      ],
    },
  });
  await publish('aResult', '2026-12-29 09:00', {
    projectId: projects.A,
    type: 'result',
    title: '红旗西路道路改造工程中标结果公告',
    body: '确定中标人如下。',
    details: {
      decisionDate: '2026-12-29',
      winners: [
        {
          name: '大连市政建设集团有限公司',
          creditCode: creditCode(20),
          price: { form: 'amount', value: '1150.5', unit: '万元' },
          lotCode,
        },
      ],
    },
  });
  await publish('aContract', '2026-12-29 11:00', {
    projectId: projects.A,
    type: 'contract',
    title: '红旗西路道路改造工程合同公告',
    body: '施工合同已签订。',
    details: {
      signedDate: '2026-12-29',
      supplier: { name: '大连市政建设集团有限公司', creditCode: creditCode(20) },
      amount: { value: '1150.5', unit: '万元' },
      duration: '180日历天',
    },
  });
  await publish('cAuction', '2026-12-29 18:00', {
    projectId: projects.C,
    type: 'auction',
    title: '瓦房店市2026-08号地块竞价结果',
    body: '现场竞价过程如下。',
    details: {
      startTime: '2026-12-29 16:30',
      endTime: '2026-12-29 17:30',
      reservePrice: { value: '5000', unit: '万元' },
      finalPrice: { value: '5100', unit: '万元' },
      winner: { name: '大连滨海置业有限公司', creditCode: creditCode(40) },
      rounds: [
        { round: 1, bidder: '大连滨海置业有限公司', price: { value: '5000', unit: '万元' }, time: '2026-12-29 16:35' },
        { round: 2, bidder: '大连兴港实业有限公司', price: { value: '5050', unit: '万元' }, time: '2026-12-29 16:50' },
        { round: 3, bidder: '大连滨海置业有限公司', price: { value: '5100', unit: '万元' }, time: '2026-12-29 17:10' },
      ],
    },
  });
  await publish('cDeal', '2026-12-30 10:00', {
    projectId: projects.C,
    type: 'deal',
    title: '瓦房店市2026-08号地块成交公示',
    body: '成交结果公示如下。',
    details: {
      dealDate: '2026-12-29',
      dealPrice: { value: '5100', unit: '万元' },
      buyer: { name: '大连滨海置业有限公司', creditCode: creditCode(40) },
      publicityStart: '2026-12-30 10:00',
      publicityEnd: '2027-01-06 17:00',
    },
  });
  await publish('aPerformance', '2026-12-30 11:00', {
    projectId: projects.A,
    type: 'performance',
    title: '红旗西路道路改造工程履约信息',
    body: '工程已开工。',
    details: { status: 'in-progress', summary: '施工单位已进场，工程按计划推进' },
  });

  // Until publishing indexes each notice in its own transaction, build the search index once here (idempotent).
  await t.app.get(NoticeSearch).reindexAll();
  const draft = await clerk.post('/api/admin/notices').send(tenderNotice(projects.H)).expect(201);
  return { projects, ids, draftId: draft.body.id, unpublishedProjectId: projects.H, clerk, reviewer };
}
