import { MigrationInterface, QueryRunner } from 'typeorm';
import { dialectOf } from '../dialect.js';

/**
 * An organisation's facts stored in the order its pages read them (issue 11), on MySQL/MariaDB: InnoDB keeps a
 * table in its primary key's order, and with `id` as that key a busy bidder's facts lay one per page across the
 * whole table (they were written in publication order, among everyone's). A page of a section read its rows from
 * ix_org_fact_code, then each row by its id: at 1,000,000 notices (2.2 million facts) 34 index pages for a
 * preview's 9 rows, 177 for the API's 51. With (credit_code, section, published_at, id) as the primary key, those
 * rows are one range of it: 3 and 4 pages, the API's page of 51 bids 0.50 → 0.35 ms (median of 60). `id` stays
 * unique (AUTO_INCREMENT needs a key that leads with it); ix_org_fact_code is the primary key now. The other
 * indexes grow by the longer key they point with (1,210 MB for the table and its indexes, against 972 MB), and facts
 * are written at their organisation's place instead of the table's end: rebuilding the organisation index took
 * about 1.2× as long (100,000 notices, in memory).
 *
 * SQLite is left as it is (a table ordered by rowid; WITHOUT ROWID tables have no AUTOINCREMENT): it serves the
 * small sites, whose organisation tables fit in memory. Rebuilt in 29 s at 1,000,000 notices (12 GB buffer pool).
 */
export class OrgFactClustered1767100000000 implements MigrationInterface {
  name = 'OrgFactClustered1767100000000';

  async up(db: QueryRunner): Promise<void> {
    if (dialectOf(db) !== 'mysql') return;
    await db.query(
      `ALTER TABLE org_fact DROP PRIMARY KEY, ADD PRIMARY KEY (credit_code, section, published_at, id),
       ADD UNIQUE KEY ux_org_fact_id (id), DROP INDEX ix_org_fact_code`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    if (dialectOf(db) !== 'mysql') return;
    await db.query(
      `ALTER TABLE org_fact DROP PRIMARY KEY, ADD PRIMARY KEY (id), DROP INDEX ux_org_fact_id,
       ADD INDEX ix_org_fact_code (credit_code, section, published_at, id)`,
    );
  }
}
