import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SYSTEM_ACTOR } from '../auth/actor.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { JobRunner } from '../jobs/job-runner.js';
import { PublishingService } from './publishing.service.js';

const JOB = 'scheduled-publication';

/**
 * Publishes approved notices at their scheduled time, as the `scheduled-publication` job of the JobRunner: on one
 * instance at a time (its lease). Each notice is also re-read under a row lock and published only if still
 * approved, so even a run that outlived its lease publishes nothing twice.
 */
@Injectable()
export class ScheduledPublisher implements OnApplicationBootstrap {
  private readonly logger = new Logger(JOB);

  constructor(
    private readonly publishing: PublishingService,
    private readonly jobs: JobRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap() {
    // Scheduled only when JOBS_ENABLED.
    this.jobs.register(JOB, this.config.schedulerIntervalSeconds * 1000, () => this.tick());
  }

  /** One pass over the notices that are due; refusals are logged, each on its own. */
  async tick() {
    const { published, failed } = await this.publishing.publishDue(SYSTEM_ACTOR);
    if (published.length) this.logger.log(`published ${published.join(', ')}`);
    for (const f of failed) this.logger.error(`scheduled notice ${f.id} refused: ${f.message}`);
  }
}
