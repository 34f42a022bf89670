import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { BulkFile } from '../src/open-data/bulk/bulk-file.entity.js';
import { JobRunner } from '../src/jobs/job-runner.js';
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
import { rawBytes, type FixedClock, type TestApp } from './support/test-app.js';

describe('open data: daily bulk files (/bulk/)', () => {
  let t: TestApp;
  let clock: FixedClock;
  let pub: Publisher;
  let s: Scenario;

  beforeAll(async () => {
    ({ t, clock, pub } = await startOpenDataApp());
    s = await publishScenario(pub);
  });
  afterAll(() => t.close());

  const bytesOf = async (path: string) => {
    const res = await t.http().get(path).buffer(true).parse(rawBytes).expect(200);
    return { res, bytes: res.body as Buffer };
  };
  const runJob = () => t.app.get(JobRunner).runOnce('bulk-files');

  it('writes nothing for a day that is not over, nor within the grace period after midnight', async () => {
    await runJob();
    clock.set(new Date('2026-11-25T16:10:00Z')); // 00:10 CST on the 26th
    await runJob();
    expect(await t.db.manager.count(BulkFile)).toBe(0);
    const manifest = await t.http().get('/bulk/manifest.json').expect(200);
    expect(manifest.body.files).toEqual([]);
    const page = await t.http().get('/bulk/').expect(200);
    expect(page.text).toContain('尚无批量文件');
  });

  it('writes a finished day as gzip JSON Lines of its changes and gzip CSV of its notices, listed with size and sha256', async () => {
    clock.set(new Date('2026-11-25T16:20:00Z'));
    await runJob();
    const manifest = await t.http().get('/bulk/manifest.json').expect(200);
    expect(manifest.body.files.map((f: { name: string }) => f.name)).toEqual([
      'changes-2026-11-25.jsonl.gz',
      'notices-2026-11-25.csv.gz',
    ]);
    for (const f of manifest.body.files) {
      const { res, bytes } = await bytesOf(new URL(f.url).pathname);
      expect(res.headers['content-type']).toBe('application/gzip');
      expect(bytes.length).toBe(f.size);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(f.sha256);
      expect(f.items).toBe(13);
    }
    const { bytes: jsonl } = await bytesOf('/bulk/changes-2026-11-25.jsonl.gz');
    const lines = gunzipSync(jsonl)
      .toString('utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const feed = await t.http().get('/api/v1/changes?limit=1000').expect(200);
    expect(lines).toEqual(feed.body.items);
    const { bytes: csv } = await bytesOf('/bulk/notices-2026-11-25.csv.gz');
    const rows = readSpreadsheetRecords(gunzipSync(csv)).records;
    expect(rows.map((r) => r['公告编号']).sort()).toEqual(
      Object.values(s.notices)
        .map((n) => n.id)
        .sort(),
    );

    const page = await t.http().get('/bulk/').expect(200);
    expect(page.text).toContain('changes-2026-11-25.jsonl.gz');
    expect(page.text).toContain(manifest.body.files[0].sha256);
  });

  it('never changes a finished day: later withdrawals and runs leave its bytes alone; later days get their own files', async () => {
    const before = await t.http().get('/bulk/manifest.json').expect(200);
    clock.set(new Date('2026-11-26T02:00:00Z'));
    await pub.publish({
      projectId: s.projects.works,
      type: 'withdrawal',
      title: '关于撤回履约信息的声明',
      body: '录入有误。',
      targetNoticeId: s.notices.performance.id,
      details: { reason: '录入有误' },
    });
    clock.set(new Date('2026-11-28T01:00:00Z'));
    await runJob();
    await runJob();
    const after = await t.http().get('/bulk/manifest.json').expect(200);
    const byName = new Map(after.body.files.map((f: { name: string; sha256: string }) => [f.name, f]));
    for (const f of before.body.files) expect(byName.get(f.name)).toEqual(f);
    expect(after.body.files.map((f: { name: string }) => f.name)).toEqual([
      'changes-2026-11-27.jsonl.gz',
      'notices-2026-11-27.csv.gz',
      'changes-2026-11-26.jsonl.gz',
      'notices-2026-11-26.csv.gz',
      'changes-2026-11-25.jsonl.gz',
      'notices-2026-11-25.csv.gz',
    ]);
    const quiet = after.body.files.find((f: { name: string }) => f.name === 'changes-2026-11-27.jsonl.gz');
    expect(quiet.items).toBe(0);
    const withdrawalDay = gunzipSync((await bytesOf('/bulk/changes-2026-11-26.jsonl.gz')).bytes)
      .toString('utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(withdrawalDay.map((e: { kind: string }) => e.kind)).toEqual(['withdrawal']);
  });

  it('serves files with validators for caching, and 404 for unknown names', async () => {
    const first = await t.http().get('/bulk/changes-2026-11-25.jsonl.gz').expect(200);
    expect(first.headers['cache-control']).toContain('immutable');
    await t.http().get('/bulk/changes-2026-11-25.jsonl.gz').set('If-None-Match', first.headers.etag).expect(304);
    const missing = await t.http().get('/bulk/changes-2030-01-01.jsonl.gz').expect(404);
    expect(missing.body.message).toContain('不存在');
    const m = await t.http().get('/bulk/manifest.json').expect(200);
    await t.http().get('/bulk/manifest.json').set('If-None-Match', m.headers.etag).expect(304);
  });

  it('writes a day whose notices hold line breaks, commas and quotes as CSV that spreadsheets and Python read back row for row', async () => {
    clock.set(new Date('2026-11-28T02:00:00Z'));
    const awkward = await publishAwkwardText(pub);
    clock.set(new Date('2026-11-29T01:00:00Z'));
    await runJob();
    const csv = gunzipSync((await bytesOf('/bulk/notices-2026-11-28.csv.gz')).bytes);
    const rows = readSpreadsheetCsv(csv);
    expect(rows).toHaveLength(1 + 3);
    expect(readWithPythonCsv(csv)).toEqual(rows);
    const byId = new Map(readSpreadsheetRecords(csv).records.map((r) => [r['公告编号'], r]));
    expect(byId.get(awkward.notices.tender.id)).toMatchObject({
      标题: COMMAS_QUOTES_TEXT,
      正文: LINE_BREAKS_TEXT,
      项目名称: '老街改造\n二期工程',
    });
    expect(byId.get(awkward.notices.opening.id)).toMatchObject({ 正文: COMMAS_QUOTES_TEXT });
  });
});
