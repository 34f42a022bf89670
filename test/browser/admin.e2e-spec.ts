import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, listen, PHONE, PHONE_PROBLEMS, watchedPage } from '../support/browser.js';
import { constructionProject, creditCode, tenderNotice } from '../support/fixtures.js';
import { apiKeyClient, createStaff, StaffClient } from '../support/staff.js';
import { FixedClock, startTestApp, TestApp } from '../support/test-app.js';

/**
 * The back office in a real browser (headless Chromium from Debian, playwright-core), with the CSP enforced:
 * a clerk drafts and submits a tender, a reviewer approves it and it is on the public page; a form without
 * its CSRF token is refused; an import with one bad row writes nothing.
 */
const NOW = new Date('2026-11-25T02:00:00Z'); // 10:00 CST
const AXE = join(process.cwd(), 'node_modules', 'axe-core', 'axe.min.js');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

describe('back office in headless Chromium', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let api: StaffClient;
  let project: string;
  const staff = {} as Record<'clerk' | 'reviewer', { username: string; password: string }>;

  beforeAll(async () => {
    t = await startTestApp({ clock: new FixedClock(NOW) });
    staff.clerk = await createStaff(t, 'clerk');
    staff.reviewer = await createStaff(t, 'reviewer');
    api = await apiKeyClient(t, (await createStaff(t, 'clerk')).id);
    project = (
      await api
        .post('/api/admin/projects')
        .send(constructionProject({ name: '甘井子区红旗西路道路改造工程' }))
        .expect(201)
    ).body.id;
    base = await listen(t);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function signIn(
    who: 'clerk' | 'reviewer',
    next = '/admin',
    options: Parameters<Browser['newContext']>[0] = {},
  ) {
    const context = await browser.newContext(options);
    const page = await watchedPage(context);
    await page.goto(`${base}${next}`);
    await page.waitForURL(/\/admin\/login/);
    await page.getByLabel('用户名').fill(staff[who].username);
    await page.getByLabel('密码').fill(staff[who].password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL((u) => u.pathname === next);
    return { context, page };
  }

  const noticeCount = async () => (await api.get('/api/admin/notices?limit=200').expect(200)).body.items.length;

  it('drafts and submits a tender, another person approves it, and it is on the public page', async () => {
    const { context, page } = await signIn('clerk', `/admin/projects/${project}`);
    await page.getByLabel('公告类型').selectOption('tender');
    await page.getByRole('button', { name: '打开表单' }).click();
    await page.waitForURL(/\/admin\/notices\/new/);
    const fill = (name: string, value: string) => page.locator(`[name="${name}"]`).fill(value);
    await fill('title', '红旗西路道路改造工程施工招标公告');
    await fill('body', '本招标项目已批准建设，现公开招标。');
    await fill('details.content', '道路改造、排水管网及绿化');
    await fill('details.qualifications', '市政公用工程施工总承包二级及以上资质');
    await page.locator('[name="details.consortiumAccepted"]').selectOption('false');
    await fill('details.documentsFrom', '2026-11-25T10:00');
    await fill('details.documentsTo', '2026-12-01T17:00');
    await fill('details.documentsMethod', '登录交易平台下载');
    await fill('details.submissionMethod', '电子投标');
    await fill('details.bidDeadline', '2026-12-16T09:30');
    await fill('details.openingTime', '2026-12-16T09:30');
    await fill('details.controlPrice.value', '1200');
    await page.locator('[name="details.controlPrice.unit"]').selectOption('万元');
    await fill('details.tenderer.name', '大连市甘井子区城市建设管理局');
    await fill('details.tenderer.creditCode', 'not-a-code');
    await page.getByRole('button', { name: '保存并提交审核' }).click();
    // The mistake comes back beside its field, with everything else kept.
    await page.waitForSelector('.error-summary');
    expect(await page.locator('#f-details-tenderer-creditCode-error').textContent()).toContain(
      '不是有效的统一社会信用代码',
    );
    expect(await page.locator('[name="details.bidDeadline"]').inputValue()).toBe('2026-12-16T09:30');
    await fill('details.tenderer.creditCode', creditCode(1));
    await page.getByRole('button', { name: '保存并提交审核' }).click();
    await page.waitForSelector('.flash');
    expect(await page.locator('.flash').textContent()).toContain('已提交审核');
    const noticeId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    expect(await page.getByRole('button', { name: '审核通过并发布' }).count()).toBe(0);
    await page.getByRole('link', { name: '预览（与公开页面一致）' }).click();
    expect(await page.locator('h1').textContent()).toContain('红旗西路道路改造工程施工招标公告');
    expect(await page.locator('.site-header').count()).toBe(1);
    expect(page.problems).toEqual([]);
    await context.close();

    const r = await signIn('reviewer', '/admin/review');
    await r.page.getByRole('link', { name: '红旗西路道路改造工程施工招标公告' }).click();
    await r.page.getByRole('button', { name: '审核通过并发布' }).click();
    await r.page.waitForSelector('.flash');
    expect(await r.page.locator('.flash').textContent()).toContain('已审核通过并发布');
    await r.page.getByRole('link', { name: '查看公开页面' }).click();
    await r.page.waitForURL((u) => u.pathname === `/notices/${noticeId}`);
    expect(await r.page.locator('h1').textContent()).toContain('红旗西路道路改造工程施工招标公告');
    expect(await r.page.locator('.notice-details').textContent()).toContain('12,000,000.00元');
    expect(r.page.problems).toEqual([]);
    await r.context.close();
  }, 120_000);

  it('refuses a form submitted without its CSRF token with a Chinese 403 page', async () => {
    const { context, page } = await signIn('clerk', '/admin/account/password');
    await page.locator('input[name="_csrf"]').evaluateAll((inputs) => inputs.forEach((i) => i.remove()));
    await page.getByLabel('当前密码').fill(staff.clerk.password);
    await page.getByLabel('新密码').fill('Another-password-2026');
    const [response] = await Promise.all([
      page.waitForResponse((res) => res.request().method() === 'POST'),
      page.getByRole('button', { name: '修改密码' }).click(),
    ]);
    expect(response.status()).toBe(403);
    expect(await page.locator('main').textContent()).toContain('缺少或无效的 CSRF 令牌');
    await context.close();
    await signIn('clerk'); // the password did not change
  }, 60_000);

  it('imports a bid-opening CSV with one bad row: nothing is written and the row is reported', async () => {
    const before = await noticeCount();
    const { context, page } = await signIn('clerk', `/admin/projects/${project}/import`);
    await page.locator('[name="title"]').fill('红旗西路道路改造工程开标记录');
    await page.locator('[name="details.openingTime"]').fill('2026-11-24T09:30');
    const csv = [
      '序号,投标人名称,统一社会信用代码,报价,单位',
      `1,大连建工集团有限公司,${creditCode(101)},11805000.00,元`,
      '2,坏代码公司,91210200MA0000001X,100,元',
      `3,辽宁路桥有限公司,${creditCode(103)},1180.5,万元`,
    ].join('\r\n');
    await page
      .locator('input[type="file"]')
      .setInputFiles({ name: '开标记录.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: '导入为草稿' }).click();
    await page.waitForSelector('.error-summary');
    const report = await page.locator('.error-summary').textContent();
    expect(report).toContain('文件中有 1 行有误，未导入任何内容');
    expect(report).toContain('第 3 行');
    expect(report).toContain('坏代码公司');
    expect(await noticeCount()).toBe(before);
    expect(page.problems).toEqual([]);
    await context.close();
  }, 60_000);

  it('lays the pages a clerk and a reviewer use out within a 375-px phone, with no serious or critical axe-core violation', async () => {
    const found: unknown[] = [];
    const visit = async (page: Page, paths: string[]) => {
      for (const path of paths) {
        await page.goto(base + path);
        if (process.env.SCREENSHOTS_DIR)
          await page.screenshot({
            path: join(
              process.env.SCREENSHOTS_DIR,
              `${path
                .slice(1)
                .replace(/\?.*type=/, '-')
                .replace(/[^\w-]+/g, '_')}.png`,
            ),
            fullPage: true,
          });
        const problems = (await page.evaluate(PHONE_PROBLEMS(PHONE.viewport.width))) as string[];
        await page.addScriptTag({ path: AXE });
        const violations =
          (await page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(AXE_TAGS)} } })
          .then((r) => r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id + ' ' + JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))))`)) as string[];
        if (problems.length || violations.length) found.push({ path, problems, violations });
      }
    };
    // axe is injected as a script, which the page's own CSP rightly refuses: bypass it for the audit only.
    const clerk = await signIn('clerk', '/admin', { ...PHONE, bypassCSP: true });
    const notice = `/admin/notices/${encodeURIComponent((await api.post('/api/admin/notices').send(tenderNotice(project)).expect(201)).body.id)}`;
    await visit(clerk.page, [
      '/admin',
      '/admin/projects',
      `/admin/projects/${project}`,
      `/admin/notices/new?project=${encodeURIComponent(project)}&type=tender`,
      `/admin/notices/new?project=${encodeURIComponent(project)}&type=bid-opening`,
      `/admin/projects/${project}/import`,
      '/admin/notices',
      notice,
      `${notice}/preview`,
      '/admin/account/password',
      '/admin/reports',
      '/admin/reports/2026',
      '/reports/annual/2026',
    ]);
    await clerk.context.close();
    const reviewer = await signIn('reviewer', '/admin/review', { ...PHONE, bypassCSP: true });
    await visit(reviewer.page, ['/admin/review']);
    await reviewer.context.close();
    const anonymous = await browser.newContext({ ...PHONE, bypassCSP: true });
    await visit(await anonymous.newPage(), ['/admin/login']);
    await anonymous.close();
    expect(found).toEqual([]);
  }, 120_000);
});
