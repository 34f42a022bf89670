import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module.js';
import { CheckpointJob } from './checkpoint.job.js';
import { TransparencyController } from './transparency.controller.js';
import { TransparencyService } from './transparency.service.js';

/** The public side of the publication log: its API, signed checkpoints and the /transparency page (issue 7). */
@Module({
  imports: [JobsModule],
  controllers: [TransparencyController],
  providers: [TransparencyService, CheckpointJob],
  exports: [TransparencyService],
})
export class TransparencyModule {}
