import type { AddressInfo } from 'node:net';
import { TransparencyService } from '../src/transparency/transparency.service.js';
import { verifyLog } from '../src/transparency/verify.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** Every kind of notice the demo data holds, in every category, verifies from the public data alone. */
describe('the demo data verify clean', () => {
  let t: TestApp;
  // Seeding the demo data takes a minute on MariaDB on a slow CI machine (as the other demo suites allow).
  beforeAll(async () => {
    t = await startTestApp({ env: { SEED_DEMO: 'true' } });
    await t.app.listen(0);
  }, 180_000);
  afterAll(() => t?.close());

  it('recomputes every content hash and the whole chain, and checks the signed checkpoint', async () => {
    const checkpoint = (await t.app.get(TransparencyService).recordCheckpoint())!;
    const report = await verifyLog({
      baseUrl: `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`,
      checkpoint,
    });
    expect(report.mismatches).toEqual([]);
    expect(report.entries).toBeGreaterThan(300);
    expect(report).toMatchObject({ ok: true, checkpoints: 1, head: { seq: checkpoint.seq, hash: checkpoint.hash } });
  });
});
