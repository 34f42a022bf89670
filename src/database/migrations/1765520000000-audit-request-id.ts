import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** The request id of each audit entry (X-Request-Id, also in the access log): links a staff change to its request. */
export class AuditRequestId1765520000000 implements MigrationInterface {
  name = 'AuditRequestId1765520000000';

  async up(db: QueryRunner): Promise<void> {
    await db.addColumn(
      'audit_log',
      new TableColumn({ name: 'request_id', type: 'varchar', length: '64', isNullable: true }),
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.dropColumn('audit_log', 'request_id');
  }
}
