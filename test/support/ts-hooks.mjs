// Node module hooks that run the TypeScript sources directly (transpile only, as ts-jest does), so end-to-end
// tests can spawn real app processes from the current tree without a build:
//   node --import ./test/support/ts-register.mjs src/main.ts
// Output is cached by content hash in the OS temp directory, so only the first process pays for transpiling.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { readFile, writeFile, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CACHE = join(tmpdir(), 'ggzy-ts-hooks-cache-v1');
mkdirSync(CACHE, { recursive: true });
let typescript;

export async function resolve(specifier, context, next) {
  // Sources import each other as './x.js' (the ESM rule); the file on disk is './x.ts'.
  if (/^\.{1,2}\//.test(specifier) && specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
    const candidate = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
    if (existsSync(fileURLToPath(candidate))) return { url: candidate.href, shortCircuit: true };
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!url.endsWith('.ts')) return next(url, context);
  const path = fileURLToPath(url);
  const source = await readFile(path, 'utf8');
  const cached = join(CACHE, `${createHash('sha256').update(path).update('\0').update(source).digest('hex')}.js`);
  if (existsSync(cached)) return { format: 'module', source: await readFile(cached, 'utf8'), shortCircuit: true };
  typescript ??= (await import('typescript')).default;
  const { outputText } = typescript.transpileModule(source, {
    fileName: path,
    compilerOptions: {
      module: typescript.ModuleKind.ESNext,
      target: typescript.ScriptTarget.ES2022,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      esModuleInterop: true,
      inlineSourceMap: true,
    },
  });
  const partial = `${cached}.${process.pid}`;
  await writeFile(partial, outputText);
  await rename(partial, cached);
  return { format: 'module', source: outputText, shortCircuit: true };
}
