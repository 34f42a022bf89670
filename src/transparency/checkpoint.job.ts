import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { JobRunner } from '../jobs/job-runner.js';
import { TransparencyService } from './transparency.service.js';

const JOB = 'log-checkpoint';

/**
 * Records a signed checkpoint at start and whenever the log has grown, as the `log-checkpoint` job of the
 * JobRunner (one instance at a time). A checkpoint's key is the log entry it covers, so even two runs that met would record one.
 */
@Injectable()
export class CheckpointJob implements OnApplicationBootstrap {
  private readonly logger = new Logger(JOB);

  constructor(
    private readonly transparency: TransparencyService,
    private readonly jobs: JobRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap() {
    // Scheduled only when JOBS_ENABLED.
    this.jobs.register(JOB, this.config.checkpointIntervalMinutes * 60_000, () => this.tick());
    // And once at start, under the same lease: a log with entries has a signed head at once, not only after the
    // first interval (a verifier saving a checkpoint would otherwise keep an unsigned head). Instances starting
    // together sign once: one holds the lease, and a checkpoint's key is its seq.
    if (this.config.jobsEnabled) void this.jobs.runOnce(JOB);
  }

  async tick() {
    const checkpoint = await this.transparency.recordCheckpoint();
    if (checkpoint) this.logger.log(`checkpoint at seq ${checkpoint.seq}`);
  }
}
