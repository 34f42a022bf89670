import { isAbsolute, resolve } from 'node:path';

/** Default embedded database: the only one on which demo data loads by default. */
export const DEFAULT_DATABASE_URL = 'sqlite:data/portal.sqlite';

export type DatabaseConfig =
  | { kind: 'sqlite'; path: string }
  | { kind: 'mysql'; url: string; host: string; port: number; user: string; password: string; database: string };

export interface AppConfig {
  port: number;
  publicBaseUrl: string;
  database: DatabaseConfig;
  seedDemo: boolean;
  /** 交易平台标识码 of this portal: prefixes identifiers it mints and every record it sends upstream. */
  platformCode: string;
  /** Registered OCDS prefix; a project's ocid is this followed by its unified deal code. */
  ocidPrefix: string;
  sessionTtlMinutes: number;
  trustProxy: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Run the scheduled jobs (scheduled publication, later sync) in this process. */
  jobsEnabled: boolean;
  schedulerIntervalSeconds: number;
  /** Upstream platforms every publication is pushed to (provincial, national). */
  upstreams: UpstreamConfig[];
  /** The site's name and the identifiers a government site shows in its footer (empty ones are left out). */
  site: SiteConfig;
}

export interface SiteConfig {
  name: string;
  /** 网站标识码 */
  idCode: string;
  /** ICP备案号 */
  icp: string;
  /** 公安机关备案号 */
  policeRecord: string;
  contact: string;
}

export interface UpstreamConfig {
  name: string;
  url: string;
  keyId: string;
  secret: string;
}

