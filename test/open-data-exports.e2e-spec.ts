import {
  COMMAS_QUOTES_TEXT,
  LINE_BREAKS_TEXT,
  publishAwkwardText,
  publishScenario,
  startOpenDataApp,
  type Publisher,
  type Scenario,
} from './support/open-data.js';
import { readSpreadsheetCsv, readSpreadsheetRecords, readWithPythonCsv } from './support/spreadsheet-csv.js';
import { rawBytes, type TestApp } from './support/test-app.js';
import { constructionProject } from './support/fixtures.js';
import type { AppConfig } from '../src/config/config.js';
import { jest } from '@jest/globals';
import { get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SelectQueryBuilder } from 'typeorm';
import { ExportLines } from '../src/published/export-lines.js';
import { PublishedReads } from '../src/published/published-reads.js';
import { NoticeQueryService } from '../src/trading/notice-query.service.js';
import { ExportReader } from '../src/open-data/exports/export-reader.js';
import type { Notice } from '../src/trading/notice.entity.js';

describe('open data: CSV exports', () => {
  let t: TestApp;
  let pub: Publisher;
  let s: Scenario;

  beforeAll(async () => {
    ({ t, pub } = await startOpenDataApp());
    s = await publishScenario(pub);
  });
  afterAll(() => t.close());

  /** The raw bytes, as a spreadsheet program receives them, and the rows as it reads them. */
  const download = async (path: string) => {
    const res = await t.http().get(path).buffer(true).parse(rawBytes).expect(200);
    const bytes = res.body as Buffer;
    const rows = readSpreadsheetCsv(bytes);
    return {
      res,
      bytes,
      text: bytes.toString('utf8'),
      header: rows[0],
      rows: rows.slice(1),
      records: rows.slice(1).map((r) => Object.fromEntries(rows[0].map((h, i) => [h, r[i]]))),
    };
  };

  it('exports notices as RFC 4180 UTF-8 with a BOM, Chinese headers and a download name saying what it holds', async () => {
    const { res, bytes, text, header, records } = await download('/exports/notices.csv?category=construction');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="notices-construction-20261125.csv"; filename*=UTF-8''${encodeURIComponent('公告-工程建设招投标-20261125.csv')}`,
    );
    expect(text.includes('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '').includes('\n')).toBe(false);
    expect(header.slice(0, 4)).toEqual(['公告编号', '公告类型', '公告类型代码', '标题']);
    expect(records.map((r) => r['公告编号']).sort()).toEqual(
      [
        s.notices.tender,
        s.notices.correction,
        s.notices.opening,
        s.notices.candidates,
        s.notices.result,
        s.notices.contract,
        s.notices.performance,
      ]
        .map((n) => n.id)
        .sort(),
    );
    const correction = records.find((r) => r['公告编号'] === s.notices.correction.id)!;
    expect(correction).toMatchObject({
      公告类型: '澄清/更正公告',
      被更正或撤回的公告编号: s.notices.tender.id,
      发布时间: '2026-11-25T10:00:00+08:00',
      行政区划: '甘井子区',
    });
    const withdrawn = (await download('/exports/notices.csv?region=210202')).records.find(
      (r) => r['公告编号'] === s.notices.purchase.id,
    )!;
    expect(withdrawn).toMatchObject({ 撤回时间: '2026-11-25T10:00:00+08:00', 撤回声明编号: s.notices.withdrawal.id });
  });

  it('exports one row per bid with price, unit, price form and opening time; formulas neutralised, numbers plain', async () => {
    const { res, records, text } = await download('/exports/bids.csv');
    expect(res.headers['content-disposition']).toContain('filename="bids-20261125.csv"');
    expect(records).toHaveLength(4);
    expect(records[0]).toMatchObject({
      公告编号: s.notices.opening.id,
      项目编号: s.projects.works,
      投标人: '大连建工集团有限公司',
      报价形式: '报价金额',
      报价: '1180.5',
      报价单位: '万元',
      '报价（元）': '11805000.00',
      '最高投标限价（元）': '12000000.00',
      开标时间: '2026-11-24T09:30:00+08:00',
    });
    expect(records[0]['统一社会信用代码']).toMatch(/^[0-9A-HJ-NPQRTUWXY]{18}$/);
    expect(records[1]['投标人']).toBe(`'=HYPERLINK("http://x")公司`);
    expect(records[3]).toMatchObject({ 报价形式: '下浮率', 报价: '3.5', 报价单位: '%', '报价（元）': '' });
    // The formula text is quoted as RFC 4180 requires; a number is never quoted.
    expect(text).toContain(`"'=HYPERLINK(""http://x"")公司"`);
    expect(text).toContain(',11900000.10,');
  });

  it('exports awards with budget or reserve price, award price, savings and premium as plain numbers', async () => {
    const { records } = await download('/exports/awards.csv');
    const byNotice = (id: string) => records.filter((r) => r['公告编号'] === id);
    expect(byNotice(s.notices.result.id)).toEqual([
      expect.objectContaining({
        公告类型: '中标/成交结果公告',
        中标人或成交人: '大连建工集团有限公司',
        '中标或成交金额（元）': '11805000.00',
        '预算（元）': '12345600.00',
        '节约资金（元）': '540600.00',
        '溢价（元）': '',
        决定或签约日期: '2026-11-24',
      }),
    ]);
    expect(byNotice(s.notices.procurementResult.id)[0]).toMatchObject({
      '预算（元）': '1000000.00',
      '中标或成交金额（元）': '1001200.00',
      '节约资金（元）': '-1200.00',
    });
    expect(byNotice(s.notices.deal.id)[0]).toMatchObject({
      公告类型: '成交公示',
      '底价（元）': '213200.00',
      '中标或成交金额（元）': '250000.00',
      '溢价（元）': '36800.00',
      '预算（元）': '',
      '节约资金（元）': '',
    });
    expect(byNotice(s.notices.contract.id)[0]).toMatchObject({
      公告类型: '合同公告',
      中标人或成交人: '大连建工集团有限公司',
      '中标或成交金额（元）': '11805000.00',
    });
    expect(records).toHaveLength(4);
    // The negative saving is a number, not neutralised text.
    // A type filter keeps that type of the export's types, not every one of them.
    const results = await download('/exports/awards.csv?type=result');
    expect(results.records.map((r) => r['公告编号']).sort()).toEqual(
      [s.notices.result.id, s.notices.procurementResult.id].sort(),
    );
    const raw = results.text;
    expect(raw).toContain(',-1200.00,');
    expect(raw).not.toContain("'-1200.00");
  });

  it('takes the /notices filters and refuses a type the export does not hold', async () => {
    expect((await download('/exports/awards.csv?category=state-assets')).records).toHaveLength(1);
    expect((await download('/exports/bids.csv?from=2026-11-26')).records).toHaveLength(0);
    const bad = await t.http().get('/exports/bids.csv?type=tender').expect(400);
    expect(bad.body.message).toContain('bid-opening');
    await t.http().get('/exports/nothing.csv').expect(404);
  });

  it('describes every column on the data dictionary page', async () => {
    const res = await t.http().get('/exports/').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    for (const h of ['bids.csv', '统一社会信用代码', '节约资金（元）', '溢价（元）', '报价形式', 'construction'])
      expect(res.text).toContain(h);
    expect(res.text).not.toMatch(/<script|style=/);
  });
});

