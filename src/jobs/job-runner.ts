import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { JobLeases } from './job-leases.js';

/** What a job sees while it runs: `held` turns false if the lease is lost, and the job stops at its next safe point. */
export interface JobContext {
  readonly held: boolean;
}

interface Job {
  name: string;
  work: (ctx: JobContext) => Promise<unknown>;
  running?: Promise<boolean>;
  /** Whether this instance has held the lease: only then is there anything to hand back. */
  held?: boolean;
}

/**
 * Runs named jobs every few seconds on whichever instance holds the job's lease, renewing the lease while the
 * job works. Any module may register a job (scheduled publication, bulk files, checkpoints): it then runs on one
 * instance at a time however many share a MySQL/MariaDB database. Nothing is scheduled when JOBS_ENABLED=false;
 * `runOnce` still runs a job on demand (tests, operator scripts).
 */
@Injectable()
export class JobRunner implements BeforeApplicationShutdown {
  private readonly logger = new Logger('jobs');
  private readonly jobs = new Map<string, Job>();
  private stopping = false;

  constructor(
    private readonly leases: JobLeases,
    private readonly scheduler: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  register(name: string, everyMs: number, work: (ctx: JobContext) => Promise<unknown>): void {
    this.jobs.set(name, { name, work });
    if (this.config.jobsEnabled)
      this.scheduler.addInterval(
        `job:${name}`,
        setInterval(() => void this.runOnce(name), everyMs),
      );
  }

  /** One run if this instance gets the lease; false when another instance holds it or the job is already running here. */
  runOnce(name: string): Promise<boolean> {
    const job = this.jobs.get(name);
    if (!job) throw new Error(`no job named ${name}`);
    if (job.running || this.stopping) return Promise.resolve(false);
    job.running = this.run(job).finally(() => (job.running = undefined));
    return job.running;
  }

  private async run(job: Job): Promise<boolean> {
    const ttlMs = this.config.jobLeaseSeconds * 1000;
    try {
      if (!(await this.leases.acquire(job.name, ttlMs))) return false;
      job.held = true;
    } catch (e) {
      this.logger.warn(`${job.name}: lease not taken: ${(e as Error).message}`);
      return false;
    }
    const ctx = { held: true };
    const renewal = setInterval(
      () => {
        this.leases.acquire(job.name, ttlMs).then(
          (held) => {
            if (!held && ctx.held) this.logger.warn(`${job.name}: lease lost to another instance; stopping`);
            ctx.held &&= held;
          },
          (e) => {
            // Unrenewed, the lease may soon pass to another instance: stop rather than risk running twice.
            this.logger.warn(`${job.name}: lease renewal failed, stopping: ${(e as Error).message}`);
            ctx.held = false;
          },
        );
      },
      Math.max(500, ttlMs / 3),
    );
    try {
      await job.work(ctx);
    } catch (e) {
      this.logger.error(`${job.name} failed: ${(e as Error).stack ?? e}`);
    } finally {
      clearInterval(renewal);
    }
    return true;
  }

  /** Stops scheduling, lets running jobs finish, and hands the leases back for another instance to take at once. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    for (const name of this.jobs.keys()) {
      if (this.scheduler.doesExist('interval', `job:${name}`)) this.scheduler.deleteInterval(`job:${name}`);
    }
    await Promise.allSettled([...this.jobs.values()].map((j) => j.running));
    await Promise.allSettled([...this.jobs.values()].filter((j) => j.held).map((j) => this.leases.release(j.name)));
  }
}
