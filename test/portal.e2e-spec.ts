import { buildPortalWorld, cst, PortalWorld } from './support/portal-world.js';
import { FixedClock, startTestApp, TestApp } from './support/test-app.js';

/** After every publication of the world: the land deal's publicity is still running, the candidates' is over. */
const VIEW = cst('2026-12-31 10:00');

/** The text of a page without tags, for asserting what a reader sees. */
const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/ ）/g, '）');

describe('public portal pages', () => {
  let t: TestApp;
  let clock: FixedClock;
  let w: PortalWorld;

  beforeAll(async () => {
    clock = new FixedClock(VIEW);
    t = await startTestApp({
      clock,
      env: {
        PUBLIC_BASE_URL: 'https://ggzy.example.cn',
        SITE_NAME: '大连市公共资源交易中心',
        SITE_ID_CODE: '2102000099',
        SITE_ICP: '辽ICP备12345678号',
        SITE_POLICE_RECORD: '辽公网安备21020002000001号',
        SITE_CONTACT: '大连市沙河口区中山路 0411-80000000',
      },
    });
    w = await buildPortalWorld(t, clock);
  });
  afterAll(() => t?.close());
  beforeEach(() => clock.set(VIEW));

  const page = async (path: string, status = 200, headers: Record<string, string> = {}) => {
    const res = await t.http().get(path).set(headers);
    if (res.status !== status)
      throw new Error(`${path}: expected ${status}, got ${res.status}: ${textOf(res.text ?? '').slice(0, 500)}`);
    // Handlebars writes "=" in attributes as &#x3D;: compare markup as a browser reads it.
    const html = (res.text ?? '').replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
    return { res, html, text: textOf(html) };
  };
  /** The notice ids listed on a list page, in order. */
  const listed = (html: string) =>
    [...html.matchAll(/class="notice-title" href="\/notices\/([^"]+)"/g)].map((m) => decodeURIComponent(m[1]));
  const idsOf = (...keys: string[]) => keys.map((k) => w.ids[k]);

  describe('layout', () => {
    it('has the header, navigation, landmarks, skip link and the footer identifiers from configuration', async () => {
      const { html, text } = await page('/');
      expect(html).toContain('<html lang="zh-CN">');
      expect(html).toMatch(/<a class="skip" href="#main">跳到主要内容<\/a>/);
      expect(html).toMatch(/<header[^>]*>[\s\S]*<nav[^>]*aria-label="主导航"[\s\S]*<main id="main"[\s\S]*<footer/);
      for (const [href, label] of [
        ['/', '首页'],
        ['/notices', '交易公告'],
        ['/statistics', '数据统计'],
        ['/transparency', '信息公开'],
        ['/api/docs', '开放数据'],
      ]) {
        expect(html).toContain(`href="${href}"`);
        expect(text).toContain(label);
      }
      expect(html).toMatch(/<a href="\/" aria-current="page">首页<\/a>/);
      for (const s of [
        '网站标识码：2102000099',
        '辽ICP备12345678号',
        '辽公网安备21020002000001号',
        '大连市沙河口区中山路 0411-80000000',
      ])
        expect(text).toContain(s);
      expect(html).toContain('<link rel="stylesheet" href="/static/print.css" media="print">');
    });

    it('switches the large-text high-contrast mode with a plain link (a cookie), returning only to a local page', async () => {
      const on = await t.http().get('/display/large-text?back=%2Fnotices%3Fcategory%3Dprocurement').expect(303);
      expect(on.headers.location).toBe('/notices?category=procurement');
      const cookie = (on.headers['set-cookie'] as unknown as string[])[0];
      expect(cookie).toMatch(/^ggzy_display=large;.*Path=\/.*HttpOnly/i);
      const { html } = await page('/notices', 200, { Cookie: 'ggzy_display=large' });
      expect(html).toContain('<html lang="zh-CN" class="large-text">');
      expect(html).toContain('href="/display/standard?back=%2Fnotices"');
      const off = await t.http().get('/display/standard?back=//evil.example.com/').expect(303);
      expect(off.headers.location).toBe('/');
      expect((off.headers['set-cookie'] as unknown as string[])[0]).toMatch(/^ggzy_display=standard;/);
      await page('/display/huge', 404);
    });

    it('serves the style sheets as static files', async () => {
      await t.http().get('/static/site.css').expect(200).expect('Content-Type', /css/);
      await t.http().get('/static/print.css').expect(200);
    });
  });

  describe('home /', () => {
    it('shows the latest notices per category, the counts for the year and a search box', async () => {
      const { html, text } = await page('/');
      expect(text).toContain('2026年交易信息统计'); // VIEW is 2026-12-31 in China, whatever this machine's clock says
      expect(html).toMatch(/<span class="count">21<\/span> 条本年发布公告/);
      expect(html).toMatch(/<span class="count">7<\/span> 个本年新增项目/);
      expect(html).toMatch(/<span class="count">3<\/span> 条本年中标（成交）结果/);
      expect(html).toMatch(/<form class="search" action="\/notices" method="get" role="search">/);
      expect(html).toMatch(/<label for="home-q">/);
      const procurementBox = html.slice(html.indexOf('id="cat-procurement"'), html.indexOf('id="cat-state-assets"'));
      expect(listedTitles(procurementBox)).toEqual([
        '医用耗材采购项目合同公告',
        '医用耗材采购项目中标结果公告',
        '医用耗材采购项目开标记录',
        '医用耗材采购项目公开招标公告',
      ]);
      expect(text).toContain('暂无公告'); // state-assets has none
    });

    it("titles the year's counts with the year of the application's clock in China time, not the machine's", async () => {
      clock.set(new Date('2031-06-01T02:00:00Z'));
      expect((await page('/')).text).toContain('2031年交易信息统计');
      // 31 December 16:30 UTC is already 1 January 00:30 in China: a new year, with nothing published in it yet.
      clock.set(new Date('2026-12-31T16:30:00Z'));
      const newYear = await page('/');
      expect(newYear.text).toContain('2027年交易信息统计');
      expect(newYear.html).toMatch(/<span class="count">0<\/span> 条本年发布公告/);
      clock.set(new Date('2026-12-31T15:59:00Z'));
      expect((await page('/')).text).toContain('2026年交易信息统计');
    });

    it("lists today's bid openings and those of the next seven days", async () => {
      clock.set(cst('2026-12-16 08:00'));
      const { html } = await page('/');
      const today = html.slice(html.indexOf('今日开标'), html.indexOf('未来七日开标'));
      const upcoming = html.slice(html.indexOf('未来七日开标'), html.indexOf('最新交易公告'));
      expect(today).toContain('金州区中心医院医用耗材采购项目');
      expect(today).toContain('2026-12-16 09:30（北京时间）');
      expect(upcoming).toContain('甘井子区红旗西路道路改造工程');
      expect(upcoming).toContain('2026-12-22 09:30（北京时间）');
      expect(today).toContain('长海县供水管网改造工程');
      expect(upcoming).not.toContain('长海县'); // 12-16 opening is today, not upcoming
      expect(today).not.toContain('旅顺口区环岛公路养护工程'); // its tender was withdrawn
      clock.set(cst('2026-12-23 08:00'));
      expect((await page('/')).text).toContain('今日无开标安排');
    });
  });

  const listedTitles = (html: string) =>
    [...html.matchAll(/<li><a href="\/notices\/[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]);

  describe('/notices', () => {
    it('lists every published notice newest first with the total, and pages by cursor', async () => {
      const first = await page('/notices');
      expect(first.text).toContain('共找到 21 条公告');
      const ids = listed(first.html);
      expect(ids).toHaveLength(20);
      expect(ids[0]).toBe(w.ids.aPerformance);
      expect(ids).not.toContain(w.draftId);
      const next = first.html.match(/href="(\/notices\?after=[^"]+)" rel="next"/)![1];
      const second = await page(next);
      expect(listed(second.html)).toEqual([w.ids.aTender]);
      expect(second.html).toContain('href="/notices" rel="first"');
      expect(second.html).not.toContain('rel="next"');
    });

    it.each([
      ['category=procurement', ['bContract', 'bResult', 'bBidOpening', 'bProcurement']],
      ['type=bid-opening', ['aBidOpening', 'bBidOpening']],
      ['region=210213', ['bContract', 'bResult', 'bBidOpening', 'bProcurement']],
      ['region=210281', ['cDeal', 'cAuction', 'cTransfer']],
      ['from=2026-12-22&to=2026-12-24', ['aCandidates', 'aBidOpening']],
      ['from=2026-12-30', ['aPerformance', 'cDeal']],
      ['to=2026-11-25', ['gTender', 'fTender', 'eTender', 'dPrequalification', 'cTransfer', 'bProcurement', 'aTender']],
      ['q=景观', ['dTermination', 'dAbnormal', 'dPrequalification']],
      ['q=疏浚', ['gTender']],
      ['category=construction&type=tender&region=210211', ['aTender']],
      ['category=municipal&q=绿化&from=2026-11-26', ['dTermination', 'dAbnormal']],
    ])('filters by %s', async (query, keys) => {
      const { html, text } = await page(`/notices?${query}`);
      expect(listed(html)).toEqual(idsOf(...keys));
      expect(text).toContain(`共找到 ${keys.length} 条公告`);
    });

    it('matches a region and every code under it: 210200 includes 210213, 210000 includes everything', async () => {
      const dalian = listed((await page('/notices?region=210200')).html);
      expect(dalian).toHaveLength(20);
      expect(dalian).toEqual(expect.arrayContaining([w.ids.bProcurement, w.ids.cDeal, w.ids.gTender]));
      expect((await page('/notices?region=210000')).text).toContain('共找到 21 条公告');
      expect((await page('/notices?region=110000')).text).toContain('共找到 0 条公告');
    });

    it('shows only announcements still open for bids with open=1, and sorts by deadline', async () => {
      clock.set(cst('2026-12-10 10:00'));
      const open = await page('/notices?open=1&sort=deadline');
      // E is withdrawn and D terminated; A's deadline moved to 12-22 by its correction.
      // B, F and G share a deadline: then by id.
      expect(listed(open.html)).toEqual(idsOf('bProcurement', 'fTender', 'gTender', 'aTender', 'cTransfer'));
      expect(open.res.headers['cache-control']).toBe('no-cache');
      clock.set(cst('2026-12-20 10:00'));
      expect(listed((await page('/notices?open=1')).html)).toEqual(idsOf('cTransfer', 'aTender'));
      const deadline = listed((await page('/notices?sort=deadline')).html);
      expect(deadline[deadline.length - 1]).toBe(w.ids.cTransfer);
    });

    it('keeps the filter in the form and the URL, and links to the RSS, Atom, CSV and JSON of the same filter', async () => {
      const { html } = await page(
        '/notices?category=construction&region=210211&q=道路&open=1&sort=deadline&from=2026-11-01&to=2026-12-31',
      );
      expect(html).toContain('<option value="construction" selected>');
      expect(html).toContain('<option value="210211" selected>');
      expect(html).toContain('<option value="deadline" selected>');
      expect(html).toMatch(/id="f-q" name="q" type="search" maxlength="50" value="道路"/);
      expect(html).toMatch(/id="f-open" name="open" type="checkbox" value="1" checked/);
      expect(html).toContain('value="2026-11-01"');
      const query =
        'category=construction&region=210211&from=2026-11-01&to=2026-12-31&q=%E9%81%93%E8%B7%AF&open=1&sort=deadline';
      for (const path of ['/feeds/notices.rss', '/feeds/notices.atom', '/exports/notices.csv', '/api/v1/notices'])
        expect(html).toContain(`href="${path}?${query}"`);
    });

    it('lists the fixed slugs of category and type on the page, and labels every form field', async () => {
      const { html } = await page('/notices');
      for (const slug of [
        'construction',
        'land-mining',
        'municipal',
        'tender',
        'bid-opening',
        'candidates',
        'withdrawal',
      ])
        expect(html).toContain(`<td><code>${slug}</code></td>`);
      for (const id of [...html.matchAll(/<(?:input|select) id="([^"]+)"/g)].map((m) => m[1]))
        expect(html).toContain(`<label for="${id}">`);
    });

    it('highlights the search words in titles and snippets, escaping the text first', async () => {
      const { html } = await page('/notices?q=道路 改造');
      expect(html).toContain('红旗西路<mark>道路</mark><mark>改造</mark>工程施工招标公告');
      expect(html).toMatch(/class="snippet">[^<]*<mark>/);
      const { res, html: ampersand } = await page(`/notices?q=${encodeURIComponent('道路 R&D')}`);
      expect(res.text).toContain('value="道路 R&amp;D"');
      expect(ampersand).toContain('“道路 R&D”的搜索结果');
    });

    it.each([
      ['道路 绿化', 3],
      ['绿化 提升', 3],
      ['中铁九局集团（大连）', 0],
      ['中铁九局集团(大连)', 0],
      ['E21020000012345', 0],
      ['A-1 标段', 0],
      ['UNION SELECT', 0],
      ['“绿化”，提升。', 0],
    ])('answers the legitimate keyword %p with its results page', async (q, count) => {
      const { html, text } = await page(`/notices?q=${encodeURIComponent(q)}`);
      expect(text).toContain(`共找到 ${count} 条公告`);
      expect(html).toContain(`value="${q}"`);
    });

    it.each([
      ['category=fishing', '未知的交易类别“fishing”'],
      ['type=memo', '未知的公告类型“memo”'],
      ['region=21021', '行政区划代码“21021”不正确'],
      ['from=2026-13-01', '日期“2026-13-01”不正确'],
      ['from=2026-12-02&to=2026-12-01', '结束日期不能早于开始日期'],
      ['sort=price', '排序方式'],
      ['open=maybe', '“open”应为 1 或 0'],
      ['colour=red', '未知的参数“colour”'],
      ['after=not*a*cursor', '分页游标无效'],
      ['category=construction&category=procurement', '只能出现一次'],
    ])('refuses %s with a Chinese 400 page naming the value', async (query, message) => {
      const { res, text } = await page(`/notices?${query}`, 400);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(text).toContain('请求有误');
      expect(text).toContain(message);
    });

    it.each([
      ["' OR 1=1 --", "“'”"],
      ['OR 1=1 --', '“--”'],
      ['1; DROP TABLE notice', '“;”'],
      ['/* x */', '“/*”'],
      ['<script>alert(1)</script>', '“<”'],
      ['"><img src=x onerror=alert(1)>', '“"”'],
      ['<b>道路', '“<”'],
      ['道路\u0000', '控制字符 U+0000'],
    ])('refuses the keyword %p with a Chinese 400 page naming q and %s, never echoing the value', async (q, what) => {
      const { res, text } = await page(`/notices?q=${encodeURIComponent(q)}`, 400);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(text).toContain('请求有误');
      expect(text).toContain(
        `关键词 q 不能包含${what.replace(/[<>"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;' })[c]!)}`,
      );
      expect(text).toContain('关键词中不允许 &lt; &gt; ; &#x27; &quot; &#x60; \\ 字符、SQL 注释符 -- /* */ 和控制字符');
      // Only the display switch's return address holds the request, percent-encoded.
      expect(res.text).toMatch(/href="\/display\/large-text\?back(=|&#x3D;)%2Fnotices%3Fq%3D[^"<>]*"/);
      expect(res.text.replace(/href="\/display\/[^"]*"/g, '')).not.toMatch(
        /<script|<img|<b>|onerror|DROP TABLE|OR 1=1/,
      );
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it.each([
      [`category=${encodeURIComponent('<script>alert(1)</script>')}`, '未知的交易类别，可选'],
      [`${encodeURIComponent('<img src=x onerror=alert(1)>')}=1`, '未知的参数'],
    ])('names the parameter of %s but leaves a harmful value out of the 400 page', async (query, message) => {
      const { res, text } = await page(`/notices?${query}`, 400);
      expect(text).toContain(message);
      expect(res.text.replace(/href="\/display\/[^"]*"/g, '')).not.toMatch(/<script|<img|onerror/);
    });
  });

  describe('/notices/{id}', () => {
    it('shows a tender with its fields, the corrected deadline, the trail and the links to the same data', async () => {
      const { html, text, res } = await page(`/notices/${w.ids.aTender}`);
      expect(text).toContain('红旗西路道路改造工程施工招标公告');
      expect(text).toContain('最高投标限价（招标控制价） 12,000,000.00元');
      expect(text).toContain('评标办法 综合评估法');
      expect(text).toContain('投标截止时间 2026-12-16 09:30（北京时间） （已更正为 2026-12-22 09:30（北京时间））');
      expect(text).toContain('当前状态： 投标已截止');
      expect(text).toContain('招标人');
      expect(text).toContain('0411-86000000'); // an organisation's published contact
      expect(html).toContain(`href="/api/v1/notices/${w.ids.aTender}"`);
      const dealCode = (await w.clerk.get(`/api/admin/projects/${w.projects.A}`)).body.dealCode;
      expect(html).toContain(`href="/api/ocds/records/ocds-dl2102-${dealCode}"`);
      // the trail: every published notice of the project in order, the correction marked with its target
      const trail = html.slice(html.indexOf('class="trail"'), html.indexOf('</ol>', html.indexOf('class="trail"')));
      expect([...trail.matchAll(/<time datetime="[^"]+">([^<]+)<\/time>/g)].map((m) => m[1].slice(0, 10))).toEqual([
        '2026-11-25',
        '2026-11-26',
        '2026-12-22',
        '2026-12-24',
        '2026-12-29',
        '2026-12-29',
        '2026-12-30',
      ]);
      expect(trail).toContain('（本公告）');
      expect(textOf(trail)).toContain('更正 更正： 红旗西路道路改造工程施工招标公告');
      expect(res.headers['cache-control']).toBe('no-cache');
    });

    it('shows the content hash, the log position and a QR code of the absolute address as inline SVG', async () => {
      const { html, text } = await page(`/notices/${w.ids.bContract}`);
      const json = (await w.clerk.get(`/api/admin/notices/${w.ids.bContract}`)).body;
      expect(text).toContain(json.contentHash);
      expect(text).toContain(`第 ${json.logSeq} 条`);
      expect(text).toContain(`https://ggzy.example.cn/notices/${w.ids.bContract}`);
      expect(html).toMatch(
        /<svg class="qr" role="img" aria-label="本页地址的二维码：https:\/\/ggzy\.example\.cn\/notices\/[^"]+" focusable="false" xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 \d+ \d+"/,
      );
      expect(text).toContain('合同金额 3,400,000.00元');
      expect(text).toContain('合同编号 DLZX-2026-118');
    });

    it('shows a bid-opening record as a table of bidders, credit codes and prices with the control price', async () => {
      const { html, text } = await page(`/notices/${w.ids.aBidOpening}`);
      expect(text).toContain('最高投标限价（招标控制价） 12,000,000.00元');
      expect(text).toContain('开标时间 2026-12-22 09:30（北京时间）');
      const rows = [
        ...html.matchAll(
          /<tr><td[^>]*>(\d)<\/td><th scope="row"><a href="\/organizations\/([0-9A-Z]{18})">([^<]+)<\/a><\/th><td class="code"[^>]*>([^<]+)<\/td><td class="num[^>]*>([^<]+)<\/td>/g,
        ),
      ].map((m) => m.slice(1));
      // Each bidder's name links to its organisation page, by the credit code shown beside it.
      for (const r of rows) expect(r[1]).toBe(r[3]);
      expect(rows.map((r) => [r[0], r[2], r[4]])).toEqual([
        ['1', '大连市政建设集团有限公司', '11,505,000.00元'],
        ['2', '辽宁路桥工程有限公司', '11,800,000.00元'],
        ['3', '大连绿城园林有限公司', '下浮率 3.5%'],
      ]);
      expect(rows[0][3]).toMatch(/^[0-9A-HJ-NP-RTUWXY]{18}$/);
      expect(text).toContain('标段（包）');
    });

    it('shows a candidate publicity with ranked candidates, every field, the period, the objection channel and whether objections are still open', async () => {
      clock.set(cst('2026-12-25 10:00'));
      const open = await page(`/notices/${w.ids.aCandidates}`);
      expect(open.text).toContain('公示状态： 公示中，异议期未结束');
      expect(open.text).toContain('公示期 2026-12-24 10:00（北京时间） 至 2026-12-28 17:00（北京时间）');
      expect(open.text).toContain('以书面形式向招标人提出');
      for (const s of [
        '第1名',
        '第2名',
        '大连市政建设集团有限公司',
        '11,505,000.00元',
        '张建国',
        '一级建造师（市政公用工程）',
        '辽121060800123',
        '市政公用工程施工总承包一级',
        '180日历天',
        '公示发布责任人 赵敏',
        '数据核验人 钱峰',
        '评标报告提交日期 2026-12-23',
        '否决投标情况',
        '大连绿城园林有限公司',
        '不具备市政公用工程施工总承包资质',
      ]) {
        expect(open.text).toContain(s);
      }
      expect(open.res.headers['cache-control']).toBe('no-cache');
      clock.set(cst('2026-12-28 17:01'));
      const closed = await page(`/notices/${w.ids.aCandidates}`, 200, {
        'If-None-Match': open.res.headers.etag as string,
      });
      expect(closed.text).toContain('公示已结束，异议期已过');
      expect(closed.res.headers.etag).not.toBe(open.res.headers.etag);
    });

    it('dates a clock-dependent page from the moment its state last changed when that is later than the data', async () => {
      const running = await page(`/notices/${w.ids.cDeal}`);
      expect(running.text).toContain('公示状态： 公示中');
      clock.set(cst('2027-01-06 17:01'));
      const over = await page(`/notices/${w.ids.cDeal}`, 200, {
        'If-Modified-Since': running.res.headers['last-modified'] as string,
      });
      expect(over.text).toContain('公示已结束，异议期已过');
      expect(new Date(over.res.headers['last-modified'] as string).getTime()).toBe(cst('2027-01-06 17:00').getTime());
    });

    it.each([
      ['bProcurement', ['采购方式 公开招标', '预算金额 3,568,000.00元', '采购人', '大连市中心医院']],
      [
        'cTransfer',
        [
          '交易方式 挂牌',
          '起始价（底价） 50,000,000.00元',
          '竞买保证金 10,000,000.00元',
          '加价幅度 500,000.00元',
          '挂牌（公告）期 2026-12-15 09:00（北京时间） 至 2026-12-29 16:00（北京时间）',
          '瓦房店市自然资源局',
        ],
      ],
      ['dPrequalification', ['申请截止时间 2026-12-02 17:00（北京时间）', '联合体申请 接受', '当前状态： 项目已终止']],
      [
        'aCorrection',
        [
          '被更正的公告 红旗西路道路改造工程施工招标公告',
          '更正原因 招标文件补充工程量清单',
          '投标截止时间 2026-12-22 09:30（北京时间）',
          '是否影响投标文件编制 是',
        ],
      ],
      [
        'cAuction',
        [
          '最终成交价 51,000,000.00元',
          '竞价记录（共 3 轮）',
          '大连兴港实业有限公司',
          '50,500,000.00元',
          '2026-12-29 16:50（北京时间）',
        ],
      ],
      ['aResult', ['中标（成交）结果确定日期 2026-12-29', '大连市政建设集团有限公司', '11,505,000.00元']],
      ['bResult', ['3,400,000.00元']],
      ['cDeal', ['成交价 51,000,000.00元', '大连滨海置业有限公司', '公示状态： 公示中']],
      ['aPerformance', ['履约状态 履约中', '施工单位已进场']],
      ['dTermination', ['终止原因 规划调整，项目终止']],
      ['dAbnormal', ['异常情况 电子交易系统故障', '处理措施 延长资格预审文件获取时间']],
      ['eWithdrawal', ['被撤回的公告', '撤回原因 招标人调整建设方案']],
      ['aContract', ['合同金额 11,505,000.00元', '履行期限 180日历天']],
    ])('shows %s in its type layout', async (key, expected) => {
      const { text } = await page(`/notices/${w.ids[key]}`);
      for (const s of expected) expect(text).toContain(s);
    });

    it('marks a withdrawn notice clearly, with the reason and a link to the withdrawal', async () => {
      const { html, text } = await page(`/notices/${w.ids.eTender}`);
      expect(html).toContain('<strong class="badge badge-withdrawn">已撤回</strong>');
      expect(text).toContain('本公告已于 2026-11-26 14:00（北京时间） 撤回');
      expect(text).toContain('撤回原因：招标人调整建设方案');
      expect(html).toContain(`href="/notices/${w.ids.eWithdrawal}"`);
      expect(text).toContain('当前状态： 本公告已撤回');
      const list = (await page('/notices?region=210212')).html;
      expect(list).toMatch(
        /旅顺口区环岛公路养护工程施工招标公告|红旗西路道路改造工程施工招标公告<\/a> <span class="badge badge-withdrawn">已撤回<\/span>/,
      );
    });

    it('answers 404 for an unknown or unpublished notice', async () => {
      expect((await page('/notices/DL2102-nope', 404)).text).toContain('公告不存在');
      await page(`/notices/${w.draftId}`, 404);
      await page(`/notices/${encodeURIComponent('<script>')}`, 404);
    });
  });

  describe('/projects/{id}', () => {
    it('shows the whole trail, lots, parties, bid openings, candidates, award and contract', async () => {
      const { html, text } = await page(`/projects/${w.projects.A}`);
      expect(text).toContain('甘井子区红旗西路道路改造工程');
      expect(text).toContain('预算金额 12,345,600.00元');
      expect(text).toContain('第一标段');
      expect(text).toContain('招标人 大连市甘井子区城市建设管理局');
      expect(text).toContain('代理机构 大连建信工程咨询有限公司');
      expect(listedTrail(html)).toEqual(
        idsOf('aTender', 'aCorrection', 'aBidOpening', 'aCandidates', 'aResult', 'aContract', 'aPerformance'),
      );
      const sections = [...html.matchAll(/<h2 id="section-\d+">([^<]+)<\/h2>/g)].map((m) => m[1]);
      expect(sections).toEqual(['开标记录', '中标候选人公示', '中标（成交）结果', '合同', '履约信息']);
      expect(text).toContain('下浮率 3.5%');
      expect(text).toContain('第1名');
      expect(text).toContain('合同金额 11,505,000.00元');
    });

    it('shows the auction and deal of a transfer, and a terminated project as such', async () => {
      const c = await page(`/projects/${w.projects.C}`);
      expect(c.text).toContain('起始价（底价） 50,000,000.00元');
      expect(c.text).toContain('竞价过程');
      expect(c.text).toContain('成交价 51,000,000.00元');
      const d = await page(`/projects/${w.projects.D}`);
      expect(d.text).toContain('已终止');
      expect(d.text).toContain('终止与异常');
    });

    it('answers 404 for an unknown project or one with nothing published', async () => {
      expect((await page('/projects/DL2102-nope', 404)).text).toContain('项目不存在');
      await page(`/projects/${w.unpublishedProjectId}`, 404);
    });
  });

  const listedTrail = (html: string) => {
    const trail = html.slice(html.indexOf('class="trail"'), html.indexOf('</ol>', html.indexOf('class="trail"')));
    return [...trail.matchAll(/<a class="trail-link" href="\/notices\/([^"]+)">/g)].map((m) =>
      decodeURIComponent(m[1]),
    );
  };

  describe('errors', () => {
    it('renders Chinese 404 pages for unknown paths with the layout', async () => {
      const { html, text } = await page('/no/such/page', 404);
      expect(text).toContain('页面不存在');
      expect(html).toContain('<main id="main"');
    });

    it('never answers 500 to odd input', async () => {
      await page('/notices?q=%', 200);
      await page(`/notices?q=${'长'.repeat(60)}`, 400);
      for (const q of ['%00', '%E9%81%93%0D%0A%E8%B7%AF', '%1B%5B31m', '%C2%85', '%EF%BF%BE', '%ED%A0%80'])
        await page(`/notices?q=${q}`, q === '%EF%BF%BE' || q === '%ED%A0%80' ? 200 : 400);
      await page('/notices?after=', 200);
      await page('/notices/%E0%A4%A', 400);
    });
  });

  describe('conditional requests and caching', () => {
    it.each(['/', '/notices?category=procurement', 'notice:bContract', 'project:B', '/sitemap.xml'])(
      'answers 304 to If-None-Match and If-Modified-Since on %s',
      async (target) => {
        const path = target.startsWith('notice:')
          ? `/notices/${w.ids[target.slice(7)]}`
          : target.startsWith('project:')
            ? `/projects/${w.projects[target.slice(8)]}`
            : target;
        const first = await t.http().get(path).expect(200);
        expect(first.headers.etag).toMatch(/^W\/"/);
        expect(first.headers['last-modified']).toBeTruthy();
        await t
          .http()
          .get(path)
          .set('If-None-Match', first.headers.etag as string)
          .expect(304);
        await t
          .http()
          .get(path)
          .set('If-Modified-Since', first.headers['last-modified'] as string)
          .expect(304);
        await t.http().get(path).set('If-None-Match', 'W/"other"').expect(200);
        // Clients and proxies that send Cache-Control: no-cache with their validator still get the 304.
        await t
          .http()
          .get(path)
          .set('Cache-Control', 'no-cache')
          .set('If-None-Match', first.headers.etag as string)
          .expect(304);
        await t
          .http()
          .get(path)
          .set('Cache-Control', 'no-cache')
          .set('Pragma', 'no-cache')
          .set('If-Modified-Since', first.headers['last-modified'] as string)
          .expect(304);
        await t.http().get(path).set('Cache-Control', 'no-cache').set('If-None-Match', 'W/"other"').expect(200);
      },
    );

    it('revalidates static files too when the request says Cache-Control: no-cache', async () => {
      const first = await t.http().get('/static/site.css').expect(200);
      expect(first.headers.etag).toBeTruthy();
      await t
        .http()
        .get('/static/site.css')
        .set('Cache-Control', 'no-cache')
        .set('If-None-Match', first.headers.etag as string)
        .expect(304);
      await t
        .http()
        .get('/static/site.css')
        .set('Cache-Control', 'no-cache')
        .set('If-Modified-Since', first.headers['last-modified'] as string)
        .expect(304);
      await t
        .http()
        .get('/static/site.css')
        .set('Cache-Control', 'no-cache')
        .set('If-None-Match', 'W/"other"')
        .expect(200);
    });

    it('uses a short max-age for lists and pages that do not read the clock, no-cache for those that do', async () => {
      expect((await page('/notices?category=procurement')).res.headers['cache-control']).toBe('public, max-age=60');
      expect((await page(`/notices/${w.ids.bContract}`)).res.headers['cache-control']).toBe('public, max-age=300');
      expect((await page(`/notices/${w.ids.aCandidates}`)).res.headers['cache-control']).toBe('no-cache');
      expect((await page('/')).res.headers['cache-control']).toBe('no-cache');
      expect((await page('/notices')).res.headers.vary).toMatch(/Cookie/);
    });

    it('changes the ETag when something is published', async () => {
      const before = await page('/notices?category=construction');
      clock.set(cst('2026-12-31 09:00'));
      const res = await w.clerk
        .post('/api/admin/notices')
        .send({
          projectId: w.projects.A,
          type: 'performance',
          title: '红旗西路道路改造工程履约信息（二）',
          body: '工程完成过半。',
          details: { status: 'in-progress', summary: '工程完成过半' },
        })
        .expect(201);
      await w.clerk.post(`/api/admin/notices/${res.body.id}/submit`).expect(200);
      await w.reviewer.post(`/api/admin/notices/${res.body.id}/approve`).send({}).expect(200);
      clock.set(VIEW);
      const after = await t
        .http()
        .get('/notices?category=construction')
        .set('If-None-Match', before.res.headers.etag as string)
        .expect(200);
      expect(after.text).toContain('红旗西路道路改造工程履约信息（二）');
      w.ids.aPerformance2 = res.body.id;
    });
  });

  describe('security headers', () => {
    it('sends a CSP that forbids inline script and style, and pages carry none', async () => {
      for (const path of [
        '/',
        '/notices?q=道路',
        `/notices/${w.ids.aCandidates}`,
        `/projects/${w.projects.A}`,
        '/nope',
      ]) {
        const res = await t.http().get(path);
        const csp = res.headers['content-security-policy'] as string;
        expect(csp).toContain("script-src 'self'");
        expect(csp).toContain("style-src 'self'");
        expect(csp).toContain("default-src 'self'");
        expect(csp).not.toContain('unsafe-inline');
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.text).not.toMatch(/<script|<style|\sstyle=|\son[a-z]+=/i);
      }
    });
  });

  describe('/sitemap.xml', () => {
    it('lists every published notice and project, and nothing unpublished', async () => {
      const { res, html } = await page('/sitemap.xml');
      expect(res.headers['content-type']).toMatch(/application\/xml/);
      expect(html.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
      const locs = [...html.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
      for (const id of Object.values(w.ids)) expect(locs).toContain(`https://ggzy.example.cn/notices/${id}`);
      for (const key of 'ABCDEFG') expect(locs).toContain(`https://ggzy.example.cn/projects/${w.projects[key]}`);
      expect(locs).not.toContain(`https://ggzy.example.cn/notices/${w.draftId}`);
      expect(locs).not.toContain(`https://ggzy.example.cn/projects/${w.unpublishedProjectId}`);
      expect(html).toMatch(/<lastmod>2026-12-\d\dT\d\d:\d\d:\d\d\+08:00<\/lastmod>/);
    });

    it('becomes an index of numbered files past SITEMAP_MAX_URLS, together listing every URL once', async () => {
      const everything = [...(await page('/sitemap.xml')).html.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
      // The same config object the controller reads: what SITEMAP_MAX_URLS=3 gives, without a second world.
      const max = t.config.sitemapMaxUrls;
      t.config.sitemapMaxUrls = 3;
      try {
        const { res, html } = await page('/sitemap.xml');
        expect(res.headers.etag).toBeDefined();
        expect(html).toMatch(
          /^<\?xml version="1.0" encoding="UTF-8"\?>\n<sitemapindex xmlns="http:\/\/www.sitemaps.org\/schemas\/sitemap\/0.9">/,
        );
        const files = [...html.matchAll(/<sitemap><loc>([^<]+)<\/loc><\/sitemap>/g)].map((m) => m[1]);
        const projects = everything.filter((u) => u.includes('/projects/')).length;
        const notices = everything.length - projects;
        expect(files).toEqual([
          ...Array.from(
            { length: Math.ceil(projects / 3) },
            (_, i) => `https://ggzy.example.cn/sitemaps/projects-${i + 1}.xml`,
          ),
          ...Array.from(
            { length: Math.ceil(notices / 3) },
            (_, i) => `https://ggzy.example.cn/sitemaps/notices-${i + 1}.xml`,
          ),
        ]);
        const listedInParts: string[] = [];
        for (const file of files) {
          const part = await page(file.replace('https://ggzy.example.cn', ''));
          expect(part.html).toContain('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">');
          const locs = [...part.html.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
          expect(locs.length).toBeGreaterThan(0);
          expect(locs.length).toBeLessThanOrEqual(3);
          listedInParts.push(...locs);
        }
        expect(listedInParts).toEqual(everything);
        // Past the last file, a malformed name, and a conditional request.
        await page(`/sitemaps/notices-${Math.ceil(notices / 3) + 1}.xml`, 404);
        for (const bad of ['/sitemaps/notices-0.xml', '/sitemaps/notices-x.xml', '/sitemaps/other-1.xml'])
          await page(bad, 404);
        const first = await page('/sitemaps/notices-1.xml');
        await page('/sitemaps/notices-1.xml', 304, { 'If-None-Match': first.res.headers.etag as string });
      } finally {
        t.config.sitemapMaxUrls = max;
      }
    });
  });
});