describe('open data: CSV exports read as spreadsheets read them', () => {
  let t: TestApp;
  let awkward: Awaited<ReturnType<typeof publishAwkwardText>>;

  beforeAll(async () => {
    let pub: Publisher;
    ({ t, pub } = await startOpenDataApp());
    await publishScenario(pub);
    awkward = await publishAwkwardText(pub);
  });
  afterAll(() => t.close());

  const bytesOf = async (path: string) =>
    (await t.http().get(path).buffer(true).parse(rawBytes).expect(200)).body as Buffer;

  // A bare CR or LF outside quotes ends a record in Excel, WPS and Python's csv: every field holding one is quoted.
  it.each([
    ['/exports/notices.csv', 13 + 3],
    ['/exports/bids.csv', 4 + 2],
    ['/exports/awards.csv', 4 + 1],
  ])(
    '%s has one record per row of data and gives back the typed text, read strictly and by Python',
    async (path, rows) => {
      const bytes = await bytesOf(path);
      const strict = readSpreadsheetCsv(bytes);
      expect(strict).toHaveLength(1 + rows);
      expect(readWithPythonCsv(bytes)).toEqual(strict);
      const { records } = readSpreadsheetRecords(bytes);
      expect(records.filter((r) => r['项目名称'] === '老街改造\n二期工程')).toHaveLength(
        path.includes('bids') ? 2 : path.includes('awards') ? 1 : 3,
      );
    },
  );

  it('keeps line breaks, commas and quotes of a body, a title, a bidder and a winner exactly as typed', async () => {
    const notices = readSpreadsheetRecords(await bytesOf('/exports/notices.csv')).records;
    const tender = notices.find((r) => r['公告编号'] === awkward.notices.tender.id)!;
    expect(tender).toMatchObject({ 标题: COMMAS_QUOTES_TEXT, 正文: LINE_BREAKS_TEXT });
    expect(notices.find((r) => r['公告编号'] === awkward.notices.opening.id)).toMatchObject({
      正文: COMMAS_QUOTES_TEXT,
    });
    const bids = readSpreadsheetRecords(await bytesOf('/exports/bids.csv')).records.filter(
      (r) => r['公告编号'] === awkward.notices.opening.id,
    );
    expect(bids.map((b) => [b['投标人'], b['质量'], b['报价（元）']])).toEqual([
      ['大连老街建设\r有限公司', LINE_BREAKS_TEXT, '9000000.00'],
      ['大连第二建设有限公司', '合格', '9500000.00'],
    ]);
    const award = readSpreadsheetRecords(await bytesOf('/exports/awards.csv')).records.find(
      (r) => r['公告编号'] === awkward.notices.result.id,
    )!;
    expect(award).toMatchObject({ 中标人或成交人: '大连老街建设\r有限公司', '中标或成交金额（元）': '9000000.00' });
  });
});

