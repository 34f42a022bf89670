import { MigrationInterface, QueryRunner, Table, TableColumnOptions } from 'typeorm';
import { columnTypes, dialectOf } from '../dialect.js';

/**
 * The keyword-search index of published notices (see trading/notice-search.ts): a row per key (character,
 * character pair, four ASCII characters) of a notice, by key and publication time; the folded text longer
 * terms are checked against; how many notices hold each key. Existing notices are indexed by `npm run reindex`.
 */
export class NoticeSearch1764100000000 implements MigrationInterface {
  name = 'NoticeSearch1764100000000';

  async up(db: QueryRunner): Promise<void> {
    const t = columnTypes(dialectOf(db));
    const gram: TableColumnOptions = { name: 'gram', type: 'varchar', length: '4', collation: t.binaryCollation };
    const noticeId: TableColumnOptions = { name: 'notice_id', type: 'varchar', length: '80' };

    await db.createTable(
      new Table({
        name: 'notice_search_gram',
        columns: [
          { ...gram, isPrimary: true },
          { name: 'published_at', type: 'datetime', precision: 3, isPrimary: true },
          { ...noticeId, isPrimary: true },
        ],
        // The primary key is the access path; SQLite then keeps the rows in it, as InnoDB always does.
        withoutRowid: true,
      }),
    );
    await db.createTable(
      new Table({
        name: 'notice_search_text',
        columns: [
          { ...noticeId, isPrimary: true },
          { name: 'content', type: t.longText, collation: t.binaryCollation },
        ],
      }),
    );
    await db.createTable(
      new Table({
        name: 'notice_search_gram_count',
        columns: [
          { ...gram, isPrimary: true },
          { name: 'notices', type: 'int' },
        ],
        withoutRowid: true,
      }),
    );
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['notice_search_gram_count', 'notice_search_text', 'notice_search_gram'])
      await db.dropTable(table);
  }
}
