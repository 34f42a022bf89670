import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { projectRoot } from '../../src/config/project-root.js';

/**
 * The portal as real processes for end-to-end tests: `node src/main.ts` through the transpile-only hooks in
 * ts-register.mjs (the current tree, no build), on a loopback port, with its own environment.
 */
export interface AppProcess {
  name: string;
  port: number;
  url: string;
  env: Record<string, string>;
  /** The last lines it printed (stdout and stderr), for a failing test's message. */
  output(): string;
  /** Sends `signal` and waits for the process to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  readonly exited: boolean;
}

const running = new Set<AppProcess>();

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts the app and waits until /health answers 200 (or the process dies, or `timeoutMs` passes). */
export async function startAppProcess(
  name: string,
  env: Record<string, string>,
  o: { port?: number; timeoutMs?: number } = {},
): Promise<AppProcess> {
  const port = o.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const fullEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    TZ: 'UTC',
    PORT: String(port),
    PUBLIC_BASE_URL: url,
    SEED_DEMO: 'false',
    LOG_LEVEL: 'warn',
    ...env,
  };
  const root = projectRoot();
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', './test/support/ts-register.mjs', join('src', 'main.ts')],
    { cwd: root, env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(
      ...chunk
        .toString('utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => `[${name}] ${l}`),
    );
    if (lines.length > 300) lines.splice(0, lines.length - 300);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const app: AppProcess = {
    name,
    port,
    url,
    env,
    output: () => lines.join('\n'),
    get exited() {
      return exited;
    },
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      running.delete(app);
      if (!exited) child.kill(signal);
      await Promise.race([exit, sleep(15_000, undefined, { ref: false }).then(() => child.kill('SIGKILL'))]);
      await exit;
    },
  };
  running.add(app);

  const deadline = Date.now() + (o.timeoutMs ?? 120_000);
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${name} exited while starting:\n${app.output()}`);
    try {
      if ((await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) })).status === 200) return app;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  await app.stop('SIGKILL');
  throw new Error(`${name} did not answer /health within ${o.timeoutMs ?? 120_000} ms:\n${app.output()}`);
}

/** Kills every process still running (afterAll). */
export async function stopAllProcesses(): Promise<void> {
  await Promise.all([...running].map((p) => p.stop('SIGKILL')));
}

/** Polls `check` until it returns a value (not undefined/false) or `timeoutMs` passes. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 60_000,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value as T;
    } catch (e) {
      last = e;
    }
    await sleep(everyMs);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}
