import { OVERVIEW_YEARS } from '../src/integrity/integrity-reads.js';
import { FLAG_COUNTS } from '../src/trading/integrity-index.js';
import { startOpenDataApp } from './support/open-data.js';
import type { TestApp } from './support/test-app.js';

// /integrity shows each indicator's flags by category for its latest years: the table would otherwise grow by a
// year of categories a year (a province's ten years: over a thousand rows on one page). Every year is on the
// indicator's own page.
describe('integrity overview: the latest years by category, every year on the indicator page', () => {
  let t: TestApp;
  const years = ['2021', '2022', '2023', '2024', '2025', '2026'];

  beforeAll(async () => {
    ({ t } = await startOpenDataApp());
    // Kept counts as the index keeps them: single-bid in two categories over six years, few-bids in one year.
    const counts: [string, number][] = [
      ['i=single-bid', 60],
      ['i=few-bids', 2],
      ['i=few-bids|c=water|y=2026', 2],
    ];
    for (const [i, year] of years.entries())
      counts.push([`i=single-bid|c=construction|y=${year}`, i + 1], [`i=single-bid|c=water|y=${year}`, 10 + i]);
    await t.db.manager.query(
      `INSERT INTO ${FLAG_COUNTS} (count_key, flags) VALUES ${counts.map(() => '(?, ?)').join(', ')}`,
      counts.flat(),
    );
  });
  afterAll(() => t.close());

  /** The rows of a table by category and year: "year category flags → link". */
  const rows = (html: string) =>
    [
      ...html.matchAll(
        /<tr><td class="stack-key">(\d{4})年<\/td><th scope="row">([^<]+)<\/th><td class="num" data-label="提示数"><a href="([^"]+)">(\d+)<\/a>/g,
      ),
    ].map((m) => `${m[1]} ${m[2]} ${m[4]} ${m[3].replace(/&#x3D;/g, '=').replace(/&amp;/g, '&')}`);
  const sectionOf = (html: string, id: string) => html.split(`id="ind-${id}"`)[1].split('</section>')[0];

  it(`shows the latest ${OVERVIEW_YEARS} years on /integrity, with a link to every year`, async () => {
    const html = (await t.http().get('/integrity').expect(200)).text;
    const single = sectionOf(html, 'single-bid');
    expect(rows(single)).toEqual(
      ['2026', '2025', '2024'].flatMap((y) => {
        const i = years.indexOf(y);
        return [
          `${y} 工程建设招投标 ${i + 1} /integrity/single-bid?category=construction&year=${y}`,
          `${y} 水利工程 ${10 + i} /integrity/single-bid?category=water&year=${y}`,
        ];
      }),
    );
    expect(single).toContain(`按交易类别和年度（最近 ${OVERVIEW_YEARS} 个年度）`);
    expect(single).toContain('<a href="/integrity/single-bid#by-year">查看历年全部 12 行</a>');
    // An indicator with fewer years shows them all, without the link.
    const few = sectionOf(html, 'few-bids');
    expect(rows(few)).toEqual(['2026 水利工程 2 /integrity/few-bids?category=water&year=2026']);
    expect(few).not.toContain('查看历年全部');
  });

  it("lists every year on the indicator's unfiltered first page, not on a filtered one", async () => {
    const html = (await t.http().get('/integrity/single-bid').expect(200)).text;
    expect(html).toContain('<h2 id="by-year">按交易类别和年度（历年）</h2>');
    const all = rows(html.split('id="by-year"')[1]);
    expect(all).toHaveLength(12);
    expect(all[0]).toBe('2026 工程建设招投标 6 /integrity/single-bid?category=construction&year=2026');
    expect(all[11]).toBe('2021 水利工程 10 /integrity/single-bid?category=water&year=2021');
    const filtered = (await t.http().get('/integrity/single-bid?category=water').expect(200)).text;
    expect(filtered).not.toContain('id="by-year"');
  });
});
