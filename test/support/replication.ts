import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createConnection, type Connection } from 'mysql2/promise';
import { freePort } from './process.js';

/**
 * A MariaDB primary and a replica of it as real servers for end-to-end tests: two `mariadbd` on loopback ports,
 * each in its own data directory under one temporary directory (mariadb-install-db), the primary with a binary
 * log, the replica following it by GTID from the first transaction. `stop()` kills both and deletes the directory.
 */
export interface ReplicatedMariaDb {
  primaryPort: number;
  replicaPort: number;
  /** mysql:// URLs of `database` on each server, as root without a password (loopback only). */
  url(server: 'primary' | 'replica', database: string): string;
  query(server: 'primary' | 'replica', sql: string): Promise<Record<string, unknown>[]>;
  /** Waits until the replica has applied everything the primary has committed so far. */
  caughtUp(timeoutMs?: number): Promise<void>;
  /** Kills the replica's server, as a crash would. */
  killReplica(): Promise<void>;
  /** Both servers' error logs, for a failing test's message. */
  output(): string;
  stop(): Promise<void>;
}

/** Whether this machine has the MariaDB server programs (Debian: mariadb-server). */
export const mariadbAvailable = () =>
  spawnSync('mariadbd', ['--version']).status === 0 && !spawnSync('mariadb-install-db', ['--version']).error;

export async function startReplicatedMariaDb(): Promise<ReplicatedMariaDb> {
  const dir = mkdtempSync(join(tmpdir(), 'ggzy-replica-'));
  const children: ChildProcess[] = [];
  const processOf: Record<string, ChildProcess> = {};
  const kill = (child: ChildProcess) =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  const connections: Connection[] = [];
  const [primaryPort, replicaPort] = [await freePort(), await freePort()];
  const port = { primary: primaryPort, replica: replicaPort };
  const errorLog = (server: string) => {
    try {
      return readFileSync(join(dir, `${server}.err`), 'utf8')
        .split('\n')
        .slice(-30)
        .map((l) => `[${server}] ${l}`)
        .join('\n');
    } catch {
      return `[${server}] (no error log)`;
    }
  };
  const output = () => `${errorLog('primary')}\n${errorLog('replica')}`;
  const stop = async () => {
    await Promise.all(connections.map((c) => c.end().catch(() => undefined)));
    await Promise.all(children.map(kill));
    rmSync(dir, { recursive: true, force: true });
  };

  const user = userInfo().username;
  const start = async (server: 'primary' | 'replica', serverId: number, extra: string[]) => {
    const datadir = join(dir, server);
    const install = spawnSync(
      'mariadb-install-db',
      [
        '--no-defaults',
        `--datadir=${datadir}`,
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
        `--user=${user}`,
      ],
      { encoding: 'utf8' },
    );
    if (install.status !== 0)
      throw new Error(`mariadb-install-db (${server}) failed:\n${install.stdout}\n${install.stderr}`);
    const child = spawn(
      'mariadbd',
      [
        '--no-defaults',
        `--user=${user}`,
        `--datadir=${datadir}`,
        `--port=${port[server]}`,
        '--bind-address=127.0.0.1',
        '--skip-name-resolve',
        `--socket=${join(dir, `${server}.sock`)}`,
        `--pid-file=${join(dir, `${server}.pid`)}`,
        `--log-error=${join(dir, `${server}.err`)}`,
        `--server-id=${serverId}`,
        '--innodb-buffer-pool-size=32M',
        '--character-set-server=utf8mb4',
        '--collation-server=utf8mb4_unicode_ci',
        ...extra,
      ],
      { stdio: 'ignore' },
    );
    children.push(child);
    processOf[server] = child;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`mariadbd (${server}) exited:\n${errorLog(server)}`);
      try {
        connections.push(await createConnection({ host: '127.0.0.1', port: port[server], user: 'root', password: '' }));
        return connections[connections.length - 1];
      } catch {
        await sleep(100);
      }
    }
    throw new Error(`mariadbd (${server}) did not accept connections within 30 s:\n${errorLog(server)}`);
  };

  try {
    const [primary, replica] = await Promise.all([
      start('primary', 1, [`--log-bin=${join(dir, 'primary', 'binlog')}`, '--binlog-format=ROW']),
      start('replica', 2, ['--read-only', '--skip-slave-start', `--relay-log=${join(dir, 'replica', 'relay')}`]),
    ]);
    const conn = { primary, replica };
    const query = async (server: 'primary' | 'replica', sql: string) =>
      (await conn[server].query(sql))[0] as Record<string, unknown>[];
    await query(
      'replica',
      `CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=${primaryPort}, MASTER_USER='root', MASTER_PASSWORD='', MASTER_USE_GTID=slave_pos`,
    );
    await query('replica', 'START SLAVE');
    const caughtUp = async (timeoutMs = 15_000) => {
      const [{ pos }] = await query('primary', 'SELECT @@gtid_binlog_pos AS pos');
      const [row] = await query('replica', `SELECT MASTER_GTID_WAIT('${String(pos)}', ${timeoutMs / 1000}) AS waited`);
      if (Number(row.waited) !== 0) {
        const [status] = await query('replica', 'SHOW SLAVE STATUS');
        throw new Error(
          `the replica did not reach ${String(pos)} within ${timeoutMs} ms: ${JSON.stringify(status)}\n${output()}`,
        );
      }
    };
    return {
      primaryPort,
      replicaPort,
      url: (server, database) => `mysql://root:@127.0.0.1:${port[server]}/${database}`,
      query,
      caughtUp,
      output,
      stop,
      killReplica: async () => {
        await replica.end().catch(() => undefined);
        await kill(processOf.replica);
      },
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
