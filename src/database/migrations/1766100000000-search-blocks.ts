import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { columnTypes, dialectOf } from '../dialect.js';

/**
 * Word keys of the search index move from a row per posting (notice_search_gram: gram, published_at, notice_id,
 * some 60 bytes a posting in InnoDB, 13× the notice table at a million notices) to compressed blocks of
 * publication instants (notice_search_block; trading/search-blocks.ts). Filter keys keep their rows: a region's
 * list reads them in list order. The blocks are built from the rows in primary-key order — each key's instants
 * arrive sorted, a few thousand rows a statement, so the migration holds one page in memory whatever the size —
 * then the word rows are deleted. Counts do not change.
 */
export class SearchBlocks1766100000000 implements MigrationInterface {
  name = 'SearchBlocks1766100000000';

  async up(db: QueryRunner): Promise<void> {
    const t = columnTypes(dialectOf(db));
    await db.createTable(
      new Table({
        name: 'notice_search_block',
        columns: [
          { name: 'gram', type: 'varchar', length: '8', collation: t.binaryCollation, isPrimary: true },
          { name: 'last', type: 'bigint', isPrimary: true },
          { name: 'floor', type: 'bigint' },
          { name: 'top', type: 'bigint' },
          { name: 'postings', type: 'blob' },
        ],
        withoutRowid: true,
      }),
    );
    const dialect = dialectOf(db);
    await blocksFromRows1766100000000(db, 'notice_search_block', {
      where: "gram NOT LIKE '#%' AND gram NOT LIKE '@%' AND gram NOT LIKE '&%'",
      params: [],
    });
    await db.query(
      `DELETE FROM notice_search_gram WHERE gram NOT LIKE '#%' AND gram NOT LIKE '@%' AND gram NOT LIKE '&%'`,
    );
    if (dialect === 'mysql') await db.query('OPTIMIZE TABLE notice_search_gram').catch(() => undefined);
  }

  async down(db: QueryRunner): Promise<void> {
    // Rows again, from each indexed notice's folded text (the blocks name instants, not notices).
    let after = '';
    for (;;) {
      const notices: { notice_id: string; content: string; published_at: unknown }[] = await db.query(
        `SELECT t.notice_id, t.content, n.published_at FROM notice_search_text t JOIN notice n ON n.id = t.notice_id
         WHERE t.notice_id > ? ORDER BY t.notice_id LIMIT 500`,
        [after],
      );
      if (!notices.length) break;
      after = notices[notices.length - 1].notice_id;
      const rows = notices.flatMap((n) =>
        documentGrams1766100000000(n.content).flatMap((g) => [g, n.published_at, n.notice_id]),
      );
      for (let i = 0; i < rows.length; i += 3 * 1000) {
        const chunk = rows.slice(i, i + 3 * 1000);
        await db.query(
          `INSERT INTO notice_search_gram (gram, published_at, notice_id) VALUES ${Array(chunk.length / 3)
            .fill('(?, ?, ?)')
            .join(', ')}`,
          chunk,
        );
      }
    }
    await db.dropTable('notice_search_block');
  }
}

/**
 * Writes blocks into `table` from the rows of notice_search_gram that `where` selects, read in primary-key order a
 * page at a time (each key's instants arrive sorted); a key's instants are held until the key ends. Migration
 * 1767400000000 builds the filter keys' blocks with it too.
 */
export async function blocksFromRows1766100000000(
  db: QueryRunner,
  table: string,
  rowsOf: { where: string; params: unknown[] },
): Promise<void> {
  let after: { gram: string; at: unknown; id: string } | null = null;
  let key: string | null = null;
  let instants: number[] = [];
  const rows: unknown[] = [];
  const flushRows = async () => {
    for (let i = 0; i < rows.length; i += 5 * 200) {
      const chunk = rows.slice(i, i + 5 * 200);
      await db.query(
        `INSERT INTO ${table} (gram, last, floor, top, postings) VALUES ${Array(chunk.length / 5)
          .fill('(?, ?, ?, ?, ?)')
          .join(', ')}`,
        chunk,
      );
    }
    rows.length = 0;
  };
  const endKey = () => {
    if (key !== null)
      for (const b of cutBlocks1766100000000(instants)) rows.push(key, b.last, b.floor, b.top, b.postings);
    instants = [];
  };
  for (;;) {
    const conditions = [
      ...(rowsOf.where ? [rowsOf.where] : []),
      ...(after ? ['(gram > ? OR (gram = ? AND (published_at > ? OR (published_at = ? AND notice_id > ?))))'] : []),
    ];
    const page: { gram: string; published_at: unknown; notice_id: string }[] = await db.query(
      `SELECT gram, published_at, notice_id FROM notice_search_gram${
        conditions.length ? ` WHERE ${conditions.join(' AND ')}` : ''
      } ORDER BY gram, published_at, notice_id LIMIT 5000`,
      [...rowsOf.params, ...(after ? [after.gram, after.gram, after.at, after.at, after.id] : [])],
    );
    if (!page.length) break;
    for (const r of page) {
      if (r.gram !== key) {
        endKey();
        key = r.gram;
      }
      const at = instant1766100000000(r.published_at);
      if (instants[instants.length - 1] !== at) instants.push(at);
    }
    const last = page[page.length - 1];
    after = { gram: last.gram, at: last.published_at, id: last.notice_id };
    if (rows.length > 5000) await flushRows();
  }
  endKey();
  await flushRows();
}

