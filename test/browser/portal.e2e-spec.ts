import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, listen, watchedPage } from '../support/browser.js';
import { buildPortalWorld, cst, PortalWorld } from '../support/portal-world.js';
import { FixedClock, startTestApp, TestApp } from '../support/test-app.js';

/**
 * The public pages in a real browser (headless Chromium from the Debian package, driven by playwright-core):
 * what a bidder does — search, filter, open notices and projects — on a desktop and a 375-px phone, with the
 * CSP enforced, and axe-core on every page type in the normal and the large-text mode. SCREENSHOTS_DIR=<dir>
 * saves a phone-width screenshot of every page type there.
 */
const AXE = join(process.cwd(), 'node_modules', 'axe-core', 'axe.min.js');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
const VIEW = cst('2026-12-25 10:00'); // the candidates' objection period is open

interface AxeViolation { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }

describe('public pages in headless Chromium', () => {
  let t: TestApp;
  let w: PortalWorld;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    const clock = new FixedClock(VIEW);
    t = await startTestApp({ clock });
    w = await buildPortalWorld(t, clock);
    clock.set(VIEW);
    base = await listen(t);
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
    ...['aTender', 'dPrequalification', 'bProcurement', 'cTransfer', 'aCorrection', 'aBidOpening', 'cAuction', 'aCandidates', 'aResult', 'cDeal', 'aContract', 'aPerformance', 'dTermination', 'dAbnormal', 'eWithdrawal', 'eTender']
      .map((key) => [`notice ${key}`, `/notices/${w.ids[key]}`]),
    ...['A', 'B', 'C', 'D'].map((key) => [`project ${key}`, `/projects/${w.projects[key]}`]),
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
    await page.getByLabel('交易类别').selectOption('procurement');
    await page.getByLabel('地区').selectOption('210200');
    await page.getByRole('button', { name: '筛选' }).click();
    await page.waitForURL(/category=procurement/);
    expect(page.url()).toContain('region=210200');
    expect(await page.locator('.results-head').textContent()).toContain('共找到 4 条公告');
    expect(await page.getByLabel('交易类别').inputValue()).toBe('procurement');
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

  it('lays every page type out within a 375-px-wide phone screen, in both modes', async () => {
    for (const largeText of [false, true]) {
      const context = await browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
      if (largeText) await context.addCookies([{ name: 'ggzy_display', value: 'large', url: base }]);
      const page = await watchedPage(context);
      for (const [name, path] of pageTypes()) {
        await page.goto(base + path);
        if (process.env.SCREENSHOTS_DIR) await page.screenshot({ path: join(process.env.SCREENSHOTS_DIR, `${name}${largeText ? '-large' : ''}.png`.replace(/[^\w.()-]+/g, '_')), fullPage: true });
        const { scrollWidth, innerWidth } = (await page.evaluate('({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })')) as { scrollWidth: number; innerWidth: number };
        expect({ name, largeText, scrollWidth }).toEqual({ name, largeText, scrollWidth: innerWidth });
        expect({ name, problems: page.problems }).toEqual({ name, problems: [] });
      }
      await context.close();
    }
  }, 180_000);

  it('has no serious or critical axe-core violation on any page type, in the normal and the large-text mode', async () => {
    const found: string[] = [];
    for (const largeText of [false, true]) {
      // axe is injected as a script, which the page's own CSP rightly refuses: bypass it for the audit only.
      const context = await browser.newContext({ bypassCSP: true });
      if (largeText) await context.addCookies([{ name: 'ggzy_display', value: 'large', url: base }]);
      const page = await context.newPage();
      for (const [name, path] of pageTypes()) {
        await page.goto(base + path);
        await page.addScriptTag({ path: AXE });
        // Run in the page (a string: the test code is compiled without the DOM library).
        const audit = (await page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(AXE_TAGS)} } })
          .then((r) => ({ passes: r.passes.length, violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target })) })) }))`)) as { passes: number; violations: AxeViolation[] };
        expect(audit.passes).toBeGreaterThan(10);
        for (const v of audit.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')) {
          found.push(`${name}${largeText ? ' (large text)' : ''}: ${v.id} ${v.impact} – ${v.help} – ${JSON.stringify(v.nodes.map((n) => n.target))}`);
        }
      }
      await context.close();
    }
    expect(found).toEqual([]);
  }, 240_000);
});
