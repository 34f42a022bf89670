import { SearchFilterKeys1765400000000 } from '../src/database/migrations/1765400000000-search-filter-keys.js';
import { SearchLongAsciiKeys1765300000000 } from '../src/database/migrations/1765300000000-search-long-ascii-keys.js';
import { SearchBlocks1766100000000 } from '../src/database/migrations/1766100000000-search-blocks.js';
import { SearchPhraseKeys1766800000000 } from '../src/database/migrations/1766800000000-search-phrase-keys.js';
import { SearchTypeKeys1766900000000 } from '../src/database/migrations/1766900000000-search-type-keys.js';
import {
  buildKeyBlocks,
  SearchKeyBlocks1767400000000,
} from '../src/database/migrations/1767400000000-search-key-blocks.js';
import { NoticeQueryService } from '../src/trading/notice-query.service.js';
import type { NoticeFilter } from '../src/trading/notice-filter.js';
import { NoticeSearch } from '../src/trading/notice-search.js';
import { addPostings, BlockStream, decodePostings, PostingBatch } from '../src/trading/search-blocks.js';
import { sqlDateTime } from '../src/database/dialect.js';
import { filterKeyOf, typeFilterKeys } from '../src/trading/search-grams.js';
import { constructionProject, procurementNotice, procurementProject, tenderNotice } from './support/fixtures.js';
import { createStaff, signIn, type StaffClient } from './support/staff.js';
import { FixedClock, startTestApp, type TestApp } from './support/test-app.js';

const NOW = new Date('2026-11-25T02:00:00Z'); // Wednesday 10:00 China Standard Time

/**
 * Keyword search as the public finds it (GET /api/v1/notices?q=…), over notices published through the staff
 * API. Project names and tender contents are neutral here, so a word is found only where a test put it.
 */
