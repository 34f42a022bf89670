import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import hbs from 'hbs';
import type { HelperDelegate } from 'handlebars';
import { projectRoot } from '../config/project-root.js';
import { registerViewHelpers } from './view-helpers.js';

type Node = {
  type: string;
  path?: { type: string; original: string };
  params?: unknown[];
  hash?: { pairs: unknown[] };
  loc?: { start: { line: number } };
};

/** Every `.hbs` file under views/. */
function templates(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? templates(join(dir, e.name)) : e.name.endsWith('.hbs') ? [join(dir, e.name)] : [],
  );
}

/** Each mustache or block head in a template: its name as written and whether it has arguments. */
function heads(source: string): { name: string; bare: boolean; line: number }[] {
  const found: { name: string; bare: boolean; line: number }[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!value || typeof value !== 'object') return;
    const node = value as Node;
    if ((node.type === 'MustacheStatement' || node.type === 'BlockStatement') && node.path?.type === 'PathExpression') {
      found.push({
        name: node.path.original,
        bare: !node.params?.length && !node.hash?.pairs.length,
        line: node.loc?.start.line ?? 0,
      });
    }
    for (const [key, child] of Object.entries(node)) if (key !== 'loc') visit(child);
  };
  visit(hbs.handlebars.parse(source));
  return found;
}

describe('view helpers and model fields', () => {
  const helpers: string[] = [];
  registerViewHelpers({ registerHelper: (name: string, _fn: HelperDelegate) => void helpers.push(name) });
  const root = join(projectRoot(), 'views');

  it('has no helper that stands for a value by itself (it would hide a model field of that name)', () => {
    // `{{year}}` called the year helper even where the model had a `year`: /admin/calendar showed 2026 for every year.
    expect(helpers).not.toContain('year');
  });

  it('never names a helper bare in a template: such a mustache meant the model field, but Handlebars calls the helper', () => {
    const shadowed = templates(root).flatMap((file) =>
      heads(readFileSync(file, 'utf8'))
        .filter((h) => h.bare && helpers.includes(h.name))
        .map((h) => `${relative(root, file)}:${h.line} {{${h.name}}} (write {{this.${h.name}}})`),
    );
    expect(shadowed).toEqual([]);
  });
});
