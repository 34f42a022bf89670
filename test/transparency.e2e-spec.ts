import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Notice } from '../src/trading/notice.entity.js';
import {
  checkpointStatement,
  contentHash,
  entryHash,
  GENESIS_HASH,
  publicEntryHash,
} from '../src/transparency/canonical.js';
import { TransparencyCheckpoint, TransparencySigningKey } from '../src/transparency/checkpoint.entity.js';
import { PublicationLogEntry, PublicationLogHead } from '../src/transparency/publication-log.entity.js';
import { publicKeyFingerprint, verifyStatement } from '../src/config/signing-key.js';
import { TransparencyService } from '../src/transparency/transparency.service.js';
import { verifyLog } from '../src/transparency/verify.js';
import { constructionProject, procurementNotice, procurementProject, tenderNotice } from './support/fixtures.js';
import { publishingDesk, type PublishingDesk } from './support/publish-flow.js';
import { FixedClock, startTestApp, type TestApp } from './support/test-app.js';

const NOW = new Date('2026-11-25T02:00:00Z'); // 10:00 China Standard Time

/** Rewrites the log from `fromSeq` on so that every hash is consistent again: what a database holder could do. */
async function rewriteChain(t: TestApp, fromSeq: number) {
  await t.db.transaction(async (em) => {
    const entries = await em.find(PublicationLogEntry, { order: { seq: 'ASC' } });
    let prev = entries[fromSeq - 2]?.entryHash ?? GENESIS_HASH;
    for (const e of entries.slice(fromSeq - 1)) {
      const notice = await em.findOneByOrFail(Notice, { id: e.noticeId! });
      e.contentHash = contentHash({ ...notice, publishedAt: notice.publishedAt! });
      e.prevHash = prev;
      e.entryHash = entryHash(e);
      prev = e.entryHash;
      await em.save(e);
      await em.update(Notice, { id: notice.id }, { contentHash: e.contentHash });
    }
    await em.update(PublicationLogHead, { id: 1 }, { hash: prev });
  });
}

