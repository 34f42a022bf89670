import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { columnTypes, dialectOf } from '../dialect.js';

/**
 * notice_json: each published notice's public JSON as UTF-8 bytes, kept when it is published and rewritten when
 * it is withdrawn (published/notice-json.ts), so the change feed splices bytes instead of reading every column,
 * building objects and encoding them again. The notices already published have none: the change feed builds
 * theirs as before until `npm run reindex` (or the benchmark's fill) keeps them.
 */
export class NoticeJson1766310000000 implements MigrationInterface {
  name = 'NoticeJson1766310000000';

  async up(db: QueryRunner): Promise<void> {
    const t = columnTypes(dialectOf(db));
    await db.createTable(
      new Table({
        name: 'notice_json',
        columns: [
          { name: 'notice_id', type: 'varchar', length: '80', isPrimary: true },
          { name: 'json_key', type: 'varchar', length: '400' },
          { name: 'json_bytes', type: t.binary },
        ],
      }),
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.dropTable('notice_json');
  }
}
