import { DisclosureRequest, DisclosureReview } from '../src/disclosure/disclosure.entities.js';
import { ReportsService } from '../src/reports/reports.service.js';
import { canonicalJson, sha256Hex } from '../src/transparency/canonical.js';
import { adminSignIn, text, type AdminBrowser } from './support/admin-pages.js';
import { readWithPythonCsv } from './support/spreadsheet-csv.js';
import { createStaff } from './support/staff.js';
import { FixedClock, isMysql, startTestApp, type TestApp } from './support/test-app.js';

/** Noon in China on a date. */
const at = (date: string) => new Date(`${date}T12:00:00+08:00`);
let seq = 0;

async function addRequest(
  t: TestApp,
  applicantType: string,
  receivedOn: string,
  answer?: { outcome: string; reason?: string; on: string },
) {
  seq += 1;
  await t.db.manager.insert(DisclosureRequest, {
    trackingNo: `YSQ${receivedOn.slice(0, 4)}-${String(seq).padStart(6, '0')}`,
    codeHash: '0'.repeat(64),
    channel: 'post',
    applicantType: applicantType as DisclosureRequest['applicantType'],
    personal: 'x',
    description: '测试申请',
    purpose: null,
    deliveryForm: 'paper',
    deliveryChannel: 'post',
    submittedAt: at(receivedOn),
    receivedOn,
    status: answer ? 'answered' : 'received',
    outcome: (answer?.outcome ?? null) as DisclosureRequest['outcome'],
    outcomeReason: answer?.reason ?? null,
    answeredOn: answer?.on ?? null,
    createdAt: at(receivedOn),
    updatedAt: at(receivedOn),
  } as Partial<DisclosureRequest>);
}

async function count(t: TestApp, table: string): Promise<number> {
  const [r] = await t.db.manager.query(`SELECT COUNT(*) AS n FROM ${table}`);
  return Number(r.n);
}

