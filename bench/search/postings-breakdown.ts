/**
 * Where the search index's postings come from, on the portal benchmark's notices (bench/portal/fill.ts):
 * postings by kind of key (characters, pairs, ASCII 4/8, filter keys) and by field (title, body, details,
 * project and party names), and each table's size on disk. A measurement for issue 11, run by hand (written for the
 * row-per-posting index: since notice_search_block, notice_search_gram holds filter keys only, and its
 * "bytes per posting row" line describes those):
 *
 *   npm run build && DATABASE_URL=mysql://root:@127.0.0.1:3306/test BENCH_NOTICES=10000 node dist/bench/search/postings-breakdown.js
 *
 * It fills a database beside the one named (`<name>_postings_<N>`) and drops it afterwards (BENCH_KEEP=1 keeps it).
 */
import 'reflect-metadata';
import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { ENTITIES } from '../../src/app.module.js';
import { loadConfig } from '../../src/config/config.js';
import { dataSourceOptions } from '../../src/database/data-source.js';
import { Database } from '../../src/database/database.js';
import { runMigrations } from '../../src/database/migrate.js';
import { detailWords } from '../../src/trading/notice-search.js';
import { documentGrams, filterKeys, foldSearchText } from '../../src/trading/search-grams.js';
import { fillPortal } from '../portal/fill.js';

