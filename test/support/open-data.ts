import { constructionProject, creditCode, procurementNotice, procurementProject, tenderNotice } from './fixtures.js';
import { createStaff, signIn, type StaffClient } from './staff.js';
import { FixedClock, startTestApp, type TestApp } from './test-app.js';

/** Open-data tests: an app at a fixed "now" and staff who publish through /api/admin as the back office does. */
export const OPEN_DATA_NOW = new Date('2026-11-25T02:00:00Z'); // Wednesday 10:00 CST

export interface Publisher {
  clerk: StaffClient;
  reviewer: StaffClient;
  project(body: Record<string, unknown>): Promise<string>;
  /** Drafts, submits and approves; returns the published notice (staff JSON). */
  publish(body: Record<string, unknown>): Promise<{ id: string; logSeq: number; [k: string]: unknown }>;
}

export async function startOpenDataApp(
  env: Record<string, string> = {},
): Promise<{ t: TestApp; clock: FixedClock; pub: Publisher }> {
  const clock = new FixedClock(OPEN_DATA_NOW);
  // Generous limits: only the rate-limit test measures them.
  const t = await startTestApp({
    clock,
    env: {
      SESSION_TTL_MINUTES: '43200',
      RATE_LIMIT_API: '100000',
      RATE_LIMIT_FEEDS: '100000',
      RATE_LIMIT_EXPORTS: '100000',
      ...env,
    },
  });
  const c = await createStaff(t, 'clerk');
  const r = await createStaff(t, 'reviewer');
  const clerk = await signIn(t, c.username, c.password);
  const reviewer = await signIn(t, r.username, r.password);
  const pub: Publisher = {
    clerk,
    reviewer,
    async project(body) {
      const res = await clerk.post('/api/admin/projects').send(body);
      if (res.status !== 201) throw new Error(`project: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.id;
    },
    async publish(body) {
      const draft = await clerk.post('/api/admin/notices').send(body);
      if (draft.status !== 201) throw new Error(`draft: ${draft.status} ${JSON.stringify(draft.body)}`);
      const submitted = await clerk.post(`/api/admin/notices/${draft.body.id}/submit`);
      if (submitted.status !== 200) throw new Error(`submit: ${submitted.status} ${JSON.stringify(submitted.body)}`);
      const res = await reviewer.post(`/api/admin/notices/${draft.body.id}/approve`).send({});
      if (res.status !== 200 || res.body.status !== 'published')
        throw new Error(`approve: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
  };
  return { t, clock, pub };
}

export const bidder = (n: number, name: string, value: string, unit = '元', form = 'amount') => ({
  bidder: name,
  creditCode: creditCode(100 + n),
  price: { form, value, unit },
  duration: '365日历天',
  quality: '合格',
});

/**
 * A small data set with every stage: a construction project from tender to performance (with a correction, a
 * bid opening of four bids, one of them named like a spreadsheet formula), a procurement project whose tender
 * is withdrawn and another terminated, and a transfer sold above its reserve price.
 */
export async function publishScenario(pub: Publisher) {
  const works = await pub.project(
    constructionProject({ price: { kind: 'budget', value: '1234.56', unit: '万元' }, lots: [] }),
  );
  const tender = await pub.publish(tenderNotice(works));
  const correction = await pub.publish({
    projectId: works,
    type: 'correction',
    title: '红旗西路道路改造工程施工招标澄清公告',
    body: '投标截止时间顺延。',
    targetNoticeId: tender.id,
    details: {
      reason: '补充工程量清单',
      affectsBids: true,
      changes: { bidDeadline: '2026-12-22 09:30', openingTime: '2026-12-22 09:30' },
    },
  });
  const opening = await pub.publish({
    projectId: works,
    type: 'bid-opening',
    title: '红旗西路道路改造工程开标记录',
    body: '开标记录如下。',
    details: {
      openingTime: '2026-11-24 09:30',
      openingPlace: '不见面开标大厅',
      controlPrice: { value: '1200', unit: '万元' },
      bids: [
        bidder(1, '大连建工集团有限公司', '1180.5', '万元'),
        bidder(2, '=HYPERLINK("http://x")公司', '11900000.10'),
        bidder(3, '大连市政建设有限公司', '12345680.00'),
        bidder(4, '辽宁路桥有限公司', '3.5', '%', 'down-rate'),
      ],
    },
  });
  const candidates = await pub.publish({
    projectId: works,
    type: 'candidates',
    title: '红旗西路道路改造工程中标候选人公示',
    body: '现将中标候选人公示如下。',
    details: {
      evaluationReportDate: '2026-11-24',
      publicityStart: '2026-11-25 10:00',
      publicityEnd: '2026-11-30 17:00',
      objectionChannel: '书面向招标人提出',
      publisher: '张三',
      checker: '李四',
      candidates: [
        {
          rank: 1,
          name: '大连建工集团有限公司',
          creditCode: creditCode(101),
          price: { form: 'amount', value: '1180.5', unit: '万元' },
          projectManager: '王五',
          certificateName: '一级建造师',
          certificateNo: '辽1210000',
          qualification: '满足',
        },
      ],
    },
  });
  const result = await pub.publish({
    projectId: works,
    type: 'result',
    title: '红旗西路道路改造工程中标结果公告',
    body: '中标结果如下。',
    details: {
      decisionDate: '2026-11-24',
      winners: [
        {
          name: '大连建工集团有限公司',
          creditCode: creditCode(101),
          price: { form: 'amount', value: '1180.5', unit: '万元' },
        },
      ],
    },
  });
  const contract = await pub.publish({
    projectId: works,
    type: 'contract',
    title: '红旗西路道路改造工程合同公告',
    body: '合同已签订。',
    details: {
      signedDate: '2026-11-24',
      contractNo: 'HT-001',
      supplier: { name: '大连建工集团有限公司', creditCode: creditCode(101) },
      amount: { value: '11805000', unit: '元' },
    },
  });
  const performance = await pub.publish({
    projectId: works,
    type: 'performance',
    title: '红旗西路道路改造工程履约信息',
    body: '履约正常。',
    details: { status: 'in-progress', summary: '已完成30%' },
  });

  const buying = await pub.project(
    procurementProject('open-tender', {
      regionCode: '210202',
      price: { kind: 'budget', value: '356.8', unit: '万元' },
    }),
  );
  const purchase = await pub.publish(procurementNotice(buying));
  const withdrawal = await pub.publish({
    projectId: buying,
    type: 'withdrawal',
    title: '关于撤回医用耗材采购公告的声明',
    body: '采购需求调整。',
    targetNoticeId: purchase.id,
    details: { reason: '采购需求调整' },
  });
  const termination = await pub.publish({
    projectId: buying,
    type: 'termination',
    title: '医用耗材采购项目终止公告',
    body: '项目终止。',
    details: { reason: '采购需求取消' },
  });
  const buyingResultProject = await pub.project(
    procurementProject('open-tender', { price: { kind: 'budget', value: '100', unit: '万元' } }),
  );
  const procurementResult = await pub.publish({
    projectId: buyingResultProject,
    type: 'result',
    title: '办公设备采购项目成交结果公告',
    body: '成交结果如下。',
    details: {
      decisionDate: '2026-11-24',
      winners: [
        {
          name: '大连办公设备有限公司',
          creditCode: creditCode(201),
          price: { form: 'amount', value: '1001200', unit: '元' },
        },
      ],
    },
  });

  const sale = await pub.project(
    constructionProject({
      category: 'state-assets',
      name: '中山区临街门市房租赁权转让',
      transferMode: 'auction',
      price: { kind: 'reserve', value: '213200', unit: '元' },
      parties: [{ role: 'transferor', name: '大连市中山区机关事务服务中心', creditCode: creditCode(5) }],
      lots: [],
    }),
  );
  const transfer = await pub.publish({
    projectId: sale,
    type: 'transfer',
    title: '中山区临街门市房租赁权拍卖公告',
    body: '现公开拍卖。',
    details: {
      mode: 'auction',
      subject: '临街门市房五年租赁权',
      qualifications: '依法设立的企业',
      reservePrice: { value: '213200', unit: '元' },
      listingStart: '2026-11-25 10:00',
      listingEnd: '2026-12-10 16:00',
      transferor: { name: '大连市中山区机关事务服务中心', creditCode: creditCode(5) },
    },
  });
  const deal = await pub.publish({
    projectId: sale,
    type: 'deal',
    title: '中山区临街门市房租赁权成交公示',
    body: '成交如下。',
    details: {
      dealDate: '2026-11-24',
      dealPrice: { value: '250000', unit: '元' },
      buyer: { name: '大连盛通商贸有限公司', creditCode: creditCode(301) },
    },
  });
  return {
    projects: { works, buying, buyingResultProject, sale },
    notices: {
      tender,
      correction,
      opening,
      candidates,
      result,
      contract,
      performance,
      purchase,
      withdrawal,
      termination,
      procurementResult,
      transfer,
      deal,
    },
  };
}

export type Scenario = Awaited<ReturnType<typeof publishScenario>>;

/**
 * Line breaks alone (a bare LF, a bare CR, a CRLF; no comma or quote, which a writer quoting only CRLF misses), and
 * text with commas and quotes: every character CSV cares about.
 */
export const LINE_BREAKS_TEXT = '第一行\n第二行\r第三行\r\n第四行';
export const COMMAS_QUOTES_TEXT = '老街改造,"二期"\n工程，逗号, 引号" 完';

/**
 * One project whose staff-entered text holds such text in every kind of CSV cell: the project's name, a tender
 * notice's title and body, a bid's bidder and quality in a bid-opening record, and the result's winner.
 */
export async function publishAwkwardText(pub: Publisher) {
  const project = await pub.project(constructionProject({ name: '老街改造\n二期工程', lots: [] }));
  const tender = await pub.publish({ ...tenderNotice(project), title: COMMAS_QUOTES_TEXT, body: LINE_BREAKS_TEXT });
  const opening = await pub.publish({
    projectId: project,
    type: 'bid-opening',
    title: '老街改造工程开标记录',
    body: COMMAS_QUOTES_TEXT,
    details: {
      openingTime: '2026-11-24 09:30',
      bids: [
        { ...bidder(7, '大连老街建设\r有限公司', '900', '万元'), quality: LINE_BREAKS_TEXT },
        bidder(8, '大连第二建设有限公司', '950', '万元'),
      ],
    },
  });
  const result = await pub.publish({
    projectId: project,
    type: 'result',
    title: '老街改造工程中标结果公告',
    body: LINE_BREAKS_TEXT,
    details: {
      decisionDate: '2026-11-24',
      winners: [
        {
          name: '大连老街建设\r有限公司',
          creditCode: creditCode(107),
          price: { form: 'amount', value: '900', unit: '万元' },
        },
      ],
    },
  });
  return { project, notices: { tender, opening, result } };
}
