import { DISCLOSURE_JOB } from '../src/disclosure/disclosure-jobs.js';
import { JobRunner } from '../src/jobs/job-runner.js';
import { eventually, startAppProcess, stopAllProcesses } from './support/process.js';
import { createStaff, signIn, type StaffClient } from './support/staff.js';
import { freshDatabase, isMysql, startTestApp, FixedClock, type TestApp, rawBytes } from './support/test-app.js';

const DAY = 24 * 3600_000;
/** Noon in China on a date. */
const at = (date: string) => new Date(`${date}T12:00:00+08:00`);
// A PNG signature followed by bytes that spell the applicant's name: readable if stored as is.
const NAME = '测试申请人甲';
const ID_NUMBER = '11010519491231002X';
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from(`${NAME}${ID_NUMBER}`),
]);

const APPLICATION = {
  applicantType: 'natural-person',
  name: NAME,
  idType: 'resident-id',
  idNumber: ID_NUMBER,
  phone: '0411-88886666',
  email: 'applicant@example.cn',
  address: '',
  description: '2026 年本中心受理的政府采购项目中止公告清单',
  purpose: '',
  deliveryForm: 'electronic',
  deliveryChannel: 'email',
};

/** The public form's CSRF token and cookie, as a browser gets them by opening the form. */
async function openForm(t: TestApp, ip = '203.0.113.7') {
  const res = await t.http().get('/disclosure/requests/new').set('X-Forwarded-For', ip).expect(200);
  const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('ggzy_disclosure_csrf='))!;
  const token = /name="_csrf" value="([^"]+)"/.exec(res.text)![1];
  return { res, cookie: cookie.split(';')[0], token };
}

async function submit(
  t: TestApp,
  fields: Record<string, string>,
  o: { ip?: string; file?: Buffer; fileName?: string } = {},
) {
  const { cookie, token } = await openForm(t, o.ip);
  let req = t
    .http()
    .post('/disclosure/requests/new')
    .set('Cookie', cookie)
    .set('X-Forwarded-For', o.ip ?? '203.0.113.7')
    .field('_csrf', token);
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  if (o.file) req = req.attach('file', o.file, o.fileName ?? 'id.png');
  return req;
}

const receiptOf = (html: string) => ({
  trackingNo: /class="tracking-no">([^<]+)</.exec(html)![1],
  code: /class="tracking-code"><code>([^<]+)</.exec(html)![1],
});

async function rows(t: TestApp, table: string): Promise<number> {
  const [r] = await t.db.manager.query(`SELECT COUNT(*) AS n FROM ${table}`);
  return Number(r.n);
}

