import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

const NAME = 'ix_org_fact_project';
const BEFORE = ['project_id', 'credit_code'];
/** The same lead, then every column a bid's outcome reads (OrganizationReads.addOutcomes): the index covers it. */
const AFTER = ['project_id', 'credit_code', 'section', 'withdrawn', 'role', 'lot_code', 'place'];

/**
 * How an organisation's bids fared (issue 11): a page of 50 bids reads the organisation's candidate and award
 * facts on those bids' projects. By `(project_id, credit_code)` that was every fact of the organisation on each
 * project, each then read from the table for its section and lot (a primary-key lookup into the largest
 * organisation table: 1.14 ms for the busiest bidders' first pages at 1,000,000 notices); with the section in the
 * key and the columns read in the index, only the candidate and award entries, from the index alone (0.81 ms).
 * Rebuilt in 5 s at 1,000,000 notices (2.1 million facts).
 */
export class OrgFactOutcomes1767000000000 implements MigrationInterface {
  name = 'OrgFactOutcomes1767000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.dropIndex('org_fact', NAME);
    await db.createIndex('org_fact', new TableIndex({ name: NAME, columnNames: AFTER }));
  }

  async down(db: QueryRunner): Promise<void> {
    await db.dropIndex('org_fact', NAME);
    await db.createIndex('org_fact', new TableIndex({ name: NAME, columnNames: BEFORE }));
  }
}
