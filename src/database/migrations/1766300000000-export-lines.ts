import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { columnTypes, dialectOf } from '../dialect.js';

/**
 * export_line: the CSV lines of bids.csv and awards.csv of each published notice, kept when it is published
 * (published/export-lines.ts), so an export reads them instead of parsing every notice's details and formatting
 * its cells. The notices already published have none: the exports build theirs as before until `npm run reindex`
 * (or the benchmark's fill) keeps them.
 */
export class ExportLines1766300000000 implements MigrationInterface {
  name = 'ExportLines1766300000000';

  async up(db: QueryRunner): Promise<void> {
    const t = columnTypes(dialectOf(db));
    await db.createTable(
      new Table({
        name: 'export_line',
        columns: [
          { name: 'notice_id', type: 'varchar', length: '80', isPrimary: true },
          { name: 'lines_key', type: 'varchar', length: '400' },
          { name: 'csv_lines', type: t.longText },
        ],
      }),
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.dropTable('export_line');
  }
}
