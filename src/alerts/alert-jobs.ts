import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { JobRunner, type JobContext } from '../jobs/job-runner.js';
import { AlertMailer } from './alert-mailer.js';
import { AlertMatcher } from './alert-matcher.js';
import { AlertsService } from './alerts.service.js';

export const ALERTS_JOB = 'alerts';

/** One job under one lease: match new log entries, batch them into mails, send the outbox, drop expired sign-ups. */
@Injectable()
export class AlertJobs implements OnModuleInit {
  constructor(
    private readonly runner: JobRunner,
    private readonly matcher: AlertMatcher,
    private readonly mailer: AlertMailer,
    private readonly alerts: AlertsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit() {
    this.runner.register(ALERTS_JOB, this.config.alerts.intervalMs, (ctx) => this.run(ctx));
  }

  async run(ctx: JobContext) {
    await this.matcher.run(ctx);
    if (!ctx.held) return;
    await this.mailer.compose();
    if (!ctx.held) return;
    await this.mailer.send(ctx);
    if (ctx.held) await this.alerts.deleteExpiredPending();
  }
}
