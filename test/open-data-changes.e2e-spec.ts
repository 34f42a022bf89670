import { execFileSync } from 'node:child_process';
import { encodeChangeCursor } from '../src/open-data/api/change-cursor.js';
import { constructionProject, tenderNotice } from './support/fixtures.js';
import { publishAwkwardText, publishScenario, startOpenDataApp, type Publisher } from './support/open-data.js';
import { FixedClock, isMysql, type TestApp } from './support/test-app.js';
import { ChangesService } from '../src/open-data/api/changes.service.js';
import { PublishedReads } from '../src/published/published-reads.js';

type Page = {
  next: string;
  more: boolean;
  items: { seq: number; kind: string; noticeId: string; notice: { id: string; logSeq: number } }[];
};

describe('open data: change feed (/api/v1/changes)', () => {
  let t: TestApp;
  let pub: Publisher;
  let clock: FixedClock;

  beforeAll(async () => {
    ({ t, pub, clock } = await startOpenDataApp());
    await publishScenario(pub);
    await publishAwkwardText(pub);
  });
  afterAll(() => t.close());

  const get = async (after?: string, limit?: number): Promise<Page> => {
    const q = new URLSearchParams({ ...(after ? { after } : {}), ...(limit ? { limit: String(limit) } : {}) });
    return (await t.http().get(`/api/v1/changes?${q}`).expect(200)).body;
  };

  it('lists every publication, correction and withdrawal in seq order with the notice JSON', async () => {
    const page = await get(undefined, 1000);
    expect(page.items.map((e) => e.seq)).toEqual(page.items.map((_, i) => i + 1));
    expect(page.items.map((e) => e.kind)).toEqual(expect.arrayContaining(['publication', 'correction', 'withdrawal']));
    for (const e of page.items) expect(e.notice).toMatchObject({ id: e.noticeId, logSeq: e.seq });
    expect(page.more).toBe(false);
  });

  it('prints each notice as /api/v1/notices/{id} does, its details as stored (not parsed and rewritten)', async () => {
    const feed = async () => {
      const res = await t.http().get('/api/v1/changes?limit=1000').expect(200);
      return {
        text: res.text,
        items: (res.body as { items: { noticeId: string; notice: Record<string, unknown> }[] }).items,
      };
    };
    const { items } = await feed();
    expect(items.length).toBeGreaterThan(5);
    for (const e of items) {
      const single = (
        await t
          .http()
          .get(`/api/v1/notices/${encodeURIComponent(e.noticeId)}`)
          .expect(200)
      ).body;
      expect(e.notice).toEqual(single);
    }
    // Details holding quotes, CR and LF (the awkward bid-opening record) come back as they went in.
    const awkward = items.find((e) => JSON.stringify(e.notice.details).includes('大连老街建设\\r有限公司'));
    expect(awkward).toBeDefined();
    // The stored text itself goes out: stored with other spacing (as another writer might), the page carries it
    // byte for byte, and it is read from the row at each request (what pages show, the feed shows).
    const id = awkward!.noticeId;
    const [{ details: stored }] = await t.db.manager.query('SELECT details FROM notice WHERE id = ?', [id]);
    const spaced = JSON.stringify(JSON.parse(String(stored)), null, 1);
    try {
      await t.db.manager.query('UPDATE notice SET details = ? WHERE id = ?', [spaced, id]);
      const after = await feed();
      expect(after.text).toContain(`"details":${spaced}`);
      expect(after.items.find((e) => e.noticeId === id)!.notice.details).toEqual(awkward!.notice.details);
    } finally {
      await t.db.manager.query('UPDATE notice SET details = ? WHERE id = ?', [stored, id]);
    }
  });

  it('writes every entry as changeEntry makes it, field for field and in its order (times with and without milliseconds, past midnight in China)', async () => {
    // Published at 00:59:59.987 the next day in China, withdrawn at 08:00:00.000 (UTC midnight).
    const at = clock.now();
    try {
      clock.set(new Date('2026-11-25T16:59:59.987Z'));
      const project = await pub.project(constructionProject());
      const late = await pub.publish(tenderNotice(project));
      clock.set(new Date('2026-11-26T00:00:00.000Z'));
      await pub.publish({
        projectId: project,
        type: 'withdrawal',
        title: '关于撤回招标公告的声明',
        body: '招标计划调整。',
        targetNoticeId: late.id,
        details: { reason: '招标计划调整' },
      });
    } finally {
      clock.set(at);
    }
    const served = (await t.http().get('/api/v1/changes?limit=1000').expect(200)).body as { items: unknown[] };
    const made = t.app.get(ChangesService).entries(await t.app.get(PublishedReads).changes(0, 1000));
    expect(served.items).toHaveLength(made.length);
    // JSON.stringify of the parsed entry keeps the order of its fields as served.
    expect(served.items.map((e) => JSON.stringify(e))).toEqual(made.map((e) => JSON.stringify(e)));
    const texts = served.items.map((e) => JSON.stringify(e)).join('\n');
    expect(texts).toContain('"publishedAt":"2026-11-26T00:59:59.987+08:00"');
    expect(texts).toContain('"withdrawn":{"at":"2026-11-26T08:00:00+08:00"');
  });

  it("writes titles and bodies quoted by the database's JSON_QUOTE: every character parses back as stored", async () => {
    // Every control character (NUL included: JSON and both databases allow it), quotes, backslashes, a slash,
    // the two line separators JavaScript once rejected, a character outside the BMP, markup.
    const controls = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join('');
    const text = `标题${controls}\u007f"引号" \\反斜杠\\ a/b \u2028\u2029 𠀋😀 </script><b>&amp;`;
    const { items } = (await t.http().get('/api/v1/changes?limit=1000').expect(200)).body as {
      items: { noticeId: string }[];
    };
    const id = items[items.length - 1].noticeId;
    const [before] = await t.db.manager.query('SELECT title, body FROM notice WHERE id = ?', [id]);
    try {
      await t.db.manager.query('UPDATE notice SET title = ?, body = ? WHERE id = ?', [text, `${text}\n${text}`, id]);
      const res = await t.http().get('/api/v1/changes?limit=1000').expect(200);
      const entry = (res.body as { items: { noticeId: string; notice: Record<string, unknown> }[] }).items.find(
        (e) => e.noticeId === id,
      )!;
      expect(entry.notice).toMatchObject({ title: text, body: `${text}\n${text}` });
      // Read as a strict parser reads it: Python's json module rejects a control character left unescaped.
      const script = `import json, sys
page = json.load(sys.stdin)
sys.stdout.write(json.dumps([e["notice"]["title"] for e in page["items"] if e["noticeId"] == sys.argv[1]]))`;
      const python = execFileSync('/usr/bin/python3', ['-c', script, id], { input: res.text, encoding: 'utf8' });
      expect(JSON.parse(python)).toEqual([text]);
    } finally {
      await t.db.manager.query('UPDATE notice SET title = ?, body = ? WHERE id = ?', [before.title, before.body, id]);
    }
  });

  it('gives an empty page the same cursor to poll with, and continues from it when more arrive', async () => {
    const all = await get(undefined, 1000);
    const tail = await get(all.next);
    expect(tail).toMatchObject({ items: [], next: all.next, more: false });
    const n = await pub.publish(tenderNotice(await pub.project(constructionProject())));
    const after = await get(all.next);
    expect(after.items.map((e) => e.noticeId)).toEqual([n.id]);
    expect(after.next).not.toBe(all.next);
  });

  it('answers a conditional request from the log head alone: 304 until a publication, then the new page', async () => {
    const first = await t.http().get('/api/v1/changes?limit=2').expect(200);
    const all = await get(undefined, 1000);
    const tailUrl = `/api/v1/changes?after=${all.next}`;
    const tail = await t.http().get(tailUrl).expect(200);
    expect(first.headers.etag).toMatch(/^W\/"\d+-[\w-]+"$/);
    expect(tail.headers.etag).not.toBe(first.headers.etag);
    for (const [url, res] of [
      ['/api/v1/changes?limit=2', first],
      [tailUrl, tail],
    ] as const) {
      const again = await t.http().get(url).set('If-None-Match', res.headers.etag).expect(304);
      expect(again.text ?? '').toBe('');
    }
    const n = await pub.publish(tenderNotice(await pub.project(constructionProject())));
    // The head moved: every page answers in full again, the tail with the new entry.
    const fresh = await t.http().get(tailUrl).set('If-None-Match', tail.headers.etag).expect(200);
    expect((fresh.body as Page).items.map((e) => e.noticeId)).toEqual([n.id]);
    expect(fresh.headers.etag).not.toBe(tail.headers.etag);
    const unchanged = await t
      .http()
      .get('/api/v1/changes?limit=2')
      .set('If-None-Match', first.headers.etag)
      .expect(200);
    expect(unchanged.text).toBe(first.text);
    await t.http().get(tailUrl).set('If-None-Match', fresh.headers.etag).expect(304);
  });

  it.each([
    ['garbage', 'not a cursor!'],
    ['base64 of nonsense', Buffer.from('hello').toString('base64url')],
    ['an unknown version', Buffer.from(JSON.stringify({ v: 2, seq: 1 })).toString('base64url')],
    ['a negative seq', Buffer.from(JSON.stringify({ v: 1, seq: -1 })).toString('base64url')],
    ['a fractional seq', Buffer.from(JSON.stringify({ v: 1, seq: 1.5 })).toString('base64url')],
    ['a list cursor', 'eyJ2IjoxLCJzIjoicHVibGlzaGVkIiwiayI6IjIwMjYtMTEtMjVUMDI6MDA6MDAuMDAwWiIsImkiOiJ4In0'],
  ])('refuses %s as a cursor with a 400', async (_name, cursor) => {
    const res = await t
      .http()
      .get(`/api/v1/changes?after=${encodeURIComponent(cursor)}`)
      .expect(400);
    expect(res.body.message).toContain('游标');
  });

  it('refuses bad limits and unknown parameters', async () => {
    for (const q of ['limit=0', 'limit=1001', 'limit=x', 'category=construction', 'after=a&after=b']) {
      const res = await t.http().get(`/api/v1/changes?${q}`).expect(400);
      expect(res.body.message).toBeTruthy();
    }
  });

  // On SQLite there is one writer and transactions are queued, so the race cannot happen there; the same test
  // still runs, and on MariaDB the eight clients publish over separate connections at once.
  it(`sees every change exactly once while ${isMysql() ? 'eight clients publish concurrently (MariaDB)' : 'eight clients publish (SQLite: serialised)'}`, async () => {
    const start = (await get(undefined, 1000)).next;
    const lanes = 8;
    const perLane = 10;
    // Drafts for each lane, submitted and waiting for approval (prepared in parallel, one project per lane).
    const drafts = await Promise.all(
      Array.from({ length: lanes }, async (_, lane) => {
        const projectId = await pub.project(constructionProject());
        const ids: string[] = [];
        for (let i = 0; i < perLane; i++) {
          const draft = await pub.clerk
            .post('/api/admin/notices')
            .send({ ...tenderNotice(projectId), title: `并发发布测试公告 ${lane}-${i}` })
            .expect(201);
          await pub.clerk.post(`/api/admin/notices/${draft.body.id}/submit`).expect(200);
          ids.push(draft.body.id);
        }
        return ids;
      }),
    );

    let publishing = true;
    const published: { id: string; logSeq: number }[] = [];
    const writers = Promise.all(
      drafts.map(async (ids) => {
        for (const id of ids) {
          const res = await pub.reviewer.post(`/api/admin/notices/${id}/approve`).send({}).expect(200);
          published.push({ id: res.body.id, logSeq: res.body.logSeq });
        }
      }),
    ).finally(() => {
      publishing = false;
    });

    const seen: Page['items'] = [];
    let cursor = start;
    const deadline = Date.now() + 50_000;
    for (;;) {
      const stillPublishing = publishing;
      const page = await get(cursor, 7);
      seen.push(...page.items);
      cursor = page.next;
      // Done once a page read after the last commit comes back empty.
      if (!stillPublishing && !page.items.length) break;
      if (Date.now() > deadline) throw new Error('consumer did not catch up');
    }
    await writers;

    expect(published).toHaveLength(lanes * perLane);
    const seqs = seen.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seen.map((e) => e.noticeId).sort()).toEqual(published.map((p) => p.id).sort());
    expect(seen.map((e) => e.seq).sort((a, b) => a - b)).toEqual(published.map((p) => p.logSeq).sort((a, b) => a - b));
  });

  it('encodes its cursor as versioned base64url JSON', () => {
    expect(JSON.parse(Buffer.from(encodeChangeCursor(42), 'base64url').toString())).toEqual({ v: 1, seq: 42 });
  });
});
