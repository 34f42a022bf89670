import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableIndex, TableForeignKey } from 'typeorm';
import { columnTypes, dialectOf } from '../dialect.js';

/** The foundation schema: projects, notices, the publication log, outbox, staff, audit, timing rules, calendar. */
export class Foundation1764000000000 implements MigrationInterface {
  name = 'Foundation1764000000000';

  async up(db: QueryRunner): Promise<void> {
    const t = columnTypes(dialectOf(db));
    const str = (name: string, length: number, nullable = false): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: String(length),
      isNullable: nullable,
    });
    const time = (name: string, nullable = false): TableColumnOptions => ({
      name,
      type: 'datetime',
      precision: 3,
      isNullable: nullable,
    });
    const text = (name: string, nullable = false): TableColumnOptions => ({
      name,
      type: t.longText,
      isNullable: nullable,
    });
    const int = (name: string, nullable = false, def?: number): TableColumnOptions => ({
      name,
      type: 'int',
      isNullable: nullable,
      default: def,
    });
    const big = (name: string, nullable = false, def?: number): TableColumnOptions => ({
      name,
      type: 'bigint',
      isNullable: nullable,
      default: def,
    });
    const bool = (name: string, def: boolean): TableColumnOptions => ({ name, type: 'boolean', default: def ? 1 : 0 });
    const autoId = (name = 'id'): TableColumnOptions => ({
      name,
      type: t.autoId,
      isPrimary: true,
      isGenerated: true,
      generationStrategy: 'increment',
    });
    const pk = (c: TableColumnOptions): TableColumnOptions => ({ ...c, isPrimary: true });

    await db.createTable(
      new Table({
        name: 'project',
        columns: [
          pk(str('id', 80)),
          str('deal_code', 64),
          str('tender_code', 64),
          str('investment_code', 64, true),
          str('category', 32),
          str('region_code', 6),
          str('name', 300),
          text('summary', true),
          str('price_kind', 16),
          big('price_fen', true),
          str('price_unit', 8),
          str('procurement_method', 32, true),
          str('transfer_mode', 32, true),
          str('funding_source', 200, true),
          bool('fully_online', true),
          str('source_platform', 24),
          int('created_by', true),
          time('created_at'),
          time('updated_at'),
          time('bid_deadline', true),
          time('opening_time', true),
          time('first_published_at', true),
          time('terminated_at', true),
          big('version', false, 1),
        ],
        indices: [
          new TableIndex({ name: 'uq_project_deal_code', columnNames: ['deal_code'], isUnique: true }),
          new TableIndex({ name: 'ix_project_category', columnNames: ['category'] }),
          new TableIndex({ name: 'ix_project_region', columnNames: ['region_code'] }),
          new TableIndex({ name: 'ix_project_bid_deadline', columnNames: ['bid_deadline'] }),
          new TableIndex({ name: 'ix_project_opening_time', columnNames: ['opening_time'] }),
        ],
      }),
    );

    await db.createTable(
      new Table({
        name: 'project_party',
        columns: [
          autoId(),
          str('project_id', 80),
          str('role', 16),
          str('name', 200),
          str('credit_code', 18),
          str('address', 300, true),
          str('contact_name', 50, true),
          str('contact_phone', 50, true),
        ],
        indices: [
          new TableIndex({ name: 'ix_party_project', columnNames: ['project_id'] }),
          new TableIndex({ name: 'ix_party_credit_code', columnNames: ['credit_code'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['project_id'],
            referencedTableName: 'project',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );

    await db.createTable(
      new Table({
        name: 'project_lot',
        columns: [
          autoId(),
          str('project_id', 80),
          str('code', 64),
          str('name', 300),
          big('price_fen', true),
          str('price_unit', 8),
        ],
        indices: [new TableIndex({ name: 'uq_lot_project_code', columnNames: ['project_id', 'code'], isUnique: true })],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['project_id'],
            referencedTableName: 'project',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );

    await db.createTable(
      new Table({
        name: 'notice',
        columns: [
          pk(str('id', 80)),
          str('project_id', 80),
          str('type', 32),
          str('category', 32),
          str('region_code', 6),
          str('title', 300),
          text('body'),
          text('details'),
          str('target_notice_id', 80, true),
          str('status', 16),
          int('author_id', true),
          int('reviewer_id', true),
          text('review_comment', true),
          time('submitted_at', true),
          time('reviewed_at', true),
          time('scheduled_at', true),
          time('published_at', true),
          str('source_platform', 24),
          str('source_id', 80),
          str('content_hash', 64, true),
          big('log_seq', true),
          time('created_at'),
          time('updated_at'),
          big('version', false, 1),
          time('withdrawn_at', true),
          str('withdrawn_by', 80, true),
        ],
        indices: [
          new TableIndex({ name: 'uq_notice_source', columnNames: ['source_platform', 'source_id'], isUnique: true }),
          new TableIndex({ name: 'ix_notice_list', columnNames: ['status', 'published_at', 'id'] }),
          new TableIndex({ name: 'ix_notice_category', columnNames: ['category', 'status', 'published_at'] }),
          new TableIndex({ name: 'ix_notice_region', columnNames: ['region_code', 'status', 'published_at'] }),
          new TableIndex({ name: 'ix_notice_project', columnNames: ['project_id', 'published_at'] }),
          new TableIndex({ name: 'ix_notice_target', columnNames: ['target_notice_id'] }),
          new TableIndex({ name: 'ix_notice_scheduled', columnNames: ['status', 'scheduled_at'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['project_id'],
            referencedTableName: 'project',
            referencedColumnNames: ['id'],
          }),
        ],
      }),
    );

    await db.createTable(
      new Table({
        name: 'publication_log',
        columns: [
          pk(big('seq')),
          str('kind', 16),
          str('notice_id', 80),
          str('project_id', 80),
          time('recorded_at'),
          str('content_hash', 64),
          str('prev_hash', 64),
          str('entry_hash', 64),
        ],
        indices: [new TableIndex({ name: 'ix_log_notice', columnNames: ['notice_id'] })],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['notice_id'],
            referencedTableName: 'notice',
            referencedColumnNames: ['id'],
          }),
        ],
      }),
    );
    await db.createTable(
      new Table({ name: 'publication_log_head', columns: [pk(int('id')), big('seq'), str('hash', 64)] }),
    );
    await db.query(`INSERT INTO publication_log_head (id, seq, hash) VALUES (1, 0, '${'0'.repeat(64)}')`);

    await db.createTable(
      new Table({
        name: 'outbox',
        columns: [
          autoId(),
          str('upstream', 64),
          big('log_seq'),
          str('project_id', 80),
          str('notice_id', 80, true),
          str('kind', 16),
          str('idempotency_key', 160),
          str('status', 16),
          int('attempts', false, 0),
          time('next_attempt_at'),
          text('last_error', true),
          time('created_at'),
          time('delivered_at', true),
        ],
        indices: [
          new TableIndex({ name: 'uq_outbox_key', columnNames: ['upstream', 'idempotency_key'], isUnique: true }),
          new TableIndex({ name: 'ix_outbox_due', columnNames: ['status', 'next_attempt_at'] }),
        ],
      }),
    );

    await db.createTable(
      new Table({
        name: 'staff_user',
        columns: [
          autoId(),
          str('username', 64),
          str('display_name', 100),
          str('role', 16),
          str('password_hash', 255),
          bool('active', true),
          time('created_at'),
          time('updated_at'),
        ],
        indices: [new TableIndex({ name: 'uq_staff_username', columnNames: ['username'], isUnique: true })],
      }),
    );
    await db.createTable(
      new Table({
        name: 'api_key',
        columns: [
          autoId(),
          int('user_id'),
          str('name', 100),
          str('prefix', 16),
          str('key_hash', 64),
          time('created_at'),
          time('revoked_at', true),
          time('last_used_at', true),
        ],
        indices: [new TableIndex({ name: 'uq_api_key_hash', columnNames: ['key_hash'], isUnique: true })],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['user_id'],
            referencedTableName: 'staff_user',
            referencedColumnNames: ['id'],
          }),
        ],
      }),
    );
    await db.createTable(
      new Table({
        name: 'staff_session',
        columns: [
          pk(str('id', 64)),
          int('user_id'),
          str('csrf_token', 64),
          time('created_at'),
          time('expires_at'),
          time('last_seen_at'),
          str('ip', 64, true),
        ],
        indices: [
          new TableIndex({ name: 'ix_session_user', columnNames: ['user_id'] }),
          new TableIndex({ name: 'ix_session_expires', columnNames: ['expires_at'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['user_id'],
            referencedTableName: 'staff_user',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
    await db.createTable(
      new Table({
        name: 'audit_log',
        columns: [
          autoId(),
          time('at'),
          int('actor_id', true),
          str('actor_name', 100),
          str('via', 32),
          str('action', 64),
          str('entity_type', 32),
          str('entity_id', 100),
          text('before_image', true),
          text('after_image', true),
          str('ip', 64, true),
        ],
        indices: [
          new TableIndex({ name: 'ix_audit_at', columnNames: ['at'] }),
          new TableIndex({ name: 'ix_audit_entity', columnNames: ['entity_type', 'entity_id'] }),
        ],
      }),
    );

    await db.createTable(
      new Table({
        name: 'timing_rule',
        columns: [
          pk(str('code', 100)),
          str('label', 200),
          str('basis', 200),
          text('families'),
          text('categories'),
          text('notice_types'),
          text('methods'),
          str('from_fact', 40),
          str('to_fact', 40),
          str('comparison', 16),
          int('amount'),
          str('unit', 16),
          bool('enabled', true),
          time('updated_at'),
        ],
      }),
    );
    await db.createTable(
      new Table({
        name: 'calendar_year',
        columns: [pk(int('year')), str('source', 200), time('loaded_at')],
      }),
    );
    await db.createTable(
      new Table({
        name: 'calendar_day',
        columns: [pk(str('date', 10)), str('kind', 16), str('name', 100), str('source', 200)],
      }),
    );
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'calendar_day',
      'calendar_year',
      'timing_rule',
      'audit_log',
      'staff_session',
      'api_key',
      'staff_user',
      'outbox',
      'publication_log_head',
      'publication_log',
      'notice',
      'project_lot',
      'project_party',
      'project',
    ]) {
      await db.dropTable(table);
    }
  }
}