describe('transparency log: API, signed checkpoints, /transparency and the verifier', () => {
  let t: TestApp;
  let desk: PublishingDesk;
  let baseUrl: string;
  const published: { id: string; logSeq: number }[] = [];

  beforeAll(async () => {
    // The tampering below happens behind the application's back (no publication moves the log's head), so the
    // response cache would keep serving what was published until the next publication: these tests read the rows.
    t = await startTestApp({ clock: new FixedClock(NOW), env: { CACHE_ENABLED: 'false' } });
    desk = await publishingDesk(t);
    const works = await desk.project(constructionProject());
    const tender = await desk.publish(tenderNotice(works));
    published.push(tender);
    published.push(
      await desk.publish({
        projectId: works,
        type: 'correction',
        title: '红旗西路道路改造工程施工招标澄清公告',
        body: '投标截止时间顺延。',
        targetNoticeId: tender.id,
        details: {
          reason: '补充工程量清单',
          affectsBids: true,
          changes: { bidDeadline: '2026-12-22 09:30', openingTime: '2026-12-22 09:30' },
        },
      }),
    );
    const purchase = await desk.publish(procurementNotice(await desk.project(procurementProject())));
    published.push(purchase);
    published.push(await desk.withdraw(purchase.id, '采购需求调整'));
    await t.app.listen(0);
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(() => t.close());

  it('serves the log keyset-paged by seq, every entry chained to the one before', async () => {
    const first = await t.http().get('/api/v1/transparency/log?limit=3').expect(200);
    expect(first.body.items.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3]);
    expect(first.body.next).toBe(3);
    const rest = await t.http().get('/api/v1/transparency/log?after=3').expect(200);
    expect(rest.body.items.map((e: { seq: number }) => e.seq)).toEqual([4]);
    const empty = await t.http().get('/api/v1/transparency/log?after=4').expect(200);
    expect(empty.body).toMatchObject({ items: [], next: 4 });

    const entries = [...first.body.items, ...rest.body.items];
    expect(entries[0]).toEqual({
      seq: 1,
      kind: 'publication',
      noticeId: published[0].id,
      projectId: expect.any(String),
      recordedAt: '2026-11-25T10:00:00+08:00',
      contentHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      prevHash: GENESIS_HASH,
      entryHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(entries.map((e) => e.kind)).toEqual(['publication', 'correction', 'publication', 'withdrawal']);
    entries.forEach((e, i) => {
      expect(e.noticeId).toBe(published[i].id);
      expect(e.prevHash).toBe(i ? entries[i - 1].entryHash : GENESIS_HASH);
      expect(publicEntryHash(e)).toBe(e.entryHash);
    });
    expect(rest.body.head).toEqual({ seq: 4, hash: entries[3].entryHash, recordedAt: '2026-11-25T10:00:00+08:00' });
  });

  it.each([
    ['after=-1'],
    ['after=abc'],
    ['after=1.5'],
    ['limit=0'],
    ['limit=1001'],
    ['after=1&after=2'],
    ['cursor=abc'],
  ])('refuses %s with a 400 in JSON', async (query) => {
    for (const path of ['/api/v1/transparency/log', '/api/v1/transparency/checkpoints']) {
      const res = await t.http().get(`${path}?${query}`).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'validation.failed', message: '分页参数不正确' });
      expect(res.body.errors[0].field).toMatch(/^(after|limit|cursor)$/);
    }
  });

  it('records a signed checkpoint when the head has moved, once however many instances try at the same time', async () => {
    const transparency = t.app.get(TransparencyService);
    expect(await transparency.latestCheckpoint()).toBeNull();
    const results = await Promise.all([
      transparency.recordCheckpoint(),
      transparency.recordCheckpoint(),
      transparency.recordCheckpoint(),
    ]);
    expect(await t.db.manager.count(TransparencyCheckpoint)).toBe(1);
    expect(results.find((r) => r)).toMatchObject({ seq: 4, platform: 'DL2102', time: '2026-11-25T10:00:00+08:00' });
    expect(await transparency.recordCheckpoint()).toBeNull();

    published.push(await desk.publish(tenderNotice(await desk.project(constructionProject()))));
    const second = await transparency.recordCheckpoint();
    expect(second).toMatchObject({ seq: 5 });
    expect(await transparency.latestCheckpoint()).toEqual(second);

    const api = await t.http().get('/api/v1/transparency/checkpoints').expect(200);
    expect(api.body.platform).toBe('DL2102');
    expect(api.body.latest).toEqual(second);
    expect(api.body.items.map((c: { seq: number }) => c.seq)).toEqual([4, 5]);
    const [key] = api.body.keys;
    expect(api.body.keys).toHaveLength(1);
    expect(key).toMatchObject({
      algorithm: 'Ed25519',
      current: true,
      fingerprint: publicKeyFingerprint(key.publicKeyPem),
    });
    for (const c of api.body.items) {
      expect(c.keyFingerprint).toBe(key.fingerprint);
      expect(verifyStatement(key.publicKeyPem, checkpointStatement(c), c.signature)).toBe(true);
      expect(verifyStatement(key.publicKeyPem, checkpointStatement({ ...c, hash: GENESIS_HASH }), c.signature)).toBe(
        false,
      );
    }
    const head = await t.http().get('/api/v1/transparency/log?after=4').expect(200);
    expect(second!.hash).toBe(head.body.items[0].entryHash);
  });

  it('shows the head, the latest checkpoints, the public key and how to verify on /transparency', async () => {
    const res = await t.http().get('/transparency').expect(200).expect('content-type', /html/);
    const { body } = await t.http().get('/api/v1/transparency/checkpoints');
    const html = res.text;
    expect(html).toContain('公示日志与验证');
    expect(html).toContain(body.latest.hash);
    expect(html).toContain(body.latest.signature.replace(/=/g, '&#x3D;'));
    expect(html).toContain(`<time datetime="${body.latest.time}">2026-11-25 10:00（北京时间）</time>`);
    expect(html).toContain(body.keys[0].fingerprint);
    expect(html).toContain('-----BEGIN PUBLIC KEY-----');
    expect(html).toContain(`npm run verify-log -- ${t.config.publicBaseUrl} --checkpoint checkpoint.json`);
    expect(html).toContain('id、projectId、type、title、body、details、targetNoticeId、publishedAt、sourcePlatform');
    expect(html).not.toMatch(/<script|\sstyle=/);
    const again = await t.http().get('/transparency').set('If-None-Match', res.headers.etag);
    expect(again.status).toBe(304);
  });

  it('verifies the published data from the public API alone, reading the notices from the change feed or one by one', async () => {
    for (const perNotice of [false, true]) {
      const urls: string[] = [];
      const counting: typeof fetch = (url, init) => {
        urls.push(String(url));
        return fetch(url, init);
      };
      const report = await verifyLog({ baseUrl, perNotice, fetch: counting });
      expect(report.mismatches).toEqual([]);
      expect(report).toMatchObject({ ok: true, entries: 5, checkpoints: 2, head: { seq: 5 } });
      expect(urls.filter((u) => u.includes('/api/v1/notices/'))).toHaveLength(perNotice ? 5 : 0);
    }
  });

  it('names the entry whose published notice was altered in the database', async () => {
    const altered = published[1];
    await t.db.dataSource.query('UPDATE notice SET title = ? WHERE id = ?', [
      '红旗西路道路改造工程施工招标澄清公告（已改）',
      altered.id,
    ]);
    for (const perNotice of [false, true]) {
      const report = await verifyLog({ baseUrl, perNotice });
      expect(report.ok).toBe(false);
      expect(report.first).toMatchObject({
        seq: altered.logSeq,
        noticeId: altered.id,
        problem: expect.stringContaining('发布后被改动'),
      });
      expect(report.mismatches).toHaveLength(1);
    }
  });

  it('catches a consistent rewrite of the whole chain by the published checkpoints, and by a saved one even when those are deleted', async () => {
    const saved = (await t.app.get(TransparencyService).latestCheckpoint())!;
    await rewriteChain(t, published[1].logSeq);

    const rewritten = await verifyLog({ baseUrl });
    expect(rewritten.ok).toBe(false);
    expect(rewritten.mismatches.map((m) => m.seq)).toEqual([4, 5]);
    expect(rewritten.first!.problem).toContain('已发布的签名检查点');

    await t.db.manager.clear(TransparencyCheckpoint);
    expect((await verifyLog({ baseUrl })).ok).toBe(true); // the chain alone proves nothing against its holder
    const withSaved = await verifyLog({ baseUrl, checkpoint: { seq: saved.seq, hash: saved.hash } });
    expect(withSaved.ok).toBe(false);
    expect(withSaved.first).toMatchObject({ seq: saved.seq, problem: expect.stringContaining('您保存的检查点') });
    expect(withSaved.first!.problem).toContain('历史被改写');
  });

  it("reports a saved checkpoint beyond today's log as a truncated history", async () => {
    const report = await verifyLog({ baseUrl, checkpoint: { seq: 99, hash: 'a'.repeat(64) } });
    expect(report.first).toMatchObject({ seq: 99, problem: expect.stringContaining('截短或回滚') });
  });
});

describe('checkpoint signing key', () => {
  it('signs with LOG_SIGNING_KEY when set, keeping only its public half in the database', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const base64 = privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');
    const t = await startTestApp({ clock: new FixedClock(NOW), env: { LOG_SIGNING_KEY: base64 } });
    try {
      const desk = await publishingDesk(t);
      await desk.publish(tenderNotice(await desk.project(constructionProject())));
      const checkpoint = (await t.app.get(TransparencyService).recordCheckpoint())!;
      expect(checkpoint.keyFingerprint).toBe(publicKeyFingerprint(publicKey));
      const rows = await t.db.manager.find(TransparencySigningKey);
      expect(rows).toEqual([
        expect.objectContaining({ fingerprint: checkpoint.keyFingerprint, privateKeyPem: null, generated: null }),
      ]);
      const page = await t.http().get('/transparency').expect(200);
      expect(page.text).toContain(checkpoint.keyFingerprint);
    } finally {
      await t.close();
    }
  });
});