/*
 * Frozen copies of what trading/search-blocks.ts and search-grams.ts did when this migration was written: a
 * migration must do the same on every database it ever meets, whatever the search code becomes.
 */

const OPEN_1766100000000 = Number.MAX_SAFE_INTEGER;
const BLOCK_BYTES_1766100000000 = 512;

/** A datetime as read raw: a Date on MySQL, UTC text on SQLite. */
function instant1766100000000(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  const text = String(value);
  return new Date(/Z$|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`).getTime();
}

function encode1766100000000(values: number[]): Buffer {
  const out: number[] = [];
  let prev = 0;
  for (const v of values) {
    let delta = v - prev;
    prev = v;
    while (delta >= 0x80) {
      out.push((delta % 0x80) | 0x80);
      delta = Math.floor(delta / 0x80);
    }
    out.push(delta);
  }
  return Buffer.from(out);
}

/** A key's sorted instants as blocks of about 512 bytes tiling (0, OPEN], the newest one open. */
function cutBlocks1766100000000(instants: number[]): { floor: number; last: number; top: number; postings: Buffer }[] {
  const blocks: { floor: number; last: number; top: number; postings: Buffer }[] = [];
  let start = 0;
  let bytes = 0;
  let floor = 0;
  for (let i = 0; i < instants.length; i++) {
    let delta = i === start ? instants[i] : instants[i] - instants[i - 1];
    bytes++;
    while (delta >= 0x80) {
      delta = Math.floor(delta / 0x80);
      bytes++;
    }
    if (bytes >= BLOCK_BYTES_1766100000000 && i < instants.length - 1) {
      const part = instants.slice(start, i + 1);
      blocks.push({ floor, last: instants[i], top: instants[i], postings: encode1766100000000(part) });
      floor = instants[i];
      start = i + 1;
      bytes = 0;
    }
  }
  const rest = instants.slice(start);
  const top = rest.length ? rest[rest.length - 1] : floor;
  blocks.push({ floor, last: OPEN_1766100000000, top, postings: encode1766100000000(rest) });
  return blocks;
}

const INDEXABLE_1766100000000 = /[\p{L}\p{N}]/u;
const isAsciiAlnum1766100000000 = (cp: number) =>
  (cp >= 0x61 && cp <= 0x7a) || (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a);
const isIndexable1766100000000 = (cp: number) =>
  (cp >= 0x4e00 && cp <= 0x9fff) ||
  isAsciiAlnum1766100000000(cp) ||
  (cp > 0x7f && INDEXABLE_1766100000000.test(String.fromCodePoint(cp)));

/** The word keys of a folded text: characters, pairs, and four and eight ASCII characters in a row. */
export function documentGrams1766100000000(folded: string): string[] {
  const keys = new Set<string>();
  let prev = '';
  let ascii = 0;
  for (let i = 0; i < folded.length; i++) {
    const cp = folded.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    if (cp > 0xffff) i++;
    if (!isIndexable1766100000000(cp)) {
      prev = '';
      ascii = 0;
      continue;
    }
    keys.add(ch);
    if (prev) keys.add(prev + ch);
    prev = ch;
    ascii = isAsciiAlnum1766100000000(cp) ? ascii + 1 : 0;
    if (ascii >= 4) keys.add(folded.slice(i + 1 - 4, i + 1));
    if (ascii >= 8) keys.add(folded.slice(i + 1 - 8, i + 1));
  }
  return [...keys];
}
