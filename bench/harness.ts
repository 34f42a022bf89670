import { cpus, totalmem } from 'node:os';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'mysql2/promise';
import type { DatabaseConfig } from '../src/config/config.js';
import { join } from 'node:path';
import { projectRoot } from '../src/config/project-root.js';

/**
 * What every benchmark shares. A benchmark reports ratios against a baseline it measures in the same process,
 * interleaved with the cases, so a slower or busier machine moves both and the ratios stay comparable.
 */
export interface Benchmark {
  name: string;
  /** Runs and returns the Markdown sections for bench/results.md. */
  run(log: (line: string) => void): Promise<BenchSection | BenchSection[]>;
}

export interface BenchSection {
  /** Sections with the same key replace each other in the results file (e.g. search/mariadb/100000). */
  key: string;
  markdown: string;
}

/** Median milliseconds of each task, run in rounds (every task once per round) after a warm-up round. */
export async function timeInterleaved(
  tasks: Record<string, () => Promise<unknown>>,
  rounds: number,
): Promise<Record<string, number>> {
  const names = Object.keys(tasks);
  const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (const name of names) await tasks[name]();
  for (let r = 0; r < rounds; r++) {
    for (const name of names) {
      const start = process.hrtime.bigint();
      await tasks[name]();
      samples[name].push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  return Object.fromEntries(names.map((n) => [n, median(samples[n])]));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export const ms = (x: number) => (x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0));
export const ratio = (x: number, base: number) => `${(x / base).toFixed(2)}×`;

export function machine(): string {
  const cpu = cpus();
  return `${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GB RAM, Node ${process.version}`;
}

const RESULTS = () => join(projectRoot(), 'bench', 'results.md');
const HEADER = `# Benchmark results

Written by \`npm run bench\` (every benchmark), \`npm run bench:search\` and \`npm run bench:portal\`; see the README, "Benchmarks". Times
are medians; ratios compare each case with the baseline measured in the same run. A section is replaced when
its benchmark runs again on the same database and size.

Reading the search plans: the sort under the counts table (\`c\`: "USE TEMP B-TREE FOR ORDER BY", "Using
filesort") orders the query's few keys to pick the rarest one; the matches themselves are read in order from
the starting key's rows (\`sg\`) and never sorted.
`;

/** Replaces (or appends) each section in bench/results.md, keeping the others. */
export function writeResults(sections: BenchSection[]): string {
  const file = RESULTS();
  let text = existsSync(file) ? readFileSync(file, 'utf8') : HEADER;
  for (const s of sections) {
    const begin = `<!-- bench:${s.key} -->`;
    const end = `<!-- /bench:${s.key} -->`;
    const block = `${begin}\n${s.markdown.trim()}\n${end}`;
    const from = text.indexOf(begin);
    const to = text.indexOf(end);
    text =
      from >= 0 && to > from
        ? text.slice(0, from) + block + text.slice(to + end.length)
        : `${text.trimEnd()}\n\n${block}\n`;
  }
  writeFileSync(file, text);
  return file;
}

/** A benchmark's own database: a file under bench/tmp/, or a MySQL/MariaDB database beside DATABASE_URL's. */
export interface BenchTarget {
  kind: 'sqlite' | 'mariadb' | 'mysql';
  config: DatabaseConfig;
  /** DATABASE_URL of the app. */
  url: string;
  drop(): Promise<void>;
}

/**
 * Creates (or, with `keep`, reuses) a benchmark's database: SQLite `bench/tmp/<file>.sqlite`, MySQL/MariaDB
 * `<database>_bench_<suffix>` beside the one `base` names.
 */
export async function benchDatabase(
  base: DatabaseConfig,
  name: { file: string; suffix: string },
  keep = false,
): Promise<BenchTarget> {
  if (base.kind === 'sqlite') {
    const dir = join(projectRoot(), 'bench', 'tmp');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `${name.file}.sqlite`);
    const drop = async () => ['', '-wal', '-shm'].forEach((s) => rmSync(path + s, { force: true }));
    if (!keep && existsSync(path)) await drop();
    return { kind: 'sqlite', config: { kind: 'sqlite', path }, url: `sqlite:${path}`, drop };
  }
  const database = `${base.database}_bench_${name.suffix}`;
  const admin = () => createConnection({ host: base.host, port: base.port, user: base.user, password: base.password });
  const c = await admin();
  const [[{ v }]] = (await c.query('SELECT VERSION() AS v')) as unknown as [[{ v: string }]];
  if (!keep) await c.query(`DROP DATABASE IF EXISTS \`${database}\``);
  await c.query(`CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await c.end();
  const url = new URL(base.url);
  url.pathname = `/${database}`;
  return {
    kind: /mariadb/i.test(v) ? 'mariadb' : 'mysql',
    config: { ...base, database, url: url.toString() },
    url: url.toString(),
    drop: async () => {
      const d = await admin();
      await d.query(`DROP DATABASE IF EXISTS \`${database}\``);
      await d.end();
    },
  };
}
