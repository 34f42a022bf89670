import { gunzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { AlertCursor, AlertDelivery } from '../src/alerts/alert.entities.js';
import { ALERTS_JOB } from '../src/alerts/alert-jobs.js';
import type { Actor } from '../src/auth/actor.js';
import { chinaDateTimeIso } from '../src/domain/china-time.js';
import { JobRunner } from '../src/jobs/job-runner.js';
import { encodeChangeCursor } from '../src/open-data/api/change-cursor.js';
import { OutboxEntry } from '../src/outbox/outbox.entity.js';
import { freeze } from '../src/reports/annual-report.js';
import { AnnualReportRow } from '../src/reports/annual-report.entity.js';
import { ReportsService } from '../src/reports/reports.service.js';
import { canonicalJson, publicEntryHash, sha256Hex } from '../src/transparency/canonical.js';
import { PublicationLogEntry } from '../src/transparency/publication-log.entity.js';
import { TransparencyService } from '../src/transparency/transparency.service.js';
import { verifyLog } from '../src/transparency/verify.js';
import { constructionProject, tenderNotice } from './support/fixtures.js';
import { startOpenDataApp, type Publisher } from './support/open-data.js';
import { createStaff } from './support/staff.js';
import { isMysql, type FixedClock, type TestApp, rawBytes } from './support/test-app.js';

/**
 * A published yearly disclosure report is an entry of the publication log of its own kind: hashed, chained, signed
 * into checkpoints and verifiable from its frozen JSON, but no trading notice — the change feed, OCDS, the bulk
 * files, the feeds, alerts and the upstream outbox pass over it as if its seq were a gap.
 */
describe(`a published yearly report in the publication log (${isMysql() ? 'MariaDB' : 'SQLite'})`, () => {
  let t: TestApp;
  let clock: FixedClock;
  let pub: Publisher;
  let reports: ReportsService;
  let baseUrl: string;
  let projectId: string;
  let first: { id: string; logSeq: number };
  let reportEntry: Record<string, unknown>;
  let reportCheckpoint: { seq: number; hash: string };

  const actor = async (role: 'clerk' | 'reviewer'): Promise<Actor> => {
    const u = await createStaff(t, role);
    return { userId: u.id, username: u.username, displayName: u.username, role, via: 'test', ip: null };
  };
  const logEntries = async () =>
    (await t.http().get('/api/v1/transparency/log?limit=1000').expect(200)).body.items as Record<string, unknown>[];
  const changes = async (after?: number) =>
    (
      await t
        .http()
        .get(`/api/v1/changes${after === undefined ? '' : `?after=${encodeChangeCursor(after)}`}`)
        .expect(200)
    ).body;
  const runAlerts = () => t.app.get(JobRunner).runOnce(ALERTS_JOB);

  beforeAll(async () => {
    ({ t, clock, pub } = await startOpenDataApp({
      UPSTREAMS: JSON.stringify([
        { name: 'province', url: 'http://127.0.0.1:9/api/v1/ingest', keyId: 'dl2102', secret: 'dalian-secret-0123456' },
      ]),
    }));
    reports = t.app.get(ReportsService);
    await t.app.listen(0);
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    // A saved search without filters: it matches every notice published after it.
    expect((await t.http().post('/alerts').type('form').send({})).status).toBe(201);
    projectId = await pub.project(constructionProject());
    first = await pub.publish(tenderNotice(projectId));
    await runAlerts();
  }, 120_000);
  afterAll(() => t.close());

  it("appends one annual-report entry on publication, carrying the frozen JSON's hash, in the chain", async () => {
    // Pages cached before: a project page and the home page.
    for (const path of [`/projects/${projectId}`, '/'])
      for (const cache of ['miss', 'hit']) expect((await t.http().get(path)).headers['x-cache']).toBe(cache);
    const before = await logEntries();
    const clerk = await actor('clerk');
    await reports.save(clerk, 2025, { overview: '全年依法公开。', problems: '无。', other: '未收取信息处理费。' });
    await reports.submit(clerk, 2025);
    clock.advance(60_000);
    const row = await reports.publish(await actor('reviewer'), 2025);

    const after = await logEntries();
    expect(after).toHaveLength(before.length + 1);
    reportEntry = after[after.length - 1];
    expect(reportEntry).toEqual({
      seq: first.logSeq + 1,
      kind: 'annual-report',
      noticeId: null,
      projectId: null,
      reportYear: 2025,
      recordedAt: chinaDateTimeIso(row.publishedAt!),
      contentHash: row.contentHash,
      prevHash: before[before.length - 1].entryHash,
      entryHash: publicEntryHash(reportEntry as never),
    });
    expect(await t.db.manager.countBy(PublicationLogEntry, { kind: 'annual-report' })).toBe(1);

    // The hash is that of the frozen canonical JSON, served byte for byte.
    const json = await t.http().get('/reports/annual/2025.json').buffer(true).expect(200);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(json.text).toBe(row.content);
    expect(sha256Hex(json.text)).toBe(reportEntry.contentHash);
    expect(canonicalJson(JSON.parse(json.text))).toBe(json.text);

    // Signed into a checkpoint at its own position.
    reportCheckpoint = (await t.app.get(TransparencyService).recordCheckpoint())!;
    expect(reportCheckpoint).toMatchObject({ seq: reportEntry.seq, hash: reportEntry.entryHash });
  });

  it('moves the head: the report pages show it, pages of projects it does not touch stay cached', async () => {
    expect((await t.http().get(`/projects/${projectId}`)).headers['x-cache']).toBe('hit');
    expect((await t.http().get('/')).headers['x-cache']).toBe('miss');
    const page = await t.http().get('/reports/annual/2025').expect(200);
    expect(page.text).toContain(reportEntry.contentHash);
    expect(page.text).toContain(`<a href="/transparency">公示日志</a>第 ${reportEntry.seq} 条`);
    expect(page.text).toContain('href="/reports/annual/2025.json"');
    expect((await t.http().get('/reports/annual')).text).toContain('href="/reports/annual/2025"');
  });

  it('is never changed: a second publication and later edits are refused and add no entry', async () => {
    const reviewer = await actor('reviewer');
    await expect(reports.publish(reviewer, 2025)).rejects.toMatchObject({ code: 'workflow.not-submitted' });
    await expect(reports.save(await actor('clerk'), 2025, { overview: '改写' })).rejects.toMatchObject({
      code: 'workflow.not-editable',
    });
    expect(await reports.logUnloggedReports()).toEqual([]);
    expect(await t.db.manager.countBy(PublicationLogEntry, { kind: 'annual-report' })).toBe(1);
  });

  it('is no trading notice: the change feed, OCDS, alerts and the outbox pass over it', async () => {
    const feed = await changes();
    expect(feed.items.map((c: { seq: number }) => c.seq)).toEqual([first.logSeq]);
    // Polling at the end while the head is the report: an empty page and the same cursor, as after any last change.
    const poll = await changes(first.logSeq);
    expect(poll).toMatchObject({ items: [], more: false, next: feed.next });
    await t.http().get(`/api/ocds/releases?after=${feed.next}`).expect(204);
    expect(await t.db.manager.countBy(OutboxEntry, { logSeq: reportEntry.seq as number })).toBe(0);
    await runAlerts();
    expect(await t.db.manager.countBy(AlertDelivery, { logSeq: reportEntry.seq as number })).toBe(0);
  });

  it('lets the next notice follow it in every one of them, the report seq being a gap', async () => {
    clock.advance(60_000);
    const second = await pub.publish({
      ...tenderNotice(await pub.project(constructionProject())),
      title: '第二条公告',
    });
    expect(second.logSeq).toBe((reportEntry.seq as number) + 1);

    for (const after of [first.logSeq, reportEntry.seq as number]) {
      const page = await changes(after);
      expect(page.items.map((c: { seq: number }) => c.seq)).toEqual([second.logSeq]);
      // Its prevHash is the report entry's: the chain runs through the log, not the feed.
      expect(page.items[0].prevHash).toBe(reportEntry.entryHash);
    }
    const all = await changes();
    expect(all.items.map((c: { noticeId: string }) => c.noticeId)).toEqual([first.id, second.id]);

    const releases = await t.http().get('/api/ocds/releases?limit=100').expect(200);
    expect(releases.body.releases).toHaveLength(2);
    const afterFirst = await t
      .http()
      .get(`/api/ocds/releases?after=${encodeChangeCursor(first.logSeq)}`)
      .expect(200);
    expect(afterFirst.body.releases).toHaveLength(1);
    expect(JSON.stringify(afterFirst.body.releases[0])).toContain(second.id);

    const rss = await t.http().get('/feeds/notices.rss').expect(200);
    expect(rss.text.match(/<item>/g)).toHaveLength(2);
    expect(rss.text).not.toContain('年度报告');

    await runAlerts();
    const deliveries = await t.db.manager.find(AlertDelivery, { order: { logSeq: 'ASC' } });
    expect(deliveries.map((d) => [d.noticeId, d.logSeq])).toEqual([
      [first.id, first.logSeq],
      [second.id, second.logSeq],
    ]);
    expect((await t.db.manager.findOneByOrFail(AlertCursor, { name: 'matcher' })).seq).toBe(second.logSeq);

    const outbox = await t.db.manager.find(OutboxEntry, { order: { id: 'ASC' } });
    expect(outbox.filter((o) => o.kind !== 'project').map((o) => [o.kind, o.logSeq])).toEqual([
      ['publication', first.logSeq],
      ['publication', second.logSeq],
    ]);
  });

  it('logs a report published before reports entered the log, once, dated when it is logged', async () => {
    // What an upgraded database holds: a published report, frozen, without its entry.
    const frozen = freeze(await reports.compute(2024, null));
    await t.db.manager.insert(AnnualReportRow, {
      year: 2024,
      status: 'published',
      overviewText: '',
      problemsText: '',
      otherText: '',
      baseline: '{}',
      content: frozen.json,
      contentHash: frozen.hash,
      publishedAt: new Date('2025-01-20T02:00:00Z'),
      createdAt: clock.now(),
      updatedAt: clock.now(),
    });
    expect(await reports.logUnloggedReports()).toEqual([2024]);
    expect(await reports.logUnloggedReports()).toEqual([]);
    const entries = await logEntries();
    expect(entries[entries.length - 1]).toMatchObject({
      kind: 'annual-report',
      reportYear: 2024,
      contentHash: frozen.hash,
      recordedAt: chinaDateTimeIso(clock.now()),
    });
  });

  it('lists the report entries on /transparency, linked to the reports and their JSON', async () => {
    const html = (await t.http().get('/transparency').expect(200)).text;
    for (const year of [2025, 2024]) {
      expect(html).toContain(`href="/reports/annual/${year}"`);
      expect(html).toContain(`href="/reports/annual/${year}.json"`);
    }
    expect(html).toContain(reportEntry.contentHash);
    expect(html.indexOf('/reports/annual/2025"')).toBeLessThan(html.indexOf('/reports/annual/2024"'));
  });

  it("verifies from the public data alone: the chain, the checkpoint at the report entry, the report's hash", async () => {
    for (const perNotice of [false, true]) {
      const urls: string[] = [];
      const report = await verifyLog({
        baseUrl,
        perNotice,
        checkpoint: reportCheckpoint,
        fetch: (url, init) => {
          urls.push(String(url));
          return fetch(url, init);
        },
      });
      expect(report.mismatches).toEqual([]);
      expect(report).toMatchObject({ ok: true, entries: (reportEntry.seq as number) + 2 });
      expect(urls.filter((u) => u.includes('/reports/annual/'))).toEqual([
        `${baseUrl}/reports/annual/2025.json`,
        `${baseUrl}/reports/annual/2024.json`,
      ]);
      expect(urls.filter((u) => u.includes('/api/v1/notices/'))).toHaveLength(perNotice ? 2 : 0);
    }
  });

  it('names the report entry whose frozen report was rewritten in the database, hash and all', async () => {
    const [row] = (await t.db.manager.query('SELECT content FROM annual_report WHERE year = 2025')) as {
      content: string;
    }[];
    const forged = freeze({ ...JSON.parse(row.content), other: '本年度收取信息处理费。' });
    await t.db.manager.query('UPDATE annual_report SET content = ?, content_hash = ? WHERE year = 2025', [
      forged.json,
      forged.hash,
    ]);
    // The response cache keeps what it read until the log moves, and this change happened behind the
    // application's back: the next publication moves it.
    await pub.publish({ ...tenderNotice(projectId), title: '第三条公告' });
    const report = await verifyLog({ baseUrl });
    expect(report.ok).toBe(false);
    expect(report.mismatches).toHaveLength(1);
    expect(report.first).toMatchObject({
      seq: reportEntry.seq,
      reportYear: 2025,
      problem: expect.stringContaining('报告在发布后被改动'),
    });
    expect(report.first!.problem).toContain(`记录 ${reportEntry.contentHash}`);
    // The report page shows the forged hash, which the log does not hold.
    expect((await t.http().get('/reports/annual/2025').expect(200)).text).toContain(forged.hash);
  });

  it("keeps it out of the day's bulk change file", async () => {
    clock.set(new Date('2026-11-25T16:20:00Z')); // 00:20 CST on the 26th: the 25th is over
    await t.app.get(JobRunner).runOnce('bulk-files');
    const res = await t.http().get('/bulk/changes-2026-11-25.jsonl.gz').buffer(true).parse(rawBytes).expect(200);
    const lines = gunzipSync(res.body as Buffer)
      .toString('utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string });
    expect(lines.map((l) => l.kind)).toEqual(['publication', 'publication', 'publication']);
    expect(lines).toEqual((await changes()).items);
  });
});
