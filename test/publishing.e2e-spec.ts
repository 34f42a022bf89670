import { ScheduledPublisher } from '../src/publishing/scheduled-publisher.js';
import { OutboxEntry } from '../src/outbox/outbox.entity.js';
import { Notice } from '../src/trading/notice.entity.js';
import { Project } from '../src/trading/project.entity.js';
import { PublicationLogEntry } from '../src/transparency/publication-log.entity.js';
import {
  constructionProject,
  creditCode,
  procurementNotice,
  procurementProject,
  tenderNotice,
} from './support/fixtures.js';
import { apiKeyClient, createStaff, signIn, StaffClient } from './support/staff.js';
import { FixedClock, startTestApp, TestApp } from './support/test-app.js';

const NOW = new Date('2026-11-25T02:00:00Z'); // Wednesday 10:00 China Standard Time

describe('publishing workflow (/api/admin)', () => {
  let t: TestApp;
  let clock: FixedClock;
  let clerk: StaffClient;
  let clerkId: number;
  let reviewer: StaffClient;
  let reviewerId: number;
  let admin: StaffClient;
  let adminId: number;

  beforeAll(async () => {
    clock = new FixedClock(NOW);
    t = await startTestApp({
      clock,
      env: {
        SESSION_TTL_MINUTES: '43200',
        UPSTREAMS: '[{"name":"province","url":"http://127.0.0.1:9/","keyId":"k1","secret":"s1"}]',
      },
    });
    const c = await createStaff(t, 'clerk');
    clerkId = c.id;
    clerk = await signIn(t, c.username, c.password);
    const r = await createStaff(t, 'reviewer');
    reviewerId = r.id;
    reviewer = await signIn(t, r.username, r.password);
    const a = await createStaff(t, 'admin');
    adminId = a.id;
    admin = await signIn(t, a.username, a.password);
  });
  afterAll(() => t.close());
  beforeEach(() => clock.set(NOW));

  const count = (entity: typeof Notice | typeof Project | typeof PublicationLogEntry | typeof OutboxEntry) =>
    t.db.manager.count(entity);

  async function newProject(body: Record<string, unknown> = constructionProject()) {
    const res = await clerk.post('/api/admin/projects').send(body).expect(201);
    return res.body.id as string;
  }

  async function draftAndSubmit(as: StaffClient, body: Record<string, unknown>) {
    const draft = await as.post('/api/admin/notices').send(body).expect(201);
    await as.post(`/api/admin/notices/${draft.body.id}/submit`).expect(200);
    return draft.body.id as string;
  }

  async function publish(body: Record<string, unknown>) {
    const id = await draftAndSubmit(clerk, body);
    const res = await reviewer.post(`/api/admin/notices/${id}/approve`).send({}).expect(200);
    expect(res.body.status).toBe('published');
    return res.body;
  }

  it('takes a tender notice from draft through review to publication, logged and queued upstream', async () => {
    const projectId = await newProject();
    const project = await clerk.get(`/api/admin/projects/${projectId}`).expect(200);
    expect(project.body.price).toEqual({
      kind: 'budget',
      amount: '12345600.00',
      unit: '元',
      enteredUnit: '万元',
      currency: 'CNY',
    });

    const draft = await clerk.post('/api/admin/notices').send(tenderNotice(projectId)).expect(201);
    expect(draft.body).toMatchObject({ status: 'draft', authorId: clerkId, publishedAt: null });
    expect(draft.body.details.bidDeadline).toBe('2026-12-16T09:30:00+08:00');
    expect(draft.body.details.controlPrice).toEqual({ value: '1200', unit: '万元', yuan: '12000000.00' });

    await clerk.post(`/api/admin/notices/${draft.body.id}/submit`).expect(200);
    // A clerk is not a reviewer.
    await clerk.post(`/api/admin/notices/${draft.body.id}/approve`).send({}).expect(403);
    const logBefore = await count(PublicationLogEntry);
    const published = await reviewer.post(`/api/admin/notices/${draft.body.id}/approve`).send({}).expect(200);
    expect(published.body).toMatchObject({
      status: 'published',
      publishedAt: '2026-11-25T10:00:00+08:00',
      authorId: clerkId,
      reviewerId,
    });
    expect(published.body.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(await count(PublicationLogEntry)).toBe(logBefore + 1);

    const outbox = await t.db.manager.find(OutboxEntry, { where: { projectId }, order: { id: 'ASC' } });
    expect(outbox.map((o) => o.kind)).toEqual(['project', 'publication']);
    expect(outbox[1].idempotencyKey).toBe(`DL2102:log:${published.body.logSeq}`);

    const effective = await clerk.get(`/api/admin/projects/${projectId}`).expect(200);
    expect(effective.body.bidDeadline).toBe('2026-12-16T09:30:00+08:00');
  });

  it('stores the evaluation method and the rejected bids as sent, and publishes a tender without a method too', async () => {
    const projectId = await newProject();
    const named = await publish(tenderNotice(projectId, { evaluationMethod: 'lowest-evaluated-price' }));
    expect(named.details.evaluationMethod).toBe('lowest-evaluated-price');
    const unnamed = await publish(tenderNotice(await newProject()));
    expect(unnamed.details).not.toHaveProperty('evaluationMethod');

    const result = (rejectedBids?: unknown[]) => ({
      projectId,
      type: 'result',
      title: '中标结果公告',
      body: '',
      details: {
        decisionDate: '2026-11-24',
        winners: [
          {
            name: '大连第一建设有限公司',
            creditCode: creditCode(31),
            price: { value: '1', unit: '万元', form: 'amount' },
          },
        ],
        ...(rejectedBids ? { rejectedBids } : {}),
      },
    });
    const rejectedBids = [
      {
        bidder: '大连第二建设有限公司',
        creditCode: creditCode(32),
        reason: '未按招标文件要求提交投标保证金',
        lotCode: 'E-A1',
      },
    ];
    expect((await publish(result(rejectedBids))).details.rejectedBids).toEqual(rejectedBids);
    // None rejected and not recorded stay apart: an empty list, and no field.
    expect((await publish(result([]))).details.rejectedBids).toEqual([]);
    expect((await publish(result())).details).not.toHaveProperty('rejectedBids');
  });

  it('enforces four-eyes: an administrator cannot approve what they drafted', async () => {
    const projectId = await newProject();
    const id = await draftAndSubmit(admin, tenderNotice(projectId));
    const res = await admin.post(`/api/admin/notices/${id}/approve`).send({}).expect(403);
    expect(res.body.error).toBe('workflow.four-eyes');
    expect((await t.db.manager.findOneByOrFail(Notice, { id })).status).toBe('submitted');
    await reviewer.post(`/api/admin/notices/${id}/approve`).send({}).expect(200);
  });

  it('never edits a published notice; corrections move the effective deadline; withdrawals stay visible', async () => {
    const projectId = await newProject();
    const tender = await publish(tenderNotice(projectId));
    await clerk.patch(`/api/admin/notices/${tender.id}`).send({ title: '改个标题看看' }).expect(409);

    const correction = await publish({
      projectId,
      type: 'correction',
      title: '红旗西路道路改造工程施工招标澄清公告',
      body: '投标截止时间顺延。',
      targetNoticeId: tender.id,
      details: {
        reason: '招标文件补充工程量清单',
        affectsBids: true,
        changes: { bidDeadline: '2026-12-22 09:30', openingTime: '2026-12-22 09:30' },
      },
    });
    expect(correction.targetNoticeId).toBe(tender.id);
    const project = await clerk.get(`/api/admin/projects/${projectId}`).expect(200);
    expect(project.body.bidDeadline).toBe('2026-12-22T09:30:00+08:00');
    expect(project.body.openingTime).toBe('2026-12-22T09:30:00+08:00');

    const withdrawal = await clerk
      .post(`/api/admin/notices/${tender.id}/withdrawals`)
      .send({ reason: '招标人调整建设方案' })
      .expect(201);
    expect(withdrawal.body).toMatchObject({ type: 'withdrawal', targetNoticeId: tender.id, status: 'draft' });
    await clerk.post(`/api/admin/notices/${withdrawal.body.id}/submit`).expect(200);
    await reviewer.post(`/api/admin/notices/${withdrawal.body.id}/approve`).send({}).expect(200);
    const withdrawn = await clerk.get(`/api/admin/notices/${tender.id}`).expect(200);
    expect(withdrawn.body).toMatchObject({
      status: 'published',
      withdrawnBy: withdrawal.body.id,
      withdrawnAt: '2026-11-25T10:00:00+08:00',
    });
    // A withdrawn notice can be neither withdrawn again nor corrected.
    const again = await clerk
      .post(`/api/admin/notices/${tender.id}/withdrawals`)
      .send({ reason: '再次撤回' })
      .expect(400);
    expect(again.body.errors).toEqual([{ field: 'targetNoticeId', message: '目标公告已撤回' }]);

    const kinds = (await t.db.manager.find(PublicationLogEntry, { where: { projectId }, order: { seq: 'ASC' } })).map(
      (e) => e.kind,
    );
    expect(kinds).toEqual(['publication', 'correction', 'withdrawal']);
  });

  it('chains every log entry to the one before it', async () => {
    const entries = await t.db.manager.find(PublicationLogEntry, { order: { seq: 'ASC' } });
    expect(entries.length).toBeGreaterThan(2);
    entries.forEach((e, i) => {
      expect(e.seq).toBe(i + 1);
      expect(e.prevHash).toBe(i === 0 ? '0'.repeat(64) : entries[i - 1].entryHash);
    });
  });

  it('refuses publication that breaks a timing rule with a 422 naming the rule, its basis and the dates; an edited rule changes that', async () => {
    const projectId = await newProject();
    const draft = await clerk
      .post('/api/admin/notices')
      .send(tenderNotice(projectId, { bidDeadline: '2026-12-05 09:30', openingTime: '2026-12-05 09:30' }))
      .expect(201);
    const refused = await clerk.post(`/api/admin/notices/${draft.body.id}/submit`).expect(422);
    expect(refused.body.error).toBe('timing.violation');
    const v = refused.body.details.violations[0];
    expect(v).toMatchObject({
      ruleCode: 'construction.tender.documents-to-deadline',
      requiredDate: '2026-12-15',
      from: { date: '2026-11-25' },
      to: { date: '2026-12-05' },
    });
    expect(v.basis).toContain('招标投标法');
    expect(refused.body.message).toContain('2026-12-15');

    await clerk
      .patch('/api/admin/timing-rules/construction.tender.documents-to-deadline')
      .send({ amount: 5 })
      .expect(403);
    await admin
      .patch('/api/admin/timing-rules/construction.tender.documents-to-deadline')
      .send({ amount: 5 })
      .expect(200);
    await clerk.post(`/api/admin/notices/${draft.body.id}/submit`).expect(200);
    await reviewer.post(`/api/admin/notices/${draft.body.id}/approve`).send({}).expect(200);
    await admin
      .patch('/api/admin/timing-rules/construction.tender.documents-to-deadline')
      .send({ amount: 20 })
      .expect(200);
  });

  it('refuses a working-day rule in a year the calendar lacks until an administrator loads that year', async () => {
    clock.set(new Date('2027-03-01T02:00:00Z'));
    // Sessions have expired by then; the e-trading system's keys have not.
    const clerk = await apiKeyClient(t, clerkId);
    const admin = await apiKeyClient(t, adminId);
    const projectId = (await clerk.post('/api/admin/projects').send(procurementProject()).expect(201)).body.id;
    const body = procurementNotice(projectId, {
      documentsFrom: '2027-03-01 10:00',
      documentsTo: '2027-03-12 17:00',
      bidDeadline: '2027-03-25 09:30',
      openingTime: '2027-03-25 09:30',
    });
    const draft = await clerk.post('/api/admin/notices').send(body).expect(201);
    const refused = await clerk.post(`/api/admin/notices/${draft.body.id}/submit`).expect(422);
    expect(refused.body).toMatchObject({ error: 'calendar.year-missing' });
    expect(refused.body.message).toContain('2027');

    await admin
      .put('/api/admin/calendar/2027')
      .send({ source: '国办发明电〔2026〕测试', days: [{ date: '2027-05-01', kind: 'holiday', name: '劳动节' }] })
      .expect(200);
    await clerk.post(`/api/admin/notices/${draft.body.id}/submit`).expect(200);
    const years = await clerk.get('/api/admin/calendar').expect(200);
    expect(years.body.items.map((y: { year: number }) => y.year)).toEqual(
      expect.arrayContaining([2017, 2025, 2026, 2027]),
    );
  });

  it('publishes a scheduled notice when its time comes, checking the rules again then', async () => {
    const projectId = await newProject();
    const id = await draftAndSubmit(clerk, tenderNotice(projectId));
    const scheduled = await reviewer
      .post(`/api/admin/notices/${id}/approve`)
      .send({ publishAt: '2026-11-25 14:00' })
      .expect(200);
    expect(scheduled.body).toMatchObject({
      status: 'approved',
      scheduledAt: '2026-11-25T14:00:00+08:00',
      publishedAt: null,
    });

    const publisher = t.app.get(ScheduledPublisher);
    await publisher.tick();
    expect((await t.db.manager.findOneByOrFail(Notice, { id })).status).toBe('approved');
    clock.set(new Date('2026-11-25T06:00:01Z'));
    await publisher.tick();
    const done = await t.db.manager.findOneByOrFail(Notice, { id });
    expect(done.status).toBe('published');
    expect(done.publishedAt?.toISOString()).toBe('2026-11-25T06:00:01.000Z');

    // Scheduled so late that the 20-day rule fails by then: returned to its author with the reason.
    const late = await draftAndSubmit(clerk, tenderNotice(await newProject()));
    await reviewer.post(`/api/admin/notices/${late}/approve`).send({ publishAt: '2026-11-26 09:00' }).expect(200);
    await admin
      .patch('/api/admin/timing-rules/construction.tender.documents-to-deadline')
      .send({ amount: 40 })
      .expect(200);
    clock.set(new Date('2026-11-26T01:00:01Z'));
    await publisher.tick();
    const refused = await t.db.manager.findOneByOrFail(Notice, { id: late });
    expect(refused.status).toBe('rejected');
    expect(refused.reviewComment).toContain('定时发布未成功');
    await admin
      .patch('/api/admin/timing-rules/construction.tender.documents-to-deadline')
      .send({ amount: 20 })
      .expect(200);
  });

  describe('publication time', () => {
    const stored = (id: string) => t.db.manager.findOneByOrFail(Notice, { id });

    it('refuses a publishAt already past, on submission and on approval, naming the field and writing nothing', async () => {
      const draft = (
        await clerk
          .post('/api/admin/notices')
          .send(tenderNotice(await newProject()))
          .expect(201)
      ).body;
      const [logBefore, auditBefore] = [
        await count(PublicationLogEntry),
        (await admin.get(`/api/admin/audit?entityType=notice&entityId=${draft.id}`)).body.items.length,
      ];
      const early = await clerk
        .post(`/api/admin/notices/${draft.id}/submit`)
        .send({ publishAt: '2026-11-25 09:59' })
        .expect(400);
      expect(early.body.errors).toEqual([
        { field: 'publishAt', message: expect.stringContaining('发布时间 2026-11-25 09:59（北京时间）已过') },
      ]);
      expect(await stored(draft.id)).toMatchObject({
        status: 'draft',
        submittedAt: null,
        scheduledAt: null,
        version: 1,
      });

      await clerk.post(`/api/admin/notices/${draft.id}/submit`).send({}).expect(200);
      const late = await reviewer
        .post(`/api/admin/notices/${draft.id}/approve`)
        .send({ publishAt: '2026-11-24T09:00:00+08:00' })
        .expect(400);
      expect(late.body.errors).toEqual([{ field: 'publishAt', message: expect.stringContaining('已过') }]);
      expect(await stored(draft.id)).toMatchObject({
        status: 'submitted',
        reviewerId: null,
        scheduledAt: null,
        publishedAt: null,
      });
      expect(await count(PublicationLogEntry)).toBe(logBefore);
      // Only the submission was recorded.
      expect((await admin.get(`/api/admin/audit?entityType=notice&entityId=${draft.id}`)).body.items.length).toBe(
        auditBefore + 1,
      );
    });

    it("schedules at the author's requested time on approval, unless the reviewer publishes now (null)", async () => {
      const asked = (
        await clerk
          .post('/api/admin/notices')
          .send(tenderNotice(await newProject()))
          .expect(201)
      ).body.id;
      const submitted = await clerk
        .post(`/api/admin/notices/${asked}/submit`)
        .send({ publishAt: '2026-11-25 14:00' })
        .expect(200);
      expect(submitted.body).toMatchObject({
        status: 'submitted',
        scheduledAt: '2026-11-25T14:00:00+08:00',
        publishedAt: null,
      });
      const approved = await reviewer.post(`/api/admin/notices/${asked}/approve`).send({}).expect(200);
      expect(approved.body).toMatchObject({
        status: 'approved',
        scheduledAt: '2026-11-25T14:00:00+08:00',
        publishedAt: null,
      });

      const now = (
        await clerk
          .post('/api/admin/notices')
          .send(tenderNotice(await newProject()))
          .expect(201)
      ).body.id;
      await clerk.post(`/api/admin/notices/${now}/submit`).send({ publishAt: '2026-11-25 14:00' }).expect(200);
      const published = await reviewer.post(`/api/admin/notices/${now}/approve`).send({ publishAt: null }).expect(200);
      expect(published.body).toMatchObject({
        status: 'published',
        scheduledAt: null,
        publishedAt: '2026-11-25T10:00:00+08:00',
      });
    });

    it('publishes at approval, immediately, a notice whose requested time passed while it waited for review', async () => {
      const id = (
        await clerk
          .post('/api/admin/notices')
          .send(tenderNotice(await newProject()))
          .expect(201)
      ).body.id;
      const submitted = await clerk
        .post(`/api/admin/notices/${id}/submit`)
        .send({ publishAt: '2026-11-25 14:00' })
        .expect(200);
      expect(submitted.body.scheduledAt).toBe('2026-11-25T14:00:00+08:00');
      await t.app.get(ScheduledPublisher).tick(); // the scheduler publishes only approved notices
      clock.set(new Date('2026-11-26T01:00:00Z'));
      await t.app.get(ScheduledPublisher).tick();
      expect((await stored(id)).status).toBe('submitted');
      const res = await reviewer.post(`/api/admin/notices/${id}/approve`).send({}).expect(200);
      expect(res.body).toMatchObject({
        status: 'published',
        scheduledAt: null,
        publishedAt: '2026-11-26T09:00:00+08:00',
      });
    });
  });

  it('lets an API key act as the staff user who owns it', async () => {
    const machine = await apiKeyClient(t, clerkId);
    const projectId = (await machine.post('/api/admin/projects').send(constructionProject()).expect(201)).body.id;
    const draft = await machine.post('/api/admin/notices').send(tenderNotice(projectId)).expect(201);
    expect(draft.body.authorId).toBe(clerkId);
  });

  it('writes the audit log for every workflow step with before and after images', async () => {
    const projectId = await newProject();
    const n = await publish(tenderNotice(projectId));
    const audit = await admin.get(`/api/admin/audit?entityType=notice&entityId=${n.id}`).expect(200);
    const actions = audit.body.items.map((i: { action: string }) => i.action);
    expect(actions).toEqual(
      expect.arrayContaining(['notice.create', 'notice.submit', 'notice.approve', 'notice.publish']),
    );
    const publishEntry = audit.body.items.find((i: { action: string }) => i.action === 'notice.publish');
    expect(publishEntry.before.status).toBe('submitted');
    expect(publishEntry.after.status).toBe('published');
  });

  describe('bad input: a 400 with a message per field, and nothing written', () => {
    let projectId: string;
    let before: number[];
    beforeAll(async () => {
      projectId = await newProject();
    });
    beforeEach(async () => {
      before = [await count(Notice), await count(Project), await count(PublicationLogEntry), await count(OutboxEntry)];
    });
    afterEach(async () => {
      expect([
        await count(Notice),
        await count(Project),
        await count(PublicationLogEntry),
        await count(OutboxEntry),
      ]).toEqual(before);
    });

    const fieldsOf = (res: { body: { errors: { field: string }[] } }) => res.body.errors.map((e) => e.field);

    it.each([
      ['an unknown top-level field', (b: any) => ({ ...b, colour: 'red' }), 'colour', '不允许的字段'],
      [
        'an unknown detail field',
        (b: any) => ({ ...b, details: { ...b.details, discount: '5' } }),
        'details.discount',
        '不允许的字段',
      ],
      [
        'a wrong type',
        (b: any) => ({ ...b, details: { ...b.details, consortiumAccepted: 'yes' } }),
        'details.consortiumAccepted',
        '必须是 true 或 false',
      ],
      [
        'an invalid credit code',
        (b: any) => ({
          ...b,
          details: { ...b.details, tenderer: { name: '某公司', creditCode: '91210200MA00000010' } },
        }),
        'details.tenderer.creditCode',
        '统一社会信用代码',
      ],
      [
        'a negative amount',
        (b: any) => ({ ...b, details: { ...b.details, controlPrice: { value: '-5', unit: '万元' } } }),
        'details.controlPrice.value',
        '数字',
      ],
      [
        'a zero control price',
        (b: any) => ({ ...b, details: { ...b.details, controlPrice: { value: '0', unit: '万元' } } }),
        'details.controlPrice.value',
        '最高投标限价（招标控制价）应大于 0',
      ],
      [
        'a non-numeric amount',
        (b: any) => ({ ...b, details: { ...b.details, controlPrice: { value: '一千万', unit: '万元' } } }),
        'details.controlPrice.value',
        '数字',
      ],
      [
        'too many decimals for 元',
        (b: any) => ({ ...b, details: { ...b.details, controlPrice: { value: '100.123', unit: '元' } } }),
        'details.controlPrice',
        '最多2位小数',
      ],
      [
        'an unknown unit',
        (b: any) => ({ ...b, details: { ...b.details, controlPrice: { value: '100', unit: '美元' } } }),
        'details.controlPrice.unit',
        '取值必须是',
      ],
      [
        'a malformed time',
        (b: any) => ({ ...b, details: { ...b.details, bidDeadline: '2026-13-40 25:00' } }),
        'details.bidDeadline',
        '时间格式不正确',
      ],
      [
        'dates in the wrong order',
        (b: any) => ({ ...b, details: { ...b.details, openingTime: '2026-12-10 09:30' } }),
        'details.openingTime',
        '不能早于',
      ],
      [
        'a missing required field',
        (b: any) => ({ ...b, details: { ...b.details, qualifications: undefined } }),
        'details.qualifications',
        '必填',
      ],
      ['a type the category does not have', (b: any) => ({ ...b, type: 'transfer' }), 'details', ''],
      [
        'a correction of a notice that does not exist',
        (b: any) => ({
          ...b,
          type: 'correction',
          targetNoticeId: 'DL2102-nope',
          details: { reason: '更正', affectsBids: false, changes: {} },
        }),
        'targetNoticeId',
        '不存在',
      ],
      ['a project that does not exist', (b: any) => ({ ...b, projectId: 'DL2102-nope' }), 'projectId', '项目不存在'],
      [
        'an unknown evaluation method',
        (b: any) => ({ ...b, details: { ...b.details, evaluationMethod: 'cheapest' } }),
        'details.evaluationMethod',
        '取值必须是以下之一：comprehensive、lowest-evaluated-price、lowest-price',
      ],
    ])('refuses %s', async (_name, mutate, field, message) => {
      const res = await clerk
        .post('/api/admin/notices')
        .send(mutate(tenderNotice(projectId)))
        .expect(400);
      const match = res.body.errors.find(
        (e: { field: string }) => e.field === field || e.field.startsWith(`${field}.`),
      );
      expect({ fields: fieldsOf(res), match: !!match }).toEqual({ fields: expect.any(Array), match: true });
      if (message) expect(match.message).toContain(message);
    });

    /** A candidate publicity of one candidate (creditCode(20)) with the rejected bids given. */
    const candidatesWith = (rejectedBids: unknown, lotCode?: string) => ({
      projectId,
      type: 'candidates',
      title: '中标候选人公示',
      body: '',
      details: {
        evaluationReportDate: '2026-11-24',
        publicityStart: '2026-11-25 10:00',
        publicityEnd: '2026-11-30 17:00',
        objectionChannel: '书面向招标人提出',
        publisher: '张三',
        checker: '李四',
        ...(lotCode ? { lotCode } : {}),
        candidates: [
          {
            rank: 1,
            name: '大连市政建设集团有限公司',
            creditCode: creditCode(20),
            price: { form: 'amount', value: '1000', unit: '万元' },
            projectManager: '王五',
            certificateName: '一级建造师',
            certificateNo: '辽1210000',
            qualification: '满足',
          },
        ],
        rejectedBids,
      },
    });
    const rejected = (n: number, reason = '未按招标文件要求提交投标保证金', extra = {}) => ({
      bidder: `大连第${n}建设有限公司`,
      creditCode: creditCode(20 + n),
      reason,
      ...extra,
    });

    it.each([
      ['a reason too short', [rejected(1, '否')], 'details.rejectedBids[0].reason', '长度不能少于 2 个字符'],
      ['a reason too long', [rejected(1, '理'.repeat(501))], 'details.rejectedBids[0].reason', '长度不能超过 500'],
      [
        'an invalid credit code',
        [{ ...rejected(1), creditCode: '91210200MA00000010' }],
        'details.rejectedBids[0].creditCode',
        '统一社会信用代码',
      ],
      ['a missing bidder', [{ ...rejected(1), bidder: undefined }], 'details.rejectedBids[0].bidder', '必填'],
      ['an unknown field', [{ ...rejected(1), score: 60 }], 'details.rejectedBids[0].score', '不允许的字段'],
      ['not a list', '无', 'details.rejectedBids', '必须是数组'],
      ['more than 500', Array.from({ length: 501 }, (_, i) => rejected(i + 1)), 'details.rejectedBids', '最多 500 项'],
      [
        'a candidate among the rejected',
        [{ ...rejected(1), creditCode: creditCode(20) }],
        'details.rejectedBids[0].creditCode',
        '被否决投标的投标人不能同时列为中标候选人',
      ],
      [
        'the same bidder twice',
        [rejected(1), rejected(1, '投标文件未加盖电子签章')],
        'details.rejectedBids[1].creditCode',
        '重复',
      ],
    ])('refuses rejected bids with %s', async (_name, rejectedBids, field, message) => {
      const res = await clerk.post('/api/admin/notices').send(candidatesWith(rejectedBids)).expect(400);
      expect(res.body.errors).toContainEqual({ field, message: expect.stringContaining(message) });
    });

    it("refuses a rejected bid in another lot than the publicity's, and a rejected winner in a result", async () => {
      const lot = await clerk
        .post('/api/admin/notices')
        .send(candidatesWith([rejected(1, '未按要求提交保证金', { lotCode: 'E2102-B2' })], 'E2102-B1'))
        .expect(400);
      expect(lot.body.errors).toEqual([
        { field: 'details.rejectedBids[0].lotCode', message: '应为本公示的标段（包）E2102-B1，或留空' },
      ]);
      const result = await clerk
        .post('/api/admin/notices')
        .send({
          projectId,
          type: 'result',
          title: '中标结果公告',
          body: '',
          details: {
            decisionDate: '2026-11-24',
            winners: [
              {
                name: '大连第一建设有限公司',
                creditCode: creditCode(21),
                price: { value: '1', unit: '万元', form: 'amount' },
              },
            ],
            rejectedBids: [rejected(1)],
          },
        })
        .expect(400);
      expect(result.body.errors).toEqual([
        { field: 'details.rejectedBids[0].creditCode', message: '被否决投标的投标人不能同时为中标人' },
      ]);
    });

    it('refuses on a procurement notice a method procurement does not have, and any method for single source', async () => {
      const open = (await clerk.post('/api/admin/projects').send(procurementProject()).expect(201)).body.id;
      const single = (await clerk.post('/api/admin/projects').send(procurementProject('single-source')).expect(201))
        .body.id;
      before[1] += 2;
      const works = await clerk
        .post('/api/admin/notices')
        .send(procurementNotice(open, { evaluationMethod: 'lowest-evaluated-price' }))
        .expect(400);
      expect(works.body.errors).toEqual([
        { field: 'details.evaluationMethod', message: '取值必须是以下之一：comprehensive、lowest-price' },
      ]);
      const sole = await clerk
        .post('/api/admin/notices')
        .send(procurementNotice(single, { method: 'single-source', evaluationMethod: 'lowest-price' }))
        .expect(400);
      expect(sole.body.errors).toEqual([
        { field: 'details.evaluationMethod', message: '单一来源采购不经评审，不填写评审方法' },
      ]);
    });

    it('refuses an invalid project (bad credit code, region, category, missing owner) field by field', async () => {
      const res = await clerk
        .post('/api/admin/projects')
        .send(
          constructionProject({
            regionCode: '21021',
            category: 'fishing',
            parties: [{ role: 'agency', name: '代理', creditCode: '123' }],
          }),
        )
        .expect(400);
      expect(fieldsOf(res)).toEqual(expect.arrayContaining(['regionCode', 'category', 'parties[0].creditCode']));
      const owner = await clerk
        .post('/api/admin/projects')
        .send(
          constructionProject({
            parties: [{ role: 'agency', name: '大连建信工程咨询有限公司', creditCode: creditCode(2) }],
          }),
        )
        .expect(400);
      expect(owner.body.errors).toEqual([{ field: 'parties', message: '至少需要一个招标人' }]);
    });

    it('refuses 0 as a budget, price ceiling or reserve price, in notices and projects, naming the field', async () => {
      const procurement = (await clerk.post('/api/admin/projects').send(procurementProject()).expect(201)).body.id;
      before[1] += 1;
      const zero = { value: '0.00', unit: '元' };
      const budget = await clerk
        .post('/api/admin/notices')
        .send(procurementNotice(procurement, { budget: zero, maxPrice: { value: '0', unit: '万元' } }))
        .expect(400);
      expect(budget.body.errors).toEqual([
        { field: 'details.budget.value', message: '预算金额应大于 0' },
        { field: 'details.maxPrice.value', message: '最高限价应大于 0' },
      ]);
      const project = await clerk
        .post('/api/admin/projects')
        .send(
          constructionProject({
            price: { kind: 'budget', value: '0', unit: '万元' },
            lots: [{ code: 'E2102000001ZERO01', name: '第一标段', budget: zero }],
          }),
        )
        .expect(400);
      expect(project.body.errors).toEqual([
        { field: 'price.value', message: '预算应大于 0' },
        { field: 'lots[0].budget.value', message: '标段（包）预算应大于 0' },
      ]);
    });

    it('accepts 0 where it records what happened: a winning bid of 0 is published as it was', async () => {
      const draft = await clerk
        .post('/api/admin/notices')
        .send({
          projectId,
          type: 'result',
          title: '零元中标结果公告',
          body: '',
          details: {
            decisionDate: '2026-11-24',
            winners: [
              {
                name: '大连市政建设集团有限公司',
                creditCode: creditCode(20),
                price: { form: 'amount', value: '0', unit: '元' },
              },
            ],
          },
        })
        .expect(201);
      before[0] += 1;
      expect(draft.body.details.winners[0].price).toMatchObject({ value: '0.00', yuan: '0.00' });
    });

    it('refuses a non-JSON body and a JSON array', async () => {
      const bad = await clerk
        .post('/api/admin/notices')
        .set('Content-Type', 'application/json')
        .send('{"title": ')
        .expect(400);
      expect(bad.body.message).toContain('JSON');
      await clerk.post('/api/admin/notices').send([1, 2]).expect(400);
    });

    it('refuses approving a draft that was never submitted, and rejecting needs a reason', async () => {
      const draft = await clerk.post('/api/admin/notices').send(tenderNotice(projectId)).expect(201);
      before[0] += 1;
      await reviewer.post(`/api/admin/notices/${draft.body.id}/approve`).send({}).expect(409);
      await reviewer.post(`/api/admin/notices/${draft.body.id}/reject`).send({}).expect(400);
      await reviewer.post('/api/admin/notices/DL2102-nope/approve').send({}).expect(404);
    });
  });
});
