import { creditCode } from '../support/fixtures.js';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, LINES_OF, listen, PHONE, PHONE_PROBLEMS, watchedPage } from '../support/browser.js';
import { buildPortalWorld, cst, PortalWorld } from '../support/portal-world.js';
import { FixedClock, startTestApp, TestApp } from '../support/test-app.js';
import { createStaff } from '../support/staff.js';
import { ReportsService } from '../../src/reports/reports.service.js';

/**
 * The public pages in a real browser (headless Chromium from the Debian package, driven by playwright-core):
 * what a bidder does — search, filter, open notices and projects — on a desktop and a 375-px phone, with the
 * CSP enforced, and axe-core on every page type in the normal and the large-text mode. SCREENSHOTS_DIR=<dir>
 * saves a phone-width screenshot of every page type there.
 */
const AXE = join(process.cwd(), 'node_modules', 'axe-core', 'axe.min.js');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
const VIEW = cst('2026-12-25 10:00'); // the candidates' objection period is open

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
  text: string;
  lines: number;
}
interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

describe('public pages in headless Chromium', () => {
  let t: TestApp;
  let w: PortalWorld;
  let base: string;
  let browser: Browser;
  let alertToken: string;

  beforeAll(async () => {
    const clock = new FixedClock(VIEW);
    t = await startTestApp({ clock });
    w = await buildPortalWorld(t, clock);
    clock.set(VIEW);
    // Last year's yearly disclosure report, drafted by one staff member and published by another.
    const reports = t.app.get(ReportsService);
    const actor = async (role: 'clerk' | 'reviewer') => {
      const s = await createStaff(t, role);
      return { userId: s.id, username: s.username, displayName: s.username, role, via: 'session', ip: null };
    };
    const [author, approver] = [await actor('clerk'), await actor('reviewer')];
    await reports.save(author, 2025, {
      overview: '全年依法公开政府信息，交易公告、结果和合同信息均在规定时限内发布。',
      problems: '网上申请使用率有待提高。\n下一年度将在门户首页增加依申请公开指引。',
      other: '本年度未收取信息处理费。',
      itemsTotal: '12397',
      completed: '5000',
      amountYuan: '40000000000.00',
      requestsReceived: '3',
    });
    await reports.submit(author, 2025);
    await reports.publish(approver, 2025);
    base = await listen(t);
    // A private-feed alert (this app sends no mail), for its manage page with the one-time links.
    const created = await t
      .http()
      .post('/alerts')
      .type('form')
      .send({ category: 'construction', q: '道路' })
      .expect(201);
    alertToken = /\/alerts\/([A-Za-z0-9_-]{43})<\/code>/.exec(created.text)![1];
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function open(context: BrowserContext, path: string) {
    const page = await watchedPage(context);
    await page.goto(base + path);
    return page;
  }
  const problemsOf = (page: Page & { problems: string[] }) => page.problems;

  const pageTypes = () => [
    ['home', '/'],
    ['notice list', '/notices'],
    ['search results', `/notices?q=${encodeURIComponent('道路')}&category=construction`],
    // one notice of every type, and the projects of every family
    ...[
      'aTender',
      'dPrequalification',
      'bProcurement',
      'cTransfer',
      'aCorrection',
      'aBidOpening',
      'cAuction',
      'aCandidates',
      'aResult',
      'cDeal',
      'aContract',
      'aPerformance',
      'dTermination',
      'dAbnormal',
      'eWithdrawal',
      'eTender',
    ].map((key) => [`notice ${key}`, `/notices/${w.ids[key]}`]),
    ...['A', 'B', 'C', 'D'].map((key) => [`project ${key}`, `/projects/${w.projects[key]}`]),
    ['organisation search', `/organizations?q=${encodeURIComponent('有限公司')}`],
    ['organisation (winner)', `/organizations/${creditCode(30)}`],
    ['organisation (buyer)', `/organizations/${creditCode(11)}`],
    ['integrity indicators', '/integrity'],
    ['integrity flags', '/integrity/few-bids'],
    ['disclosure request form', '/disclosure/requests/new'],
    ['disclosure status (code asked)', '/disclosure/requests/YSQ2026-000001'],
    ['statistics', '/statistics'],
    ['yearly reports', '/reports/annual'],
    ['yearly report', '/reports/annual/2025'],
    ['transparency', '/transparency'],
    ['data dictionary', '/exports'],
    ['bulk downloads', '/bulk'],
    ['API docs', '/api/docs'],
    ['alert sign-up', `/alerts?category=construction&region=210211&q=${encodeURIComponent('道路')}&open=1`],
    ['alert manage', `/alerts/${alertToken}`],
    ['bad filter (400)', '/notices?category=fishing'],
    ['not found (404)', '/no-such-page'],
  ];

  it('searches from the home page and highlights the words found', async () => {
    const context = await browser.newContext();
    const page = await open(context, '/');
    expect(await page.title()).toContain('大连市公共资源交易中心');
    await page.getByLabel('关键词').fill('道路');
    await page.getByRole('button', { name: '搜索' }).click();
    await page.waitForURL(/\/notices\?q=/);
    expect(decodeURIComponent(page.url())).toContain('q=道路');
    expect(await page.locator('.notice-title mark').first().textContent()).toBe('道路');
    expect(problemsOf(page)).toEqual([]);
    await context.close();
  });

  it('filters the list with the form, keeping the filter in the URL and the form', async () => {
    const context = await browser.newContext();
    const page = await open(context, '/notices');
    await page.locator('.filter-fold summary').click();
    await page.getByLabel('交易类别').selectOption('procurement');
    await page.getByLabel('地区').selectOption('210200');
    await page.getByRole('button', { name: '筛选' }).click();
    await page.waitForURL(/category=procurement/);
    expect(page.url()).toContain('region=210200');
    expect(await page.locator('.results-head').textContent()).toContain('共找到 4 条公告');
    expect(await page.getByLabel('交易类别').inputValue()).toBe('procurement');
    expect(await page.locator('.filter-fold summary').textContent()).toBe('筛选条件：政府采购 · 大连市');
    await page.locator('.filter-fold summary').click();
    await page.getByLabel('只看正在招标（投标截止时间未过）').check();
    await page.getByRole('button', { name: '筛选' }).click();
    await page.waitForURL(/open=1/);
    expect(await page.locator('.results-head').textContent()).toContain('共找到 0 条公告');
    expect(problemsOf(page)).toEqual([]);
    await context.close();
  });

  it('opens a notice of every type and goes on to its project', async () => {
    const context = await browser.newContext();
    const page = await watchedPage(context);
    for (const id of Object.values(w.ids)) {
      await page.goto(`${base}/notices/${id}`);
      const title = (await page.locator('h1').textContent())!.trim();
      expect(title.length).toBeGreaterThan(4);
      expect(await page.locator('.qr').count()).toBe(1);
      await page.locator('.breadcrumb a').last().click();
      await page.waitForURL(/\/projects\//);
      expect(await page.locator('.trail').getByText(title, { exact: true }).count()).toBeGreaterThan(0);
      expect(page.problems).toEqual([]);
    }
    await context.close();
  }, 120_000);

  it('switches to the large-text mode with the header link and back', async () => {
    const context = await browser.newContext();
    const page = await open(context, '/notices?category=procurement');
    await page.getByRole('link', { name: '大字号高对比度' }).click();
    await page.waitForURL(/\/notices\?category=procurement$/);
    expect(await page.locator('html').getAttribute('class')).toBe('large-text');
    const size = (await page.evaluate('getComputedStyle(document.body).fontSize')) as string;
    expect(parseFloat(size)).toBeGreaterThanOrEqual(20);
    await page.getByRole('link', { name: '标准显示' }).click();
    await page.waitForURL(/\/notices\?category=procurement$/);
    expect(await page.locator('html').getAttribute('class')).toBeNull();
    await context.close();
  });

  it('reaches the main content and every link by keyboard, with a visible focus', async () => {
    const context = await browser.newContext();
    const page = await open(context, '/');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('跳到主要内容');
    const outline = await page.evaluate('getComputedStyle(document.activeElement).outlineStyle');
    expect(outline).toBe('solid');
    await page.keyboard.press('Enter');
    // Following an in-page link updates the URL after the key event: wait for it rather than read it at once.
    await page.waitForURL(/#main$/);
    await context.close();
  });

  // A phone browser widens its layout viewport to fit a page that is too wide, so window.innerWidth would grow
  // with the fault: every measure is against the phone's 375 px.
  it('lays every page type out within a 375-px-wide phone screen, in both modes: no sideways scrolling, nothing cut off, chart text at least 12 px', async () => {
    const found: unknown[] = [];
    for (const largeText of [false, true]) {
      const context = await browser.newContext(PHONE);
      if (largeText) await context.addCookies([{ name: 'ggzy_display', value: 'large', url: base }]);
      const page = await watchedPage(context);
      for (const [name, path] of pageTypes()) {
        await page.goto(base + path);
        if (process.env.SCREENSHOTS_DIR)
          await page.screenshot({
            path: join(
              process.env.SCREENSHOTS_DIR,
              `${name}${largeText ? '-large' : ''}.png`.replace(/[^\w.()-]+/g, '_'),
            ),
            fullPage: true,
          });
        const problems = (await page.evaluate(PHONE_PROBLEMS(PHONE.viewport.width))) as string[];
        if (problems.length) found.push({ name, largeText, problems });
        expect({ name, problems: page.problems }).toEqual({ name, problems: [] });
      }
      await context.close();
    }
    expect(found).toEqual([]);
  }, 180_000);

  it('shows the name and whole price of every bidder together on a phone: one card per row, still a table to a screen reader', async () => {
    const context = await browser.newContext(PHONE);
    const page = await watchedPage(context);
    const pages = [
      ...['aBidOpening', 'bBidOpening', 'aCandidates', 'aResult', 'cAuction'].map((k) => `/notices/${w.ids[k]}`),
      ...['A', 'B', 'C'].map((k) => `/projects/${w.projects[k]}`),
    ];
    for (const path of pages) {
      await page.goto(base + path);
      const rows = (await page.evaluate(`[...document.querySelectorAll('table.stack > tbody > tr')].map((tr) => {
        const box = (e) => { const r = e.getBoundingClientRect(); return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, text: e.textContent.trim(), lines: (${LINES_OF})(e) }; };
        const price = tr.querySelector('.stack-price'), key = tr.querySelector('.stack-key');
        return { name: box(tr.querySelector('th[scope=row]')), price: price && box(price), key: key && box(key) };
      })`)) as { name: Box; price: Box | null; key: Box | null }[];
      expect(rows.length).toBeGreaterThan(0);
      for (const { name, price, key } of rows) {
        const where = { path, name: name.text };
        expect({ ...where, left: name.left >= 0, right: name.right <= 375 }).toEqual({
          ...where,
          left: true,
          right: true,
        });
        if (key) expect({ ...where, key: key.text, lines: key.lines }).toEqual({ ...where, key: key.text, lines: 1 });
        if (!price) continue;
        // the price in full on one line, inside the screen, right under the name
        expect({
          ...where,
          price: price.text,
          lines: price.lines,
          inside: price.left >= 0 && price.right <= 375,
        }).toEqual({ ...where, price: price.text, lines: 1, inside: true });
        expect(price.text).toMatch(
          /^(投标报价|报价|中标（成交）价|预算（起始价）)?(\d{1,3}(,\d{3})*\.\d{2}元|下浮率 3\.5%)$/,
        );
        expect({ ...where, gap: price.top - name.bottom }).toEqual({ ...where, gap: expect.any(Number) });
        expect(price.top - name.bottom).toBeGreaterThanOrEqual(-1);
        expect(price.top - name.bottom).toBeLessThan(12);
      }
      expect({ path, problems: await page.evaluate(PHONE_PROBLEMS(375)) }).toEqual({ path, problems: [] });
    }
    await page.goto(`${base}/notices/${w.ids.aBidOpening}`);
    expect(
      await page
        .locator('table.bids > tbody > tr')
        .evaluateAll((trs) =>
          trs.map((tr) => [tr.querySelector('th')!.textContent, tr.querySelector('.stack-price')!.textContent]),
        ),
    ).toEqual([
      ['大连市政建设集团有限公司', '11,505,000.00元'],
      ['辽宁路桥工程有限公司', '11,800,000.00元'],
      ['大连绿城园林有限公司', '下浮率 3.5%'],
    ]);
    // Chromium's own accessibility tree, as a screen reader gets it: still a table with its column headers.
    const cdp = await context.newCDPSession(page);
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
      nodes: { ignored: boolean; role?: { value: string }; name?: { value: string } }[];
    };
    const roles = nodes.filter((n) => !n.ignored).map((n) => `${n.role?.value}: ${n.name?.value ?? ''}`);
    expect(roles).toEqual(
      expect.arrayContaining([
        'table: 开标记录表',
        'columnheader: 投标人',
        'columnheader: 投标报价',
        'rowheader: 辽宁路桥工程有限公司',
      ]),
    );
    expect(roles.filter((r) => r.startsWith('row:')).length).toBeGreaterThanOrEqual(4);
    await context.close();
  }, 120_000);

  it('shows the first result on the first screen of /notices on a phone, with the filters folded behind what is chosen', async () => {
    for (const javaScriptEnabled of [true, false]) {
      const context = await browser.newContext({ ...PHONE, javaScriptEnabled });
      const page = await watchedPage(context);
      await page.goto(`${base}/notices`);
      expect(
        await page
          .locator('.notice-row')
          .first()
          .evaluate((e) => e.getBoundingClientRect().top),
      ).toBeLessThan(667);
      expect(await page.locator('.filter-fold summary').textContent()).toBe('筛选条件：全部公告');
      // Folded filters still travel with the form: a keyword search keeps the chosen category and region.
      await page.goto(`${base}/notices?category=procurement&region=210200`);
      expect(await page.locator('.filter-fold summary').textContent()).toBe('筛选条件：政府采购 · 大连市');
      expect(
        await page
          .locator('.notice-row')
          .first()
          .evaluate((e) => e.getBoundingClientRect().top),
      ).toBeLessThan(667);
      await page.getByLabel('关键词').fill('医用');
      await page.getByRole('button', { name: '搜索' }).click();
      await page.waitForURL(/q=/);
      const url = new URL(page.url());
      expect([url.searchParams.get('category'), url.searchParams.get('region'), url.searchParams.get('q')]).toEqual([
        'procurement',
        '210200',
        '医用',
      ]);
      expect(page.problems).toEqual([]);
      await context.close();
    }
  });

  it('keeps every navigation item on one line on a phone, in both modes', async () => {
    for (const largeText of [false, true]) {
      const context = await browser.newContext(PHONE);
      if (largeText) await context.addCookies([{ name: 'ggzy_display', value: 'large', url: base }]);
      const page = await open(context, '/');
      const links = (await page.evaluate(
        `[...document.querySelectorAll('.site-nav a, .quick-links a')].map((a) => [a.textContent, (${LINES_OF})(a)])`,
      )) as [string, number][];
      expect(links.map(([text]) => text)).toEqual([
        '首页',
        '交易公告',
        '市场主体',
        '数据统计',
        '信息公开',
        '开放数据',
        '正在招标（按截止时间）',
        '全部公告',
        'RSS 订阅',
      ]);
      expect({ largeText, links }).toEqual({ largeText, links: links.map(([text]) => [text, 1]) });
      // and no item left alone on a row of its own
      const rows = await page
        .locator('.site-nav a')
        .evaluateAll((links) => links.map((a) => Math.round(a.getBoundingClientRect().top)));
      const perRow = [...new Set(rows)].map((top) => rows.filter((t) => t === top).length);
      expect({ largeText, perRow }).toEqual({ largeText, perRow: [3, 3] });
      await context.close();
    }
  });

  it('has no serious or critical axe-core violation on any page type, in the normal and the large-text mode, on a desktop and a phone', async () => {
    const found: string[] = [];
    for (const [largeText, phone] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ]) {
      // axe is injected as a script, which the page's own CSP rightly refuses: bypass it for the audit only.
      const context = await browser.newContext(phone ? { ...PHONE, bypassCSP: true } : { bypassCSP: true });
      if (largeText) await context.addCookies([{ name: 'ggzy_display', value: 'large', url: base }]);
      const page = await context.newPage();
      for (const [name, path] of pageTypes()) {
        await page.goto(base + path);
        await page.addScriptTag({ path: AXE });
        // Run in the page (a string: the test code is compiled without the DOM library).
        const audit =
          (await page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(AXE_TAGS)} } })
          .then((r) => ({ passes: r.passes.length, violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target })) })) }))`)) as {
            passes: number;
            violations: AxeViolation[];
          };
        expect(audit.passes).toBeGreaterThan(10);
        for (const v of audit.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')) {
          found.push(
            `${name}${largeText ? ' (large text)' : ''}${phone ? ' (phone)' : ''}: ${v.id} ${v.impact} – ${v.help} – ${JSON.stringify(v.nodes.map((n) => n.target))}`,
          );
        }
      }
      await context.close();
    }
    expect(found).toEqual([]);
  }, 360_000);
});
