import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folders of src/, from the bottom of the dependency graph up: a folder may import only folders listed before
 * it, so there is no cycle. docs/ARCHITECTURE.md draws this graph; the test below keeps the drawing true.
 * Files directly in src/ (main.ts, app.ts, app.module.ts) are the root: they may import anything, nothing imports them.
 */
export const LAYERS = [
  'common',
  'domain',
  'config',
  'database',
  'http',
  'audit',
  'jobs',
  'auth',
  'trading',
  'cache',
  'transparency',
  'published',
  'outbox',
  'attachments',
  'publishing',
  'open-data',
  'portal',
  'statistics',
  'alerts',
  'organizations',
  'integrity',
  'disclosure',
  'reports',
  'admin',
  'sync',
  'demo',
  'health',
];

const SRC = dirname(fileURLToPath(import.meta.url));
const ROOT = '(root)';

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );

/** Module specifiers of static imports and re-exports (`import type` included) and of dynamic import(). */
export function importSpecifiers(source: string): string[] {
  const found: string[] = [];
  const pattern =
    /\b(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]|\bimport\s*\(\s*['"`]([^'"`]+)['"`]\s*\)/g;
  for (const m of source.matchAll(pattern)) found.push(m[1] ?? m[2]);
  return found;
}

const folderOf = (file: string) => {
  const parts = relative(SRC, file).split(sep);
  return parts.length === 1 ? ROOT : parts[0];
};

/** Folder → folder edges of src/, each with the imports behind it. */
export function folderGraph(): Map<string, Map<string, string[]>> {
  const graph = new Map<string, Map<string, string[]>>();
  // Specs are leaves (nothing imports them), and some hold import statements as test data.
  for (const file of files(SRC).filter((f) => !f.endsWith('.spec.ts'))) {
    const from = folderOf(file);
    for (const spec of importSpecifiers(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) continue;
      const target = resolve(dirname(file), spec);
      if (relative(SRC, target).startsWith('..')) continue;
      const to = folderOf(target);
      if (to === from) continue;
      if (!graph.has(from)) graph.set(from, new Map());
      const edge = graph.get(from)!;
      edge.set(to, [...(edge.get(to) ?? []), `${relative(SRC, file)} → ${spec}`]);
    }
  }
  return graph;
}

/** The cycles of the graph: its strongly connected components of more than one folder (Tarjan). */
export function cycles(graph: Map<string, Map<string, string[]>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const result: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        component.push(w);
      } while (w !== v);
      if (component.length > 1) result.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return result;
}

/** The edges no other path implies (what the diagram draws): a → b when b is not reachable from a otherwise. */
export function reducedEdges(graph: Map<string, Map<string, string[]>>): string[] {
  const reachable = (from: string, skip: string, to: string): boolean => {
    const seen = new Set<string>();
    const queue = [...(graph.get(from)?.keys() ?? [])].filter((x) => x !== skip);
    while (queue.length) {
      const x = queue.pop()!;
      if (x === to) return true;
      if (seen.has(x)) continue;
      seen.add(x);
      queue.push(...(graph.get(x)?.keys() ?? []));
    }
    return false;
  };
  const edges: string[] = [];
  for (const [from, tos] of graph) {
    if (from === ROOT) continue;
    for (const to of tos.keys()) if (!reachable(from, to, to)) edges.push(`${from} --> ${to}`);
  }
  return edges.sort();
}

describe('architecture: dependencies between the folders of src/ run one way', () => {
  const graph = folderGraph();
  const describeEdge = (from: string, to: string) =>
    `${from} → ${to} (${graph.get(from)!.get(to)!.slice(0, 3).join('; ')})`;

  it('reads every kind of import', () => {
    const source = [
      "import { a } from './a.js';",
      "import type { B } from '../b/b.js';",
      "import {\n  c,\n  d,\n} from '../c/c.js';",
      "export * from '../e/e.js';",
      "export { f } from '../f/f.js';",
      "import 'reflect-metadata';",
      "const g = await import('../g/g.js');",
    ].join('\n');
    expect(importSpecifiers(source)).toEqual([
      './a.js',
      '../b/b.js',
      '../c/c.js',
      '../e/e.js',
      '../f/f.js',
      'reflect-metadata',
      '../g/g.js',
    ]);
  });

  it('has no cycle between folders', () => {
    const found = cycles(graph).map((c) => {
      const inCycle = new Set(c);
      const edges = c.flatMap((from) =>
        [...(graph.get(from)?.keys() ?? [])].filter((to) => inCycle.has(to)).map((to) => describeEdge(from, to)),
      );
      return `cycle through ${c.join(', ')}:\n  ${edges.join('\n  ')}`;
    });
    expect(found).toEqual([]);
  });

  it('lists every folder once, and each imports only folders listed before it', () => {
    const folders = readdirSync(SRC, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    expect([...LAYERS].sort()).toEqual(folders.sort());
    const upward = [...graph].flatMap(([from, tos]) =>
      from === ROOT
        ? []
        : [...tos.keys()]
            .filter((to) => to !== ROOT && LAYERS.indexOf(to) > LAYERS.indexOf(from))
            .map((to) => describeEdge(from, to)),
    );
    expect(upward).toEqual([]);
  });

  it('imports the root (main.ts, app.ts, app.module.ts) from nowhere', () => {
    const intoRoot = [...graph]
      .filter(([from, tos]) => from !== ROOT && tos.has(ROOT))
      .map(([from]) => describeEdge(from, ROOT));
    expect(intoRoot).toEqual([]);
  });

  it('is drawn as it is in docs/ARCHITECTURE.md', () => {
    const doc = readFileSync(join(SRC, '..', 'docs', 'ARCHITECTURE.md'), 'utf8');
    const mermaid = /```mermaid\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
    // Mermaid ids cannot hold '-': open_data stands for open-data.
    const folder = (id: string) => id.replace(/_/g, '-');
    const drawn = [...mermaid.matchAll(/^\s*(\w+)\s*-->\s*(\w+)\s*$/gm)]
      .map((m) => `${folder(m[1])} --> ${folder(m[2])}`)
      .sort();
    expect(drawn).toEqual(reducedEdges(graph));
    // Every folder appears in the drawing, in the order of LAYERS (nodes declared one a line, top to bottom).
    const nodes = [...mermaid.matchAll(/^\s*(\w+)\s*\[/gm)].map((m) => folder(m[1]));
    expect(nodes).toEqual([...LAYERS].reverse());
  });
});
