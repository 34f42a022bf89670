import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { columnTypes, dialectOf } from '../dialect.js';

/** Platform sync (src/sync/): job leases, ingest nonces and receipts, pull cursors, and the relay's outbox columns. */
export class PlatformSync1764800000000 implements MigrationInterface {
  name = 'PlatformSync1764800000000';

  async up(db: QueryRunner): Promise<void> {
    const t = columnTypes(dialectOf(db));
    const time = (name: string, nullable = false) => ({ name, type: 'datetime', precision: 3, isNullable: nullable });
    await db.createTable(
      new Table({
        name: 'job_lease',
        columns: [
          { name: 'name', type: 'varchar', length: '64', isPrimary: true },
          { name: 'holder', type: 'varchar', length: '128' },
          time('expires_at'),
          time('acquired_at'),
        ],
      }),
    );
    await db.createTable(
      new Table({
        name: 'sync_nonce',
        columns: [
          { name: 'key_id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'nonce', type: 'varchar', length: '128', isPrimary: true },
          time('expires_at'),
        ],
        indices: [new TableIndex({ name: 'ix_sync_nonce_expires', columnNames: ['expires_at'] })],
      }),
    );
    await db.createTable(
      new Table({
        name: 'sync_receipt',
        columns: [
          { name: 'id', type: t.autoId, isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'platform', type: 'varchar', length: '24' },
          { name: 'idempotency_key', type: 'varchar', length: '160' },
          { name: 'record_hash', type: 'varchar', length: '64' },
          { name: 'result', type: t.longText },
          time('received_at'),
        ],
        indices: [
          new TableIndex({ name: 'uq_sync_receipt_key', columnNames: ['platform', 'idempotency_key'], isUnique: true }),
        ],
      }),
    );
    await db.createTable(
      new Table({
        name: 'sync_peer',
        columns: [
          { name: 'name', type: 'varchar', length: '64', isPrimary: true },
          { name: 'cursor', type: 'varchar', length: '500', isNullable: true },
          { name: 'applied', type: 'bigint', default: 0 },
          { name: 'failures', type: 'int', default: 0 },
          time('last_success_at', true),
          time('last_attempt_at', true),
          { name: 'last_error', type: t.longText, isNullable: true },
        ],
      }),
    );
    await db.addColumns('outbox', [
      new TableColumn(time('last_attempt_at', true)),
      new TableColumn(time('parked_at', true)),
    ]);
    // The relay's "is an earlier entry of this project still undelivered?" and the status page's counts.
    await db.createIndex(
      'outbox',
      new TableIndex({ name: 'ix_outbox_project', columnNames: ['upstream', 'project_id', 'id'] }),
    );
    await db.createIndex(
      'outbox',
      new TableIndex({ name: 'ix_outbox_upstream_status', columnNames: ['upstream', 'status', 'delivered_at'] }),
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.dropIndex('outbox', 'ix_outbox_upstream_status');
    await db.dropIndex('outbox', 'ix_outbox_project');
    await db.dropColumns('outbox', ['parked_at', 'last_attempt_at']);
    for (const table of ['sync_peer', 'sync_receipt', 'sync_nonce', 'job_lease']) await db.dropTable(table);
  }
}
