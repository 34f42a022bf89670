import Database from 'better-sqlite3';
import { keysetAfter, keysetFrom, positional } from './keyset.js';

/** Pages through rows with keysetAfter on a real SQLite table and checks the pages add up to the sorted rows. */
describe('keysetAfter', () => {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (k INTEGER NOT NULL, id TEXT NOT NULL, PRIMARY KEY (k, id))');
  // Many rows share a key (notices published at one instant): the id orders them.
  const rows = Array.from({ length: 60 }, (_, i) => ({
    k: Math.floor(i / 7),
    id: `N${String((i * 37) % 60).padStart(2, '0')}`,
  }));
  const insert = db.prepare('INSERT INTO t (k, id) VALUES (?, ?)');
  for (const r of rows) insert.run(r.k, r.id);
  afterAll(() => db.close());

  for (const direction of ['ASC', 'DESC'] as const) {
    it(`pages ${direction} without a row lost or repeated, ties broken by id`, () => {
      const seen: { k: number; id: string }[] = [];
      let last: { k: number; id: string } | undefined;
      for (;;) {
        const params: unknown[] = [];
        const where = last
          ? `WHERE ${keysetAfter({ key: 'k', id: 'id' }, { key: last.k, id: last.id }, direction, positional(params))}`
          : '';
        const page = db
          .prepare(`SELECT k, id FROM t ${where} ORDER BY k ${direction}, id ${direction} LIMIT 4`)
          .all(...params) as { k: number; id: string }[];
        if (!page.length) break;
        seen.push(...page);
        last = page[page.length - 1];
      }
      const sign = direction === 'ASC' ? 1 : -1;
      const sorted = [...rows].sort((a, b) => sign * (a.k - b.k || a.id.localeCompare(b.id)));
      expect(seen).toEqual(sorted);
    });
  }

  it('keysetFrom starts at the position, its own row included: stretches from each end tile the order', () => {
    const sorted = [...rows].sort((a, b) => a.k - b.k || a.id.localeCompare(b.id));
    const seen: { k: number; id: string }[] = [];
    // Each stretch ends before the row OFFSET 5 finds, and the next starts at that row (as deadlineWalk's do).
    let start: { k: number; id: string } | undefined;
    for (;;) {
      const params: unknown[] = [];
      const from = start
        ? `WHERE ${keysetFrom({ key: 'k', id: 'id' }, { key: start.k, id: start.id }, 'ASC', positional(params))}`
        : '';
      const end = db.prepare(`SELECT k, id FROM t ${from} ORDER BY k, id LIMIT 1 OFFSET 5`).get(...params) as
        { k: number; id: string } | undefined;
      const before = end
        ? `${from ? `${from} AND` : 'WHERE'} ${keysetAfter({ key: 'k', id: 'id' }, { key: end.k, id: end.id }, 'DESC', positional(params))}`
        : from;
      seen.push(...(db.prepare(`SELECT k, id FROM t ${before} ORDER BY k, id`).all(...params) as typeof seen));
      if (!end) break;
      start = end;
    }
    expect(seen).toEqual(sorted);
  });

  it('bounds the index range by the key alone, so the plan starts at the position', () => {
    const params: unknown[] = [];
    const sql = keysetAfter({ key: 'k', id: 'id' }, { key: 3, id: 'N10' }, 'DESC', positional(params));
    expect(sql).toBe('(k <= ? AND (k < ? OR (k = ? AND id < ?)))');
    expect(params).toEqual([3, 3, 3, 'N10']);
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN SELECT k, id FROM t WHERE ${sql} ORDER BY k DESC, id DESC`)
      .all(...params) as {
      detail: string;
    }[];
    expect(plan.map((p) => p.detail).join('\n')).toMatch(/SEARCH t USING .*INDEX .*\(k<\?\)/);
  });
});
