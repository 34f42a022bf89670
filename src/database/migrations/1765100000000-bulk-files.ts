import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columnTypes, dialectOf } from '../dialect.js';

/** Daily bulk files (/bulk/): written once a China Standard Time day is over, never changed, served by any instance. */
export class BulkFiles1765100000000 implements MigrationInterface {
  name = 'BulkFiles1765100000000';

  async up(db: QueryRunner): Promise<void> {
    const t = columnTypes(dialectOf(db));
    await db.createTable(
      new Table({
        name: 'bulk_file',
        columns: [
          { name: 'name', type: 'varchar', length: '80', isPrimary: true },
          { name: 'day', type: 'varchar', length: '10' },
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'content_type', type: 'varchar', length: '64' },
          { name: 'bytes', type: t.binary },
          { name: 'size', type: 'int' },
          { name: 'sha256', type: 'varchar', length: '64' },
          { name: 'items', type: 'int' },
          { name: 'created_at', type: 'datetime', precision: 3 },
        ],
        indices: [new TableIndex({ name: 'ix_bulk_file_day', columnNames: ['day'] })],
      }),
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.dropTable('bulk_file');
  }
}
