import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { JobRunner } from '../jobs/job-runner.js';
import { DisclosureService } from './disclosure.service.js';

export const DISCLOSURE_JOB = 'disclosure';

/** One job under one lease: close requests whose clarification lapsed, delete identity documents past retention. */
@Injectable()
export class DisclosureJobs implements OnModuleInit {
  constructor(
    private readonly runner: JobRunner,
    private readonly disclosure: DisclosureService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit() {
    this.runner.register(DISCLOSURE_JOB, this.config.disclosure.jobIntervalMs, async (ctx) => {
      await this.disclosure.closeLapsedClarifications();
      if (ctx.held) await this.disclosure.deleteExpiredIdentities();
    });
  }
}