describe(`disclosure on application (${isMysql() ? 'MariaDB' : 'SQLite'})`, () => {
  let t: TestApp;
  let clock: FixedClock;
  let clerk: StaffClient;
  let admin: StaffClient;
  let accounts: { username: string; password: string }[];
  /** Moves the clock; staff sign in again (a session lasts SESSION_TTL_MINUTES of the clock). */
  const setClock = async (date: Date) => {
    clock.set(date);
    clerk = await signIn(t, accounts[0].username, accounts[0].password);
    admin = await signIn(t, accounts[1].username, accounts[1].password);
  };

  beforeAll(async () => {
    clock = new FixedClock(at('2026-09-19'));
    t = await startTestApp({
      clock,
      env: {
        TRUST_PROXY: '1',
        DISCLOSURE_SUBMISSIONS_PER_IP_PER_HOUR: '3',
        DISCLOSURE_LOOKUPS_PER_IP_PER_HOUR: '8',
        DISCLOSURE_ID_RETENTION_DAYS: '30',
      },
    });
    accounts = [await createStaff(t, 'clerk'), await createStaff(t, 'admin')];
    await setClock(at('2026-09-19'));
  });
  afterAll(() => t.close());

  it('serves the form privately: no-store, no referrer, a CSRF cookie', async () => {
    const { res } = await openForm(t);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.text).toContain('政府信息公开申请');
    expect(res.text).toContain('enctype="multipart/form-data"');
  });

  it('refuses bad input with 400 naming each field in Chinese, and writes nothing', async () => {
    const tables = ['disclosure_request', 'disclosure_file', 'disclosure_step', 'disclosure_attempt', 'audit_log'];
    const before = await Promise.all(tables.map((x) => rows(t, x)));
    const res = await submit(
      t,
      {
        ...APPLICATION,
        name: '',
        idNumber: '110105194912310021',
        phone: '',
        email: 'not-an-address',
        description: '短',
      },
      { ip: '198.51.100.1' },
    );
    expect(res.status).toBe(400);
    for (const label of [
      '申请人姓名或名称：不能为空',
      '身份证件号码：不是有效的居民身份证号码',
      '电子邮箱：格式不正确',
      '所需政府信息的内容描述',
    ])
      expect(res.text).toContain(label);
    // What was typed is kept for the next attempt (the file must be chosen again).
    expect(res.text).toContain('not-an-address');
    const organisation = await submit(
      t,
      { ...APPLICATION, applicantType: 'commercial-enterprise', creditCode: '91350100M000100Y44' },
      { ip: '198.51.100.1' },
    );
    expect(organisation.status).toBe(400);
    expect(organisation.text).toContain('统一社会信用代码：不是有效的统一社会信用代码');
    const wrongFile = await submit(t, APPLICATION, {
      ip: '198.51.100.1',
      file: Buffer.from('MZ not an image'),
      fileName: 'id.png',
    });
    expect(wrongFile.status).toBe(400);
    expect(wrongFile.text).toContain('身份证明文件：只接受 PDF、JPEG 或 PNG 文件');
    const noCsrf = await t.http().post('/disclosure/requests/new').type('form').send(APPLICATION);
    expect(noCsrf.status).toBe(403);
    expect(await Promise.all(tables.map((x) => rows(t, x)))).toEqual(before);
  });

  let receipt: { trackingNo: string; code: string };

  it('gives a receipt with a tracking number and a code shown once; a Saturday submission is received on the make-up Sunday', async () => {
    const res = await submit(t, APPLICATION, { file: PNG });
    expect(res.status).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    receipt = receiptOf(res.text);
    expect(receipt.trackingNo).toMatch(/^YSQ2026-\d{6}$/);
    expect(receipt.code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    // 2026-09-19 is a Saturday; 2026-09-20 a make-up working Sunday: received then, due 20 working days later.
    expect(res.text).toContain('2026-09-20');
    expect(res.text).toContain('2026-10-23');
    const [row] = await t.db.manager.query('SELECT code_hash, personal FROM disclosure_request WHERE tracking_no = ?', [
      receipt.trackingNo,
    ]);
    expect(row.code_hash).not.toContain(receipt.code);
    expect(row.personal).not.toContain(NAME);
    expect(row.personal).not.toContain(ID_NUMBER);
  });

  it('keeps the identity document encrypted at rest', async () => {
    const [file] = await t.db.manager.query(
      "SELECT f.data FROM disclosure_file f JOIN disclosure_request r ON r.id = f.request_id WHERE r.tracking_no = ? AND f.kind = 'identity'",
      [receipt.trackingNo],
    );
    const stored = Buffer.from(file.data);
    expect(stored.length).toBeGreaterThan(PNG.length);
    expect(stored.includes(PNG.subarray(0, 8))).toBe(false);
    expect(stored.includes(Buffer.from(NAME))).toBe(false);
    // Staff get the original back.
    const detail = (await clerk.get(`/api/admin/disclosure/requests/${receipt.trackingNo}`).expect(200)).body;
    const id = detail.files.find((f: { kind: string }) => f.kind === 'identity').id;
    const download = await clerk
      .get(`/admin/disclosure/requests/${receipt.trackingNo}/files/${id}`)
      .buffer(true)
      .parse(rawBytes)
      .expect(200);
    expect(Buffer.compare(download.body as Buffer, PNG)).toBe(0);
  });

  it('shows the status only to the holder of the code; a wrong code reads like an unknown number', async () => {
    const page = await t
      .http()
      .get(`/disclosure/requests/${receipt.trackingNo}`)
      .set('X-Forwarded-For', '192.0.2.50')
      .expect(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.text).toContain('查询码');
    expect(page.text).not.toContain('2026-10-23');
    const wrong = await t
      .http()
      .post(`/disclosure/requests/${receipt.trackingNo}`)
      .set('X-Forwarded-For', '192.0.2.50')
      .type('form')
      .send({ code: 'AAAA-BBBB-CCCC' })
      .expect(404);
    const unknown = await t
      .http()
      .post('/disclosure/requests/YSQ2026-999999')
      .set('X-Forwarded-For', '192.0.2.50')
      .type('form')
      .send({ code: receipt.code })
      .expect(404);
    const message = (html: string) => /<p class="alert-box" role="alert">([^<]+)</.exec(html)![1];
    expect(message(wrong.text)).toBe(message(unknown.text));
    expect(wrong.text).not.toContain('2026-10-23');
    const right = await t
      .http()
      .post(`/disclosure/requests/${receipt.trackingNo}`)
      .set('X-Forwarded-For', '192.0.2.50')
      .type('form')
      .send({ code: receipt.code.toLowerCase().replace(/-/g, ' ') })
      .expect(200);
    expect(right.headers['cache-control']).toBe('no-store');
    expect(right.text).toContain('2026-10-23');
    expect(right.text).toContain('已收到，办理中');
    // The applicant's own data is not repeated on the status page.
    expect(right.text).not.toContain(NAME);
    // GET with ?code= works too.
    await t
      .http()
      .get(`/disclosure/requests/${receipt.trackingNo}?code=${encodeURIComponent(receipt.code)}`)
      .set('X-Forwarded-For', '192.0.2.50')
      .expect(200);
  });

  it('limits code checks per address (429)', async () => {
    let last = 0;
    for (let i = 0; i < 10; i++)
      last = (
        await t
          .http()
          .post(`/disclosure/requests/${receipt.trackingNo}`)
          .set('X-Forwarded-For', '192.0.2.99')
          .type('form')
          .send({ code: `WRONG-${i}` })
      ).status;
    expect(last).toBe(429);
  });

  it('limits submissions per address (429), other addresses still submit', async () => {
    const ip = '198.51.100.20';
    for (let i = 0; i < 3; i++) expect((await submit(t, APPLICATION, { ip })).status).toBe(201);
    const refused = await submit(t, APPLICATION, { ip });
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('3600');
    expect((await submit(t, APPLICATION, { ip: '198.51.100.21' })).status).toBe(201);
  });

  it('runs the clock: registration by post, clarification, third-party pause, extension, answer; every step audited', async () => {
    await setClock(at('2026-09-24'));
    const registered = await clerk
      .post('/api/admin/disclosure')
      .send({
        channel: 'post',
        receivedOn: '2026-09-20',
        applicantType: 'commercial-enterprise',
        name: '大连示例建设工程有限公司',
        creditCode: '91350100M000100Y43',
        email: 'law@example.cn',
        description: '某道路改造工程项目的评标报告',
        deliveryForm: 'electronic',
        deliveryChannel: 'email',
      })
      .expect(201);
    const no = registered.body.trackingNo;
    expect(registered.body).toMatchObject({ receivedOn: '2026-09-20', dueOn: '2026-10-23' });
    const late = await clerk
      .post(`/api/admin/disclosure/requests/${no}/clarification`)
      .send({ on: '2026-09-24', dueOn: '2026-09-24', text: '请写明项目编号' });
    expect(late.status).toBe(400);
    const asked = await clerk
      .post(`/api/admin/disclosure/requests/${no}/clarification`)
      .send({ on: '2026-09-24', dueOn: '2026-10-14', text: '请写明项目编号' })
      .expect(200);
    expect(asked.body.clock).toMatchObject({ state: 'awaiting-clarification', dueOn: null });
    const again = await clerk.post(`/api/admin/disclosure/requests/${no}/clarification`).send({ text: '再次' });
    expect(again.status).toBe(400);
    expect(again.body.errors[0].message).toContain('只能告知一次');
    await setClock(at('2026-10-09'));
    const clarified = await clerk
      .post(`/api/admin/disclosure/requests/${no}/clarified`)
      .send({ on: '2026-10-09' })
      .expect(200);
    expect(clarified.body.clock.dueOn).toBe('2026-11-05');
    await setClock(at('2026-10-14'));
    await clerk
      .post(`/api/admin/disclosure/requests/${no}/pause`)
      .send({ on: '2026-10-14', note: '第三方：中标人' })
      .expect(200);
    await setClock(at('2026-10-20'));
    const resumed = await clerk
      .post(`/api/admin/disclosure/requests/${no}/resume`)
      .send({ on: '2026-10-20' })
      .expect(200);
    expect(resumed.body.clock.dueOn).toBe('2026-11-11');
    await setClock(at('2026-11-02'));
    const tooLong = await clerk
      .post(`/api/admin/disclosure/requests/${no}/extension`)
      .send({ workingDays: 21, approver: '张主任', notice: '延期' });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.errors[0].message).toContain('1 到 20');
    const extended = await clerk
      .post(`/api/admin/disclosure/requests/${no}/extension`)
      .send({ workingDays: 20, approver: '政务公开办公室 张主任', notice: '需调取档案，延长 20 个工作日' })
      .expect(200);
    expect(extended.body.clock.dueOn).toBe('2026-12-09');
    expect(
      (
        await clerk
          .post(`/api/admin/disclosure/requests/${no}/extension`)
          .send({ workingDays: 1, approver: 'x', notice: 'y' })
      ).status,
    ).toBe(400);
    const answered = await clerk
      .post(`/api/admin/disclosure/requests/${no}/answer`)
      .send({
        outcome: 'withheld',
        reason: 'third-party',
        replyText: '经征求第三方意见，该信息涉及商业秘密，不予公开。',
        attachments: [{ fileName: '告知书.pdf', contentBase64: Buffer.from('%PDF-1.4 demo').toString('base64') }],
      })
      .expect(200);
    expect(answered.body).toMatchObject({
      status: 'answered',
      outcome: 'withheld',
      outcomeReason: 'third-party',
      answeredOn: '2026-11-02',
    });
    expect(answered.body.steps.map((s: { kind: string }) => s.kind)).toEqual([
      'registered',
      'clarification-requested',
      'clarified',
      'paused',
      'resumed',
      'extended',
      'answered',
    ]);
    const bad = await clerk.post(`/api/admin/disclosure`).send({});
    expect(bad.status).toBe(400);
    const audit = await t.db.manager.query(
      "SELECT action, before_image, after_image FROM audit_log WHERE entity_type = 'disclosure-request' AND entity_id = ? ORDER BY id",
      [no],
    );
    expect(audit.map((a: { action: string }) => a.action)).toEqual([
      'disclosure.register',
      'disclosure.clarification-request',
      'disclosure.clarified',
      'disclosure.pause',
      'disclosure.resume',
      'disclosure.extend',
      'disclosure.answer',
    ]);
  });

  it('deems a request withdrawn when the clarification period lapses (read by staff)', async () => {
    await setClock(at('2026-11-02'));
    const { trackingNo } = (
      await clerk
        .post('/api/admin/disclosure')
        .send({
          ...APPLICATION,
          address: undefined,
          purpose: undefined,
          channel: 'in-person',
          receivedOn: '2026-11-02',
        })
        .expect(201)
    ).body;
    await clerk
      .post(`/api/admin/disclosure/requests/${trackingNo}/clarification`)
      .send({ on: '2026-11-02', dueOn: '2026-11-06', text: '请写明所需信息' })
      .expect(200);
    await setClock(at('2026-11-09'));
    const read = (await clerk.get(`/api/admin/disclosure/requests/${trackingNo}`).expect(200)).body;
    expect(read).toMatchObject({
      status: 'withdrawn',
      outcome: 'other',
      outcomeReason: 'no-clarification',
      answeredOn: '2026-11-07',
    });
  });

  it('lists open, overdue and due-soon requests for staff and on the dashboard', async () => {
    await setClock(at('2026-10-19'));
    const overdue = (await clerk.get('/api/admin/disclosure?filter=overdue').expect(200)).body.items;
    expect(overdue.length).toBe(0);
    await setClock(at('2026-10-26'));
    const nowOverdue = (await clerk.get('/api/admin/disclosure?filter=overdue').expect(200)).body.items;
    expect(nowOverdue.map((i: { trackingNo: string }) => i.trackingNo)).toContain(receipt.trackingNo);
    const dashboard = await clerk.get('/admin').expect(200);
    expect(dashboard.text).toContain('已超过答复期限');
    expect(dashboard.text).toContain(receipt.trackingNo);
    const page = await clerk.get('/admin/disclosure?filter=overdue').expect(200);
    expect(page.text).toContain(receipt.trackingNo);
    // The rules table shows each rule's number (a bare {{amount}} once called the money helper instead).
    expect(page.text).toMatch(/<td>不能当场答复的[^<]*<\/td><td>20<\/td>/);
    const detail = await clerk.get(`/admin/disclosure/requests/${receipt.trackingNo}`).expect(200);
    expect(detail.text).toContain(NAME);
    expect((await clerk.get('/api/admin/disclosure?filter=bogus')).status).toBe(400);
  });

  it('answers on the staff page, then deletes the identity document after the retention, audited', async () => {
    await setClock(at('2026-10-26'));
    const detail = await clerk.get(`/admin/disclosure/requests/${receipt.trackingNo}`).expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(detail.text)![1];
    await clerk
      .post(`/admin/disclosure/requests/${receipt.trackingNo}/answer`)
      .field('_csrf', csrf)
      .field('outcome', 'disclosed')
      .field('replyText', '所申请的信息见附件。')
      .attach('files', Buffer.from('%PDF-1.4 list'), '清单.pdf')
      .expect(303);
    const status = await t
      .http()
      .post(`/disclosure/requests/${receipt.trackingNo}`)
      .type('form')
      .send({ code: receipt.code })
      .expect(200);
    expect(status.text).toContain('所申请的信息见附件。');
    expect(status.text).toContain('予以公开');
    // The holder of the code downloads the reply's attachment; without the code, nothing.
    const fileId = /\/files\/(\d+)"/.exec(status.text)![1];
    const attachment = await t
      .http()
      .post(`/disclosure/requests/${receipt.trackingNo}/files/${fileId}`)
      .type('form')
      .send({ code: receipt.code })
      .expect(200);
    expect(attachment.headers['content-type']).toBe('application/pdf');
    expect(attachment.headers['cache-control']).toBe('no-store');
    await t
      .http()
      .post(`/disclosure/requests/${receipt.trackingNo}/files/${fileId}`)
      .type('form')
      .send({ code: 'WRONG-CODE-0000' })
      .expect(404);

    await t.app.get(JobRunner).runOnce(DISCLOSURE_JOB);
    const identity = () =>
      t.db.manager.query(
        "SELECT COUNT(*) AS n FROM disclosure_file f JOIN disclosure_request r ON r.id = f.request_id WHERE r.tracking_no = ? AND f.kind = 'identity'",
        [receipt.trackingNo],
      );
    expect(Number((await identity())[0].n)).toBe(1);
    await setClock(new Date(clock.now().getTime() + 31 * DAY));
    await t.app.get(JobRunner).runOnce(DISCLOSURE_JOB);
    expect(Number((await identity())[0].n)).toBe(0);
    const [deleted] = await t.db.manager.query(
      "SELECT actor_name FROM audit_log WHERE action = 'disclosure.identity-deleted'",
    );
    expect(deleted.actor_name).toBe('system');
    const read = (await clerk.get(`/api/admin/disclosure/requests/${receipt.trackingNo}`).expect(200)).body;
    expect(read.identityDeletedAt).not.toBeNull();
    expect(read.steps.at(-1).kind).toBe('identity-deleted');
  });

  it('registers a letter on the staff form: 400 with the fields named, then a receipt with the code', async () => {
    const form = await clerk.get('/admin/disclosure/new').expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
    const bad = await clerk
      .post('/admin/disclosure/new')
      .field('_csrf', csrf)
      .field('channel', 'online')
      .field('receivedOn', '2026-13-01')
      .field('applicantType', 'natural-person');
    expect(bad.status).toBe(400);
    for (const label of ['收到申请的渠道：', '收到申请之日：', '申请人姓名或名称：不能为空'])
      expect(bad.text).toContain(label);
    let req = clerk
      .post('/admin/disclosure/new')
      .field('_csrf', csrf)
      .field('channel', 'post')
      .field('receivedOn', '2026-10-23');
    for (const [k, v] of Object.entries(APPLICATION)) req = req.field(k, v);
    const ok = await req.attach('file', PNG, '身份证.png');
    expect(ok.status).toBe(201);
    expect(ok.text).toMatch(/查询码：<strong><code>[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}<\/code>/);
  });

  it('records reconsiderations and lawsuits with their outcomes', async () => {
    const created = await clerk
      .post('/api/admin/disclosure/reviews')
      .send({ kind: 'lawsuit', caseNumber: '（2026）辽0202行初1号', filedOn: '2026-11-20', outcome: 'pending' });
    expect(created.status).toBe(400);
    expect(created.body.errors[0].message).toContain('起诉方式');
    const lawsuit = await clerk
      .post('/api/admin/disclosure/reviews')
      .send({
        kind: 'lawsuit',
        lawsuitRoute: 'direct',
        trackingNo: receipt.trackingNo,
        caseNumber: '（2026）辽0202行初1号',
        filedOn: '2026-11-20',
        outcome: 'pending',
      })
      .expect(201);
    const decided = await clerk
      .patch(`/api/admin/disclosure/reviews/${lawsuit.body.id}`)
      .send({ outcome: 'corrected', decidedOn: '2026-11-25' })
      .expect(200);
    expect(decided.body).toMatchObject({
      outcome: 'corrected',
      lawsuitRoute: 'direct',
      trackingNo: receipt.trackingNo,
    });
    const page = await clerk.get('/admin/disclosure/reviews').expect(200);
    expect(page.text).toContain('结果纠正');
    // Every form on the staff pages carries the session's CSRF token (the row forms too).
    expect(page.text.match(/name="_csrf" value="[^"]+"/g)?.length).toBeGreaterThanOrEqual(2);
    expect(page.text).not.toContain('name="_csrf" value=""');
    expect((await clerk.get('/admin/disclosure/new').expect(200)).text).not.toContain('name="_csrf" value=""');
    // Administrators adjust the clock's settings.
    expect((await clerk.patch('/api/admin/disclosure/rules/due-soon').send({ amount: 3 })).status).toBe(403);
    expect(
      (await admin.patch('/api/admin/disclosure/rules/due-soon').send({ amount: 3 }).expect(200)).body.amount,
    ).toBe(3);
  });

  it('keeps personal data out of open data and the audit log', async () => {
    for (const path of ['/api/v1/notices', '/feeds/notices.rss', '/exports/notices.csv', '/api/docs', '/sitemap.xml']) {
      const res = await t.http().get(path);
      expect({ path, name: res.text.includes(NAME), id: res.text.includes(ID_NUMBER) }).toEqual({
        path,
        name: false,
        id: false,
      });
    }
    const images = await t.db.manager.query(
      "SELECT entity_type, before_image, after_image FROM audit_log WHERE entity_type LIKE 'disclosure%'",
    );
    expect(images.length).toBeGreaterThan(10);
    const text = JSON.stringify(images);
    for (const secret of [
      NAME,
      ID_NUMBER,
      '0411-88886666',
      'applicant@example.cn',
      '大连示例建设工程有限公司',
      receipt.code,
    ])
      expect({ secret, found: text.includes(secret) }).toEqual({ secret, found: false });
    const api = (await admin.get(`/api/admin/audit?entityType=disclosure-request&limit=100`).expect(200)).text;
    expect(api).not.toContain(NAME);
  });
});

