import { constructionProject, tenderNotice } from './support/fixtures.js';
import { cst } from './support/portal-world.js';
import { publishingDesk } from './support/publish-flow.js';
import { FixedClock, startTestApp, type TestApp } from './support/test-app.js';

/**
 * The home page's bid openings at a province's pace: a busy day opens more tenders than a phone screen holds, so
 * each list shows its first ten by opening time and links to the open tenders by deadline for the rest.
 */
describe('home page: bid openings on a busy day', () => {
  let t: TestApp;
  const clock = new FixedClock(cst('2026-11-25 09:00'));
  const TODAY = 12;

  beforeAll(async () => {
    t = await startTestApp({ clock });
    const desk = await publishingDesk(t);
    const opening = async (name: string, at: string) => {
      const project = await desk.project(constructionProject({ name, lots: [] }));
      await desk.publish({
        ...tenderNotice(project, { bidDeadline: at, openingTime: at }),
        title: `${name}施工招标公告`,
      });
    };
    // Published in reverse, so that the list's order is the opening time's, not the publication's.
    for (let i = TODAY - 1; i >= 0; i--)
      await opening(
        `开标测试工程${String(i + 1).padStart(2, '0')}`,
        `2026-12-16 ${String(9 + Math.floor(i / 6)).padStart(2, '0')}:${String((i % 6) * 10).padStart(2, '0')}`,
      );
    await opening('下周开标测试工程', '2026-12-18 09:30');
  }, 120_000);
  afterAll(() => t?.close());

  const section = (html: string, from: string, to: string) => html.slice(html.indexOf(from), html.indexOf(to));

  it('lists the first ten of today by opening time, and links to the open tenders by deadline for the rest', async () => {
    clock.set(cst('2026-12-16 08:00'));
    const html = (await t.http().get('/').expect(200)).text.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=');
    const today = section(html, '今日开标', '未来七日开标');
    const names = [...today.matchAll(/开标测试工程(\d\d)/g)].map((m) => Number(m[1]));
    expect(names).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(today).toContain('href="/notices?open=1&sort=deadline"');
    expect(today).toContain('更多：正在招标的项目，按截止时间');
    const upcoming = section(html, '未来七日开标', '最新交易公告');
    expect(upcoming).toContain('下周开标测试工程');
    expect(upcoming).not.toContain('/notices?open=1&sort=deadline');
    // The link lists the open tenders soonest first: the two not shown on the home page among them.
    const open = (await t.http().get('/notices?open=1&sort=deadline').expect(200)).text;
    expect(open).toContain('开标测试工程11');
    expect(open).toContain('开标测试工程12');
  });

  it('shows no link when the day holds ten or fewer', async () => {
    clock.set(cst('2026-12-17 08:00'));
    const html = (await t.http().get('/').expect(200)).text;
    expect(section(html, '今日开标', '未来七日开标')).toContain('今日无开标安排');
    expect(section(html, '未来七日开标', '最新交易公告')).not.toContain('更多：正在招标的项目');
  });
});
