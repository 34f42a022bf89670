import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { columnTypes, dialectOf } from '../dialect.js';

/**
 * Integrity flag lists filtered as /notices are (trading/integrity-index.ts, integrity/integrity-reads.ts):
 * - each flag's date (`flag_date`, the China date of the notice its facts last changed with; its `year` is that
 *   date's year), and the same date on each stored margin ratio, which the cohort flags take theirs from;
 * - integrity_flag_key: one row per flag and list filter it matches — its indicator or any, its category or any,
 *   its region at each level or any — keyed (filter, date, flag), so every combination of indicator, category,
 *   region and date range is one index range read newest first, whatever the number of flags.
 * The flags already stored have neither: the marker row '*' asks the job to recompute every flag at its next run
 * (the flags, counts and project pages stay as they are until then; the lists fill as it writes the keys).
 */
export class IntegrityFilters1766200000000 implements MigrationInterface {
  name = 'IntegrityFilters1766200000000';

  async up(db: QueryRunner): Promise<void> {
    const t = columnTypes(dialectOf(db));
    await db.addColumn(
      'integrity_flag',
      new TableColumn({ name: 'flag_date', type: 'varchar', length: '10', default: "''" }),
    );
    await db.addColumn(
      'integrity_ratio',
      new TableColumn({ name: 'notice_date', type: 'varchar', length: '10', default: "''" }),
    );
    await db.createTable(
      new Table({
        name: 'integrity_flag_key',
        columns: [
          { name: 'filter_key', type: 'varchar', length: '48', isPrimary: true, collation: t.binaryCollation },
          { name: 'flag_date', type: 'varchar', length: '10', isPrimary: true, collation: t.binaryCollation },
          { name: 'flag_id', type: 'int', isPrimary: true },
        ],
        // A flag's keys are deleted with it, by its id.
        indices: [new TableIndex({ name: 'ix_integrity_flag_key_flag', columnNames: ['flag_id'] })],
      }),
    );
    await db.query(`DELETE FROM integrity_cohort WHERE cohort = '*'`);
    await db.query(`INSERT INTO integrity_cohort (cohort, dirty, n) VALUES ('*', 1, 0)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.dropTable('integrity_flag_key');
    await db.dropColumn('integrity_ratio', 'notice_date');
    await db.dropColumn('integrity_flag', 'flag_date');
  }
}