/** One line per variable: its default and meaning. The README and .env.example repeat this table. */
export const CONFIG_VARIABLES: Record<string, { default: string; help: string }> = {
  PORT: { default: '3000', help: 'HTTP port' },
  PUBLIC_BASE_URL: { default: 'http://localhost:${PORT}', help: 'absolute address of the portal, used in feeds, sitemaps and links' },
  DATABASE_URL: { default: DEFAULT_DATABASE_URL, help: 'sqlite:<path> or mysql://user:password@host:port/database (MySQL 8, MariaDB 10.11)' },
  SEED_DEMO: { default: 'true for the default SQLite file, false otherwise', help: 'load demo data and demo staff accounts into an empty database' },
  PLATFORM_CODE: { default: 'DL2102', help: 'this trading platform\'s code; prefixes identifiers minted here' },
  OCID_PREFIX: { default: 'ocds-dl2102-', help: 'registered OCDS ocid prefix' },
  SESSION_TTL_MINUTES: { default: '480', help: 'staff session lifetime' },
  TRUST_PROXY: { default: 'false', help: 'true behind a reverse proxy or load balancer (client IP and HTTPS from X-Forwarded-*)' },
  LOG_LEVEL: { default: 'info', help: 'fatal, error, warn, info, debug, trace or silent' },
  JOBS_ENABLED: { default: 'true', help: 'run scheduled jobs in this instance' },
  SCHEDULER_INTERVAL_SECONDS: { default: '30', help: 'how often the scheduled-publication job runs' },
  UPSTREAMS: { default: '[]', help: 'JSON list of upstream platforms: [{"name","url","keyId","secret"}]' },
  SITE_NAME: { default: '大连市公共资源交易中心', help: 'name of the trading center, shown in the header and page titles' },
  SITE_ID_CODE: { default: '(empty: not shown)', help: '网站标识码 shown in the footer' },
  SITE_ICP: { default: '(empty: not shown)', help: 'ICP备案号 shown in the footer' },
  SITE_POLICE_RECORD: { default: '(empty: not shown)', help: '公安机关备案号 shown in the footer' },
  SITE_CONTACT: { default: '(empty: not shown)', help: 'contact line (address, telephone) shown in the footer' },
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

type Env = Record<string, string | undefined>;

/** Reads and validates the environment once; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Env = process.env, cwd = process.cwd()): AppConfig {
  const problems: string[] = [];
  const value = (name: string) => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const integer = (name: string, fallback: number, min: number, max: number) => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      problems.push(`${name}=${raw}: expected an integer from ${min} to ${max}`);
      return fallback;
    }
    return Number(raw);
  };
  const boolean = (name: string, fallback: boolean) => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    problems.push(`${name}=${raw}: expected true or false`);
    return fallback;
  };

  const text = (name: string, fallback: string) => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    if (raw.length > 200 || /[\u0000-\u001f]/.test(raw)) problems.push(`${name}: expected one line of at most 200 characters`);
    return raw;
  };

  const port = integer('PORT', 3000, 0, 65535);
  const databaseUrl = value('DATABASE_URL') ?? DEFAULT_DATABASE_URL;
  const database = parseDatabaseUrl(databaseUrl, cwd, problems);
  const seedDemo = boolean('SEED_DEMO', databaseUrl === DEFAULT_DATABASE_URL);

  const publicBaseUrl = (value('PUBLIC_BASE_URL') ?? `http://localhost:${port}`).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/\s]+(\/\S*)?$/.test(publicBaseUrl)) {
    problems.push(`PUBLIC_BASE_URL=${publicBaseUrl}: expected an absolute http(s) URL`);
  }
  const platformCode = value('PLATFORM_CODE') ?? 'DL2102';
  if (!/^[A-Za-z0-9]{2,24}$/.test(platformCode)) {
    problems.push(`PLATFORM_CODE=${platformCode}: expected 2 to 24 letters or digits`);
  }
  const ocidPrefix = value('OCID_PREFIX') ?? 'ocds-dl2102-';
  if (!/^ocds-[a-z0-9]{6}-?$/.test(ocidPrefix)) {
    problems.push(`OCID_PREFIX=${ocidPrefix}: expected an OCDS prefix such as ocds-213czf-`);
  }
  const logLevel = value('LOG_LEVEL') ?? 'info';
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
  if (!levels.includes(logLevel)) problems.push(`LOG_LEVEL=${logLevel}: expected one of ${levels.join(', ')}`);

  const config: AppConfig = {
    port,
    publicBaseUrl,
    database,
    seedDemo,
    platformCode,
    ocidPrefix: ocidPrefix.endsWith('-') ? ocidPrefix : `${ocidPrefix}-`,
    sessionTtlMinutes: integer('SESSION_TTL_MINUTES', 480, 5, 60 * 24 * 30),
    trustProxy: boolean('TRUST_PROXY', false),
    logLevel: logLevel as AppConfig['logLevel'],
    jobsEnabled: boolean('JOBS_ENABLED', true),
    schedulerIntervalSeconds: integer('SCHEDULER_INTERVAL_SECONDS', 30, 1, 3600),
    upstreams: parseUpstreams(value('UPSTREAMS'), problems),
    site: {
      name: text('SITE_NAME', '大连市公共资源交易中心'),
      idCode: text('SITE_ID_CODE', ''),
      icp: text('SITE_ICP', ''),
      policeRecord: text('SITE_POLICE_RECORD', ''),
      contact: text('SITE_CONTACT', ''),
    },
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}

function parseDatabaseUrl(raw: string, cwd: string, problems: string[]): DatabaseConfig {
  if (raw.startsWith('sqlite:')) {
    const path = raw.slice('sqlite:'.length);
    if (!path) problems.push('DATABASE_URL: sqlite: needs a file path, e.g. sqlite:data/portal.sqlite');
    return { kind: 'sqlite', path: path === ':memory:' ? path : isAbsolute(path) ? path : resolve(cwd, path) };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push(`DATABASE_URL: not a URL; expected sqlite:<path> or mysql://user:password@host:port/database`);
    return { kind: 'sqlite', path: ':memory:' };
  }
  if (url.protocol !== 'mysql:' && url.protocol !== 'mariadb:') {
    problems.push(`DATABASE_URL: unsupported scheme ${url.protocol}; expected sqlite: or mysql:`);
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!database) problems.push('DATABASE_URL: the MySQL URL names no database (mysql://user:password@host:port/database)');
  return {
    kind: 'mysql',
    url: raw,
    host: url.hostname || '127.0.0.1',
    port: url.port ? Number(url.port) : 3306,
    user: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password),
    database,
  };
}

function parseUpstreams(raw: string | undefined, problems: string[]): UpstreamConfig[] {
  if (!raw) return [];
  let list: unknown;
  try {
    list = JSON.parse(raw);
  } catch {
    problems.push('UPSTREAMS: not valid JSON');
    return [];
  }
  const ok = (u: Record<string, unknown>) =>
    ['name', 'url', 'keyId', 'secret'].every((k) => typeof u[k] === 'string' && (u[k] as string).length > 0) &&
    /^[a-z0-9-]{1,64}$/.test(u.name as string) && /^https?:\/\//.test(u.url as string);
  if (!Array.isArray(list) || !list.every((u) => u && typeof u === 'object' && ok(u as Record<string, unknown>))) {
    problems.push('UPSTREAMS: expected a JSON list of {"name" (a-z0-9-), "url" (http/https), "keyId", "secret"}');
    return [];
  }
  return list as UpstreamConfig[];
}
