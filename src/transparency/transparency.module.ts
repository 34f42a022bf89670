import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module.js';
import { CheckpointJob } from './checkpoint.job.js';
import { PublicationLogWriter } from './publication-log.writer.js';
import { TransparencyController } from './transparency.controller.js';
import { TransparencyService } from './transparency.service.js';
import { TransparencyCheckpoint, TransparencySigningKey } from './checkpoint.entity.js';
import { PublicationLogEntry, PublicationLogHead } from './publication-log.entity.js';

/** The tables this module owns (composed into the one DataSource by app.module.ts). */
export const TRANSPARENCY_ENTITIES = [
  PublicationLogEntry,
  PublicationLogHead,
  TransparencyCheckpoint,
  TransparencySigningKey,
];

/**
 * The publication log (issue 7): its writer, used by publishing inside each publication's transaction, and its
 * public side: the API, signed checkpoints and the /transparency page.
 */
@Module({
  imports: [JobsModule],
  controllers: [TransparencyController],
  providers: [TransparencyService, CheckpointJob, PublicationLogWriter],
  exports: [TransparencyService, PublicationLogWriter],
})
export class TransparencyModule {}
