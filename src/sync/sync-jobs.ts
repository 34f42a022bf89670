import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { Database } from '../database/database.js';
import { JobRunner } from '../jobs/job-runner.js';
import { OutboxEntry } from '../outbox/outbox.entity.js';
import { PullService } from './pull.service.js';
import { RelayService } from './relay.service.js';

export const RELAY_JOB = 'sync-relay';
export const PULL_JOB = 'sync-pull';

/** Schedules push and pull, each on one instance at a time (JobRunner), when there is anything to push to or pull from. */
@Injectable()
export class SyncJobs implements OnApplicationBootstrap {
  constructor(
    private readonly runner: JobRunner,
    private readonly relay: RelayService,
    private readonly pull: PullService,
    private readonly db: Database,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap() {
    // With every upstream removed from UPSTREAMS, the relay still has to run to park what was owed to them.
    const owed =
      this.config.upstreams.length > 0 || (await this.db.manager.existsBy(OutboxEntry, { status: 'pending' }));
    if (owed) this.runner.register(RELAY_JOB, this.config.sync.intervalMs, (ctx) => this.relay.run(ctx));
    if (this.config.peers.length)
      this.runner.register(PULL_JOB, this.config.sync.intervalMs, (ctx) => this.pull.run(ctx));
  }
}
