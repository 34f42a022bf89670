import { dateWriter, insertRows } from '../fill-rows.js';
import { Database } from '../../src/database/database.js';
import { generateProject, rng } from './corpus.js';

/**
 * Fills an empty database with `count` generated notices (and their projects and parties) by multi-row
 * INSERTs in transactions, straight into the tables: the publishing workflow would take hours for a million.
 * Publication times are spread over ten years up to `end`, oldest first, as they accumulate in real life.
 * The search index is then built by NoticeSearch.reindexAll, the same path an upgraded database takes.
 */
export async function fillNotices(db: Database, count: number, end: Date, log: (line: string) => void): Promise<void> {
  const r = rng(20261125);
  const span = 10 * 365 * 24 * 3600 * 1000;
  const step = span / count;
  let at = end.getTime() - span;
  const toDb = dateWriter(db.dataSource);
  let written = 0;
  let serial = 0;
  while (written < count) {
    const projects: unknown[][] = [];
    const parties: unknown[][] = [];
    const notices: unknown[][] = [];
    while (notices.length < 2000 && written + notices.length < count) {
      const p = generateProject(r, ++serial);
      const projectId = `DL2102-BP${String(serial).padStart(10, '0')}`;
      const created = new Date(at);
      projects.push([
        projectId,
        `A02-2102-B${serial}`,
        `E2102${String(serial).padStart(10, '0')}`,
        p.category,
        p.regionCode,
        p.name,
        'budget',
        r.int(100000, 900000000),
        '万元',
        1,
        'DL2102',
        toDb(created),
        toDb(created),
        toDb(created),
      ]);
      p.parties.forEach((name, i) =>
        parties.push([
          projectId,
          i === 0 ? 'tenderer' : 'agency',
          name,
          `91210200MA${String(serial % 1e7).padStart(7, '0')}X`,
        ]),
      );
      for (const n of p.notices) {
        if (written + notices.length >= count) break;
        at += step * (0.5 + r.next());
        const published = new Date(Math.round(at));
        const id = `DL2102-BN${String(written + notices.length + 1).padStart(10, '0')}`;
        // A few drafts that never went out, and a few withdrawn notices (still listed and searchable).
        const status = r.next() < 0.02 ? 'draft' : 'published';
        const withdrawn = status === 'published' && r.next() < 0.01;
        notices.push([
          id,
          projectId,
          n.type,
          n.category,
          n.regionCode,
          n.title,
          n.body,
          '{}',
          status,
          status === 'published' ? toDb(published) : null,
          'DL2102',
          id,
          toDb(published),
          toDb(published),
          1,
          withdrawn ? toDb(published) : null,
        ]);
      }
    }
    await db.transaction(async (em) => {
      await insertRows(
        em,
        'project',
        [
          'id',
          'deal_code',
          'tender_code',
          'category',
          'region_code',
          'name',
          'price_kind',
          'price_fen',
          'price_unit',
          'fully_online',
          'source_platform',
          'created_at',
          'updated_at',
          'first_published_at',
        ],
        projects,
      );
      await insertRows(em, 'project_party', ['project_id', 'role', 'name', 'credit_code'], parties);
      await insertRows(
        em,
        'notice',
        [
          'id',
          'project_id',
          'type',
          'category',
          'region_code',
          'title',
          'body',
          'details',
          'status',
          'published_at',
          'source_platform',
          'source_id',
          'created_at',
          'updated_at',
          'version',
          'withdrawn_at',
        ],
        notices,
      );
    });
    written += notices.length;
    if (written % 50000 < 2000 || written === count) log(`  ${written} notices`);
  }
}