describe(`yearly disclosure report (${isMysql() ? 'MariaDB' : 'SQLite'})`, () => {
  let t: TestApp;
  let clock: FixedClock;
  let clerk: AdminBrowser;
  let reviewer: AdminBrowser;
  let reviewer2: AdminBrowser;

  beforeAll(async () => {
    clock = new FixedClock(at('2027-01-12'));
    t = await startTestApp({ clock });
    const [c, r1, r2] = [
      await createStaff(t, 'clerk'),
      await createStaff(t, 'reviewer'),
      await createStaff(t, 'reviewer'),
    ];
    clerk = await adminSignIn(t, c.username, c.password);
    reviewer = await adminSignIn(t, r1.username, r1.password);
    reviewer2 = await adminSignIn(t, r2.username, r2.password);
    await addRequest(t, 'natural-person', '2025-12-20', { outcome: 'disclosed', on: '2026-01-10' });
    await addRequest(t, 'natural-person', '2026-03-01', {
      outcome: 'withheld',
      reason: 'state-secret',
      on: '2026-03-20',
    });
    await addRequest(t, 'commercial-enterprise', '2026-12-20');
    await addRequest(t, 'legal-service-body', '2026-06-01', { outcome: 'partly-disclosed', on: '2026-06-20' });
    await t.db.manager.insert(DisclosureReview, {
      kind: 'lawsuit',
      lawsuitRoute: 'direct',
      requestId: null,
      caseNumber: '（2026）辽0202行初1号',
      filedOn: '2026-08-01',
      outcome: 'pending',
      decidedOn: null,
      note: null,
      createdAt: at('2026-08-01'),
      updatedAt: at('2026-08-01'),
    } as Partial<DisclosureReview>);
  });
  afterAll(() => t.close());

  it('is 404 in Chinese to the public before publication, and lists no year', async () => {
    const res = await t.http().get('/reports/annual/2026').expect(404);
    expect(res.text).toContain('2026年政府信息公开工作年度报告尚未发布');
    await t.http().get('/reports/annual/2026.csv').expect(404);
    await t.http().get('/reports/annual/1999').expect(404);
    await t.http().get('/reports/annual/2031').expect(404);
    await t.http().get('/reports/annual/abc').expect(404);
    const list = await t.http().get('/reports/annual').expect(200);
    expect(list.text).toContain('尚未发布年度报告');
  });

  it("reminds staff on the dashboard until last year's report is published (art. 49)", async () => {
    const page = text((await clerk.get('/admin')).text);
    expect(page).toContain('2026年度报告须于 2027-01-31 前公布');
    expect(page).toContain('尚未起草');
  });

  it('refuses bad input to the staff form with 400 naming the field, and writes nothing', async () => {
    await clerk.get('/admin/reports/2026');
    const before = [await count(t, 'annual_report'), await count(t, 'audit_log')];
    const res = await clerk.post('/admin/reports/2026', {
      overview: '概述',
      problems: '',
      other: '',
      itemsTotal: '十二',
      completed: '',
      amountYuan: '1.234',
      requestsReceived: '-1',
    });
    expect(res.status).toBe(400);
    const page = text(res.text);
    expect(page).toContain('上年公开公共资源交易信息（条）：应为不小于 0 的整数');
    expect(page).toContain('上年交易金额（元）：应为以元为单位的金额');
    expect(page).toContain('上年新收政府信息公开申请（件）：应为不小于 0 的整数');
    expect(page).toContain('aria-invalid="true"');
    expect([await count(t, 'annual_report'), await count(t, 'audit_log')]).toEqual(before);
  });

  it('lets a clerk draft and submit; staff see the draft marked 草稿, never cached', async () => {
    const saved = await clerk.post('/admin/reports/2026', {
      overview: '全年依法公开。',
      problems: '网上申请使用率有待提高。',
      other: '未收取信息处理费。',
      itemsTotal: '100',
      completed: '',
      amountYuan: '',
      requestsReceived: '2',
    });
    expect(saved.status).toBe(303);
    const draft = await clerk.get('/reports/annual/2026');
    expect(draft.status).toBe(200);
    expect(draft.text).toContain('（草稿）');
    expect(draft.headers['cache-control']).toBe('no-store');
    expect((await clerk.post('/admin/reports/2026/submit')).status).toBe(303);
    const page = await clerk.get('/admin/reports/2026');
    expect(page.text).toContain('待审核');
  });

  it('four-eyes: the author cannot approve (403, in Chinese); a reviewer who is not the author can', async () => {
    // The clerk role may not publish at all; a reviewer who edited it may not either.
    expect((await clerk.post('/admin/reports/2026/publish')).status).toBe(403);
    await reviewer.get('/admin/reports/2026');
    const own = await t.db.manager.query('SELECT submitted_by FROM annual_report WHERE year = 2026');
    expect(own).toHaveLength(1);
    // Make reviewer2 the submitter: back to draft by reviewer (with a note), edited and submitted by the clerk,
    // then the one who submitted cannot approve: shown with an admin who saves and submits himself.
    const rejected = await reviewer.post('/admin/reports/2026/reject', { note: '' });
    expect(rejected.status).toBe(400);
    expect(text(rejected.text)).toContain('退回意见');
    expect((await reviewer.post('/admin/reports/2026/reject', { note: '请补充问题部分。' })).status).toBe(303);
    expect((await clerk.get('/admin/reports/2026')).text).toContain('请补充问题部分。');
    expect((await clerk.post('/admin/reports/2026/submit')).status).toBe(303);
  });

  it('refuses approval by whoever drafted or submitted it', async () => {
    const admin = await createStaff(t, 'admin');
    const a = await adminSignIn(t, admin.username, admin.password);
    await a.get('/admin/reports/2025');
    expect((await a.post('/admin/reports/2025', { overview: '2025', problems: '', other: '' })).status).toBe(303);
    expect((await a.post('/admin/reports/2025/submit')).status).toBe(303);
    const res = await a.post('/admin/reports/2025/publish');
    expect(res.status).toBe(403);
    expect(text(res.text)).toContain('审核人不能是年度报告的起草人或提交人（双人复核）');
    expect(await t.db.manager.query('SELECT status FROM annual_report WHERE year = 2025')).toEqual([
      { status: 'submitted' },
    ]);
  });

  it('publishes on approval, freezing the whole report with its SHA-256, audited at every step', async () => {
    await reviewer2.get('/admin/reports/2026');
    const res = await reviewer2.post('/admin/reports/2026/publish');
    expect(res.status).toBe(303);
    const [row] = await t.db.manager.query('SELECT status, content, content_hash FROM annual_report WHERE year = 2026');
    expect(row.status).toBe('published');
    expect(row.content_hash).toBe(sha256Hex(row.content));
    expect(row.content).toBe(canonicalJson(JSON.parse(row.content)));
    // Published in the same transaction as its one entry in the publication log, which carries the same hash.
    expect(
      await t.db.manager.query(
        "SELECT kind, notice_id, report_year, content_hash FROM publication_log WHERE kind = 'annual-report'",
      ),
    ).toEqual([{ kind: 'annual-report', notice_id: null, report_year: 2026, content_hash: row.content_hash }]);
    const actions = (await t.db.manager.query(
      "SELECT action FROM audit_log WHERE entity_type = 'annual-report' AND entity_id = '2026' ORDER BY id",
    )) as { action: string }[];
    expect(actions.map((a) => a.action)).toEqual([
      'annual-report.saved',
      'annual-report.submitted',
      'annual-report.rejected',
      'annual-report.submitted',
      'annual-report.published',
    ]);
    const page = await t.http().get('/reports/annual/2026').expect(200);
    expect(page.text).not.toContain('（草稿）');
    expect(page.text).toContain(row.content_hash);
    // 3 requests received in 2026; 2 entered for 2025 by the clerk
    expect(page.text).toContain('新收政府信息公开申请3件，同比增长50.0%');
  });

  it('refuses edits after publication', async () => {
    const res = await clerk.post('/admin/reports/2026', { overview: '改写', problems: '', other: '' });
    expect(res.status).toBe(409);
    expect(text(res.text)).toContain('2026年度报告已发布，不能再修改');
  });

  it('keeps the figures frozen when new requests arrive later', async () => {
    const before = await t.http().get('/reports/annual/2026.csv').expect(200);
    await addRequest(t, 'natural-person', '2026-11-11', { outcome: 'disclosed', on: '2026-11-30' });
    await addRequest(t, 'research-institution', '2026-05-05');
    const after = await t.http().get('/reports/annual/2026.csv').expect(200);
    expect(after.text).toBe(before.text);
    // The live computation does see them: only the frozen copy is served.
    const live = await t.app.get(ReportsService).compute(2026);
    expect(live.requests.rows.find((r) => r.key === 'received')!.cells!.at(-1)).toBe(5);
    expect(after.text).toContain('一、本年新收政府信息公开申请数量,总计,3,');
  });

  it('serves every table as CSV that Python reads: UTF-8 BOM, RFC 4180', async () => {
    const res = await t.http().get('/reports/annual/2026.csv').buffer(true).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const raw = res.text;
    expect(raw.charCodeAt(0)).toBe(0xfeff);
    const rows = readWithPythonCsv(raw);
    expect(rows[0]).toEqual(['年度', '表', '项目', '列', '数值', '单位', '上年', '同比增长(%)']);
    const cell = (part: string, item: string, column: string) =>
      rows.find((r) => r[1].startsWith(part) && r[2] === item && r[3] === column)?.[4];
    expect(cell('三', '一、本年新收政府信息公开申请数量', '总计')).toBe('3');
    expect(cell('三', '一、本年新收政府信息公开申请数量', '商业企业')).toBe('1');
    expect(cell('三', '二、上年结转政府信息公开申请数量', '自然人')).toBe('1');
    expect(cell('三', '1.属于国家秘密', '自然人')).toBe('1');
    expect(cell('三', '（二）部分公开（区分处理的，只计这一情形，不计其他情形）', '法律服务机构')).toBe('1');
    expect(cell('三', '（七）总计', '总计')).toBe('3');
    expect(cell('三', '四、结转下年度继续办理', '商业企业')).toBe('1');
    expect(cell('四', '行政诉讼·未经复议直接起诉', '尚未审结')).toBe('1');
    expect(cell('四', '行政复议', '总计')).toBe('0');
    const items = rows.find((r) => r[1] === '一、总体情况' && r[2] === '新收政府信息公开申请')!;
    expect(items.slice(4)).toEqual(['3', '件', '2', '50.0']);
    expect(rows.every((r) => r.length === 8)).toBe(true);
  });

  it('no longer reminds once it is published', async () => {
    expect(text((await clerk.get('/admin')).text)).not.toContain('2026年度报告须于');
  });

  it('creates a year once when two staff members save its first draft at the same moment (no 500)', async () => {
    const service = t.app.get(ReportsService);
    const [user] = (await t.db.manager.query(`SELECT id, username FROM staff_user ORDER BY id LIMIT 1`)) as {
      id: number;
      username: string;
    }[];
    const actor = { userId: user.id, username: user.username, role: 'clerk', via: 'test', ip: null } as never;
    const saves = await Promise.allSettled(
      ['甲', '乙', '丙'].map((text) => service.save(actor, 2031, { overview: `${text}稿` })),
    );
    expect(saves.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    const rows = (await t.db.manager.query(`SELECT overview_text FROM annual_report WHERE year = 2031`)) as {
      overview_text: string;
    }[];
    expect(rows).toHaveLength(1);
    expect(['甲稿', '乙稿', '丙稿']).toContain(rows[0].overview_text);
  });

  it('lists the published year and links it from the footer', async () => {
    const list = await t.http().get('/reports/annual').expect(200);
    expect(list.text).toContain('href="/reports/annual/2026"');
    expect(list.text).toContain('href="/reports/annual"');
  });
});
