import { Module } from '@nestjs/common';
import { OutboxWriter } from './outbox.writer.js';

/**
 * The outbox of deliveries to upstream platforms (table outbox): written by publishing in the publication's own
 * transaction, drained by the sync relay.
 */
@Module({
  providers: [OutboxWriter],
  exports: [OutboxWriter],
})
export class OutboxModule {}
