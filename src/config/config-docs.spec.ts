import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './project-root.js';
import { CONFIG_VARIABLES } from './config.js';

// An operator reads the README and .env.example: every setting the code reads must be in both.
describe('configuration documentation', () => {
  const readme = readFileSync(join(projectRoot(), 'README.md'), 'utf8');
  const example = readFileSync(join(projectRoot(), '.env.example'), 'utf8');

  it.each(Object.keys(CONFIG_VARIABLES))('%s is in the README and in .env.example', (name) => {
    expect(readme).toContain(`\`${name}\``);
    expect(example).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
  });
});