/**
 * Exports read in keyset batches of 100, 400, then 1,000 notices (ExportsService, rawBatches) while the next is
 * being read: 2,600 bid-opening records published at only three instants put every batch boundary inside a run of
 * equal timestamps, where a cursor
 * on the time alone would skip or repeat rows. Written straight into the tables (the same SQL on both databases).
 */
describe('open data: CSV exports across batch boundaries with equal timestamps', () => {
  /** The columns a raw batch is keyed by, as rawBatches' callers select them. */
  const select = (qb: SelectQueryBuilder<Notice>) =>
    void qb.select('n.id', 'id').addSelect('n.published_at', 'published_at');
  const N = 2600;
  const MIXED = 1900;
  const MIXED_TYPES = ['result', 'deal', 'contract', 'tender'];
  const AT = ['2026-03-01 01:00:00.000', '2026-03-02 01:00:00.000', '2026-03-03 01:00:00.000'];
  let t: TestApp;

  beforeAll(async () => {
    const started = await startOpenDataApp();
    t = started.t;
    const projectId = await started.pub.project(constructionProject());
    /** A published notice's row of the INSERT below, at one of the three instants. */
    const noticeRow = (i: number, id: string, type: string, title: string, body: string, details: string) => {
      const at = AT[i % 3];
      return [
        id,
        projectId,
        type,
        'construction',
        '210211',
        title,
        body,
        details,
        'published',
        at,
        'DL2102',
        id,
        at,
        at,
        1,
      ];
    };
    const row = (i: number) =>
      noticeRow(
        i,
        `DL2102-edge${String(i).padStart(5, '0')}`,
        'bid-opening',
        `边界测试开标记录${i}`,
        '开标记录',
        JSON.stringify({
          lotCode: '',
          openingTime: '2026-03-01T09:00:00+08:00',
          bids: [1, 2].map((b) => ({
            bidder: `边界测试投标人${i}-${b}有限公司`,
            creditCode: '91210200MA0QC0000X',
            price: { form: 'amount', value: `${1000 + b}.00`, unit: '元' },
          })),
        }),
      );
    // And notices of the award types and of another, at the same instants: awards.csv reads several types.
    const mixed = (i: number) =>
      noticeRow(
        i,
        `DL2102-mix${String(i).padStart(5, '0')}`,
        MIXED_TYPES[i % MIXED_TYPES.length],
        `边界测试${i}`,
        '正文',
        '{}',
      );
    const all = [...Array.from({ length: N }, (_, i) => row(i)), ...Array.from({ length: MIXED }, (_, i) => mixed(i))];
    for (let from = 0; from < all.length; from += 200) {
      const rows = all.slice(from, from + 200);
      await t.db.transaction((em) =>
        em.query(
          `INSERT INTO notice (id, project_id, type, category, region_code, title, body, details, status, published_at, source_platform, source_id, created_at, updated_at, version)
           VALUES ${rows.map(() => `(${Array(15).fill('?').join(', ')})`).join(', ')}`,
          rows.flat(),
        ),
      );
    }
  }, 120_000);
  afterAll(() => t?.close());

  it('writes every bid of every record once, newest first and by id within an instant', async () => {
    const res = await t.http().get('/exports/bids.csv').buffer(true).parse(rawBytes).expect(200);
    const [header, ...rows] = readSpreadsheetCsv(res.body as Buffer);
    const idColumn = header.indexOf('公告编号');
    const bidderColumn = header.indexOf('投标人');
    expect(rows).toHaveLength(N * 2);
    const ids = rows.map((r) => r[idColumn]);
    const expected = Array.from({ length: N }, (_, i) => ({ i, id: `DL2102-edge${String(i).padStart(5, '0')}` }))
      .sort((a, b) => (a.i % 3 !== b.i % 3 ? (b.i % 3) - (a.i % 3) : a.id < b.id ? 1 : -1))
      .flatMap((x) => [x.id, x.id]);
    expect(ids).toEqual(expected);
    expect(new Set(rows.map((r) => r[bidderColumn])).size).toBe(N * 2);
  });

  it('reads a short first batch, so the first bytes leave early, then batches growing to 1,000', async () => {
    const sizes: number[] = [];
    for await (const rows of t.app
      .get(PublishedReads)
      .rawBatches({ type: 'bid-opening', sort: 'published' }, 1000, select))
      sizes.push(rows.length);
    expect(sizes).toEqual([100, 400, 1000, 1000, 100]);
  });

  it('merges several types, each read along its own index, into one list: each once, newest first, by id within an instant', async () => {
    const types = ['result', 'deal', 'contract'];
    const read: string[] = [];
    for (const category of [undefined, 'construction'])
      for await (const rows of t.app
        .get(PublishedReads)
        .rawBatches({ types, category, sort: 'published' }, 1000, select)) {
        expect(rows.length).toBeLessThanOrEqual(1000);
        if (!category) read.push(...rows.map((r) => String(r.id)));
      }
    const expected = Array.from({ length: MIXED }, (_, i) => ({ i, id: `DL2102-mix${String(i).padStart(5, '0')}` }))
      .filter((x) => types.includes(MIXED_TYPES[x.i % MIXED_TYPES.length]))
      .sort((a, b) => (a.i % 3 !== b.i % 3 ? (b.i % 3) - (a.i % 3) : a.id < b.id ? 1 : -1))
      .map((x) => x.id);
    expect(read).toEqual(expected);
  });

  it('reads about a batch of several types for each batch, each type its share (not a whole batch of each)', async () => {
    type RawAfter = (...a: unknown[]) => Promise<unknown[]>;
    const query = t.app.get(NoticeQueryService) as unknown as { rawAfter: RawAfter };
    const rawAfter = query.rawAfter.bind(query);
    let rowsRead = 0;
    const spy = jest.spyOn(query, 'rawAfter').mockImplementation(async (...a: unknown[]) => {
      const rows = await rawAfter(...a);
      rowsRead += rows.length;
      return rows;
    });
    const perBatch: { size: number; read: number }[] = [];
    try {
      for await (const rows of t.app
        .get(PublishedReads)
        .rawBatches({ types: ['result', 'deal', 'contract'], sort: 'published' }, 1000, select)) {
        perBatch.push({ size: rows.length, read: rowsRead });
        rowsRead = 0;
      }
    } finally {
      spy.mockRestore();
    }
    // 1,425 notices of those types, published in turn: batches of 100, 400, then the rest.
    expect(perBatch.map((b) => b.size)).toEqual([100, 400, 925]);
    // Each batch reads its size and a quarter more at most (each type's share and a margin, kept for the next).
    for (const b of perBatch) expect(b.read).toBeLessThanOrEqual(1.25 * b.size + 3 * 20);
    expect(perBatch.reduce((sum, b) => sum + b.read, 0)).toBe(1425);
  });

  /** GETs an export and hangs up on its first bytes (the header line), as a browser's cancelled download does. */
  const hangUpOnHeader = async (path: string) => {
    const server = t.app.getHttpServer() as Server;
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve, reject) => {
      const req = get(`http://127.0.0.1:${port}${path}`, (res) => {
        expect(res.statusCode).toBe(200);
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', (e) => (req.destroyed ? undefined : reject(e)));
    });
  };

  it('reads no lines after the client hangs up but those it was reading', async () => {
    const lines = t.app.get(ExportLines);
    const bytes = lines.bytes.bind(lines);
    // A database slower than the client's hang-up: each chunk's lines take 100 ms.
    const spy = jest.spyOn(lines, 'bytes').mockImplementation(async (ids: string[]) => {
      await new Promise((r) => setTimeout(r, 100));
      return bytes(ids);
    });
    try {
      await hangUpOnHeader('/exports/bids.csv');
      // 26 chunks of lines in all (2,600 records): the server finishes at most the one it had asked for.
      await new Promise((r) => setTimeout(r, 1000));
      expect(spy.mock.calls.length).toBeLessThanOrEqual(1);
      // And it still answers.
      await t.http().get('/exports/bids.csv?category=municipal').expect(200);
    } finally {
      spy.mockRestore();
    }
  });

  it('reads no lines at all when the client hangs up while the first ids are read', async () => {
    const reader = t.app.get(ExportReader);
    const idBatches = reader.idBatches.bind(reader);
    // A list read slower than the client's hang-up: the first ids come back after it has gone.
    const ids = jest.spyOn(reader, 'idBatches').mockImplementation(async function* (...a) {
      for await (const batch of idBatches(...a)) {
        await new Promise((r) => setTimeout(r, 200));
        yield batch;
      }
    });
    const lines = jest.spyOn(t.app.get(ExportLines), 'bytes');
    try {
      await hangUpOnHeader('/exports/bids.csv');
      await new Promise((r) => setTimeout(r, 600));
      expect(ids).toHaveBeenCalledTimes(1);
      expect(lines).not.toHaveBeenCalled();
    } finally {
      ids.mockRestore();
      lines.mockRestore();
    }
  });
});

