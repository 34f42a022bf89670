import { XMLParser, XMLValidator } from 'fast-xml-parser';
import Parser from 'rss-parser';
import { publishScenario, startOpenDataApp, type Publisher, type Scenario } from './support/open-data.js';
import type { TestApp } from './support/test-app.js';

describe('open data: RSS and Atom feeds', () => {
  let t: TestApp;
  let pub: Publisher;
  let s: Scenario;
  const parser = new Parser();
  const markupTexts = [
    ['关于“A&B<公司>”异常情况的公告 ]]> 完', '投标文件雷同 <script>alert(1)</script> & 更多。'],
    [
      '<img src=x onerror=alert(1)>异常公告 &amp; <b>粗体</b>',
      '第一行 <img src="x" onerror="alert(2)">\n第二行 &lt;字面&gt; \'单引号\' "双引号" <a href="javascript:alert(3)">链接</a>',
    ],
  ];
  const markup: { id: string; title: string; body: string }[] = [];

  beforeAll(async () => {
    ({ t, pub } = await startOpenDataApp());
    s = await publishScenario(pub);
    // Staff text with markup and every character XML cares about.
    for (const [title, body] of markupTexts) {
      const n = await pub.publish({
        projectId: s.projects.works,
        type: 'abnormal',
        title,
        body,
        details: { reason: '投标文件雷同', measures: '移交处理' },
      });
      markup.push({ id: n.id, title, body });
    }
  });
  afterAll(() => t.close());

  const page = (id: string) => `${t.config.publicBaseUrl}/notices/${id}`;

  it('serves RSS 2.0 with one item per publication, correction and withdrawal, stable guids and +0800 dates', async () => {
    const res = await t.http().get('/feeds/notices.rss').expect(200);
    expect(res.headers['content-type']).toBe('application/rss+xml; charset=utf-8');
    expect(XMLValidator.validate(res.text)).toBe(true);
    const feed = await parser.parseString(res.text);
    const byGuid = new Map(feed.items.map((i) => [i.guid, i]));
    for (const n of [s.notices.tender, s.notices.correction, s.notices.withdrawal, s.notices.opening]) {
      const item = byGuid.get(page(n.id));
      expect(item).toBeDefined();
      expect(item!.link).toBe(page(n.id));
      expect(item!.pubDate).toBe('Wed, 25 Nov 2026 10:00:00 +0800');
    }
    expect(byGuid.get(page(s.notices.correction.id))!.title).toBe(
      '【澄清/更正公告】红旗西路道路改造工程施工招标澄清公告',
    );
    expect(
      byGuid
        .get(page(s.notices.withdrawal.id))!
        .categories!.map((c: string | { _: string }) => (typeof c === 'string' ? c : c._)),
    ).toEqual(['政府采购', '撤回声明']);
    expect(feed.items.length).toBe(15);
    // The same guids on the next request: stable.
    const again = await parser.parseString((await t.http().get('/feeds/notices.rss').expect(200)).text);
    expect(again.items.map((i) => i.guid)).toEqual(feed.items.map((i) => i.guid));
  });

  /** What a reader shows for an HTML value: the elements a browser would make of it, and the text it displays. */
  const asReaderShows = (html: string) => ({
    elements: html.match(/<[a-zA-Z!/?][^>]*>?/g) ?? [],
    text: html.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, e: string) => {
      if (e[0] === '#')
        return String.fromCodePoint(e[1].toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
      return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[e.toLowerCase()];
    }),
  });

  // Staff text is shown as the characters typed: RSS titles and descriptions are HTML to readers, so they carry it
  // HTML-escaped; Atom titles and summaries are type="text".
  it('shows staff text in both feeds as the characters typed, never as markup', async () => {
    const rss = await parser.parseString((await t.http().get('/feeds/notices.rss?type=abnormal').expect(200)).text);
    const atomXml = (await t.http().get('/feeds/notices.atom?type=abnormal').expect(200)).text;
    const atom = await parser.parseString(atomXml);
    const byLink = <T extends { link?: string }>(items: T[], id: string) => items.find((i) => i.link === page(id))!;
    for (const n of markup) {
      const item = byLink(rss.items, n.id);
      expect(asReaderShows(item.title!)).toEqual({ elements: [], text: `【交易异常公告】${n.title}` });
      expect(asReaderShows(item.content!)).toEqual({ elements: [], text: n.body });
      const entry = byLink(atom.items, n.id) as { title?: string; summary?: string };
      expect(entry.title).toBe(`【交易异常公告】${n.title}`);
      expect(entry.summary).toBe(n.body);
    }
    // The Atom elements say they hold text, and the document names no HTML type anywhere.
    const doc = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'entry' }).parse(atomXml);
    for (const entry of doc.feed.entry) {
      expect(entry.title['@_type']).toBe('text');
      expect(entry.summary['@_type']).toBe('text');
    }
    expect(atomXml).not.toContain('type="html"');
    expect(XMLValidator.validate(atomXml)).toBe(true);
  });

  it("summarises a long body by its first 500 characters, the database's cut, in both feeds", async () => {
    // 4 + 60 × 19 UTF-16 units, an emoji (two units) in each 19: the 500th unit is not half of one.
    const body = `第一段：${'招标范围包括道路、排水、照明😀工程。'.repeat(60)}`;
    const exactly = '短'.repeat(500);
    const oneMore = '长'.repeat(501);
    const [long, full, over] = await Promise.all(
      [body, exactly, oneMore].map((text, i) =>
        pub.publish({
          projectId: s.projects.works,
          type: 'abnormal',
          title: `正文长度测试${i}`,
          body: text,
          details: { reason: '投标文件雷同', measures: '移交处理' },
        }),
      ),
    );
    const atom = await parser.parseString((await t.http().get('/feeds/notices.atom?type=abnormal').expect(200)).text);
    const rss = await parser.parseString((await t.http().get('/feeds/notices.rss?type=abnormal').expect(200)).text);
    const summary = (id: string) => (atom.items.find((i) => i.link === page(id)) as { summary?: string }).summary;
    expect(summary(long.id)).toBe(`${body.slice(0, 500)}…`);
    expect(summary(full.id)).toBe(exactly);
    expect(summary(over.id)).toBe(`${'长'.repeat(500)}…`);
    expect(rss.items.find((i) => i.link === page(long.id))!.content).toBe(`${body.slice(0, 500)}…`);
  });

  it("gives /notices rows the same snippets from the body's start as from the whole body", async () => {
    // A long body (its start is read: 400 characters), and one whose first 400 characters are whitespace (the
    // whole body is read again: its start would give no snippet).
    const long = `第一段：${'招标范围包括道路、排水、照明😀工程。'.repeat(60)}`;
    const blank = `${' \n\t　'.repeat(120)}第二段：${'资格要求详见招标文件。'.repeat(20)}`;
    await Promise.all(
      [long, blank].map((body, i) =>
        pub.publish({
          projectId: s.projects.works,
          type: 'abnormal',
          title: `摘要测试${i}`,
          body,
          details: { reason: '投标文件雷同', measures: '移交处理' },
        }),
      ),
    );
    const html = (await t.http().get('/notices?type=abnormal').expect(200)).text;
    const snippets = [...html.matchAll(/<p class="snippet">([^<]*)<\/p>/g)].map((m) => m[1]);
    const whole = (body: string) => `${body.replace(/\s+/g, ' ').trim().slice(0, 90)}…`;
    expect(snippets).toContain(whole(long));
    expect(snippets).toContain(whole(blank));
    expect(whole(blank)).toMatch(/^第二段：资格要求/);
  });

  it('serves Atom 1.0 with ids, links, +08:00 timestamps and categories', async () => {
    const res = await t.http().get('/feeds/notices.atom?category=construction').expect(200);
    expect(res.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    expect(XMLValidator.validate(res.text)).toBe(true);
    expect(res.text).toContain('<feed xmlns="http://www.w3.org/2005/Atom"');
    const feed = await parser.parseString(res.text);
    expect(feed.title).toContain('工程建设招投标');
    const item = feed.items.find((i) => i.id === page(s.notices.opening.id))!;
    expect(item).toMatchObject({ link: page(s.notices.opening.id), title: '【开标记录】红旗西路道路改造工程开标记录' });
    expect(res.text).toContain('<updated>2026-11-25T10:00:00+08:00</updated>');
    expect(res.text).toMatch(/<category label="工程建设招投标" [^>]*term="construction"/);
    expect(feed.items.every((i) => i.id?.startsWith(`${t.config.publicBaseUrl}/notices/`))).toBe(true);
  });

  it('takes every /notices filter', async () => {
    const region = await parser.parseString((await t.http().get('/feeds/notices.rss?region=210202').expect(200)).text);
    expect(region.items.map((i) => i.guid).sort()).toEqual(
      [s.notices.purchase.id, s.notices.withdrawal.id, s.notices.termination.id].map(page).sort(),
    );
    const typed = await parser.parseString(
      (await t.http().get('/feeds/notices.atom?type=deal&category=state-assets').expect(200)).text,
    );
    expect(typed.items.map((i) => i.id)).toEqual([page(s.notices.deal.id)]);
    const none = await parser.parseString(
      (await t.http().get('/feeds/notices.rss?from=2026-11-26&to=2026-11-30').expect(200)).text,
    );
    expect(none.items).toEqual([]);
    await t.http().get('/feeds/notices.rss?sort=deadline&open=1').expect(200);
    const bad = await t.http().get('/feeds/notices.rss?category=nope').expect(400);
    expect(bad.headers['content-type']).toMatch(/json/);
    expect(bad.body.message).toContain('未知的交易类别');
  });

  it('answers 304 to ETag and Last-Modified until a matching notice is published', async () => {
    const first = await t.http().get('/feeds/notices.rss?category=state-assets').expect(200);
    const { etag } = first.headers;
    const lastModified = first.headers['last-modified'];
    expect(lastModified).toBe('Wed, 25 Nov 2026 02:00:00 GMT');
    await t.http().get('/feeds/notices.rss?category=state-assets').set('If-None-Match', etag).expect(304);
    await t.http().get('/feeds/notices.rss?category=state-assets').set('If-Modified-Since', lastModified).expect(304);
    // A feed reader behind a proxy that adds Cache-Control: no-cache still gets the 304.
    await t
      .http()
      .get('/feeds/notices.rss?category=state-assets')
      .set('Cache-Control', 'no-cache')
      .set('If-None-Match', etag)
      .expect(304);
    // RSS and Atom of the same filter are different documents.
    const atom = await t.http().get('/feeds/notices.atom?category=state-assets').expect(200);
    expect(atom.headers.etag).not.toBe(etag);
    // A notice in another category leaves this feed alone; one in it changes it.
    await pub.publish((await import('./support/fixtures.js')).tenderNotice(s.projects.works));
    await t.http().get('/feeds/notices.rss?category=state-assets').set('If-None-Match', etag).expect(304);
    await pub.publish({
      projectId: s.projects.sale,
      type: 'performance',
      title: '门市房租赁履约信息',
      body: '租金已付。',
      details: { status: 'completed', summary: '首年租金已缴清' },
    });
    const changed = await t
      .http()
      .get('/feeds/notices.rss?category=state-assets')
      .set('If-None-Match', etag)
      .expect(200);
    expect(changed.headers.etag).not.toBe(etag);
  });
});
