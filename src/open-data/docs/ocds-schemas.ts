import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../config/project-root.js';

/**
 * The OCDS 1.1.5 schemas the OCDS endpoints follow, served beside the API description (/api/docs/ocds/…) and
 * referenced from it. They stay JSON Schema draft-04 documents, each declaring its `$schema`, rather than being
 * converted into the description's own dialect (2020-12): a validator picks the dialect per document, and the
 * official text is kept. The copies in reference/ocds are combined as the portal uses them: the bids extension
 * merged into the release schema, the pagination extension's `links` into the packages (reference/ocds/README.md).
 * Their `id` and cross-references point at these served copies instead of the standard's site.
 */
export const OCDS_SCHEMA_NAMES = [
  'release-package-schema.json',
  'record-package-schema.json',
  'release-schema.json',
  'versioned-release-validation-schema.json',
] as const;
export type OcdsSchemaName = (typeof OCDS_SCHEMA_NAMES)[number];

const STANDARD = 'https://standard.open-contracting.org/schema/1__1__5/';
const read = (path: string) =>
  JSON.parse(readFileSync(join(projectRoot(), 'reference', 'ocds', path), 'utf8')) as Record<string, unknown>;

/** RFC 7386 JSON Merge Patch (how OCDS extensions patch the core schemas). */
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

function combined(name: OcdsSchemaName): Record<string, unknown> {
  const core = read(`1.1.5/${name}`);
  if (name === 'release-schema.json')
    return mergePatch(core, read('bid-extension/release-schema.json')) as Record<string, unknown>;
  // The pagination extension's patch also carries `"required": []`, which would drop the core's required fields.
  if (name.endsWith('package-schema.json'))
    return mergePatch(core, { properties: read(`pagination-extension/${name}`).properties }) as Record<string, unknown>;
  return core;
}

/** One schema as served at `${baseUrl}/api/docs/ocds/${name}`. */
export function ocdsSchema(name: OcdsSchemaName, baseUrl: string): Record<string, unknown> {
  const text = JSON.stringify({ ...combined(name), id: `${baseUrl}/api/docs/ocds/${name}` });
  // Absolute references to the standard's copies become relative ones, resolved against the served `id`.
  return JSON.parse(text.split(`"${STANDARD}`).join('"')) as Record<string, unknown>;
}

/**
 * The same schemas as components of the API description, which validators (and code generators) take only as
 * internal references. Converted from draft-04 to the description's dialect (JSON Schema 2020-12): the
 * validation keywords are kept as they are (draft-04 ones here mean the same in 2020-12), each `definitions`
 * entry becomes a component of its own and `$ref`s point at it; prose (`title`, `description`) and OCDS's own
 * annotations (codelist, deprecated, merge rules) are left to the served official copies.
 */
const COMPONENT_OF: Record<OcdsSchemaName, string> = {
  'release-package-schema.json': 'OcdsReleasePackage',
  'record-package-schema.json': 'OcdsRecordPackage',
  'release-schema.json': 'OcdsRelease',
  'versioned-release-validation-schema.json': 'OcdsVersionedRelease',
};
const DROPPED = new Set([
  'id',
  '$schema',
  'definitions',
  'title',
  'description',
  'codelist',
  'openCodelist',
  'deprecated',
  'deprecatedVersion',
  'versionId',
  'omitWhenMerged',
  'wholeListMerge',
]);
const NAME_MAPS = new Set(['properties', 'patternProperties']);

export function ocdsComponents(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of OCDS_SCHEMA_NAMES) {
    const component = COMPONENT_OF[name];
    const ref = (target: string) => {
      const [file, pointer = ''] = target.split('#');
      const owner = file ? COMPONENT_OF[file.replace(STANDARD, '') as OcdsSchemaName] : component;
      if (!owner) throw new Error(`OCDS schema ${name}: unexpected $ref ${target}`);
      const definition = /^\/definitions\/([^/]+)$/.exec(pointer);
      return `#/components/schemas/${owner}${definition ? `_${definition[1]}` : ''}`;
    };
    const convert = (node: unknown, inNameMap = false): unknown => {
      if (Array.isArray(node)) return node.map((x) => convert(x));
      if (!node || typeof node !== 'object') return node;
      const result: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node)) {
        if (inNameMap) result[k] = convert(v);
        else if (k === '$ref') result[k] = ref(v as string);
        else if (!DROPPED.has(k)) result[k] = k === 'enum' || k === 'default' ? v : convert(v, NAME_MAPS.has(k));
      }
      return result;
    };
    const schema = combined(name);
    out[component] = convert(schema);
    for (const [definition, body] of Object.entries((schema.definitions ?? {}) as Record<string, unknown>))
      out[`${component}_${definition}`] = convert(body);
  }
  return out;
}
