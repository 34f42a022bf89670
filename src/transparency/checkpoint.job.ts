import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { TransparencyService } from './transparency.service.js';

const JOB = 'log-checkpoint';

/** Records a signed checkpoint on a schedule whenever the log has grown; any number of instances may run it. */
@Injectable()
export class CheckpointJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(JOB);
  private running = false;

  constructor(
    private readonly transparency: TransparencyService,
    private readonly scheduler: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap() {
    if (!this.config.jobsEnabled) return;
    this.scheduler.addInterval(JOB, setInterval(() => void this.tick(), this.config.checkpointIntervalMinutes * 60_000));
  }

  onApplicationShutdown() {
    if (this.scheduler.doesExist('interval', JOB)) this.scheduler.deleteInterval(JOB);
  }

  async tick() {
    if (this.running) return;
    this.running = true;
    try {
      const checkpoint = await this.transparency.recordCheckpoint();
      if (checkpoint) this.logger.log(`checkpoint at seq ${checkpoint.seq}`);
    } catch (e) {
      this.logger.error(`checkpoint failed: ${(e as Error).stack ?? e}`);
    } finally {
      this.running = false;
    }
  }
}
