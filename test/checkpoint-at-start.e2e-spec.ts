import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../src/config/project-root.js';
import { TransparencyCheckpoint } from '../src/transparency/checkpoint.entity.js';
import { PublicationLogHead } from '../src/transparency/publication-log.entity.js';
import { constructionProject, tenderNotice } from './support/fixtures.js';
import { eventually } from './support/process.js';
import { publishingDesk } from './support/publish-flow.js';
import { freshDatabase, startTestApp, type TestApp } from './support/test-app.js';

/**
 * An operator starts the portal on a log that has entries: a signed checkpoint of the head is recorded at start
 * (under the job lease), not only after CHECKPOINT_INTERVAL_MINUTES, so `verify-log --save-checkpoint` saves a
 * signed checkpoint from the first minute.
 */
describe('a signed checkpoint at start', () => {
  const jobsOn = {
    JOBS_ENABLED: 'true',
    CHECKPOINT_INTERVAL_MINUTES: '60',
    SCHEDULER_INTERVAL_SECONDS: '3600',
    SYNC_INTERVAL_MS: '3600000',
  };
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  const running: TestApp[] = [];
  let headSeq: number;

  beforeAll(async () => {
    database = await freshDatabase();
    // Publications made by an instance that runs no jobs: the log grows, no checkpoint is signed.
    const writer = await startTestApp({ database });
    const desk = await publishingDesk(writer);
    const project = await desk.project(constructionProject());
    await desk.publish(tenderNotice(project));
    headSeq = (await desk.publish(tenderNotice(await desk.project(constructionProject())))).logSeq;
    expect(await writer.db.manager.count(TransparencyCheckpoint)).toBe(0);
    await writer.app.close();
  });
  afterAll(async () => {
    for (const t of running) await t.app.close();
    await database.drop();
  });

  it('is signed once by three instances starting together, and verify-log saves it', async () => {
    running.push(...(await Promise.all([1, 2, 3].map(() => startTestApp({ database, env: jobsOn })))));
    const [first] = running;
    const checkpoints = await eventually(
      'a checkpoint signed at start',
      async () => {
        const rows = await first.db.manager.find(TransparencyCheckpoint);
        return rows.length > 0 && rows;
      },
      20_000,
    );
    await new Promise((r) => setTimeout(r, 500)); // a second signature would show up by now
    expect(await first.db.manager.count(TransparencyCheckpoint)).toBe(1);
    const head = await first.db.manager.findOneByOrFail(PublicationLogHead, { id: 1 });
    expect(checkpoints[0]).toMatchObject({ seq: headSeq, hash: head.hash });

    // The operator's command saves the signed checkpoint, not an unsigned head.
    await first.app.listen(0, '127.0.0.1');
    const baseUrl = `http://127.0.0.1:${(first.app.getHttpServer().address() as AddressInfo).port}`;
    const dir = mkdtempSync(join(tmpdir(), 'ggzy-verify-'));
    try {
      const out = join(dir, 'checkpoint.json');
      // (asynchronously: the portal answering it runs in this process)
      const run = await promisify(execFile)(
        process.execPath,
        [
          '--import',
          './test/support/ts-register.mjs',
          join('scripts', 'verify-log.ts'),
          baseUrl,
          '--save-checkpoint',
          out,
        ],
        { cwd: projectRoot(), encoding: 'utf8', timeout: 60_000 },
      );
      expect(run.stdout).toContain('最新签名检查点');
      const saved = JSON.parse(readFileSync(out, 'utf8'));
      expect(saved).toMatchObject({
        seq: headSeq,
        hash: head.hash,
        signature: expect.any(String),
        keyFingerprint: expect.any(String),
      });
      expect(saved.note).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('signs nothing at start while the log is empty', async () => {
    const empty = await startTestApp({ env: jobsOn });
    try {
      await new Promise((r) => setTimeout(r, 1000));
      expect(await empty.db.manager.count(TransparencyCheckpoint)).toBe(0);
    } finally {
      await empty.close();
    }
  });
});
