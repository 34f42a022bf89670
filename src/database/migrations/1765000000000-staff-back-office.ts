import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columnTypes, dialectOf } from '../dialect.js';

/**
 * The staff back office (/admin): login throttling, TOTP second factors and pending second-factor sign-ins,
 * settings (mandatory 2FA), and notice attachments with their bytes in chunks (shared by every instance).
 */
export class StaffBackOffice1765000000000 implements MigrationInterface {
  name = 'StaffBackOffice1765000000000';

  async up(db: QueryRunner): Promise<void> {
    const t = columnTypes(dialectOf(db));
    const time = (name: string, nullable = false) => ({ name, type: 'datetime', precision: 3, isNullable: nullable });
    await db.createTable(
      new Table({
        name: 'login_throttle',
        columns: [
          { name: 'throttle_key', type: 'varchar', length: '160', isPrimary: true },
          { name: 'failures', type: 'int' },
          time('window_start'),
          time('locked_until', true),
        ],
      }),
    );
    await db.createTable(
      new Table({
        name: 'staff_second_factor',
        columns: [
          { name: 'user_id', type: 'int', isPrimary: true },
          { name: 'secret', type: 'varchar', length: '64' },
          time('created_at'),
          time('confirmed_at', true),
          { name: 'last_step', type: 'bigint', isNullable: true },
        ],
      }),
    );
    await db.createTable(
      new Table({
        name: 'staff_login_challenge',
        columns: [
          { name: 'id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'user_id', type: 'int' },
          { name: 'attempts', type: 'int', default: 0 },
          time('expires_at'),
        ],
      }),
    );
    await db.createTable(
      new Table({
        name: 'app_setting',
        columns: [
          { name: 'setting_key', type: 'varchar', length: '100', isPrimary: true },
          { name: 'value', type: t.longText },
          time('updated_at'),
        ],
      }),
    );
    await db.createTable(
      new Table({
        name: 'notice_attachment',
        columns: [
          { name: 'id', type: t.autoId, isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'notice_id', type: 'varchar', length: '80' },
          { name: 'file_name', type: 'varchar', length: '255' },
          { name: 'content_type', type: 'varchar', length: '100' },
          { name: 'size_bytes', type: 'int' },
          { name: 'sha256', type: 'varchar', length: '64' },
          time('created_at'),
          { name: 'created_by', type: 'int', isNullable: true },
        ],
        indices: [new TableIndex({ name: 'ix_notice_attachment_notice', columnNames: ['notice_id', 'id'] })],
      }),
    );
    await db.createTable(
      new Table({
        name: 'notice_attachment_chunk',
        columns: [
          { name: 'attachment_id', type: 'int', isPrimary: true },
          { name: 'seq', type: 'int', isPrimary: true },
          { name: 'data', type: t.binary },
        ],
      }),
    );
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'notice_attachment_chunk',
      'notice_attachment',
      'app_setting',
      'staff_login_challenge',
      'staff_second_factor',
      'login_throttle',
    ]) {
      await db.dropTable(table);
    }
  }
}
