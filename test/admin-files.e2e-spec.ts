import { createHash, randomBytes } from 'node:crypto';
import iconv from 'iconv-lite';
import { adminSignIn, AdminBrowser, text } from './support/admin-pages.js';
import { constructionProject, creditCode, tenderNotice } from './support/fixtures.js';
import { apiKeyClient, createStaff, StaffClient } from './support/staff.js';
import { FixedClock, startTestApp, TestApp, rawBytes } from './support/test-app.js';

const HEADER = '序号,投标人名称,统一社会信用代码,报价形式,报价,单位,工期,质量,项目经理,备注';
const csv = (...lines: string[]) => [HEADER, ...lines].join('\r\n') + '\r\n';
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(1_200_000)]);

describe('back office: bid-opening import and attachments', () => {
  let t: TestApp;
  let clerk: AdminBrowser, reviewer: AdminBrowser, api: StaffClient;
  let project: string;

  beforeAll(async () => {
    t = await startTestApp({
      clock: new FixedClock(new Date('2026-11-25T02:00:00Z')),
      env: { ATTACHMENT_MAX_BYTES: String(2 * 1024 * 1024) },
    });
    const c = await createStaff(t, 'clerk');
    const r = await createStaff(t, 'reviewer');
    clerk = await adminSignIn(t, c.username, c.password);
    reviewer = await adminSignIn(t, r.username, r.password);
    api = await apiKeyClient(t, c.id);
    project = (await api.post('/api/admin/projects').send(constructionProject()).expect(201)).body.id;
  });
  afterAll(() => t.close());

  const importPath = () => `/admin/projects/${encodeURIComponent(project)}/import`;
  const form = {
    title: '红旗西路道路改造工程开标记录',
    body: '开标记录如下。',
    'details.openingTime': '2026-11-24T09:30',
    'details.controlPrice.value': '1200',
    'details.controlPrice.unit': '万元',
  };
  const noticeCount = async () => (await api.get('/api/admin/notices?limit=200').expect(200)).body.items.length;

  describe('bid-opening import', () => {
    it('documents the column layout on the page', async () => {
      const page = await clerk.get(importPath());
      expect(page.status).toBe(200);
      for (const h of ['投标人名称', '统一社会信用代码', '报价形式', '报价', '单位', 'UTF-8 或 GBK'])
        expect(page.text).toContain(h);
    });

    it('writes nothing when one row is bad, and reports every bad row by line (GBK file)', async () => {
      const before = await noticeCount();
      const file = iconv.encode(
        csv(
          `1,大连建工集团有限公司,${creditCode(101)},报价金额,11805000.00,元,365日历天,合格,王五,`,
          `2,坏代码公司,91210200MA0000001X,,100,元,,,,`,
          `3,辽宁路桥有限公司,${creditCode(103)},下浮率,3.5,%,,,,`,
          `4,报价有误公司,${creditCode(104)},,12.345,元,,,,`,
        ),
        'gbk',
      );
      const res = await clerk.upload(importPath(), form, [
        { field: 'file', name: '开标记录.csv', bytes: file, type: 'text/csv' },
      ]);
      expect(res.status).toBe(422);
      const page = text(res.text);
      expect(page).toContain('文件中有 2 行有误，未导入任何内容');
      expect(page).toMatch(/第 3 行<\/td><td>坏代码公司<\/td><td>统一社会信用代码“91210200MA0000001X”无效/);
      expect(page).toMatch(/第 5 行<\/td><td>报价有误公司/);
      expect(res.text).toContain('value="红旗西路道路改造工程开标记录"');
      expect(await noticeCount()).toBe(before);
    });

    it('imports a valid file (UTF-8 with BOM) as one draft with every bid', async () => {
      const file = Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from(
          csv(
            `1,大连建工集团有限公司,${creditCode(101)},报价金额,11805000.00,元,365日历天,合格,王五,`,
            `2,"大连市政建设有限公司（联合体）",${creditCode(102)},,1180.5,万元,,,,`,
            `3,辽宁路桥有限公司,${creditCode(103)},下浮率,3.5,%,,,,`,
          ),
        ),
      ]);
      const res = await clerk.upload(importPath(), form, [
        { field: 'file', name: 'bids.csv', bytes: file, type: 'text/csv' },
      ]);
      expect(res.status).toBe(303);
      const id = decodeURIComponent(/\/admin\/notices\/([^?]+)/.exec(res.headers.location)![1]);
      expect((await clerk.get(res.headers.location)).text).toContain('开标记录已导入为草稿');
      const notice = (await api.get(`/api/admin/notices/${id}`).expect(200)).body;
      expect(notice).toMatchObject({ type: 'bid-opening', status: 'draft', title: form.title });
      expect(notice.details.bids.map((b: { bidder: string; price: unknown }) => [b.bidder, b.price])).toEqual([
        ['大连建工集团有限公司', { form: 'amount', value: '11805000.00', unit: '元', yuan: '11805000.00' }],
        ['大连市政建设有限公司（联合体）', { form: 'amount', value: '1180.5', unit: '万元', yuan: '11805000.00' }],
        ['辽宁路桥有限公司', { form: 'down-rate', value: '3.5', unit: '%' }],
      ]);
    });

    it('refuses a missing file, a wrong header, a bad opening time, an oversized file and a post without its token', async () => {
      const before = await noticeCount();
      const none = await clerk.upload(importPath(), form, []);
      expect(none.status).toBe(400);
      expect(none.text).toContain('请选择要导入的 CSV 文件');
      const header = await clerk.upload(importPath(), form, [
        { field: 'file', name: 'x.csv', bytes: Buffer.from('名称,价格\r\na,1\r\n') },
      ]);
      expect(header.status).toBe(422);
      expect(header.text).toContain('缺少列：投标人名称、统一社会信用代码、报价');
      const ok = csv(`1,大连建工集团有限公司,${creditCode(101)},,100,元,,,,`);
      const time = await clerk.upload(importPath(), { ...form, 'details.openingTime': '' }, [
        { field: 'file', name: 'x.csv', bytes: Buffer.from(ok) },
      ]);
      expect(time.status).toBe(400);
      expect(time.text).toMatch(/id="f-details-openingTime-error">必填/);
      const big = await clerk.upload(importPath(), form, [
        { field: 'file', name: 'x.csv', bytes: Buffer.alloc(3 * 1024 * 1024, 0x41) },
      ]);
      expect(big.status).toBe(400);
      expect(big.text).toContain('文件超过 2 MB 的上限');
      const token = clerk.csrf;
      clerk.csrf = '';
      const forged = await clerk.upload(importPath(), form, [{ field: 'file', name: 'x.csv', bytes: Buffer.from(ok) }]);
      clerk.csrf = token;
      expect(forged.status).toBe(403);
      expect(await noticeCount()).toBe(before);
    });
  });

  describe('attachments', () => {
    let draft: string;
    beforeAll(async () => {
      draft = (await api.post('/api/admin/notices').send(tenderNotice(project)).expect(201)).body.id;
    });
    const upload = (name: string, bytes: Buffer) =>
      clerk.upload(`/admin/notices/${draft}/attachments`, {}, [{ field: 'file', name, bytes }]);

    it('stores a PDF in chunks with its sha256, downloadable by staff with its Chinese name; not public while a draft', async () => {
      const res = await upload('招标文件（第1版）.pdf', PDF);
      expect(res.status).toBe(303);
      const page = await clerk.get(`/admin/notices/${draft}`);
      const sha = createHash('sha256').update(PDF).digest('hex');
      expect(page.text).toContain(sha);
      const link = /href="(\/admin\/notices\/[^"]+\/attachments\/(\d+))"/.exec(page.text)!;
      const file = await t
        .http()
        .get(link[1])
        .set('Cookie', `ggzy_session=${clerk.cookies.get('ggzy_session')}`)
        .buffer(true)
        .parse(rawBytes)
        .expect(200);
      expect(Buffer.compare(file.body as Buffer, PDF)).toBe(0);
      expect(file.headers['content-type']).toBe('application/pdf');
      expect(file.headers['content-disposition']).toBe(
        `attachment; filename="______1__.pdf"; filename*=UTF-8''${encodeURIComponent('招标文件（第1版）.pdf')}`,
      );
      await t.http().get(`/notices/${draft}/attachments/${link[2]}`).expect(404);
    });

    it.each([
      ['setup.exe', Buffer.from('MZ\x90\x00\x03'), '扩展名不在其中'],
      ['伪装.pdf', Buffer.from('MZ\x90\x00\x03'), '内容不是PDF文件'],
      ['图纸.docx', Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2]), '扩展名不在其中'],
      ['空.pdf', Buffer.alloc(0), '是空的'],
      [
        '大.zip',
        Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(2 * 1024 * 1024)]),
        '文件超过 2 MB 的上限',
      ],
    ])('refuses %p with a Chinese message', async (name, bytes, message) => {
      const res = await upload(name, bytes);
      expect(res.status).toBe(400);
      expect(text(res.text)).toContain(message);
    });

    it('freezes attachments once submitted, and serves them publicly once published, with ETag and 304', async () => {
      await upload(
        '现场照片.png',
        Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(100)]),
      );
      expect((await clerk.post(`/admin/notices/${draft}/submit`)).status).toBe(303);
      const late = await upload('迟到.pdf', PDF.subarray(0, 1000));
      expect(late.status).toBe(409);
      expect(late.text).toContain('附件不能改动');
      expect((await reviewer.post(`/admin/notices/${draft}/approve`, {})).status).toBe(303);
      const page = await clerk.get(`/admin/notices/${draft}`);
      const [, png] = /\/notices\/[^/"]+\/attachments\/(\d+)<\/code>/.exec(page.text.split('现场照片.png')[1])!;
      const pub = await t.http().get(`/notices/${draft}/attachments/${png}`).expect(200);
      expect(pub.headers['content-type']).toBe('image/png');
      expect(pub.headers['x-content-type-options']).toBe('nosniff');
      await t.http().get(`/notices/${draft}/attachments/${png}`).set('If-None-Match', pub.headers.etag).expect(304);
      await t.http().get(`/notices/${draft}/attachments/abc`).expect(400);
      await t.http().get(`/notices/${draft}/attachments/999999`).expect(404);
      expect(page.text).not.toContain('/attachments/1/delete');
      // The public notice page lists it with its size and hash; the staff preview, the same page, does too.
      const publicPage = await t.http().get(`/notices/${draft}`).expect(200);
      expect(publicPage.text).toContain(`href="/notices/${draft}/attachments/${png}"`);
      expect(publicPage.text).toContain('现场照片.png');
      const preview = await clerk.get(`/admin/notices/${draft}/preview`);
      expect(preview.text).toContain(`href="/notices/${draft}/attachments/${png}"`);
    });
  });
});
