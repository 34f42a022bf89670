import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';
import { dialectOf } from '../dialect.js';

/**
 * A published yearly report becomes an entry of the publication log (kind `annual-report`): such an entry names no
 * notice or project, so notice_id and project_id may be null (the foreign key to notice stays, for notice
 * entries), and it names its report's year (report_year, indexed so /transparency lists the report entries
 * without reading the notice entries). Reports published before this version are logged on start-up
 * (ReportsService), not here: a migration cannot compute the chain's hashes with the code that defines them.
 */
export class AnnualReportLog1766000000000 implements MigrationInterface {
  name = 'AnnualReportLog1766000000000';

  async up(db: QueryRunner): Promise<void> {
    if (dialectOf(db) === 'mysql') {
      // One statement: MySQL/MariaDB rebuild the table once (the foreign key is kept).
      await db.query(
        'ALTER TABLE publication_log MODIFY notice_id varchar(80) NULL, MODIFY project_id varchar(80) NULL, ADD COLUMN report_year int NULL',
      );
    } else {
      // SQLite cannot drop NOT NULL in place: TypeORM copies the table once for both columns.
      await noticeColumnsNullable(db, true);
      await db.query('ALTER TABLE publication_log ADD COLUMN report_year integer NULL');
    }
    await db.createIndex(
      'publication_log',
      new TableIndex({ name: 'ix_log_report_year', columnNames: ['report_year', 'seq'] }),
    );
  }

  async down(db: QueryRunner): Promise<void> {
    const [{ n }] = (await db.query(`SELECT COUNT(*) AS n FROM publication_log WHERE notice_id IS NULL`)) as {
      n: unknown;
    }[];
    // The log is append-only: its report entries cannot be taken out of the chain without breaking it.
    if (Number(n) > 0)
      throw new Error(`publication_log holds ${n} yearly-report entries: they cannot be removed from the hash chain`);
    await db.dropIndex('publication_log', 'ix_log_report_year');
    if (dialectOf(db) === 'mysql') {
      await db.query(
        'ALTER TABLE publication_log DROP COLUMN report_year, MODIFY notice_id varchar(80) NOT NULL, MODIFY project_id varchar(80) NOT NULL',
      );
    } else {
      await db.query('ALTER TABLE publication_log DROP COLUMN report_year');
      await noticeColumnsNullable(db, false);
    }
  }
}

/** SQLite: the log's notice_id and project_id made nullable (or not again), in one copy of the table. */
async function noticeColumnsNullable(db: QueryRunner, isNullable: boolean): Promise<void> {
  const table = (await db.getTable('publication_log'))!;
  await db.changeColumns(
    table,
    ['notice_id', 'project_id'].map((name) => {
      const oldColumn = table.findColumnByName(name)!;
      const newColumn = oldColumn.clone();
      newColumn.isNullable = isNullable;
      return { oldColumn, newColumn };
    }),
  );
}
