import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { TestApp } from './test-app.js';

/** Debian's Chromium (apt-get install chromium), driven by playwright-core; `npx playwright install` fails here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Starts Chromium headless; the browser tests fail rather than skip when it is missing. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: install it with \`apt-get update && apt-get install -y chromium\` (or set CHROMIUM_PATH). The browser tests do not skip.`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/** Puts the test app on a loopback port and returns its base URL. */
export async function listen(t: TestApp): Promise<string> {
  await t.app.listen(0, '127.0.0.1');
  return `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
}

/** A page that records CSP refusals, script errors and failed sub-resources in `problems` (the tests expect none). */
export async function watchedPage(context: BrowserContext): Promise<Page & { problems: string[] }> {
  const page = Object.assign(await context.newPage(), { problems: [] as string[] });
  // An error page's own 4xx is expected; a sub-resource's is not.
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) page.problems.push(m.text());
  });
  page.on('response', (r) => {
    if (r.request().resourceType() !== 'document' && r.status() >= 400) page.problems.push(`${r.url()}: ${r.status()}`);
  });
  page.on('requestfailed', (r) => page.problems.push(`${r.url()}: ${r.failure()?.errorText}`));
  return page;
}

/** The phone every layout test uses: 375 × 667 CSS px (an iPhone SE), touch, 2× pixels. */
export const PHONE = {
  viewport: { width: 375, height: 667 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
} as const;

/**
 * What a person on a phone would notice, measured in the page (run as a string: the tests compile without the
 * DOM library): the document scrolling sideways past `width`, a box that hides content sideways (its own
 * scrollWidth beyond its width, e.g. a price cut off inside a scrolling table box), and chart text (SVG <text>)
 * rendered under 12 CSS px once the SVG is scaled. Visually hidden elements (clipped on purpose) are skipped.
 */
export const PHONE_PROBLEMS = (width: number) => `(() => {
  const problems = [];
  const name = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
  const hidden = (e) => { for (let a = e; a; a = a.parentElement) { const s = getComputedStyle(a); if (s.clip !== 'auto' || s.display === 'none') return true; } return false; };
  if (document.documentElement.scrollWidth > ${width}) problems.push('the page scrolls sideways: ' + document.documentElement.scrollWidth + ' px');
  for (const e of document.querySelectorAll('body *')) {
    if (['INPUT', 'SELECT', 'TEXTAREA', 'OPTION'].includes(e.tagName) || e.closest('svg')) continue;
    const s = getComputedStyle(e);
    if (s.overflowX !== 'visible' && e.scrollWidth > e.clientWidth + 1 && !hidden(e)) problems.push(name(e) + ' hides ' + (e.scrollWidth - e.clientWidth) + ' px sideways');
    else if (e.getBoundingClientRect().right > ${width} + 0.5 && !hidden(e)) problems.push(name(e) + ' reaches ' + Math.round(e.getBoundingClientRect().right) + ' px');
  }
  for (const t of document.querySelectorAll('svg text')) {
    const px = parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a;
    if (px < 12) problems.push('chart text "' + t.textContent + '" at ' + px.toFixed(1) + ' px');
  }
  return problems.slice(0, 8);
})()`;

/** How many lines the element's text takes on screen (distinct line boxes of its text). */
export const LINES_OF = `(e) => {
  const range = document.createRange();
  range.selectNodeContents(e);
  return new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.bottom))).size;
}`;
