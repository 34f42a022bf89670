import { adminSignIn, AdminBrowser, fieldError, formFields, inputValue, text } from './support/admin-pages.js';
import { constructionProject, creditCode, procurementProject, tenderNotice } from './support/fixtures.js';
import { apiKeyClient, createStaff, StaffClient } from './support/staff.js';
import { FixedClock, startTestApp, TestApp } from './support/test-app.js';

const NOW = new Date('2026-11-25T02:00:00Z'); // Wednesday 10:00 CST

/** Details of every notice type, as staff would type them. */
const bid = (n: number, name: string, value: string, unit = '元', form = 'amount') => ({
  bidder: name,
  creditCode: creditCode(n),
  price: { form, value, unit },
});
const DETAILS: Record<string, Record<string, unknown>> = {
  tender: { ...tenderNotice('x').details, evaluationMethod: 'comprehensive' },
  prequalification: {
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
  'bid-opening': {
    openingTime: '2026-11-24 09:30',
    openingPlace: '第一开标室',
    controlPrice: { value: '1200', unit: '万元' },
    bids: [
      bid(20, '大连市政建设集团有限公司', '1150.5', '万元'),
      bid(21, '辽宁路桥工程有限公司', '3.5', '%', 'down-rate'),
    ],
  },
  candidates: {
    evaluationReportDate: '2026-11-24',
    publicityStart: '2026-11-25 10:00',
    publicityEnd: '2026-11-30 17:00',
    objectionChannel: '书面向招标人提出',
    publisher: '赵敏',
    checker: '钱峰',
    candidates: [
      {
        rank: 1,
        name: '大连市政建设集团有限公司',
        creditCode: creditCode(20),
        price: { form: 'amount', value: '1150.5', unit: '万元' },
        projectManager: '张建国',
        certificateName: '一级建造师',
        certificateNo: '辽121060800123',
        qualification: '满足',
      },
    ],
    rejectedBids: [
      { bidder: '大连第九建设有限公司', creditCode: creditCode(29), reason: '未按招标文件要求提交投标保证金' },
    ],
  },
  result: {
    decisionDate: '2026-11-24',
    winners: [
      {
        name: '大连市政建设集团有限公司',
        creditCode: creditCode(20),
        price: { form: 'amount', value: '1150.5', unit: '万元' },
      },
    ],
    rejectedBids: [
      {
        bidder: '辽宁路桥工程有限公司',
        creditCode: creditCode(21),
        reason: '投标报价超过招标控制价',
        lotCode: 'E2102000001ADM001',
      },
    ],
  },
  contract: {
    signedDate: '2026-11-24',
    contractNo: 'HT-1',
    supplier: { name: '大连市政建设集团有限公司', creditCode: creditCode(20) },
    amount: { value: '1150.5', unit: '万元' },
  },
  performance: { status: 'in-progress', summary: '已进场施工' },
  termination: { reason: '规划调整，项目终止' },
  abnormal: { reason: '电子交易系统故障', measures: '延长文件获取时间' },
  procurement: {
    method: 'open-tender',
    content: '一次性医用耗材',
    qualifications: '具有医疗器械经营许可证',
    consortiumAccepted: false,
    budget: { value: '356.8', unit: '万元' },
    evaluationMethod: 'lowest-price',
    documentsFrom: '2026-11-25 10:00',
    documentsTo: '2026-12-03 17:00',
    documentsMethod: '网上下载',
    bidDeadline: '2026-12-16 09:30',
    submissionMethod: '电子投标',
    purchaser: { name: '大连市中心医院', creditCode: creditCode(3) },
  },
  transfer: {
    mode: 'listing',
    subject: '2026-08号地块',
    qualifications: '境内外法人',
    reservePrice: { value: '5000', unit: '万元' },
    deposit: { value: '1000', unit: '万元' },
    listingStart: '2026-12-15 09:00',
    listingEnd: '2026-12-29 16:00',
    transferor: { name: '瓦房店市自然资源局', creditCode: creditCode(10) },
  },
  auction: {
    startTime: '2026-11-24 16:30',
    endTime: '2026-11-24 17:30',
    reservePrice: { value: '5000', unit: '万元' },
    finalPrice: { value: '5100', unit: '万元' },
    winner: { name: '大连滨海置业有限公司', creditCode: creditCode(40) },
    rounds: [
      { round: 1, bidder: '1号竞买人', price: { value: '5000', unit: '万元' }, time: '2026-11-24 16:35' },
      { round: 2, bidder: '2号竞买人', price: { value: '5100', unit: '万元' }, time: '2026-11-24 16:50' },
    ],
  },
  deal: {
    dealDate: '2026-11-24',
    dealPrice: { value: '5100', unit: '万元' },
    buyer: { name: '大连滨海置业有限公司', creditCode: creditCode(40) },
  },
};

describe('back office: notice forms, review, corrections and withdrawals', () => {
  let t: TestApp;
  const clock = new FixedClock(NOW);
  let clerk: AdminBrowser, reviewer: AdminBrowser, admin: AdminBrowser, api: StaffClient;
  let works: string, buying: string, land: string;

  beforeAll(async () => {
    t = await startTestApp({ clock });
    const c = await createStaff(t, 'clerk');
    const r = await createStaff(t, 'reviewer');
    const a = await createStaff(t, 'admin');
    [clerk, reviewer, admin] = [
      await adminSignIn(t, c.username, c.password),
      await adminSignIn(t, r.username, r.password),
      await adminSignIn(t, a.username, a.password),
    ];
    api = await apiKeyClient(t, c.id);
    buying = (await api.post('/api/admin/projects').send(procurementProject()).expect(201)).body.id;
    land = (
      await api
        .post('/api/admin/projects')
        .send(
          constructionProject({
            category: 'land-mining',
            transferMode: 'listing',
            price: { kind: 'reserve', value: '5000', unit: '万元' },
            lots: [],
            parties: [{ role: 'transferor', name: '瓦房店市自然资源局', creditCode: creditCode(10) }],
          }),
        )
        .expect(201)
    ).body.id;
  });
  afterAll(() => t.close());

  const newNotice = (
    projectId: string,
    type: string,
    details: Record<string, unknown>,
    extra: Record<string, string> = {},
  ) =>
    clerk.post('/admin/notices', {
      projectId,
      type,
      title: `${type} 公告标题`,
      body: '正文第一段。\n\n正文第二段。',
      ...formFields(details, 'details'),
      ...extra,
    });
  /** The error shown beside the input with this id (the notice page's own small forms). */
  const errorBeside = (html: string, id: string) =>
    new RegExp(`aria-describedby="${id}-error"[\\s\\S]*?id="${id}-error">([^<]*)<`).exec(html)?.[1] ?? null;
  const valueOf = (html: string, id: string) => new RegExp(`id="${id}"[^>]*? value="([^"]*)"`).exec(html)?.[1] ?? null;
  const idFrom = (location: string) => decodeURIComponent(/\/admin\/notices\/([^/?#]+)/.exec(location)![1]);

  it('registers a project with a form, parties and lots as repeated rows', async () => {
    expect((await clerk.get('/admin/projects/new')).text).toContain('name="parties[1].creditCode"');
    const form = formFields({
      name: '甘井子区红旗西路道路改造工程',
      category: 'construction',
      regionCode: '210211',
      dealCode: 'A02-2102-ADMIN1',
      tenderCode: 'E2102000001ADM',
      price: { kind: 'budget', value: '1234.56', unit: '万元' },
      fullyOnline: true,
      parties: [
        { role: 'tenderer', name: '大连市甘井子区城市建设管理局', creditCode: creditCode(1) },
        { role: 'agency', name: '大连建信工程咨询有限公司', creditCode: creditCode(2) },
      ],
      lots: [{ code: 'E2102000001ADM001', name: '第一标段', budget: { value: '1234.56', unit: '万元' } }],
    });
    const bad = await clerk.post('/admin/projects', {
      ...form,
      'parties[1].creditCode': '91210200MA0000002X',
      dealCode: '',
    });
    expect(bad.status).toBe(400);
    expect(fieldError(bad.text, 'parties[1].creditCode')).toContain('不是有效的统一社会信用代码');
    expect(fieldError(bad.text, 'dealCode')).toBe('必填');
    expect(inputValue(bad.text, 'name')).toBe('甘井子区红旗西路道路改造工程');
    const ok = await clerk.post('/admin/projects', form);
    expect(ok.status).toBe(303);
    works = decodeURIComponent(/\/admin\/projects\/([^?]+)/.exec(ok.headers.location)![1]);
    const page = await clerk.get(ok.headers.location);
    expect(page.text).toContain('E2102000001ADM001');
    expect(page.text).toContain('招标公告');
  });

  it('shows a tender form with every field, and refuses bad input field by field, keeping what was typed', async () => {
    const empty = await clerk.get(`/admin/notices/new?project=${encodeURIComponent(works)}&type=tender`);
    for (const name of [
      'title',
      'details.content',
      'details.consortiumAccepted',
      'details.bidDeadline',
      'details.controlPrice.value',
      'details.controlPrice.unit',
      'details.tenderer.creditCode',
      'details.agency.contactPhone',
    ]) {
      expect(empty.text).toContain(`name="${name}"`);
    }
    const details = {
      ...DETAILS.tender,
      content: '',
      bidDeadline: '2026-13-40 09:30',
      tenderer: { name: '大连市甘井子区城市建设管理局', creditCode: '123' },
      controlPrice: { value: '1,200', unit: '万元' },
    };
    const res = await newNotice(works, 'tender', details);
    expect(res.status).toBe(400);
    expect(res.text).toContain('未能保存：请修改以下');
    expect(fieldError(res.text, 'details.content')).toBe('必填');
    expect(fieldError(res.text, 'details.bidDeadline')).toContain('时间格式不正确');
    expect(fieldError(res.text, 'details.tenderer.creditCode')).toContain('不是有效的统一社会信用代码');
    expect(fieldError(res.text, 'details.controlPrice.value')).toContain('应为不带正负号和千分位的数字');
    expect(inputValue(res.text, 'details.bidDeadline')).toBe('2026-13-40T09:30');
    expect(inputValue(res.text, 'details.controlPrice.value')).toBe('1,200');
    expect(inputValue(res.text, 'details.tenderer.name')).toBe('大连市甘井子区城市建设管理局');
    expect(text(res.text)).toContain('招标人 · 统一社会信用代码');
  });

  it('refuses 0 as a budget or control price in the forms, next to the field, keeping what was typed', async () => {
    const budget = await newNotice(buying, 'procurement', {
      ...DETAILS.procurement,
      budget: { value: '0', unit: '万元' },
    });
    expect(budget.status).toBe(400);
    expect(fieldError(budget.text, 'details.budget.value')).toBe('预算金额应大于 0');
    expect(text(budget.text)).toContain('预算金额 · 金额');
    expect(inputValue(budget.text, 'details.budget.value')).toBe('0');
    const control = await newNotice(works, 'tender', {
      ...DETAILS.tender,
      controlPrice: { value: '0.00', unit: '元' },
    });
    expect(control.status).toBe(400);
    expect(fieldError(control.text, 'details.controlPrice.value')).toBe('最高投标限价（招标控制价）应大于 0');
    const project = await clerk.post(
      '/admin/projects',
      formFields({
        name: '零预算工程',
        category: 'construction',
        regionCode: '210211',
        dealCode: 'A02-2102-ZERO1',
        tenderCode: 'E2102000001ZERO',
        price: { kind: 'budget', value: '0', unit: '万元' },
        parties: [{ role: 'tenderer', name: '大连市甘井子区城市建设管理局', creditCode: creditCode(1) }],
      }),
    );
    expect(project.status).toBe(400);
    expect(fieldError(project.text, 'price.value')).toBe('预算应大于 0');
  });

  it("adds blank rows without JavaScript and maps a row's error to its input", async () => {
    const details = DETAILS['bid-opening'];
    const more = await newNotice(works, 'bid-opening', details, { _add: 'details.bids' });
    expect(more.status).toBe(200);
    expect(more.text).toContain('name="details.bids[6].bidder"');
    expect(inputValue(more.text, 'details.bids[1].bidder')).toBe('辽宁路桥工程有限公司');
    // Blank rows in between are dropped; the third real row has a bad price.
    const fields = {
      ...formFields(details, 'details'),
      'details.bids[4].bidder': '大连第三公司',
      'details.bids[4].creditCode': creditCode(22),
      'details.bids[4].price.form': 'amount',
      'details.bids[4].price.value': '12.345',
      'details.bids[4].price.unit': '元',
    };
    const bad = await clerk.post('/admin/notices', {
      projectId: works,
      type: 'bid-opening',
      title: '开标记录',
      body: '',
      ...fields,
    });
    expect(bad.status).toBe(400);
    expect(fieldError(bad.text, 'details.bids[2].price')).toMatch(/最多2位小数/);
    expect(inputValue(bad.text, 'details.bids[2].bidder')).toBe('大连第三公司');
    expect(text(bad.text)).toContain('投标人及报价 第 3 行 · 投标报价');
  });

  it.each(Object.keys(DETAILS))('saves a %s from its form exactly as the API would store it', async (type) => {
    const projectId = ['procurement'].includes(type)
      ? buying
      : ['transfer', 'auction', 'deal'].includes(type)
        ? land
        : works;
    const page = await clerk.get(`/admin/notices/new?project=${encodeURIComponent(projectId)}&type=${type}`);
    expect(page.status).toBe(200);
    const res = await newNotice(projectId, type, DETAILS[type]);
    expect({
      type,
      status: res.status,
      errors: res.status === 303 ? null : /error-summary[\s\S]*?<\/div>/.exec(text(res.text))?.[0],
    }).toEqual({ type, status: 303, errors: null });
    const stored = (await api.get(`/api/admin/notices/${idFrom(res.headers.location)}`).expect(200)).body;
    const viaApi = (
      await api
        .post('/api/admin/notices')
        .send({ projectId, type, title: 'x 公告标题', body: '', details: DETAILS[type] })
        .expect(201)
    ).body;
    expect(stored.details).toEqual(viaApi.details);
    expect(stored.body).toBe('正文第一段。\n\n正文第二段。');
    // The edit form shows the stored values again.
    const edit = await clerk.get(`/admin/notices/${encodeURIComponent(stored.id)}/edit`);
    expect(edit.status).toBe(200);
    expect(inputValue(edit.text, 'title')).toBe(`${type} 公告标题`);
  });

  it('asks for the evaluation method, and records rejected bids, none (the box) or nothing, showing a bad row beside its cell', async () => {
    const tender = await clerk.get(`/admin/notices/new?project=${encodeURIComponent(works)}&type=tender`);
    expect(text(tender.text)).toMatch(
      /name="details.evaluationMethod"><option value="" selected>未载明<\/option><option value="comprehensive">综合评估法<\/option><option value="lowest-evaluated-price">经评审的最低投标价法<\/option><option value="lowest-price">最低投标价法<\/option>/s,
    );
    const procurement = await clerk.get(`/admin/notices/new?project=${encodeURIComponent(buying)}&type=procurement`);
    expect(text(procurement.text)).toContain(
      '<option value="comprehensive">综合评分法</option><option value="lowest-price">最低评标价法</option>',
    );
    const unknown = await newNotice(works, 'tender', { ...DETAILS.tender, evaluationMethod: 'cheapest' });
    expect(unknown.status).toBe(400);
    expect(fieldError(unknown.text, 'details.evaluationMethod')).toContain('取值必须是以下之一');

    const form = await clerk.get(`/admin/notices/new?project=${encodeURIComponent(works)}&type=candidates`);
    expect(form.text).toContain('name="details.rejectedBids[1].reason"');
    expect(form.text).toContain('name="details.rejectedBids.none" value="true"');
    expect(text(form.text)).toContain('评标委员会否决投标的，逐一填写投标人及否决理由');
    const { rejectedBids: _, ...candidates } = DETAILS.candidates;
    const stored = async (res: { status: number; headers: Record<string, string> }) => {
      expect(res.status).toBe(303);
      return (await api.get(`/api/admin/notices/${idFrom(res.headers.location)}`).expect(200)).body;
    };
    const none = await stored(
      await newNotice(works, 'candidates', candidates, { 'details.rejectedBids.none': 'true' }),
    );
    expect(none.details.rejectedBids).toEqual([]);
    const edit = await clerk.get(`/admin/notices/${encodeURIComponent(none.id)}/edit`);
    expect(edit.text).toMatch(/name="details.rejectedBids.none" value="true" checked/);
    const silent = await stored(await newNotice(works, 'candidates', candidates));
    expect(silent.details).not.toHaveProperty('rejectedBids');

    const bad = await newNotice(works, 'candidates', {
      ...candidates,
      rejectedBids: [{ bidder: '大连第九建设有限公司', creditCode: creditCode(29), reason: '否' }],
    });
    expect(bad.status).toBe(400);
    expect(fieldError(bad.text, 'details.rejectedBids[0].reason')).toBe('长度不能少于 2 个字符');
    expect(inputValue(bad.text, 'details.rejectedBids[0].bidder')).toBe('大连第九建设有限公司');
    expect(text(bad.text)).toContain('否决投标情况 第 1 行 · 否决理由');
  });

  it('names the broken timing rule when submitting, keeps the draft, and publishes once fixed and approved by another person', async () => {
    const tooSoon = { ...DETAILS.tender, bidDeadline: '2026-12-05 09:30', openingTime: '2026-12-05 09:30' };
    const refused = await newNotice(works, 'tender', tooSoon, { _then: 'submit' });
    expect(refused.status).toBe(422);
    expect(text(refused.text)).toContain('招标文件发出之日至投标截止之日不少于20日');
    expect(text(refused.text)).toContain('《招标投标法》第二十四条');
    expect(fieldError(refused.text, 'details.bidDeadline')).toContain('2026-12-15');
    const id = /action="\/admin\/notices\/([^/"]+)\/edit"/.exec(refused.text)![1];
    const fixed = await clerk.post(`/admin/notices/${id}/edit`, {
      title: '红旗西路招标公告',
      body: '正文',
      ...formFields(DETAILS.tender, 'details'),
      _then: 'submit',
    });
    expect(fixed.status).toBe(303);
    expect((await clerk.get(fixed.headers.location)).text).toContain('已提交审核');

    const own = await clerk.get(`/admin/notices/${id}`);
    expect(own.text).not.toContain('审核通过并发布');
    const queue = await reviewer.get('/admin/review');
    expect(queue.text).toContain('红旗西路招标公告');
    const page = await reviewer.get(`/admin/notices/${id}`);
    expect(page.text).toContain('审核通过并发布');
    const approved = await reviewer.post(`/admin/notices/${id}/approve`, { publishAt: '' });
    expect(approved.status).toBe(303);
    expect((await reviewer.get(approved.headers.location)).text).toContain('已审核通过并发布');
    const pub = await t.http().get(`/notices/${id}`).expect(200);
    expect(pub.text).toContain('红旗西路招标公告');
  });

  it('enforces four-eyes in the page and the service: no approve button for the author, and a forged post is refused', async () => {
    const res = await admin.post('/admin/notices', {
      projectId: works,
      type: 'performance',
      title: '管理员录入的履约信息',
      body: '',
      ...formFields(DETAILS.performance, 'details'),
      _then: 'submit',
    });
    const id = idFrom(res.headers.location);
    const page = await admin.get(`/admin/notices/${id}`);
    expect(page.text).toContain('须由其他审核人审核');
    expect(page.text).not.toContain(`action="/admin/notices/${id}/approve"`);
    const forged = await admin.post(`/admin/notices/${id}/approve`, {});
    expect(forged.status).toBe(403);
    expect(forged.text).toContain('审核人不能是公告的录入人');
  });

  it('rejects with a reason (required) and schedules an approval', async () => {
    const a = idFrom((await newNotice(works, 'abnormal', DETAILS.abnormal, { _then: 'submit' })).headers.location);
    const noReason = await reviewer.post(`/admin/notices/${a}/reject`, { reason: ' ' });
    expect(noReason.status).toBe(400);
    expect(noReason.text).toContain('请填写退回理由');
    expect((await reviewer.post(`/admin/notices/${a}/reject`, { reason: '异常原因写得不具体' })).status).toBe(303);
    const back = await clerk.get(`/admin/notices/${a}`);
    expect(back.text).toContain('已退回');
    expect(back.text).toContain('异常原因写得不具体');

    const b = idFrom(
      (await newNotice(works, 'performance', DETAILS.performance, { _then: 'submit' })).headers.location,
    );
    const bad = await reviewer.post(`/admin/notices/${b}/approve`, { publishAt: '明天上午' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('发布时间格式不正确');
    const past = await reviewer.post(`/admin/notices/${b}/approve`, { publishAt: '2026-11-24T09:00' });
    expect(past.status).toBe(400);
    expect(errorBeside(past.text, 'publishAt')).toContain('发布时间 2026-11-24 09:00（北京时间）已过');
    expect((await api.get(`/api/admin/notices/${b}`).expect(200)).body.status).toBe('submitted');
    const scheduled = await reviewer.post(`/admin/notices/${b}/approve`, { publishAt: '2026-11-26T09:00' });
    expect(scheduled.status).toBe(303);
    const page = await reviewer.get(scheduled.headers.location);
    expect(page.text).toContain('将在预定时间发布');
    expect(page.text).toContain('2026-11-26 09:00（北京时间）');
  });

  it('asks for a publication time on submission: a past one is refused; one that passes before review publishes at approval, as the form says', async () => {
    const id = idFrom((await newNotice(works, 'performance', DETAILS.performance)).headers.location);
    const past = await clerk.post(`/admin/notices/${id}/submit`, { publishAt: '2026-11-25T09:00' });
    expect(past.status).toBe(400);
    expect(errorBeside(past.text, 'submit-publishAt')).toContain('发布时间 2026-11-25 09:00（北京时间）已过');
    expect(valueOf(past.text, 'submit-publishAt')).toBe('2026-11-25T09:00');
    expect((await api.get(`/api/admin/notices/${id}`).expect(200)).body).toMatchObject({
      status: 'draft',
      scheduledAt: null,
    });

    expect((await clerk.post(`/admin/notices/${id}/submit`, { publishAt: '2026-11-25T15:00' })).status).toBe(303);
    const waiting = await reviewer.get(`/admin/notices/${id}`);
    expect(text(waiting.text)).toContain('录入人计划于 2026-11-25 15:00（北京时间） 发布');
    expect(valueOf(waiting.text, 'publishAt')).toBe('2026-11-25T15:00');
    expect(waiting.text).not.toContain('已过，批准后将立即发布');
    try {
      clock.set(new Date('2026-11-25T08:00:00Z')); // 16:00 in China: the requested time has passed
      const late = await reviewer.get(`/admin/notices/${id}`);
      expect(text(late.text)).toContain('计划发布时间 2026-11-25 15:00（北京时间） 已过，批准后将立即发布');
      expect(valueOf(late.text, 'publishAt')).toBe('');
      const approved = await reviewer.post(`/admin/notices/${id}/approve`, { publishAt: '' });
      expect(approved.status).toBe(303);
      expect((await api.get(`/api/admin/notices/${id}`).expect(200)).body).toMatchObject({
        status: 'published',
        publishedAt: '2026-11-25T16:00:00+08:00',
        scheduledAt: null,
      });
    } finally {
      clock.set(NOW);
    }
  });

  it('corrects and withdraws a published notice, each with its reason, through review', async () => {
    const tender = idFrom(
      (await newNotice(buying, 'procurement', DETAILS.procurement, { _then: 'submit' })).headers.location,
    );
    await reviewer.post(`/admin/notices/${tender}/approve`, {});
    const page = await clerk.get(`/admin/notices/${tender}`);
    expect(page.text).toContain('发布更正公告');
    const form = await clerk.get(
      `/admin/notices/new?project=${encodeURIComponent(buying)}&type=correction&target=${tender}`,
    );
    expect(form.text).toMatch(new RegExp(`<option value="${tender}" selected>`));
    const noReason = await clerk.post('/admin/notices', {
      projectId: buying,
      type: 'correction',
      targetNoticeId: tender,
      title: '更正公告标题',
      body: '',
      'details.affectsBids': 'false',
      'details.changes.bidDeadline': '2026-12-20T09:30',
    });
    expect(noReason.status).toBe(400);
    expect(fieldError(noReason.text, 'details.reason')).toBe('必填');
    const correction = await clerk.post('/admin/notices', {
      projectId: buying,
      type: 'correction',
      targetNoticeId: tender,
      title: '更正公告标题',
      body: '',
      'details.reason': '延长投标截止时间',
      'details.affectsBids': 'false',
      'details.changes.bidDeadline': '2026-12-20T09:30',
      _then: 'submit',
    });
    expect(correction.status).toBe(303);
    await reviewer.post(`/admin/notices/${idFrom(correction.headers.location)}/approve`, {});
    expect((await api.get(`/api/admin/projects/${encodeURIComponent(buying)}`).expect(200)).body.bidDeadline).toBe(
      '2026-12-20T09:30:00+08:00',
    );

    const noWhy = await clerk.post(`/admin/notices/${tender}/withdraw`, { reason: '' });
    expect(noWhy.status).toBe(400);
    expect(noWhy.text).toContain('请填写撤回原因');
    const withdrawal = await clerk.post(`/admin/notices/${tender}/withdraw`, { reason: '采购需求调整' });
    expect(withdrawal.status).toBe(303);
    const w = idFrom(withdrawal.headers.location);
    expect((await clerk.get(withdrawal.headers.location)).text).toContain('已生成撤回声明草稿');
    await clerk.post(`/admin/notices/${w}/submit`);
    await reviewer.post(`/admin/notices/${w}/approve`, {});
    const pub = await t.http().get(`/notices/${tender}`).expect(200);
    expect(pub.text).toContain('采购需求调整');
    expect((await clerk.get(`/admin/notices/${tender}`)).text).not.toContain(
      `action="/admin/notices/${tender}/withdraw"`,
    );
  });

  it('never edits a published notice', async () => {
    const id = idFrom(
      (await newNotice(works, 'termination', DETAILS.termination, { _then: 'submit' })).headers.location,
    );
    await reviewer.post(`/admin/notices/${id}/approve`, {});
    expect((await clerk.get(`/admin/notices/${id}/edit`)).status).toBe(409);
    const post = await clerk.post(`/admin/notices/${id}/edit`, {
      title: '改过的标题',
      ...formFields(DETAILS.termination, 'details'),
    });
    expect(post.status).toBe(409);
    expect(post.text).toContain('已发布的公告只能更正或撤回');
  });

  it('previews a draft as the public notice page', async () => {
    const id = idFrom((await newNotice(works, 'bid-opening', DETAILS['bid-opening'])).headers.location);
    const preview = await reviewer.get(`/admin/notices/${id}/preview`);
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('/static/site.css');
    expect(preview.text).toContain('class="site-header"');
    expect(preview.text).toContain('bid-opening 公告标题');
    expect(preview.text).toContain('11,505,000.00元');
    expect(preview.text).toContain('下浮率 3.5%');
    await t.http().get(`/notices/${id}`).expect(404);
  });

  it('refuses a form post without a valid CSRF token with a Chinese 403 page, and changes nothing', async () => {
    const before = (await api.get('/api/admin/notices?limit=200').expect(200)).body.items.length;
    for (const token of ['', 'x'.repeat(43)]) {
      const res = await clerk.post('/admin/notices', {
        _csrf: token,
        projectId: works,
        type: 'termination',
        title: '无令牌的公告',
        ...formFields(DETAILS.termination, 'details'),
      });
      expect(res.status).toBe(403);
      expect(res.text).toContain('缺少或无效的 CSRF 令牌');
      expect(res.headers['content-type']).toMatch(/text\/html/);
    }
    expect((await api.get('/api/admin/notices?limit=200').expect(200)).body.items.length).toBe(before);
  });

  it('answers nonsense with 4xx pages, never 500', async () => {
    for (const path of [
      '/admin/notices/new?project=nope&type=tender',
      `/admin/notices/new?project=${encodeURIComponent(works)}&type=fishing`,
      `/admin/notices/new?project=${encodeURIComponent(works)}&type=deal`,
      '/admin/notices/nope',
      '/admin/projects/nope',
    ]) {
      const res = await clerk.get(path);
      expect({ path, status: res.status < 500 && res.status >= 400 }).toEqual({ path, status: true });
    }
    const odd = await clerk.post('/admin/notices', {
      projectId: works,
      type: 'tender',
      title: ['a', 'b'],
      'details.bids[99999].x': 'y',
      'details.tenderer': 'flat',
    });
    expect(odd.status).toBe(400);
  });
});
