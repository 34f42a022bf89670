import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columnTypes, dialectOf } from '../dialect.js';

/**
 * Integrity indicators (trading/integrity-index.ts): the raised flags with the values, thresholds and indicator
 * version that raised them, kept counts per indicator, category and year, each lot's margin ratio with its cohort
 * (category and year) for the Tukey fences, the cohorts' last fences, and the thresholds an administrator set.
 * The flags start empty; the marker row '*' asks the job (trading/integrity-index.ts) to compute every project's
 * flags at its first run, so a database upgraded with notices gets them without an operator step.
 */
export class Integrity1765710000000 implements MigrationInterface {
  name = 'Integrity1765710000000';

  async up(db: QueryRunner): Promise<void> {
    const t = columnTypes(dialectOf(db));
    await db.createTable(
      new Table({
        name: 'integrity_flag',
        columns: [
          { name: 'id', type: t.autoId, isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'indicator', type: 'varchar', length: '24' },
          { name: 'indicator_version', type: 'int' },
          { name: 'project_id', type: 'varchar', length: '80', isNullable: true },
          { name: 'lot_code', type: 'varchar', length: '64', default: "''" },
          // The buyer (招标人/采购人) of a repeat-winner flag, and the organisation a flag names (winner, bidder).
          { name: 'buyer_code', type: 'varchar', length: '18', isNullable: true },
          { name: 'org_code', type: 'varchar', length: '18', isNullable: true },
          { name: 'category', type: 'varchar', length: '32' },
          { name: 'region_code', type: 'varchar', length: '6' },
          { name: 'year', type: 'varchar', length: '4' },
          { name: 'notice_id', type: 'varchar', length: '80', isNullable: true },
          { name: 'flag_values', type: 'text' },
          { name: 'thresholds', type: 'text' },
          { name: 'q1', type: 'varchar', length: '24', isNullable: true },
          { name: 'q3', type: 'varchar', length: '24', isNullable: true },
          { name: 'cohort_n', type: 'int', isNullable: true },
          { name: 'computed_at', type: 'datetime', precision: 3 },
        ],
        indices: [
          // Lists newest year first, then newest flag, by keyset (year, id): one index per filter combination.
          new TableIndex({ name: 'ix_integrity_flag_ind_cat', columnNames: ['indicator', 'category', 'year', 'id'] }),
          new TableIndex({ name: 'ix_integrity_flag_ind', columnNames: ['indicator', 'year', 'id'] }),
          new TableIndex({ name: 'ix_integrity_flag_cat', columnNames: ['category', 'year', 'id'] }),
          new TableIndex({ name: 'ix_integrity_flag_year', columnNames: ['year', 'id'] }),
          new TableIndex({ name: 'ix_integrity_flag_project', columnNames: ['project_id', 'indicator'] }),
          new TableIndex({ name: 'ix_integrity_flag_buyer', columnNames: ['buyer_code', 'year', 'indicator'] }),
        ],
      }),
    );
    await db.createTable(
      new Table({
        name: 'integrity_count',
        columns: [
          { name: 'count_key', type: 'varchar', length: '100', isPrimary: true, collation: t.binaryCollation },
          { name: 'flags', type: 'int', default: 0 },
        ],
      }),
    );
    await db.createTable(
      new Table({
        name: 'integrity_ratio',
        columns: [
          { name: 'project_id', type: 'varchar', length: '80', isPrimary: true },
          { name: 'lot_code', type: 'varchar', length: '64', isPrimary: true },
          { name: 'cohort', type: 'varchar', length: '48' },
          { name: 'ratio', type: 'double' },
          { name: 'region_code', type: 'varchar', length: '6' },
          { name: 'notice_id', type: 'varchar', length: '80' },
        ],
        indices: [new TableIndex({ name: 'ix_integrity_ratio_cohort', columnNames: ['cohort', 'ratio'] })],
      }),
    );
    await db.createTable(
      new Table({
        name: 'integrity_cohort',
        columns: [
          { name: 'cohort', type: 'varchar', length: '48', isPrimary: true },
          { name: 'dirty', type: 'smallint', default: 1 },
          { name: 'n', type: 'int', default: 0 },
          { name: 'q1', type: 'varchar', length: '24', isNullable: true },
          { name: 'q3', type: 'varchar', length: '24', isNullable: true },
          { name: 'computed_at', type: 'datetime', precision: 3, isNullable: true },
        ],
        indices: [new TableIndex({ name: 'ix_integrity_cohort_dirty', columnNames: ['dirty'] })],
      }),
    );
    await db.query(`INSERT INTO integrity_cohort (cohort, dirty, n) VALUES ('*', 1, 0)`);
    await db.createTable(
      new Table({
        name: 'integrity_threshold',
        columns: [
          { name: 'indicator', type: 'varchar', length: '24', isPrimary: true },
          { name: 'threshold_key', type: 'varchar', length: '32', isPrimary: true },
          { name: 'value', type: 'varchar', length: '24' },
          { name: 'updated_at', type: 'datetime', precision: 3 },
          { name: 'updated_by', type: 'int', isNullable: true },
        ],
      }),
    );
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'integrity_threshold',
      'integrity_cohort',
      'integrity_ratio',
      'integrity_count',
      'integrity_flag',
    ])
      await db.dropTable(table);
  }
}
