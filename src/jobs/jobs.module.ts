import { Module } from '@nestjs/common';
import { JobLeases } from './job-leases.js';
import { JobRunner } from './job-runner.js';
import { JobLease } from './job-lease.entity.js';

/** The tables this module owns (composed into the one DataSource by app.module.ts). */
export const JOBS_ENTITIES = [JobLease];

/**
 * Scheduled jobs: the JobRunner that runs each registered job on one instance at a time, under a lease in the
 * job_lease table. A module with a job imports this one and registers it on start.
 */
@Module({
  providers: [JobLeases, JobRunner],
  exports: [JobLeases, JobRunner],
})
export class JobsModule {}