describe('keyword search (q)', () => {
  let t: TestApp;
  let clerk: StaffClient;
  let reviewer: StaffClient;
  const ids: Record<string, string> = {};
  let codeOfA = '';

  async function publish(body: Record<string, unknown>): Promise<{ id: string }> {
    const draft = await clerk.post('/api/admin/notices').send(body).expect(201);
    await clerk.post(`/api/admin/notices/${draft.body.id}/submit`).expect(200);
    const res = await reviewer.post(`/api/admin/notices/${draft.body.id}/approve`).send({}).expect(200);
    expect(res.body.status).toBe('published');
    return res.body;
  }

  /** A tender in a project of its own, with a neutral name and contents. */
  async function tender(title: string, body: string, project: Record<string, unknown> = {}) {
    const p = await clerk
      .post('/api/admin/projects')
      .send(constructionProject({ name: `测试项目${Object.keys(ids).length}`, ...project }))
      .expect(201);
    const notice = await publish({
      ...tenderNotice(p.body.id, { content: '施工', qualifications: '具备相应施工资质' }),
      title,
      body,
    });
    return { id: notice.id, code: p.body.tenderCode as string };
  }

  const search = async (query: Record<string, string>) => {
    const res = await t.http().get('/api/v1/notices').query(query).expect(200);
    return {
      total: res.body.total as number,
      ids: (res.body.items as { id: string }[]).map((i) => i.id),
      next: res.body.next as string | null,
      body: res.body,
    };
  };
  const found = async (q: string, extra: Record<string, string> = {}) =>
    (await search({ q, limit: '100', ...extra })).ids.sort();
  const only = (...names: string[]) => names.map((n) => ids[n]).sort();

  const clock = new FixedClock(NOW);

  beforeAll(async () => {
    t = await startTestApp({
      clock,
      // The index's migrations are run down and up behind the app's back here, which a cached answer would not see
      // (README, Cache); what is tested is the search, so every request reads the database.
      env: { SESSION_TTL_MINUTES: '43200', RATE_LIMIT_API: '100000', CACHE_ENABLED: 'false' },
    });
    const c = await createStaff(t, 'clerk');
    const r = await createStaff(t, 'reviewer');
    clerk = await signIn(t, c.username, c.password);
    reviewer = await signIn(t, r.username, r.password);

    const a = await tender('中山路道路维修工程施工招标公告', '对中山路全线进行维修。');
    ids.roadInTitle = a.id;
    codeOfA = a.code;
    ids.greenInBody = (await tender('星海公园景观提升工程施工招标公告', '本项目包括园区绿化、照明和步道改造。')).id;
    ids.both = (await tender('黄河路综合整治工程施工招标公告', '道路改造与排水管网改造同步实施，并补植绿化。')).id;
    // 道 and 路 apart; and 道路, 路改, 改造 all present but never as 道路改造.
    ids.apart = (await tender('道口至南路段维修工程施工招标公告', '对道口至南路段进行维修。')).id;
    ids.scattered = (await tender('人民路道路照明工程施工招标公告', '铁路改线段的护栏改造。')).id;
    ids.bridge = (await tender('春柳河桥梁加固工程施工招标公告', '加固既有桥梁。')).id;
    ids.elsewhere = (await tender('金州区道路维修工程施工招标公告', '维修。', { regionCode: '210213' })).id;
    ids.literal = (
      await tender('计价规则说明工程施工招标公告', '报价下浮率不超过100%，分项编号a_b，文件路径c\\d。')
    ).id;
    ids.parenthesised = (
      await tender('旅顺港区护岸修复工程施工招标公告', '原护岸由中铁九局集团（大连）有限公司承建，现进行修复。')
    ).id;
    const purchase = await clerk
      .post('/api/admin/projects')
      .send(procurementProject('open-tender', { name: '环卫作业服务采购项目' }))
      .expect(201);
    ids.procurement = (
      await publish({
        ...procurementNotice(purchase.body.id, { content: '环卫作业' }),
        title: '道路清扫保洁服务采购公告',
        body: '采购城区道路清扫保洁服务。',
      })
    ).id;

    const withdrawn = await tender('滨海路栈道修缮工程施工招标公告', '修缮栈道。');
    ids.withdrawn = withdrawn.id;
    const w = await clerk
      .post(`/api/admin/notices/${withdrawn.id}/withdrawals`)
      .send({ reason: '招标人调整建设方案' })
      .expect(201);
    await clerk.post(`/api/admin/notices/${w.body.id}/submit`).expect(200);
    await reviewer.post(`/api/admin/notices/${w.body.id}/approve`).send({}).expect(200);
    ids.withdrawal = w.body.id;
  });
  afterAll(() => t.close());

  it('finds two-character words in titles and in bodies', async () => {
    expect(await found('道路')).toEqual(only('roadInTitle', 'both', 'scattered', 'elsewhere', 'procurement'));
    expect(await found('绿化')).toEqual(only('greenInBody', 'both'));
  });

  it('finds a notice containing 道 and 路 apart neither for 道路 nor for 道路改造 unless the word is there', async () => {
    expect(await found('道路')).not.toContain(ids.apart);
    expect(await found('道路改造')).toEqual(only('both'));
  });

  it('finds longer words, one character, and every term of several (AND)', async () => {
    expect(await found('排水管网')).toEqual(only('both'));
    expect(await found('桥')).toEqual(only('bridge'));
    expect(await found('道路 绿化')).toEqual(only('both'));
    expect(await found('绿化 照明')).toEqual(only('greenInBody'));
    expect(await found('道路 量子')).toEqual([]);
  });

  it('finds a project by its code, in any case or width', async () => {
    expect(await found(codeOfA)).toEqual(only('roadInTitle'));
    expect(await found(codeOfA.toLowerCase())).toEqual(only('roadInTitle'));
    const fullWidth = [...codeOfA].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('');
    expect(await found(fullWidth)).toEqual(only('roadInTitle'));
  });

  it('combines the keyword with the category, region and date filters', async () => {
    expect(await found('道路', { category: 'procurement' })).toEqual(only('procurement'));
    expect(await found('道路', { category: 'construction', region: '210213' })).toEqual(only('elsewhere'));
    expect(await found('道路', { region: '210211' })).toEqual(only('roadInTitle', 'both', 'scattered', 'procurement'));
    // A city or province code matches every district under it; a category with no notice there matches nothing.
    expect(await found('道路', { region: '210200' })).toEqual(
      only('roadInTitle', 'both', 'scattered', 'procurement', 'elsewhere'),
    );
    expect(await found('道路', { category: 'construction', region: '210000' })).toEqual(
      only('roadInTitle', 'both', 'scattered', 'elsewhere'),
    );
    expect(await found('道路', { category: 'port', region: '210200' })).toEqual([]);
    expect(await found('维修', { region: '210213' })).toEqual(only('elsewhere'));
    expect(await found('道路', { from: '2026-11-25', to: '2026-11-25' })).toHaveLength(5);
    expect(await found('道路', { from: '2026-11-26' })).toEqual([]);
  });

  it('starts a narrowed search from the filter key when the district holds fewer notices than the word', async () => {
    const matcher = await t.app
      .get(NoticeSearch)
      .matcher('道路', filterKeyOf({ category: 'construction', region: '210213' }), {
        before: Date.now() + 86_400_000,
        after: -1,
      });
    // Rarest first, by the counts: one notice in 210213 against five with 道路; the word is read only as far as it.
    expect(matcher!.keys).toEqual(['&a210213', '道路']);
    expect(await found('道路', { category: 'construction', region: '210213' })).toHaveLength(1);
  });

  it('pages a search by key: the pages together are the whole list, newest first, each once', async () => {
    const whole = await search({ q: '道路', limit: '100' });
    expect(whole.total).toBe(5);
    const paged: string[] = [];
    let page = await search({ q: '道路', limit: '2' });
    expect(page.total).toBe(5);
    paged.push(...page.ids);
    while (page.next) {
      page = await search({ q: '道路', limit: '2', after: page.next });
      paged.push(...page.ids);
    }
    expect(paged).toEqual(whole.ids);
    const times = (whole.body.items as { publishedAt: string }[]).map((i) => i.publishedAt);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('treats LIKE wildcards and SQL words as plain text', async () => {
    expect(await found('100%')).toEqual(only('literal'));
    expect(await found('a_b')).toEqual(only('literal'));
    for (const q of ['%', '_', '%%', '道_', '道%', 'a%b', 'UNION SELECT', 'OR 1=1', 'DROP TABLE notice']) {
      const res = await search({ q, limit: '100' });
      expect({ q, total: res.total }).toEqual({ q, total: 0 });
    }
  });

  it('finds names with full-width or ASCII parentheses, and 15-character project codes', async () => {
    expect(await found('中铁九局集团（大连）')).toEqual(only('parenthesised'));
    expect(await found('中铁九局集团(大连)')).toEqual(only('parenthesised'));
    expect(await found('中铁九局 护岸')).toEqual(only('parenthesised'));
    expect(codeOfA).toMatch(/^E2102000001\d{4}$/);
    expect(await found(codeOfA)).toEqual(only('roadInTitle'));
  });

  it('refuses SQL and script fragments in q (400 naming q), searching for nothing and echoing nothing', async () => {
    for (const q of [
      'c\\d',
      "' OR '1'='1",
      "道路' OR 1=1 --",
      '"); DROP TABLE notice; --',
      '<script>alert(1)</script>',
      '/* x */',
    ]) {
      const res = await t.http().get('/api/v1/notices').query({ q });
      expect({ q, status: res.status, field: res.body.errors?.[0]?.field }).toEqual({ q, status: 400, field: 'q' });
      expect(res.body.message).toMatch(/^关键词 q 不能包含/);
      expect(res.text).not.toContain(q);
    }
    // Still there, and still searchable.
    expect(await found('道路')).toHaveLength(5);
  });

  it('still finds a withdrawn notice (and the withdrawal that names it)', async () => {
    const res = await search({ q: '栈道', limit: '100' });
    expect(res.ids.sort()).toEqual(only('withdrawn', 'withdrawal'));
    const item = (res.body.items as { id: string; withdrawn: unknown }[]).find((i) => i.id === ids.withdrawn)!;
    expect(item.withdrawn).toEqual({ at: '2026-11-25T10:00:00+08:00', byNoticeId: ids.withdrawal });
  });

  it('refuses a keyword over 50 characters with a 400 naming q', async () => {
    const res = await t
      .http()
      .get('/api/v1/notices')
      .query({ q: '道'.repeat(51) })
      .expect(400);
    expect(JSON.stringify(res.body)).toContain('关键词不能超过 50 个字符');
  });

  it('bounds the total: exact from the counts for one word, otherwise counted up to a cap', async () => {
    const query = t.app.get(NoticeQueryService);
    const total = (f: NoticeFilter, cap?: number) => query.total(f, cap);
    expect(await total({ sort: 'published', q: '道路' })).toEqual({ count: 5, exact: true });
    expect(await total({ sort: 'published', q: '道路', category: 'procurement' })).toEqual({ count: 1, exact: true });
    expect(await total({ sort: 'published', q: '道路 维修' })).toEqual({ count: 2, exact: true });
    expect(await total({ sort: 'published', q: '工程 公告' }, 3)).toEqual({ count: 3, exact: false });
    // A word of three or four characters is one phrase key: its count is its total, whatever the cap.
    expect(await total({ sort: 'published', q: '道路改造' }, 0)).toEqual({ count: 1, exact: true });
    expect(await total({ sort: 'published', q: '施工招标' }, 3)).toEqual({
      count: Object.keys(ids).length - 1,
      exact: true,
    });
  });

  it('rebuilds the index from the notices with the same results (npm run reindex)', async () => {
    const before = await Promise.all(['道路', '绿化', '道路改造', '100%', '栈道', codeOfA].map((q) => found(q)));
    const result = await t.app.get(NoticeSearch).reindexAll({ batchSize: 3 });
    expect(result.notices).toBe(Object.keys(ids).length);
    expect(await Promise.all(['道路', '绿化', '道路改造', '100%', '栈道', codeOfA].map((q) => found(q)))).toEqual(
      before,
    );
  });

  it('gives notices indexed before type filter keys those keys (migration): the rows and counts publication writes', async () => {
    type Row = { gram: string; notice_id: string };
    // $F2102 and Fj2102: a $ or a capital first (binary order: '$' < 'A'…'Z' < '[').
    const TYPE_KEY_ROWS = (columns: string, table: string) =>
      `SELECT ${columns} FROM ${table} WHERE gram LIKE '$%' OR (gram >= 'A' AND gram < '[')`;
    const keyRows = async () =>
      ((await t.db.manager.query(TYPE_KEY_ROWS('gram, notice_id', 'notice_search_gram'))) as Row[])
        .map((r) => `${r.gram} ${r.notice_id}`)
        .sort();
    const keyCounts = async () =>
      Object.fromEntries(
        (
          (await t.db.manager.query(TYPE_KEY_ROWS('gram, notices', 'notice_search_gram_count'))) as {
            gram: string;
            notices: unknown;
          }[]
        ).map((r) => [r.gram, Number(r.notices)]),
      );
    const notices: { id: string; type: string; category: string; region_code: string }[] = await t.db.manager.query(
      `SELECT id, type, category, region_code FROM notice WHERE status = 'published'`,
    );
    const expected = notices
      .flatMap((n) => typeFilterKeys(n.type, n.category, n.region_code).map((k) => `${k} ${n.id}`))
      .sort();
    expect(expected.length).toBeGreaterThan(0);
    // As publication wrote them.
    expect(await keyRows()).toEqual(expected);
    const counts = await keyCounts();
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(expected.length);
    const types = new SearchTypeKeys1766900000000();
    const runner = t.db.dataSource.createQueryRunner();
    try {
      await types.down(runner);
      expect(await keyRows()).toEqual([]);
      expect(await keyCounts()).toEqual({});
      await types.up(runner);
    } finally {
      await runner.release();
    }
    expect(await keyRows()).toEqual(expected);
    expect(await keyCounts()).toEqual(counts);
  });

  it('gives notices indexed before eight-character keys existed those keys (migration), so a code still finds them', async () => {
    const serial = codeOfA.slice(-8).toLowerCase();
    const rows = async () =>
      (await t.db.manager.query('SELECT COUNT(*) AS n FROM notice_search_gram WHERE gram = ?', [serial]))[0].n;
    const counted = async () =>
      (await t.db.manager.query('SELECT notices FROM notice_search_gram_count WHERE gram = ?', [serial]))[0]?.notices;
    // That migration worked on a row per posting: the index goes back to rows for it (the blocks migration's down),
    // after the later ones are undone, as a revert does (their up again at the end).
    const types = new SearchTypeKeys1766900000000();
    const phrase = new SearchPhraseKeys1766800000000();
    const blocks = new SearchBlocks1766100000000();
    const migration = new SearchLongAsciiKeys1765300000000();
    const runner = t.db.dataSource.createQueryRunner();
    try {
      await types.down(runner);
      await phrase.down(runner);
      await blocks.down(runner);
      expect(Number(await rows())).toBe(1);
      expect(Number(await counted())).toBe(1);
      // The index as it was before the migration: no key of eight characters.
      await migration.down(runner);
      expect(Number(await rows())).toBe(0);
      expect(Number((await counted()) ?? 0)).toBe(0);
      await migration.up(runner);
      expect(Number(await rows())).toBe(1);
      expect(Number(await counted())).toBe(1);
      await blocks.up(runner);
      await phrase.up(runner);
      await types.up(runner);
    } finally {
      await runner.release();
    }
    expect(Number(await rows())).toBe(0); // in its blocks now
    expect(await found(codeOfA)).toEqual(only('roadInTitle'));
    expect(await found(codeOfA.slice(2))).toEqual(only('roadInTitle'));
  });

  /** Each filter key's instants as its blocks hold them, and as its rows of notice_search_gram do. */
  async function keyBlocksAndRows(): Promise<{ blocks: Record<string, number[]>; rows: Record<string, number[]> }> {
    const blocks: Record<string, number[]> = {};
    const blockRows: { gram: string; postings: Buffer }[] = await t.db.manager.query(
      'SELECT gram, postings FROM notice_search_key_block ORDER BY gram, last',
    );
    for (const b of blockRows) blocks[b.gram] = [...(blocks[b.gram] ?? []), ...decodePostings(b.postings)];
    const rows: Record<string, number[]> = {};
    const keyRows: { gram: string; published_at: unknown }[] = await t.db.manager.query(
      'SELECT DISTINCT gram, published_at FROM notice_search_gram ORDER BY gram, published_at',
    );
    for (const r of keyRows) rows[r.gram] = [...(rows[r.gram] ?? []), sqlDateTime(r.published_at)!.getTime()];
    return { blocks, rows };
  }

  it("keeps each filter key's blocks to its rows' instants: as publication, a rebuild and the migrations write them", async () => {
    const check = async () => {
      const { blocks, rows } = await keyBlocksAndRows();
      expect(Object.keys(rows).length).toBeGreaterThan(10);
      expect(blocks).toEqual(rows);
    };
    // As publication wrote them (ten notices, each with its category's, region's and type's keys).
    await check();
    const narrowed: Record<string, string>[] = [
      { region: '210213' },
      { category: 'construction' },
      { type: 'tender', region: '210200' },
    ];
    const before = await Promise.all(narrowed.map((f) => found('道路', f)));
    expect(before.every((ids) => ids.length > 0)).toBe(true);
    const runner = t.db.dataSource.createQueryRunner();
    try {
      // Built by the migration from the rows.
      const migration = new SearchKeyBlocks1767400000000();
      await migration.down(runner);
      await migration.up(runner);
      await check();
      // A migration that adds keys' rows once the blocks exist builds those keys' blocks too.
      const types = new SearchTypeKeys1766900000000();
      await types.down(runner);
      await types.up(runner);
      await check();
    } finally {
      await runner.release();
    }
    // A narrowed search reads the key's blocks (not its rows): without them it finds nothing; rebuilt, the same.
    await t.db.manager.query('DELETE FROM notice_search_key_block WHERE gram = ?', ['@210213']);
    expect(await found('道路', { region: '210213' })).toEqual([]);
    const rebuild = t.db.dataSource.createQueryRunner();
    try {
      await buildKeyBlocks(rebuild, ['@210213']);
    } finally {
      await rebuild.release();
    }
    expect(await found('道路', { region: '210213' })).toEqual(before[0]);
    // And a rebuild of the whole index.
    await t.app.get(NoticeSearch).reindexAll({ batchSize: 4 });
    await check();
    expect(await Promise.all(narrowed.map((f) => found('道路', f)))).toEqual(before);
  });

  it('keeps the instants of a key whole and in order when some arrive out of order (an import of older notices)', async () => {
    const key = 'zz9test';
    const day = 86_400_000;
    const newer = Array.from({ length: 3000 }, (_, i) => Date.UTC(2026, 0, 1) + i * 60_000);
    const older = Array.from({ length: 700 }, (_, i) => Date.UTC(2025, 0, 1) + i * day * 0.3 + 7);
    const within = Array.from({ length: 500 }, (_, i) => newer[100] + i * 3 + 1); // inside a closed block
    await t.db.transaction(async (em) => {
      const batch = new PostingBatch();
      for (const at of newer) batch.add(key, at);
      await batch.flush(em, t.db.dialect);
      // One publication at a time, as a sync import publishes them.
      for (const at of [...older, ...within]) await addPostings(em, t.db.dialect, new Map([[key, [at]]]));
    });
    const read: number[] = [];
    const stream = new BlockStream(t.db.manager, key, Number.MAX_SAFE_INTEGER - 1, -1);
    for (let at = await stream.seek(Infinity); at !== null; at = await stream.seek(at - 1)) read.push(at);
    expect(read).toEqual([...newer, ...older, ...within].sort((a, b) => b - a));
    const blocks: { floor: unknown; last: unknown }[] = await t.db.manager.query(
      'SELECT floor, last FROM notice_search_block WHERE gram = ? ORDER BY last',
      [key],
    );
    expect(blocks.length).toBeGreaterThan(3);
    blocks.forEach((b, i) => expect(Number(b.floor)).toBe(i === 0 ? 0 : Number(blocks[i - 1].last)));
    await t.db.manager.query('DELETE FROM notice_search_block WHERE gram = ?', [key]);
  });

  it('moves word postings from rows to blocks and back (migration) with the same results', async () => {
    const queries = ['道路', '绿化', '道路改造', '100%', '栈道', codeOfA, '维修 道路'];
    const before = await Promise.all(queries.map((q) => found(q)));
    const blocks = async () => Number((await t.db.manager.query('SELECT COUNT(*) AS n FROM notice_search_block'))[0].n);
    const wordRows = async () =>
      Number(
        (
          await t.db.manager.query(
            `SELECT COUNT(*) AS n FROM notice_search_gram WHERE gram NOT LIKE '#%' AND gram NOT LIKE '@%' AND gram NOT LIKE '&%' AND gram NOT LIKE '$%' AND NOT (gram >= 'A' AND gram < '[')`,
          )
        )[0].n,
      );
    expect(await blocks()).toBeGreaterThan(0);
    expect(await wordRows()).toBe(0);
    const migration = new SearchBlocks1766100000000();
    const phrase = new SearchPhraseKeys1766800000000();
    const types = new SearchTypeKeys1766900000000();
    const runner = t.db.dataSource.createQueryRunner();
    try {
      await types.down(runner);
      await phrase.down(runner);
      await migration.down(runner);
      expect(await wordRows()).toBeGreaterThan(0);
      await migration.up(runner);
      await phrase.up(runner);
      await types.up(runner);
    } finally {
      await runner.release();
    }
    expect(await wordRows()).toBe(0);
    expect(await Promise.all(queries.map((q) => found(q)))).toEqual(before);
  });

  it('gives notices indexed before filter keys existed those keys (migration), so a narrowed search still finds them', async () => {
    const narrowed: Record<string, string>[] = [
      { category: 'construction' },
      { region: '210200' },
      { category: 'construction', region: '210213' },
      { category: 'procurement', region: '210211' },
    ];
    const before = await Promise.all(narrowed.map((f) => found('道路', f)));
    expect(before.map((ids) => ids.length)).toEqual([4, 5, 1, 1]);
    const migration = new SearchFilterKeys1765400000000();
    const runner = t.db.dataSource.createQueryRunner();
    try {
      await migration.down(runner);
      // Without them a narrowed search has a key no notice holds: it finds nothing, which is why the migration adds them.
      expect(await found('道路', { region: '210200' })).toEqual([]);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    expect(await Promise.all(narrowed.map((f) => found('道路', f)))).toEqual(before);
    // And the counts are the notices' again: one key per notice of the category.
    const [{ notices }] = await t.db.manager.query('SELECT notices FROM notice_search_gram_count WHERE gram = ?', [
      '#a',
    ]);
    expect(Number(notices)).toBe(Object.keys(ids).length - 1);
  });
  it('finds notices indexed before phrase keys by their pairs, newer ones by phrase keys, until the index is rebuilt', async () => {
    const queries = ['道路改造', '道路', '维修工程', '施工招标公告', '中山路', codeOfA, '道路 维修'];
    const before = await Promise.all(queries.map((q) => found(q)));
    const index = t.app.get(NoticeSearch);
    const query = t.app.get(NoticeQueryService);
    // The index as an older version left it: word keys of the blocks migration's day (no phrase keys, rebuilt
    // through its rows), and no counts for phrase keys.
    const blocks = new SearchBlocks1766100000000();
    const migration = new SearchPhraseKeys1766800000000();
    const types = new SearchTypeKeys1766900000000();
    const runner = t.db.dataSource.createQueryRunner();
    try {
      await types.down(runner);
      await blocks.down(runner);
      await blocks.up(runner);
      const counted: { gram: string }[] = await t.db.manager.query('SELECT gram FROM notice_search_gram_count');
      const phrase = counted.map((c) => c.gram).filter((g) => [...g].length >= 3 && /[^\p{ASCII}]/u.test(g));
      expect(phrase).toContain('道路改造');
      for (const g of phrase) await t.db.manager.query('DELETE FROM notice_search_gram_count WHERE gram = ?', [g]);
      await migration.down(runner);
      await migration.up(runner);
      await types.up(runner);
    } finally {
      await runner.release();
    }
    expect(await index.phraseKeysAfter()).toBe(NOW.getTime());
    expect(await Promise.all(queries.map((q) => found(q)))).toEqual(before);
    expect(await query.total({ sort: 'published', q: '道路改造' })).toEqual({ count: 1, exact: true });

    // A notice published since holds its phrase keys: a search reads it by them, and the older ones by pairs.
    clock.advance(60_000);
    const newer = (await tender('解放路道路改造工程施工招标公告', '道路改造。')).id;
    const matcher = await index.matcher('道路改造', undefined, { before: Date.now() + 86_400_000, after: -1 });
    expect(matcher!.keys[0]).toBe('道路改造');
    expect([...matcher!.keys].sort()).toEqual(['道路', '道路改造', '改造', '路改'].sort());
    expect(await found('道路改造')).toEqual([...before[0], newer].sort());
    expect(await query.total({ sort: 'published', q: '道路改造' })).toEqual({ count: 2, exact: true });
    const pages: string[] = [];
    let page = await search({ q: '道路改造', limit: '1' });
    pages.push(...page.ids);
    while (page.next) {
      page = await search({ q: '道路改造', limit: '1', after: page.next });
      pages.push(...page.ids);
    }
    expect(pages).toEqual([newer, ...before[0]]);

    const mixed = await Promise.all(queries.map((q) => found(q)));
    expect(mixed[1]).toContain(newer);

    // npm run reindex: every notice holds them now, and a word's total comes from its count.
    await index.reindexAll({ batchSize: 4 });
    expect(await index.phraseKeysAfter()).toBe(-1);
    expect(await index.exactTotal({ sort: 'published', q: '道路改造' })).toBe(2);
    expect(await Promise.all(queries.map((q) => found(q)))).toEqual(mixed);
  });

  it("narrows a keyword with a type by the type's key (a type's notices outside the province found all the same), and counts by instant", async () => {
    expect(await found('道路', { type: 'procurement' })).toEqual(only('procurement'));
    expect(await found('道路', { type: 'tender', region: '210213' })).toEqual(only('elsewhere'));
    expect(await found('道路', { type: 'tender', category: 'procurement' })).toEqual([]);
    expect(await found('道路', { type: 'result' })).toEqual([]);
    // Every tender lies in province 21 (its key, `$A21`, holds them all) until one is published in Beijing: the
    // kept counts then differ, and the search narrows by nothing the Beijing tender lacks.
    clock.advance(60_000);
    const dalian = (await tender('北港码头维修工程施工招标公告', '维修码头。')).id;
    expect(await found('码头', { type: 'tender' })).toEqual([dalian]);
    clock.advance(60_000);
    const beijing = (await tender('东城区码头维修工程施工招标公告', '维修码头。', { regionCode: '110101' })).id;
    expect(await found('码头', { type: 'tender' })).toEqual([dalian, beijing].sort());
    expect((await search({ q: '码头', type: 'tender' })).total).toBe(2);
    expect(await found('码头', { type: 'tender', region: '110000' })).toEqual([beijing]);
    expect(await found('码头', { type: 'procurement' })).toEqual([]);

    // Totals: each of those published alone at its instant counts one from the index; two notices published at
    // one instant, the word in one and the district in the other, are both candidates and read: neither matches.
    clock.advance(60_000);
    const west = (await tender('西港码头维修工程施工招标公告', '维修码头。')).id;
    await tender('排水管道维修工程施工招标公告', '维修。', { regionCode: '210212' });
    const counted = async (query: Record<string, string>) => {
      const page = await search({ ...query, limit: '100' });
      return { total: page.total, totalExact: page.body.totalExact as boolean, ids: page.ids.sort() };
    };
    expect(await counted({ q: '码头', type: 'tender' })).toEqual({
      total: 3,
      totalExact: true,
      ids: [dalian, beijing, west].sort(),
    });
    expect(await counted({ q: '码头', region: '210212' })).toEqual({ total: 0, totalExact: true, ids: [] });
    expect(await counted({ q: '码头', region: '210211' })).toEqual({
      total: 2,
      totalExact: true,
      ids: [dalian, west].sort(),
    });
    expect(await counted({ q: '维修 码头', category: 'construction' })).toEqual({
      total: 3,
      totalExact: true,
      ids: [dalian, beijing, west].sort(),
    });
  });

  it('finds a keyword among what is open now from the oldest open announcement on, and nothing once every deadline passed', async () => {
    // Every tender here closes on 2026-12-16; the first ones were published at NOW, the oldest instant of all.
    const open = await found('道路', { open: '1' });
    expect(open).toEqual(expect.arrayContaining(only('roadInTitle', 'both', 'scattered', 'elsewhere')));
    expect(open).toEqual((await found('道路')).filter((id) => open.includes(id)));
    expect((await search({ q: '道路', open: '1' })).total).toBe(open.length);
    expect(await found('码头', { open: '1' })).toEqual(await found('码头'));
    clock.set(new Date('2026-12-17T02:00:00Z'));
    expect(await found('道路', { open: '1' })).toEqual([]);
    expect(await search({ q: '道路', open: '1' })).toMatchObject({ total: 0, ids: [] });
    expect(await found('道路')).toEqual(expect.arrayContaining(open));
  });
});