describe(`disclosure: the access log keeps no code, tracking number or form field (${isMysql() ? 'MariaDB' : 'SQLite'})`, () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  afterAll(async () => {
    await stopAllProcesses();
    await db?.drop();
  });

  it('logs the form and status requests without their secrets', async () => {
    db = await freshDatabase();
    const app = await startAppProcess('disclosure-log', {
      DATABASE_URL: db.url,
      LOG_LEVEL: 'info',
      JOBS_ENABLED: 'false',
    });
    const form = await fetch(`${app.url}/disclosure/requests/new`);
    const cookie = form.headers.get('set-cookie')!.split(';')[0];
    const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1];
    const body = new FormData();
    body.set('_csrf', token);
    for (const [k, v] of Object.entries(APPLICATION)) body.set(k, v);
    const submitted = await fetch(`${app.url}/disclosure/requests/new`, { method: 'POST', body, headers: { cookie } });
    expect(submitted.status).toBe(201);
    const { trackingNo, code } = receiptOf(await submitted.text());
    await fetch(`${app.url}/disclosure/requests/${trackingNo}?code=${encodeURIComponent(code)}`);
    await fetch(`${app.url}/disclosure/requests/${trackingNo}`, {
      method: 'POST',
      body: new URLSearchParams({ code }),
    });
    await eventually('the access log line of the status request', async () =>
      app.output().includes('/disclosure/requests/[redacted]?code=[redacted]'),
    );
    const log = app.output();
    for (const secret of [trackingNo, code, NAME, ID_NUMBER, 'applicant@example.cn', '0411-88886666'])
      expect({ secret, found: log.includes(secret) }).toEqual({ secret, found: false });
  }, 180_000);
});
