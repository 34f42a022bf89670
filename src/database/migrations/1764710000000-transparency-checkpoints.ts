import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columnTypes, dialectOf } from '../dialect.js';

/** Signed checkpoints of the publication log and the keys that signed them (see transparency/). */
export class TransparencyCheckpoints1764710000000 implements MigrationInterface {
  name = 'TransparencyCheckpoints1764710000000';

  async up(db: QueryRunner): Promise<void> {
    const t = columnTypes(dialectOf(db));
    await db.createTable(
      new Table({
        name: 'transparency_checkpoint',
        columns: [
          { name: 'seq', type: 'bigint', isPrimary: true },
          { name: 'hash', type: 'varchar', length: '64' },
          { name: 'recorded_at', type: 'datetime', precision: 3 },
          { name: 'platform', type: 'varchar', length: '24' },
          { name: 'key_fingerprint', type: 'varchar', length: '64' },
          { name: 'signature', type: 'varchar', length: '128' },
        ],
      }),
    );
    await db.createTable(
      new Table({
        name: 'transparency_signing_key',
        columns: [
          { name: 'fingerprint', type: 'varchar', length: '64', isPrimary: true },
          { name: 'public_key_pem', type: t.longText },
          { name: 'private_key_pem', type: t.longText, isNullable: true },
          { name: 'generated_key', type: 'int', isNullable: true },
          { name: 'created_at', type: 'datetime', precision: 3 },
        ],
        indices: [new TableIndex({ name: 'uq_signing_key_generated', columnNames: ['generated_key'], isUnique: true })],
      }),
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.dropTable('transparency_signing_key');
    await db.dropTable('transparency_checkpoint');
  }
}
