import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import request from 'supertest';
import { createApp } from '../src/app.js';
import { loadConfig, type DatabaseConfig } from '../src/config/config.js';
import { backupDatabase, BackupError, restoreDatabase } from '../src/database/backup.js';
import { TransparencyService } from '../src/transparency/transparency.service.js';
import { verifyLog } from '../src/transparency/verify.js';
import { constructionProject, procurementNotice, procurementProject, tenderNotice } from './support/fixtures.js';
import { publishingDesk } from './support/publish-flow.js';
import { FixedClock, isMysql, startTestApp, type TestApp } from './support/test-app.js';

const NOW = new Date('2026-11-25T02:00:00Z');

/** Where the copy is restored: a new SQLite file, or a new database beside the test's own on MySQL/MariaDB. */
function copyTarget(source: DatabaseConfig, dir: string): { url: string; drop: () => Promise<void> } {
  if (source.kind === 'sqlite')
    return { url: `sqlite:${join(dir, 'restored', 'portal.sqlite')}`, drop: async () => undefined };
  const name = `${source.database}_restored`;
  const u = new URL(source.url);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = await createConnection({
        host: source.host,
        port: source.port,
        user: source.user,
        password: source.password,
      });
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}

async function changeSeqs(http: () => request.Agent, after?: string) {
  const res = await http()
    .get(`/api/v1/changes${after ? `?after=${after}` : ''}`)
    .expect(200);
  return { seqs: res.body.items.map((c: { seq: number }) => c.seq) as number[], next: res.body.next as string };
}

describe(`backup and restore (${isMysql() ? 'MySQL/MariaDB: mysqldump' : 'SQLite: online backup API'})`, () => {
  let t: TestApp;
  let dir: string;
  let copy: NestExpressApplication | undefined;
  let dropCopy = async () => undefined as void;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ggzy-backup-'));
    t = await startTestApp({ clock: new FixedClock(NOW) });
  });
  afterAll(async () => {
    await copy?.close();
    await t.close();
    await dropCopy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('restores a backup taken while the portal runs to a copy that verifies, and whose log and change feed continue without a gap', async () => {
    const desk = await publishingDesk(t);
    const works = await desk.project(constructionProject());
    await desk.publish(tenderNotice(works));
    await desk.publish(procurementNotice(await desk.project(procurementProject())));
    await desk.publish(tenderNotice(await desk.project(constructionProject())));
    const checkpoint = (await t.app.get(TransparencyService).recordCheckpoint())!;
    const consumer = await changeSeqs(t.http);
    expect(consumer.seqs).toEqual([1, 2, 3]);

    const file = join(dir, isMysql() ? 'portal.sql' : 'portal.sqlite');
    const backup = await backupDatabase(t.config.database, file);
    expect(backup.bytes).toBeGreaterThan(0);
    if (!isMysql()) expect(backup.headSeq).toBe(3);
    await expect(backupDatabase(t.config.database, file)).rejects.toThrow('已存在');

    // The original goes on publishing after the backup: those are not in it.
    await desk.publish(tenderNotice(await desk.project(constructionProject())));
    await desk.publish(tenderNotice(await desk.project(constructionProject())));

    const target = copyTarget(t.config.database, dir);
    dropCopy = target.drop;
    const targetConfig = loadConfig({ DATABASE_URL: target.url }).database;
    expect(await restoreDatabase(file, targetConfig)).toEqual({ headSeq: 3 });
    await expect(restoreDatabase(file, targetConfig)).rejects.toThrow('--force');
    expect(await restoreDatabase(file, targetConfig, { force: true })).toEqual({ headSeq: 3 });

    const config = loadConfig({
      LOG_LEVEL: 'silent',
      SEED_DEMO: 'false',
      JOBS_ENABLED: 'false',
      DATABASE_URL: target.url,
    });
    copy = await createApp(config, { clock: new FixedClock(new Date(NOW.getTime() + 3600_000)) });
    await copy.listen(0);
    const copyUrl = `http://127.0.0.1:${(copy.getHttpServer().address() as AddressInfo).port}`;
    const restored = await verifyLog({ baseUrl: copyUrl, checkpoint });
    expect(restored.mismatches).toEqual([]);
    expect(restored).toMatchObject({ ok: true, entries: 3, checkpoints: 1 });
    // The generated signing key lives in the database, so the restored portal signs with the same key.
    expect((await copy.get(TransparencyService).signingKey()).fingerprint).toBe(checkpoint.keyFingerprint);

    const copyHttp = () => request(copy!.getHttpServer());
    const copyDesk = await publishingDesk({ app: copy, http: copyHttp } as unknown as TestApp);
    const next = await copyDesk.publish(tenderNotice(works));
    expect(next.logSeq).toBe(4);
    expect(await changeSeqs(copyHttp, consumer.next)).toMatchObject({ seqs: [4] });
    expect((await changeSeqs(copyHttp)).seqs).toEqual([1, 2, 3, 4]);
    expect(await verifyLog({ baseUrl: copyUrl, checkpoint })).toMatchObject({ ok: true, entries: 4 });
  });

  it('refuses a file that is not a backup for this kind of database', async () => {
    const bogus = join(dir, 'bogus.txt');
    writeFileSync(bogus, 'hello');
    const target = loadConfig({ DATABASE_URL: copyTarget(t.config.database, dir).url }).database;
    await expect(restoreDatabase(bogus, target, { force: true })).rejects.toThrow(BackupError);
    await expect(restoreDatabase(join(dir, 'missing.sqlite'), target)).rejects.toThrow('不存在');
  });
});
