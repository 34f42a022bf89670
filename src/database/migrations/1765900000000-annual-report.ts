import { MigrationInterface, QueryRunner, Table, TableIndex, type TableColumnOptions } from 'typeorm';
import { columnTypes, dialectOf } from '../dialect.js';

/** The yearly report on government information disclosure: staff texts while a draft, the frozen report once published. */
export class AnnualReport1765900000000 implements MigrationInterface {
  name = 'AnnualReport1765900000000';

  async up(db: QueryRunner): Promise<void> {
    const t = columnTypes(dialectOf(db));
    const time = (name: string, nullable = false): TableColumnOptions => ({
      name,
      type: 'datetime',
      precision: 3,
      isNullable: nullable,
    });
    await db.createTable(
      new Table({
        name: 'annual_report',
        columns: [
          { name: 'id', type: t.autoId, isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'year', type: 'int' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'overview_text', type: 'text' },
          { name: 'problems_text', type: 'text' },
          { name: 'other_text', type: 'text' },
          { name: 'baseline', type: 'text' },
          { name: 'edited_by', type: 'int', isNullable: true },
          { name: 'submitted_by', type: 'int', isNullable: true },
          time('submitted_at', true),
          { name: 'review_note', type: 'text', isNullable: true },
          { name: 'published_by', type: 'int', isNullable: true },
          time('published_at', true),
          // The frozen report: LONGTEXT on MySQL (TEXT stops at 64 KB).
          { name: 'content', type: t.longText, isNullable: true },
          { name: 'content_hash', type: 'varchar', length: '64', isNullable: true },
          time('created_at'),
          time('updated_at'),
        ],
        indices: [new TableIndex({ name: 'ux_annual_report_year', columnNames: ['year'], isUnique: true })],
      }),
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.dropTable('annual_report');
  }
}
