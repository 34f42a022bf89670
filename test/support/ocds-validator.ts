import AjvDraft04 from 'ajv-draft-04';
import formats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/config/project-root.js';

/**
 * A draft-04 validator for OCDS 1.1.5 with the bids and pagination extensions, built only from the schema
 * files copied into reference/ocds (see its README): no network.
 */
// Both packages are CommonJS: imported from ESM, their export sits on .default.
const Ajv = AjvDraft04.default;
const addFormats = formats.default;
const read = (path: string) => JSON.parse(readFileSync(join(projectRoot(), 'reference', 'ocds', path), 'utf8'));

/** RFC 7386 JSON Merge Patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> =
    target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export function ocdsValidators(): { releasePackage: ValidateFunction; recordPackage: ValidateFunction } {
  const release = mergePatch(read('1.1.5/release-schema.json'), read('bid-extension/release-schema.json'));
  // The pagination extension's patch also carries `"required": []`: take only its properties (see SOURCE).
  const paginate = (schema: Record<string, unknown>, ext: string) =>
    mergePatch(schema, { properties: read(`pagination-extension/${ext}`).properties });
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(release as object);
  ajv.addSchema(read('1.1.5/versioned-release-validation-schema.json'));
  return {
    releasePackage: ajv.compile(
      paginate(read('1.1.5/release-package-schema.json'), 'release-package-schema.json') as object,
    ),
    recordPackage: ajv.compile(
      paginate(read('1.1.5/record-package-schema.json'), 'record-package-schema.json') as object,
    ),
  };
}

export function exampleOf(name: string) {
  return read(`1.1.5/examples/${name}`);
}

export const errorsOf = (v: ValidateFunction) =>
  (v.errors ?? []).map((e) => `${e.instancePath} ${e.message}`).slice(0, 10);