describe('open data: bids.csv and awards.csv lines kept at publication', () => {
  let t: TestApp;
  let lines: ExportLines;
  const EXPORTED = ['bid-opening', 'result', 'deal', 'contract'];

  beforeAll(async () => {
    let pub: Publisher;
    ({ t, pub } = await startOpenDataApp());
    await publishScenario(pub);
    await publishAwkwardText(pub);
    lines = t.app.get(ExportLines);
  });
  afterAll(() => t.close());

  const bytes = async (path: string) =>
    (await t.http().get(path).buffer(true).parse(rawBytes).expect(200)).body as Buffer;
  const both = async () => ({ bids: await bytes('/exports/bids.csv'), awards: await bytes('/exports/awards.csv') });
  const kept = async () =>
    (await t.db.manager.query('SELECT notice_id, lines_key FROM export_line ORDER BY notice_id')) as {
      notice_id: string;
      lines_key: string;
    }[];
  const exportedIds = async () =>
    (
      (await t.db.manager.query(
        `SELECT id FROM notice WHERE status = 'published' AND type IN (${EXPORTED.map(() => '?').join(', ')}) ORDER BY id`,
        EXPORTED,
      )) as { id: string }[]
    ).map((r) => r.id);

  it('keeps the lines of every published bid-opening record, result, deal and contract in its publication', async () => {
    const ids = await exportedIds();
    expect(ids.length).toBeGreaterThanOrEqual(4);
    expect(await kept()).toEqual(ids.map((id) => ({ notice_id: id, lines_key: lines.key })));
  });

  it('serves the kept lines, and the same bytes built from the details when they are missing or under another key', async () => {
    const served = await both();
    expect(served.bids.toString('utf8').split('\r\n').length).toBeGreaterThan(3);

    // What is served is what was kept: a kept line changed by hand shows.
    const [first] = await kept();
    const original = (
      await t.db.manager.query('SELECT csv_lines FROM export_line WHERE notice_id = ?', [first.notice_id])
    )[0].csv_lines as string;
    await t.db.manager.query('UPDATE export_line SET csv_lines = ? WHERE notice_id = ?', ['X\r\n', first.notice_id]);
    const tampered = await both();
    expect(Buffer.concat([tampered.bids, tampered.awards]).toString('utf8')).toContain('\r\nX\r\n');
    await t.db.manager.query('UPDATE export_line SET csv_lines = ? WHERE notice_id = ?', [original, first.notice_id]);
    expect(await both()).toEqual(served);

    // Written under another version or base URL: not served; built instead, to the same bytes.
    await t.db.manager.query(`UPDATE export_line SET lines_key = '0 https://old.example.cn'`);
    expect(await both()).toEqual(served);
    // None kept (notices published before this table): the same.
    await t.db.manager.query('DELETE FROM export_line');
    expect(await both()).toEqual(served);

    // npm run reindex keeps them again.
    expect(await lines.rebuild({ batch: 2 })).toBe((await exportedIds()).length);
    expect(await kept()).toEqual((await exportedIds()).map((id) => ({ notice_id: id, lines_key: lines.key })));
    expect(await lines.rebuild()).toBe(0);
    expect(await both()).toEqual(served);
  });

  it('never serves lines kept under another public base URL: their page addresses would be wrong', async () => {
    const other = 'https://ggzy.other.example.cn';
    const elsewhere = new ExportLines(t.db, { publicBaseUrl: other } as AppConfig);
    const ids = await exportedIds();
    // Every line names its notice's page: under another base URL, all of them are built with that address.
    const pages = (text: string) =>
      [...text.matchAll(/(https?:\/\/[^,\r\n"]+)\/notices\/[^,\r\n"]+/g)].map((m) => m[1]);
    const builtThere = pages((await elsewhere.bytes(ids)).toString('utf8'));
    const keptHere = pages((await lines.bytes(ids)).toString('utf8'));
    expect(builtThere.length).toBe(keptHere.length);
    expect(builtThere.length).toBeGreaterThanOrEqual(ids.length);
    expect(new Set(builtThere)).toEqual(new Set([other]));
    expect(new Set(keptHere)).toEqual(new Set([lines.key.split(' ')[1]]));
  });
});
