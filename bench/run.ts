/**
 * Runs the benchmarks and writes their figures to bench/results.md:
 *
 *   npm run bench               every benchmark
 *   npm run bench:search        one of them (node dist/bench/run.js search)
 *   npm run bench:portal        the portal's public endpoints (node dist/bench/run.js portal)
 *   npm run bench:alerts        alert matching at 1,000 and 100,000 alerts, and mails per second
 *
 * A benchmark, not a test: it measures ratios and always exits 0 unless it cannot run at all.
 */
import 'reflect-metadata';
import { type Benchmark, writeResults } from './harness.js';
import { alertsBenchmark } from './alerts/alerts.bench.js';
import { portalBenchmark } from './portal/portal.bench.js';
import { searchBenchmark } from './search/search.bench.js';

const BENCHMARKS: Benchmark[] = [searchBenchmark, portalBenchmark, alertsBenchmark];

async function main(names: string[]) {
  const unknown = names.filter((n) => !BENCHMARKS.some((b) => b.name === n));
  if (unknown.length)
    throw new Error(`unknown benchmark ${unknown.join(', ')}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}`);
  const chosen = names.length ? BENCHMARKS.filter((b) => names.includes(b.name)) : BENCHMARKS;
  const sections = [];
  for (const b of chosen) sections.push(...[await b.run((line) => console.log(line))].flat());
  console.log(`\nwritten to ${writeResults(sections)}`);
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
