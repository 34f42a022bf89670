import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { projectRoot } from '../../src/config/project-root.js';

/**
 * The processes the portal benchmark measures: the built app (`node dist/src/main.js`, as `npm start` runs it)
 * and the bare `node:http` server it is compared with, each a child of the benchmark, on a loopback port.
 */
export interface Child {
  url: string;
  pid: number;
  /** Milliseconds from spawn until the first answer of `ready`. */
  startMs: number;
  /** Peak resident memory so far (VmHWM of /proc/<pid>/status), in MB. */
  peakMb(): number;
  stop(): Promise<void>;
}

/**
 * The portal's public address in the benchmark, as behind a reverse proxy: fixed, whatever port the app listens
 * on, so what is kept under it (the export lines, published/export-lines.ts) serves every run on a kept database.
 */
export const BENCH_PUBLIC_BASE_URL = 'https://ggzy.example.gov.cn';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The app against `databaseUrl`: no demo data, no jobs (no checkpoint or sync work during the measurements),
 * open-data rate limits out of the way, and `CACHE_ENABLED` as given (false: every request reads the database).
 * Ready when GET `ready` answers 200: the cold start to that page is `startMs`.
 */
export async function startApp(databaseUrl: string, o: { cache: boolean; ready?: string }): Promise<Child> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    TZ: 'UTC',
    NODE_ENV: 'production',
    PORT: String(port),
    PUBLIC_BASE_URL: BENCH_PUBLIC_BASE_URL,
    DATABASE_URL: databaseUrl,
    SEED_DEMO: 'false',
    LOG_LEVEL: 'warn',
    JOBS_ENABLED: 'false',
    CACHE_ENABLED: String(o.cache),
    RATE_LIMIT_API: '10000000',
    RATE_LIMIT_FEEDS: '10000000',
    RATE_LIMIT_EXPORTS: '10000000',
  };
  return startChild('app', [join(projectRoot(), 'dist', 'src', 'main.js')], env, url, o.ready ?? '/');
}

/** The bare server (bare-server.ts) answering from the recorded responses in `file`. */
export async function startBare(file: string): Promise<Child> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  return startChild(
    'bare',
    [join(projectRoot(), 'dist', 'bench', 'portal', 'bare-server.js'), file, String(port)],
    { PATH: process.env.PATH ?? '' },
    url,
    '/__ready',
  );
}

/** Express with the portal's per-request middleware answering from the recorded responses (express-server.ts). */
export async function startExpressCeiling(file: string): Promise<Child> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  return startChild(
    'express',
    [join(projectRoot(), 'dist', 'bench', 'portal', 'express-server.js'), file, String(port)],
    { PATH: process.env.PATH ?? '', NODE_ENV: 'production' },
    url,
    '/__ready',
  );
}

async function startChild(
  name: string,
  args: string[],
  env: Record<string, string>,
  url: string,
  ready: string,
): Promise<Child> {
  const started = process.hrtime.bigint();
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: projectRoot(),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (b: Buffer) => {
    output.push(b.toString('utf8'));
    if (output.length > 200) output.shift();
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
  const deadline = Date.now() + 300_000;
  for (;;) {
    if (exited) throw new Error(`${name} exited while starting:\n${output.join('')}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not answer ${ready} in time:\n${output.join('')}`);
    }
    const status = await get(url + ready, { agent: false, timeoutMs: 60_000 }).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) break;
    await sleep(20);
  }
  const startMs = Number(process.hrtime.bigint() - started) / 1e6;
  return {
    url,
    pid: child.pid!,
    startMs,
    peakMb: () => {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      return m ? Number(m[1]) / 1024 : NaN;
    },
    async stop() {
      if (!exited) child.kill('SIGTERM');
      await Promise.race([exit, sleep(15_000).then(() => child.kill('SIGKILL'))]);
    },
  };
}

/** CPU time (user and system) a process has used so far, in ms, from /proc/<pid>/stat (USER_HZ = 100). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The local MySQL/MariaDB server's processes (mariadbd or mysqld), to count the CPU a database's work takes. */
export function databaseServerPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const name = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      if (name === 'mariadbd' || name === 'mysqld') pids.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

export interface Answer {
  status: number;
  ms: number;
  bytes: number;
  headers: Record<string, string | string[] | undefined>;
  rawHeaders: string[];
  body?: Buffer;
}

/** One connection, kept alive: requests are timed one after another, like a single client reading pages. */
export const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });

/**
 * GET, timed to the end of the body (or to `firstBytes` of it, then the connection is dropped: the first
 * batch of an export). `keepBody` keeps the bytes.
 */
export function get(
  url: string,
  o: {
    headers?: Record<string, string>;
    firstBytes?: number;
    keepBody?: boolean;
    agent?: Agent | false;
    timeoutMs?: number;
    onData?: (chunk: Buffer) => void;
  } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const req = request(
      url,
      { agent: o.agent === undefined ? keepAlive : o.agent, headers: o.headers, timeout: o.timeoutMs ?? 600_000 },
      (res) => {
        let bytes = 0;
        const chunks: Buffer[] = [];
        let done = false;
        const finish = () => {
          if (done) return;
          done = true;
          resolve({
            status: res.statusCode ?? 0,
            ms: Number(process.hrtime.bigint() - start) / 1e6,
            bytes,
            headers: res.headers,
            rawHeaders: res.rawHeaders,
            body: o.keepBody ? Buffer.concat(chunks) : undefined,
          });
        };
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (o.keepBody) chunks.push(chunk);
          o.onData?.(chunk);
          if (o.firstBytes && bytes >= o.firstBytes && !done) {
            finish();
            // Drops the connection: the server stops writing when the client goes, as with a real one.
            res.destroy();
            req.destroy();
          }
        });
        res.on('end', finish);
        res.on('error', (e) => (done ? undefined : reject(e)));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout: ${url}`)));
    req.on('error', reject);
    req.end();
  });
}
