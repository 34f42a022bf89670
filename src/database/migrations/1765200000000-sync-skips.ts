import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { columnTypes, dialectOf } from '../dialect.js';

/**
 * Platform sync, staff follow-ups (src/sync/): the change a peer's pull is stalled on (sync_peer.stalled_*), the
 * changes staff chose to skip (sync_skip), and why an outbox entry counts as delivered without a request
 * (outbox.note: an OCDS upstream takes no separate project record).
 */
export class SyncSkips1765200000000 implements MigrationInterface {
  name = 'SyncSkips1765200000000';

  async up(db: QueryRunner): Promise<void> {
    const t = columnTypes(dialectOf(db));
    const time = (name: string, nullable = false) => ({ name, type: 'datetime', precision: 3, isNullable: nullable });
    await db.addColumns('sync_peer', [
      new TableColumn({ name: 'stalled_change_id', type: 'varchar', length: '80', isNullable: true }),
      new TableColumn({ name: 'stalled_seq', type: 'bigint', isNullable: true }),
      new TableColumn({ name: 'stalled_kind', type: 'varchar', length: '16', isNullable: true }),
      new TableColumn({ name: 'stalled_error', type: t.longText, isNullable: true }),
      new TableColumn(time('stalled_at', true)),
    ]);
    await db.createTable(
      new Table({
        name: 'sync_skip',
        columns: [
          { name: 'id', type: t.autoId, isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'peer', type: 'varchar', length: '64' },
          { name: 'change_id', type: 'varchar', length: '80' },
          { name: 'seq', type: 'bigint', isNullable: true },
          { name: 'kind', type: 'varchar', length: '16', isNullable: true },
          { name: 'cursor', type: 'varchar', length: '500', isNullable: true },
          { name: 'error', type: t.longText },
          { name: 'reason', type: t.longText },
          { name: 'skipped_by_id', type: 'int', isNullable: true },
          { name: 'skipped_by', type: 'varchar', length: '64' },
          time('skipped_at'),
          time('passed_at', true),
          { name: 'passed_cursor', type: 'varchar', length: '500', isNullable: true },
        ],
        indices: [new TableIndex({ name: 'uq_sync_skip_change', columnNames: ['peer', 'change_id'], isUnique: true })],
      }),
    );
    await db.addColumn('outbox', new TableColumn({ name: 'note', type: 'varchar', length: '500', isNullable: true }));
  }

  async down(db: QueryRunner): Promise<void> {
    await db.dropColumn('outbox', 'note');
    await db.dropTable('sync_skip');
    await db.dropColumns('sync_peer', [
      'stalled_at',
      'stalled_error',
      'stalled_kind',
      'stalled_seq',
      'stalled_change_id',
    ]);
  }
}
