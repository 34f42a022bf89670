import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columnTypes, dialectOf } from '../dialect.js';

/**
 * The organisation index (trading/organization-index.ts): every appearance of a credit code in published data
 * (org_fact), the names a code was published under (org_name), and totals kept in the publishing transaction
 * (org_total). The tables start empty: on a database that already holds notices, `npm run reindex` fills them
 * (README, "Upgrading").
 */
export class Organizations1765700000000 implements MigrationInterface {
  name = 'Organizations1765700000000';

  async up(db: QueryRunner): Promise<void> {
    const t = columnTypes(dialectOf(db));
    await db.createTable(
      new Table({
        name: 'org_fact',
        columns: [
          { name: 'id', type: t.autoId, isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'credit_code', type: 'varchar', length: '18' },
          { name: 'section', type: 'varchar', length: '12' },
          { name: 'role', type: 'varchar', length: '16' },
          { name: 'award', type: 'smallint', default: 0 },
          { name: 'notice_id', type: 'varchar', length: '80' },
          { name: 'project_id', type: 'varchar', length: '80' },
          { name: 'notice_type', type: 'varchar', length: '32' },
          { name: 'lot_code', type: 'varchar', length: '64', isNullable: true },
          { name: 'name', type: 'varchar', length: '200' },
          { name: 'price_form', type: 'varchar', length: '16', isNullable: true },
          { name: 'price_value', type: 'varchar', length: '40', isNullable: true },
          { name: 'price_unit', type: 'varchar', length: '8', isNullable: true },
          // Exact yuan of an amount (a decimal string: never a float); null for rates, discounts and unit prices.
          { name: 'price_yuan', type: 'varchar', length: '24', isNullable: true },
          { name: 'place', type: 'int', isNullable: true },
          { name: 'category', type: 'varchar', length: '32' },
          { name: 'region_code', type: 'varchar', length: '6' },
          { name: 'published_at', type: 'datetime', precision: 3 },
          { name: 'withdrawn', type: 'smallint', default: 0 },
        ],
        indices: [
          // An organisation's section, newest first, by keyset (published_at, id).
          new TableIndex({ name: 'ix_org_fact_code', columnNames: ['credit_code', 'section', 'published_at', 'id'] }),
          new TableIndex({ name: 'ix_org_fact_notice', columnNames: ['notice_id'] }),
          new TableIndex({ name: 'ix_org_fact_project', columnNames: ['project_id', 'credit_code'] }),
        ],
      }),
    );
    await db.createTable(
      new Table({
        name: 'org_name',
        columns: [
          { name: 'credit_code', type: 'varchar', length: '18', isPrimary: true },
          { name: 'name', type: 'varchar', length: '200', isPrimary: true },
          { name: 'appearances', type: 'int', default: 0 },
          { name: 'first_seen', type: 'datetime', precision: 3 },
          { name: 'last_seen', type: 'datetime', precision: 3 },
        ],
        indices: [new TableIndex({ name: 'ix_org_name_name', columnNames: ['name'] })],
      }),
    );
    await db.createTable(
      new Table({
        name: 'org_total',
        columns: [
          { name: 'total_key', type: 'varchar', length: '120', isPrimary: true, collation: t.binaryCollation },
          { name: 'n', type: 'int', default: 0 },
          { name: 'fen', type: 'bigint', default: 0 },
          { name: 'unpriced', type: 'int', default: 0 },
        ],
      }),
    );
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['org_total', 'org_name', 'org_fact']) await db.dropTable(table);
  }
}
