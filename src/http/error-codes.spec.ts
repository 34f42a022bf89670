import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../config/project-root.js';
import { SIGNATURE_FAILURES } from '../sync/signing.js';
import { ERROR_CODES } from './error-codes.js';

const sources = () => readdirSync(join(projectRoot(), 'src'), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))
  .map((f) => readFileSync(join(projectRoot(), 'src', f), 'utf8'));

describe('error codes (the enum the API description publishes)', () => {
  it('lists every code the source throws', () => {
    const thrown = new Set<string>();
    for (const text of sources()) {
      for (const m of text.matchAll(/new (?:AppError|DomainError)\(\s*'([^']+)'/g)) thrown.add(m[1]);
    }
    for (const reason of SIGNATURE_FAILURES) thrown.add(`ingest.unauthenticated.${reason}`);
    expect(thrown.size).toBeGreaterThan(30);
    expect([...thrown].filter((c) => !(ERROR_CODES as readonly string[]).includes(c))).toEqual([]);
  });
});
