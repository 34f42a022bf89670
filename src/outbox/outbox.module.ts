import { Module } from '@nestjs/common';
import { OutboxWriter } from './outbox.writer.js';
import { OutboxEntry } from './outbox.entity.js';

/** The tables this module owns (composed into the one DataSource by app.module.ts). */
export const OUTBOX_ENTITIES = [OutboxEntry];

/**
 * The outbox of deliveries to upstream platforms (table outbox): written by publishing in the publication's own
 * transaction, drained by the sync relay.
 */
@Module({
  providers: [OutboxWriter],
  exports: [OutboxWriter],
})
export class OutboxModule {}
