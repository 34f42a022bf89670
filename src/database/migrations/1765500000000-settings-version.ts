import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/**
 * The settings version (src/trading/settings-version.ts): one counter row, raised in the transaction of every change
 * to a setting that public pages show, so cached pages rendered under the old settings are no longer served.
 */
export class SettingsVersion1765500000000 implements MigrationInterface {
  name = 'SettingsVersion1765500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.createTable(
      new Table({
        name: 'settings_version',
        columns: [
          { name: 'id', type: 'int', isPrimary: true },
          { name: 'version', type: 'bigint', default: 0 },
        ],
      }),
    );
    await db.query('INSERT INTO settings_version (id, version) VALUES (1, 0)');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.dropTable('settings_version');
  }
}