function kindOf(gram: string): string {
  if (/^[#@&]/.test(gram)) return 'filter key';
  const chars = [...gram];
  const ascii = (c: string) => /^[0-9a-z]$/.test(c);
  if (chars.length === 8) return 'ASCII 8';
  if (chars.length === 4) return 'ASCII 4';
  if (chars.length === 1) return ascii(chars[0]) ? 'unigram ASCII' : 'unigram CJK/other';
  if (chars.every(ascii)) return 'bigram ASCII';
  if (chars.some(ascii)) return 'bigram mixed';
  return 'bigram CJK/other';
}

async function main() {
  const count = Number(process.env.BENCH_NOTICES ?? 10_000);
  const base = loadConfig({ ...process.env, LOG_LEVEL: 'silent', SEED_DEMO: 'false' }).database;
  if (base.kind !== 'mysql') throw new Error('set DATABASE_URL to a MySQL/MariaDB database');
  const name = `${base.database}_postings_${count}`;
  const admin = await createConnection({ host: base.host, port: base.port, user: base.user, password: base.password });
  await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const dataSource = new DataSource({ ...dataSourceOptions({ ...base, database: name }, ENTITIES) } as never);
  await dataSource.initialize();
  try {
    await runMigrations(dataSource);
    const db = new Database(dataSource);
    const t = Date.now();
    const report = await fillPortal(db, count, new Date('2026-11-25T02:00:00Z'), (l) => console.log(l), {
      ...base,
      database: name,
    });
    console.log(`filled in ${((Date.now() - t) / 1000).toFixed(0)} s (index ${report.indexSeconds.toFixed(0)} s)`);
    await db.manager.query('ANALYZE TABLE notice, notice_search_gram, notice_search_text, notice_search_gram_count');
    const sizes: { t: string; rows: number; data: number; idx: number }[] = await db.manager.query(
      `SELECT table_name AS t, table_rows AS \`rows\`, data_length AS data, index_length AS idx FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY data_length + index_length DESC LIMIT 8`,
    );
    const postings = Number((await db.manager.query('SELECT COUNT(*) AS c FROM notice_search_gram'))[0].c);
    console.log('\nTable sizes (information_schema):');
    for (const s of sizes)
      console.log(
        `  ${s.t}: ${(Number(s.data) / 2 ** 20).toFixed(1)} MB data + ${(Number(s.idx) / 2 ** 20).toFixed(1)} MB index, ~${s.rows} rows`,
      );
    const gramBytes = sizes.find((s) => s.t === 'notice_search_gram')!;
    console.log(
      `  notice_search_gram: ${postings} postings, ${((Number(gramBytes.data) + Number(gramBytes.idx)) / postings).toFixed(1)} bytes per posting row`,
    );

    // Per field and per kind, recomputed from the stored notices the way searchDocument cuts them.
    const rows: {
      id: string;
      title: string;
      body: string;
      details: string;
      category: string;
      region_code: string;
      pname: string;
      deal: string;
      tender: string;
    }[] = await db.manager.query(
      `SELECT n.id, n.title, n.body, n.details, n.category, n.region_code, p.name AS pname, p.deal_code AS deal, p.tender_code AS tender
       FROM notice n JOIN project p ON p.id = n.project_id WHERE n.status = 'published'`,
    );
    const partyRows: { project_id: string; name: string }[] = await db.manager.query(
      'SELECT project_id, name FROM project_party',
    );
    const projectOf = new Map<string, string>(
      (await db.manager.query(`SELECT id, project_id FROM notice WHERE status = 'published'`)).map(
        (r: { id: string; project_id: string }) => [r.id, r.project_id],
      ),
    );
    const parties = new Map<string, string[]>();
    for (const p of partyRows) parties.set(p.project_id, [...(parties.get(p.project_id) ?? []), p.name]);
    const byKind = new Map<string, number>();
    const fieldKeys = new Map<string, number>();
    const fieldOnly = new Map<string, number>();
    const fieldChars = new Map<string, number>();
    const docFreq = new Map<string, number>();
    let total = 0;
    for (const r of rows) {
      const details = typeof r.details === 'string' ? JSON.parse(r.details) : r.details;
      const fields: Record<string, string[]> = {
        title: [r.title],
        body: [r.body],
        details: detailWords(details),
        'project name + codes': [r.pname, r.deal, r.tender],
        'party names': parties.get(projectOf.get(r.id)!) ?? [],
      };
      const keysOf: Record<string, Set<string>> = {};
      for (const [f, texts] of Object.entries(fields)) {
        const folded = texts.map(foldSearchText).join('\n');
        fieldChars.set(f, (fieldChars.get(f) ?? 0) + folded.length);
        keysOf[f] = new Set(documentGrams(folded));
        fieldKeys.set(f, (fieldKeys.get(f) ?? 0) + keysOf[f].size);
      }
      const all = documentGrams(Object.values(fields).flat().map(foldSearchText).join('\n'));
      for (const g of all) {
        byKind.set(kindOf(g), (byKind.get(kindOf(g)) ?? 0) + 1);
        docFreq.set(g, (docFreq.get(g) ?? 0) + 1);
        const holders = Object.keys(keysOf).filter((f) => keysOf[f].has(g));
        if (holders.length === 1) fieldOnly.set(holders[0], (fieldOnly.get(holders[0]) ?? 0) + 1);
      }
      const fk = filterKeys(r.category, r.region_code);
      byKind.set('filter key', (byKind.get('filter key') ?? 0) + fk.length);
      for (const g of fk) docFreq.set(g, (docFreq.get(g) ?? 0) + 1);
      total += all.length + fk.length;
    }
    const n = rows.length;
    const pct = (x: number) => `${((100 * x) / total).toFixed(1)}%`;
    console.log(`\n${n} published notices, ${total} postings (${(total / n).toFixed(0)} per notice)`);
    console.log('By kind of key (postings per notice, share):');
    for (const [k, v] of [...byKind].sort((a, b) => b[1] - a[1]))
      console.log(`  ${k}: ${(v / n).toFixed(1)}  ${pct(v)}`);
    console.log(
      'By field (folded characters per notice; distinct keys of the field alone per notice; keys only that field holds):',
    );
    for (const f of fieldKeys.keys())
      console.log(
        `  ${f}: ${(fieldChars.get(f)! / n).toFixed(0)} chars; ${(fieldKeys.get(f)! / n).toFixed(1)} keys; ${((fieldOnly.get(f) ?? 0) / n).toFixed(1)} only there (${pct(fieldOnly.get(f) ?? 0)})`,
      );
    // How postings spread over keys: the share held by keys in more than x of the notices.
    const freqs = [...docFreq.values()].sort((a, b) => b - a);
    for (const share of [0.5, 0.1, 0.01, 0.001]) {
      const keys = freqs.filter((f) => f > share * n);
      console.log(
        `  keys in > ${share * 100}% of notices: ${keys.length} keys, ${pct(keys.reduce((a, b) => a + b, 0))} of postings`,
      );
    }
    console.log(`  distinct keys: ${freqs.length}; keys held by one notice: ${freqs.filter((f) => f === 1).length}`);
  } finally {
    await dataSource.destroy();
    if (process.env.BENCH_KEEP !== '1') await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.end();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
