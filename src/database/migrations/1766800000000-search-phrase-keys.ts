import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/**
 * Phrase keys in the search index (trading/search-grams.ts: every three and four adjacent characters, not all
 * ASCII), so that a Chinese word of three or four characters is one key whose count is its total. Notices
 * published from now on are indexed with them; those indexed before keep their keys until `npm run reindex`
 * rebuilds the index (adding some 500 keys to each of a million notices is the rebuild's work, not a migration's).
 * notice_search_state says which notices hold them: those published after `phrase_keys_after` (ms since the
 * epoch; -1 when every indexed notice does). A search reads the notices after it by phrase keys and those at or
 * before it by pairs (NoticeSearch.matcher). On an empty index it is -1 at once.
 */
export class SearchPhraseKeys1766800000000 implements MigrationInterface {
  name = 'SearchPhraseKeys1766800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.createTable(
      new Table({
        name: 'notice_search_state',
        columns: [
          { name: 'id', type: 'int', isPrimary: true },
          { name: 'phrase_keys_after', type: 'bigint' },
        ],
      }),
    );
    // The newest publication indexed so far (every published notice is indexed in its publishing transaction):
    // the last instant of ix_notice_list's published range.
    const rows: { at: unknown }[] = await db.query(
      `SELECT published_at AS at FROM notice WHERE status = 'published' ORDER BY published_at DESC LIMIT 1`,
    );
    const after = rows.length ? instant1766800000000(rows[0].at) : -1;
    await db.query('INSERT INTO notice_search_state (id, phrase_keys_after) VALUES (1, ?)', [after]);
  }

  async down(db: QueryRunner): Promise<void> {
    // The phrase keys written since stay in the index: the earlier code never asks for them.
    await db.dropTable('notice_search_state');
  }
}

/** A datetime as read raw: a Date on MySQL, UTC text on SQLite (frozen copy, as in 1766100000000). */
function instant1766800000000(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  const text = String(value);
  return new Date(/Z$|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`).getTime();
}
