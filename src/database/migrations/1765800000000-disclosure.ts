import { MigrationInterface, QueryRunner, Table, TableIndex, type TableColumnOptions } from 'typeorm';
import { columnTypes, dialectOf } from '../dialect.js';

/**
 * Disclosure on application (依申请公开): requests with their statutory clock and outcome, their steps, their
 * files (encrypted), reconsiderations and lawsuits, the clock's settings, the per-address counts, and the key
 * generated when none is configured.
 */
export class Disclosure1765800000000 implements MigrationInterface {
  name = 'Disclosure1765800000000';

  async up(db: QueryRunner): Promise<void> {
    const t = columnTypes(dialectOf(db));
    const id: TableColumnOptions = {
      name: 'id',
      type: t.autoId,
      isPrimary: true,
      isGenerated: true,
      generationStrategy: 'increment',
    };
    const date = (name: string, nullable = true): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: '10',
      isNullable: nullable,
    });
    const time = (name: string, nullable = false): TableColumnOptions => ({
      name,
      type: 'datetime',
      precision: 3,
      isNullable: nullable,
    });
    await db.createTable(
      new Table({
        name: 'disclosure_request',
        columns: [
          id,
          { name: 'tracking_no', type: 'varchar', length: '24' },
          { name: 'code_hash', type: 'varchar', length: '64' },
          { name: 'channel', type: 'varchar', length: '16' },
          { name: 'applicant_type', type: 'varchar', length: '32' },
          { name: 'personal', type: 'text' },
          { name: 'description', type: 'text' },
          { name: 'purpose', type: 'varchar', length: '500', isNullable: true },
          { name: 'delivery_form', type: 'varchar', length: '16' },
          { name: 'delivery_channel', type: 'varchar', length: '16' },
          time('submitted_at'),
          date('received_on', false),
          { name: 'status', type: 'varchar', length: '32' },
          date('clarification_requested_on'),
          date('clarification_due_on'),
          { name: 'clarification_text', type: 'text', isNullable: true },
          date('clarified_on'),
          date('extension_granted_on'),
          { name: 'extension_days', type: 'int', isNullable: true },
          { name: 'extension_approver', type: 'varchar', length: '100', isNullable: true },
          { name: 'extension_notice', type: 'text', isNullable: true },
          date('extension_notified_on'),
          date('due_on'),
          { name: 'outcome', type: 'varchar', length: '24', isNullable: true },
          { name: 'outcome_reason', type: 'varchar', length: '32', isNullable: true },
          { name: 'reply_text', type: 'text', isNullable: true },
          date('answered_on'),
          time('identity_deleted_at', true),
          { name: 'ip_hash', type: 'varchar', length: '64', isNullable: true },
          { name: 'registered_by', type: 'int', isNullable: true },
          time('created_at'),
          time('updated_at'),
        ],
        indices: [
          new TableIndex({ name: 'ux_disclosure_request_tracking', columnNames: ['tracking_no'], isUnique: true }),
          new TableIndex({ name: 'ix_disclosure_request_status', columnNames: ['status', 'due_on'] }),
          // The yearly report: requests received, and outcomes, in a calendar year.
          new TableIndex({ name: 'ix_disclosure_request_received', columnNames: ['received_on'] }),
          new TableIndex({ name: 'ix_disclosure_request_answered', columnNames: ['answered_on'] }),
        ],
      }),
    );
    await db.createTable(
      new Table({
        name: 'disclosure_step',
        columns: [
          id,
          { name: 'request_id', type: 'int' },
          { name: 'kind', type: 'varchar', length: '32' },
          date('on_date', false),
          time('at'),
          { name: 'actor_name', type: 'varchar', length: '100' },
          { name: 'note', type: 'text', isNullable: true },
        ],
        indices: [new TableIndex({ name: 'ix_disclosure_step_request', columnNames: ['request_id', 'id'] })],
      }),
    );
    await db.createTable(
      new Table({
        name: 'disclosure_file',
        columns: [
          id,
          { name: 'request_id', type: 'int' },
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'file_name', type: 'varchar', length: '255' },
          { name: 'content_type', type: 'varchar', length: '100' },
          { name: 'size_bytes', type: 'int' },
          { name: 'key_id', type: 'varchar', length: '16' },
          { name: 'data', type: t.binary },
          time('created_at'),
        ],
        indices: [new TableIndex({ name: 'ix_disclosure_file_request', columnNames: ['request_id', 'kind'] })],
      }),
    );
    await db.createTable(
      new Table({
        name: 'disclosure_review',
        columns: [
          id,
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'lawsuit_route', type: 'varchar', length: '24', isNullable: true },
          { name: 'request_id', type: 'int', isNullable: true },
          { name: 'case_number', type: 'varchar', length: '100' },
          date('filed_on', false),
          { name: 'outcome', type: 'varchar', length: '16' },
          date('decided_on'),
          { name: 'note', type: 'text', isNullable: true },
          time('created_at'),
          time('updated_at'),
        ],
        indices: [new TableIndex({ name: 'ix_disclosure_review_filed', columnNames: ['filed_on'] })],
      }),
    );
    await db.createTable(
      new Table({
        name: 'disclosure_rule',
        columns: [
          { name: 'code', type: 'varchar', length: '40', isPrimary: true },
          { name: 'label', type: 'varchar', length: '200' },
          { name: 'basis', type: 'varchar', length: '300' },
          { name: 'amount', type: 'int' },
          { name: 'enabled', type: 'boolean', default: 1 },
          time('updated_at'),
        ],
      }),
    );
    await db.createTable(
      new Table({
        name: 'disclosure_attempt',
        columns: [
          id,
          { name: 'ip_hash', type: 'varchar', length: '64' },
          { name: 'kind', type: 'varchar', length: '16' },
          time('created_at'),
        ],
        indices: [
          new TableIndex({ name: 'ix_disclosure_attempt_ip', columnNames: ['ip_hash', 'kind', 'created_at'] }),
          new TableIndex({ name: 'ix_disclosure_attempt_time', columnNames: ['created_at'] }),
        ],
      }),
    );
    await db.createTable(
      new Table({
        name: 'disclosure_key',
        columns: [
          { name: 'key_id', type: 'varchar', length: '16', isPrimary: true },
          { name: 'secret', type: 'varchar', length: '64' },
          time('created_at'),
        ],
      }),
    );
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'disclosure_key',
      'disclosure_attempt',
      'disclosure_rule',
      'disclosure_review',
      'disclosure_file',
      'disclosure_step',
      'disclosure_request',
    ])
      await db.dropTable(table);
  }
}
