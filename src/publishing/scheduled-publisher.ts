import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { SYSTEM_ACTOR } from '../auth/actor.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { PublishingService } from './publishing.service.js';

/**
 * Publishes approved notices at their scheduled time. Safe on several instances at once: each notice is
 * re-read under a row lock and published only if still approved, so exactly one instance publishes it.
 */
@Injectable()
export class ScheduledPublisher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('scheduled-publication');
  private running = false;

  constructor(
    private readonly publishing: PublishingService,
    private readonly scheduler: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap() {
    if (!this.config.jobsEnabled) return;
    this.scheduler.addInterval('scheduled-publication', setInterval(() => void this.tick(), this.config.schedulerIntervalSeconds * 1000));
  }

  onApplicationShutdown() {
    if (this.scheduler.doesExist('interval', 'scheduled-publication')) this.scheduler.deleteInterval('scheduled-publication');
  }

  async tick() {
    if (this.running) return;
    this.running = true;
    try {
      const { published, failed } = await this.publishing.publishDue(SYSTEM_ACTOR);
      if (published.length) this.logger.log(`published ${published.join(', ')}`);
      for (const f of failed) this.logger.error(`scheduled notice ${f.id} refused: ${f.message}`);
    } catch (e) {
      this.logger.error(`scheduled publication failed: ${(e as Error).stack ?? e}`);
    } finally {
      this.running = false;
    }
  }
}
