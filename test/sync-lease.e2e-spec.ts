import { SchedulerRegistry } from '@nestjs/schedule';
import { setTimeout as sleep } from 'node:timers/promises';
import { ENTITIES } from '../src/app.module.js';
import { openDataSource } from '../src/database/data-source.js';
import { Database } from '../src/database/database.js';
import { JobLease } from '../src/jobs/job-lease.entity.js';
import { JobLeases } from '../src/jobs/job-leases.js';
import { JobRunner, type JobContext } from '../src/jobs/job-runner.js';
import { isMysql, startTestApp, TestApp } from './support/test-app.js';

describe(`job leases: one instance at a time${isMysql() ? ' (two connection pools on one MariaDB database)' : ' (SQLite)'}`, () => {
  let t: TestApp;
  /** A second "instance": on MySQL its own connection pool, on SQLite the same single connection. */
  let other: Database;

  beforeAll(async () => {
    t = await startTestApp();
    other = isMysql() ? new Database(await openDataSource(t.config.database, ENTITIES)) : t.db;
  });
  afterAll(async () => {
    if (other !== t.db) await other.dataSource.destroy();
    await t.close();
  });

  const instance = (db: Database) => new JobLeases(db);
  const runner = (leases: JobLeases, leaseSeconds = 2) =>
    new JobRunner(leases, new SchedulerRegistry(), { ...t.config, jobsEnabled: false, jobLeaseSeconds: leaseSeconds });

  it('gives a lease to one holder, renews it for that holder, and hands it over on release', async () => {
    const a = instance(t.db);
    const b = instance(other);
    expect(await a.acquire('lease-basic', 30_000)).toBe(true);
    expect(await b.acquire('lease-basic', 30_000)).toBe(false);
    expect(await a.acquire('lease-basic', 30_000)).toBe(true);
    await a.release('lease-basic');
    expect(await b.acquire('lease-basic', 30_000)).toBe(true);
    expect(await a.acquire('lease-basic', 30_000)).toBe(false);
    const row = await t.db.manager.findOneByOrFail(JobLease, { name: 'lease-basic' });
    expect(row.holder).toBe(b.holder);
  });

  it('recovers a lease whose holder died: it expires and another instance takes it', async () => {
    const dead = instance(t.db);
    const survivor = instance(other);
    expect(await dead.acquire('lease-expiry', 400)).toBe(true);
    expect(await survivor.acquire('lease-expiry', 400)).toBe(false);
    await sleep(600);
    expect(await survivor.acquire('lease-expiry', 30_000)).toBe(true);
    // The old holder, back from a long pause, finds it gone.
    expect(await dead.acquire('lease-expiry', 30_000)).toBe(false);
  });

  it('lets exactly one of many simultaneous takers win', async () => {
    for (let round = 0; round < 5; round++) {
      const takers = Array.from({ length: 8 }, (_, i) => instance(i % 2 ? other : t.db));
      const won = await Promise.all(takers.map((l) => l.acquire(`lease-race-${round}`, 30_000)));
      expect(won.filter(Boolean)).toHaveLength(1);
    }
  });

  it('runs a job on one instance at a time and moves it to another when the first stops renewing', async () => {
    const a = runner(instance(t.db));
    const b = runner(instance(other));
    let inside = 0;
    let maxInside = 0;
    const ranOn: string[] = [];
    const work = (who: string) => async () => {
      inside++;
      maxInside = Math.max(maxInside, inside);
      ranOn.push(who);
      await sleep(30);
      inside--;
    };
    a.register('job-exclusive', 60_000, work('a'));
    b.register('job-exclusive', 60_000, work('b'));
    // "a" takes the lease first; then both race for it ten times.
    expect(await a.runOnce('job-exclusive')).toBe(true);
    for (let i = 0; i < 10; i++) await Promise.all([a.runOnce('job-exclusive'), b.runOnce('job-exclusive')]);
    expect(maxInside).toBe(1);
    expect(new Set(ranOn)).toEqual(new Set(['a'])); // the first holder keeps it while it renews

    // "a" dies (stops renewing): after the 2 s lease, "b" takes over.
    expect(await b.runOnce('job-exclusive')).toBe(false);
    await sleep(2200);
    expect(await b.runOnce('job-exclusive')).toBe(true);
    expect(ranOn[ranOn.length - 1]).toBe('b');
  });

  it('tells a running job that its lease was lost, so it stops', async () => {
    const leasesA = instance(t.db);
    const a = runner(leasesA);
    let sawLoss = false;
    a.register('job-lost', 60_000, async (ctx: JobContext) => {
      const until = Date.now() + 10_000;
      while (ctx.held && Date.now() < until) await sleep(50);
      sawLoss = !ctx.held;
    });
    const running = a.runOnce('job-lost');
    await sleep(200);
    // Another instance takes the lease (as if "a" had paused past its expiry).
    await t.db.transaction((em) =>
      em.update(JobLease, { name: 'job-lost' }, { holder: 'someone-else', expiresAt: new Date(Date.now() + 60_000) }),
    );
    expect(await running).toBe(true);
    expect(sawLoss).toBe(true);
  });
});
