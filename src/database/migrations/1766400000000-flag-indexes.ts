import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/** The integrity_flag indexes no query has read since the lists moved to integrity_flag_key (1766200000000). */
const UNUSED = [
  { name: 'ix_integrity_flag_ind', columnNames: ['indicator', 'year', 'id'] },
  { name: 'ix_integrity_flag_cat', columnNames: ['category', 'year', 'id'] },
  { name: 'ix_integrity_flag_year', columnNames: ['year', 'id'] },
];

/**
 * Drops three indexes of integrity_flag that every flag write kept up and nothing read: the flag lists read
 * integrity_flag_key, a project's flags ix_integrity_flag_project, a cohort's ix_integrity_flag_ind_cat and a
 * buyer's ix_integrity_flag_buyer (their plans: test/bounded-reads.e2e-spec.ts and the integrity tests).
 */
export class FlagIndexes1766400000000 implements MigrationInterface {
  name = 'FlagIndexes1766400000000';

  async up(db: QueryRunner): Promise<void> {
    for (const { name } of UNUSED) await db.dropIndex('integrity_flag', name);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const index of UNUSED) await db.createIndex('integrity_flag', new TableIndex(index));
  }
}
