import { isIP } from 'node:net';
import { isAbsolute, resolve } from 'node:path';
import { parsePrivateKey, privateKeyPem } from './signing-key.js';

/** Default embedded database: the only one on which demo data loads by default. */
export const DEFAULT_DATABASE_URL = 'sqlite:data/portal.sqlite';

/** One MySQL/MariaDB server, from a mysql:// URL. */
export interface MysqlServer {
  url: string;
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

export type DatabaseConfig =
  | { kind: 'sqlite'; path: string }
  /** `replicas`: read-only copies that serve anonymous public reads (DATABASE_REPLICA_URLS); empty: the primary serves all. */
  | ({ kind: 'mysql'; replicas: MysqlServer[] } & MysqlServer);

export interface AppConfig {
  port: number;
  publicBaseUrl: string;
  /** URLs per sitemap file; past it /sitemap.xml becomes an index of numbered files (the protocol allows 50,000). */
  sitemapMaxUrls: number;
  database: DatabaseConfig;
  /** Run pending migrations on start (else start-up refuses a database that lacks some: `npm run migrate` first). */
  migrateOnStart: boolean;
  seedDemo: boolean;
  /** 交易平台标识码 of this portal: prefixes identifiers it mints and every record it sends upstream. */
  platformCode: string;
  /** Registered OCDS prefix; a project's ocid is this followed by its unified deal code. */
  ocidPrefix: string;
  sessionTtlMinutes: number;
  /**
   * Express's `trust proxy`, restricted to the safe forms: false (the socket peer is the client), a hop count, or
   * the proxies' addresses, CIDRs and range names. Never `true`: that trusts the client-written X-Forwarded-For.
   */
  trustProxy: TrustProxy;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Run the scheduled jobs (scheduled publication, later sync) in this process. */
  jobsEnabled: boolean;
  schedulerIntervalSeconds: number;
  /** Upstream platforms every publication is pushed to (provincial, national). */
  upstreams: UpstreamConfig[];
  /** The site's name and the identifiers a government site shows in its footer (empty ones are left out). */
  site: SiteConfig;
  /** PKCS#8 PEM of the Ed25519 key that signs log checkpoints; null: a key generated once and kept in the database. */
  logSigningKey: string | null;
  checkpointIntervalMinutes: number;
  /** How long a scheduled job's lease lasts without renewal: how soon another instance takes over a dead holder's jobs. */
  jobLeaseSeconds: number;
  /** Peer platforms whose change feed is followed (pull). */
  peers: PeerConfig[];
  /** Keys of the platforms (county centers) allowed to push into /api/v1/ingest. */
  ingestKeys: IngestKeyConfig[];
  sync: SyncConfig;
  /** Login throttling and attachment limits of the staff back office (/admin). */
  staff: StaffSecurityConfig;
  /** Requests per client IP per window on the open-data paths (in memory, per instance). */
  rateLimit: RateLimitConfig;
  /** The in-memory cache of rendered public responses (src/cache). */
  cache: CacheConfig;
  /** Saved searches and their mail (src/alerts). */
  alerts: AlertsConfig;
  /** Whether the integrity indicators are public (INTEGRITY_PUBLIC), or for staff and auditors only. */
  integrityPublic: boolean;
  /** Requests for disclosure on application (src/disclosure). */
  disclosure: DisclosureConfig;
}

export interface DisclosureConfig {
  /** AES-256-GCM key (32 bytes) of applicants' personal data and files; null: generated once, kept in the database. */
  key: Buffer | null;
  /** Days after a request is closed (answered or withdrawn) after which its identity document is deleted. */
  identityRetentionDays: number;
  /** Requests one client address may submit per hour. */
  submissionsPerIpPerHour: number;
  /** Tracking-number and code checks from one client address per hour. */
  lookupsPerIpPerHour: number;
  /** Largest identity document or reply attachment. */
  uploadMaxBytes: number;
  /** How often the disclosure job runs (lapsed clarifications, retention). */
  jobIntervalMs: number;
}

export interface AlertsConfig {
  /** SMTP server (smtp:// or smtps://, credentials in the URL); null: e-mail is off, alerts are private feeds only. */
  smtpUrl: string | null;
  /** The From of every alert mail. */
  mailFrom: string;
  /** Optional DKIM signing of alert mail (all three set, or none). */
  dkim: { domainName: string; keySelector: string; privateKey: string } | null;
  /** How often matching, batching and sending run: immediate alerts are batched per this interval. */
  intervalMs: number;
  /** China-time hour (0–23) from which the daily digests of the day are sent. */
  digestHour: number;
  /** How long a confirmation link stays valid. */
  confirmHours: number;
  /** Alerts one address may hold (TED allows 25 profiles). */
  maxPerAddress: number;
  /** Sign-ups from one client address per hour. */
  signupsPerIpPerHour: number;
  /** Confirmation mails one address may be sent per day. */
  signupsPerAddressPerDay: number;
  /** Failed attempts of one mail before it is parked. */
  mailMaxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** Mails refused permanently (5xx) in a row after which the alert is paused. */
  pauseAfterFailures: number;
  /** Timeout of one SMTP connection step. */
  smtpTimeoutMs: number;
}

export interface CacheConfig {
  enabled: boolean;
  /** Memory the cached responses may take, bodies and keys counted; least recently used ones go first. */
  maxBytes: number;
  /** How often the publication log's head and the settings version are read: how soon a change made elsewhere shows. */
  pollMs: number;
}

export type TrustProxy = false | number | string[];

export interface RateLimitConfig {
  windowSeconds: number;
  /** /api/v1 (reads) and /api/ocds */
  api: number;
  /** /feeds */
  feeds: number;
  /** /exports and /bulk */
  exports: number;
}

export interface StaffSecurityConfig {
  /** Failed sign-ins of one account within the lockout window before it is locked. */
  maxFailuresPerAccount: number;
  /** Failed sign-ins from one IP address within the lockout window before it is locked. */
  maxFailuresPerIp: number;
  /** The counting window and the length of a lockout. */
  lockoutMinutes: number;
  /** Largest attachment accepted on a notice. */
  attachmentMaxBytes: number;
}

export interface SyncConfig {
  /** How often the relay (push) and pull jobs run. */
  intervalMs: number;
  /** Failed deliveries of one entry before it is parked for staff. */
  maxAttempts: number;
  /** First retry delay; doubled per failure (with jitter) up to retryMaxMs. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** Timeout of one outbound request (push, pull, alert). */
  httpTimeoutMs: number;
  /** Receives a JSON POST whenever an entry is parked; null: only the error log. */
  alertWebhook: string | null;
  /** Largest body /api/v1/ingest accepts. */
  ingestMaxBytes: number;
  /** Testing only: ingest answers this long after applying a message (lets a test kill the sender in between). */
  ingestReplyDelayMs: number;
}

export interface PeerConfig {
  name: string;
  /** The peer's change feed, e.g. https://peer.example/api/v1/changes */
  url: string;
}

export interface IngestKeyConfig {
  keyId: string;
  secret: string;
  /** 交易平台标识码 of the platform holding the key: its records are stored under this code. */
  platformCode: string;
  /** Other platforms whose records this sender may relay (its own county centers); "*" for any. */
  relays: string[];
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

/**
 * What an upstream takes (PRODUCT.md: "in a documented JSON format and in OCDS 1.1"): `ggzy-json`, this
 * software's own /api/v1/ingest message; `ocds`, an OCDS 1.1 release package holding the one release of each
 * publication, correction or withdrawal, as /api/ocds/releases serves it.
 */
export const UPSTREAM_FORMATS = ['ggzy-json', 'ocds'] as const;
export type UpstreamFormat = (typeof UPSTREAM_FORMATS)[number];

export interface UpstreamConfig {
  name: string;
  /** Where pushes are POSTed: the upstream's ingest address (for this software, https://host/api/v1/ingest). */
  url: string;
  keyId: string;
  secret: string;
  format: UpstreamFormat;
}

/** One line per variable: its default and meaning. The README and .env.example repeat this table. */
export const CONFIG_VARIABLES: Record<string, { default: string; help: string }> = {
  PORT: { default: '3000', help: 'HTTP port' },
  PUBLIC_BASE_URL: {
    default: 'http://localhost:${PORT}',
    help: 'absolute address of the portal, used in feeds, sitemaps and links',
  },
  SITEMAP_MAX_URLS: {
    default: '50000',
    help: "URLs per sitemap file (at most the protocol's 50,000); past it /sitemap.xml is an index of /sitemaps/… files",
  },
  DATABASE_URL: {
    default: DEFAULT_DATABASE_URL,
    help: 'sqlite:<path> or mysql://user:password@host:port/database (MySQL 8, MariaDB 10.11)',
  },
  DATABASE_REPLICA_URLS: {
    default: '(empty: the primary serves every read)',
    help: 'MySQL/MariaDB only: comma-separated mysql:// URLs of read replicas of DATABASE_URL; anonymous public pages, feeds and API answers are read from them, while writes, the change feed, OCDS release pages, exports, jobs and signed-in staff read the primary',
  },
  MIGRATE_ON_START: {
    default: 'true',
    help: 'run pending database migrations on start; false: run `npm run migrate` as a deployment step, and start-up refuses a database that lacks migrations',
  },
  SEED_DEMO: {
    default: 'true for the default SQLite file, false otherwise',
    help: 'load demo data and demo staff accounts into an empty database',
  },
  PLATFORM_CODE: { default: 'DL2102', help: "this trading platform's code; prefixes identifiers minted here" },
  INTEGRITY_PUBLIC: {
    default: 'true',
    help: 'show the integrity indicators (/integrity, /api/v1/flags, /exports/flags.csv, the flags on project pages) to everybody; false: to signed-in staff and API-key holders (auditors) only. Organisation pages stay public either way',
  },
  OCID_PREFIX: { default: 'ocds-dl2102-', help: 'registered OCDS ocid prefix' },
  SESSION_TTL_MINUTES: { default: '480', help: 'staff session lifetime' },
  TRUST_PROXY: {
    default: 'false',
    help: 'behind a reverse proxy or load balancer: the number of proxies in front (1, 2) or their addresses/CIDRs, comma-separated (loopback, uniquelocal, linklocal, 10.0.0.0/8, ...); the client address and HTTPS are then taken from X-Forwarded-*. "true" is refused',
  },
  LOG_LEVEL: {
    default: 'info',
    help: 'level of the JSON log on stdout (access log at info): fatal, error, warn, info, debug, trace or silent',
  },
  JOBS_ENABLED: { default: 'true', help: 'run scheduled jobs in this instance' },
  SCHEDULER_INTERVAL_SECONDS: { default: '30', help: 'how often the scheduled-publication job runs' },
  UPSTREAMS: {
    default: '[]',
    help: 'JSON list of upstream platforms: [{"name","url","keyId","secret","format"?}], url = the upstream\'s ingest address, format = "ggzy-json" (default) or "ocds"',
  },
  SITE_NAME: {
    default: '大连市公共资源交易中心',
    help: 'name of the trading center, shown in the header and page titles',
  },
  SITE_ID_CODE: { default: '(empty: not shown)', help: '网站标识码 shown in the footer' },
  SITE_ICP: { default: '(empty: not shown)', help: 'ICP备案号 shown in the footer' },
  SITE_POLICE_RECORD: { default: '(empty: not shown)', help: '公安机关备案号 shown in the footer' },
  SITE_CONTACT: { default: '(empty: not shown)', help: 'contact line (address, telephone) shown in the footer' },
  LOG_SIGNING_KEY: {
    default: '(empty: generated once, kept in the database)',
    help: "Ed25519 private key signing the publication log's checkpoints, PEM or base64 PKCS#8; set it in production",
  },
  CHECKPOINT_INTERVAL_MINUTES: {
    default: '10',
    help: 'how often a signed checkpoint of the publication log is recorded (when the log has grown)',
  },
  JOB_LEASE_SECONDS: {
    default: '30',
    help: "lease of a scheduled job; another instance takes over a dead holder's jobs after this long",
  },
  PEERS: {
    default: '[]',
    help: 'JSON list of peer platforms whose change feed is pulled: [{"name","url"}], url = the peer\'s /api/v1/changes',
  },
  INGEST_KEYS: {
    default: '[]',
    help: 'JSON list of keys allowed to push to /api/v1/ingest: [{"keyId","secret","platformCode","relays"?}]',
  },
  SYNC_INTERVAL_MS: { default: '5000', help: 'how often the push relay and the pull job run, in milliseconds' },
  SYNC_MAX_ATTEMPTS: {
    default: '20',
    help: 'failed deliveries of one outbox entry before it is parked for staff (20 with the default delays: some 5 to 10 hours of failures)',
  },
  SYNC_RETRY_BASE_MS: { default: '5000', help: 'first retry delay of a failed push; doubles per failure, with jitter' },
  SYNC_RETRY_MAX_MS: { default: '3600000', help: 'longest retry delay of a failed push' },
  SYNC_HTTP_TIMEOUT_MS: { default: '10000', help: 'timeout of one push, pull or alert request' },
  SYNC_ALERT_WEBHOOK: {
    default: '(empty: error log only)',
    help: 'URL that receives a JSON POST whenever an outbox entry is parked',
  },
  INGEST_MAX_BYTES: { default: '1048576', help: 'largest request body /api/v1/ingest accepts (at most 2097152)' },
  INGEST_TEST_REPLY_DELAY_MS: {
    default: '0',
    help: 'testing only: /api/v1/ingest answers this long after applying a message',
  },
  RATE_LIMIT_WINDOW_SECONDS: {
    default: '60',
    help: 'window of the open-data rate limits (per client IP, counted in memory by each instance)',
  },
  RATE_LIMIT_API: { default: '600', help: 'GET requests per window and client IP to /api/v1 and /api/ocds' },
  RATE_LIMIT_FEEDS: { default: '120', help: 'requests per window and client IP to /feeds' },
  RATE_LIMIT_EXPORTS: { default: '30', help: 'requests per window and client IP to /exports and /bulk' },
  LOGIN_MAX_FAILURES_PER_ACCOUNT: {
    default: '5',
    help: 'failed staff sign-ins of one account within LOGIN_LOCKOUT_MINUTES before it is locked for that long',
  },
  LOGIN_MAX_FAILURES_PER_IP: {
    default: '30',
    help: 'failed staff sign-ins from one IP address within LOGIN_LOCKOUT_MINUTES before it is locked for that long',
  },
  LOGIN_LOCKOUT_MINUTES: {
    default: '15',
    help: 'window in which failed sign-ins are counted, and length of a lockout',
  },
  CACHE_ENABLED: {
    default: 'true',
    help: 'keep rendered public pages, feeds and API answers in memory until a publication, a settings change or a deadline changes them; false: render every request (to measure without it)',
  },
  CACHE_MAX_BYTES: {
    default: '67108864',
    help: 'memory the response cache may use (64 MiB), at least 1048576; the least recently used responses are dropped first',
  },
  CACHE_POLL_MS: {
    default: '250',
    help: "how often each instance reads the publication log's head and the settings version (one indexed row), 10 to 1000: a change made on another instance shows here within about this long",
  },
  SMTP_URL: {
    default: '(empty: e-mail off; alerts are private feeds only)',
    help: 'SMTP server for alert mail: smtp://user:password@host:587 (STARTTLS when offered) or smtps://host:465',
  },
  MAIL_FROM: { default: 'noreply@<host of PUBLIC_BASE_URL>', help: 'From address of alert mail' },
  DKIM_DOMAIN: {
    default: '(empty: no DKIM)',
    help: 'DKIM signing domain of alert mail (with DKIM_SELECTOR and DKIM_PRIVATE_KEY)',
  },
  DKIM_SELECTOR: { default: '(empty)', help: 'DKIM selector' },
  DKIM_PRIVATE_KEY: { default: '(empty)', help: 'DKIM private key, PEM or base64 of the PEM' },
  ALERT_INTERVAL_MS: {
    default: '60000',
    help: 'how often alerts are matched, batched and mailed: immediate alerts get at most one mail per interval',
  },
  ALERT_DIGEST_HOUR: { default: '8', help: 'China-time hour (0-23) at which daily digests are sent' },
  ALERT_CONFIRM_HOURS: { default: '48', help: 'how long an alert confirmation link stays valid' },
  ALERT_MAX_PER_ADDRESS: { default: '25', help: 'alerts one e-mail address may hold' },
  ALERT_SIGNUPS_PER_IP_PER_HOUR: { default: '20', help: 'alert sign-ups from one client address per hour' },
  ALERT_SIGNUPS_PER_ADDRESS_PER_DAY: {
    default: '5',
    help: 'confirmation mails one e-mail address may be sent per day',
  },
  ALERT_MAIL_MAX_ATTEMPTS: { default: '12', help: 'failed attempts of one alert mail before it is parked' },
  ALERT_MAIL_RETRY_BASE_MS: { default: '60000', help: 'first retry delay of a failed alert mail; doubles per failure' },
  ALERT_MAIL_RETRY_MAX_MS: { default: '3600000', help: 'longest retry delay of a failed alert mail' },
  ALERT_PAUSE_AFTER_FAILURES: {
    default: '3',
    help: 'alert mails refused permanently (SMTP 5xx) in a row after which the alert is paused',
  },
  SMTP_TIMEOUT_MS: { default: '10000', help: 'timeout of each step of an SMTP connection' },
  DISCLOSURE_KEY: {
    default: '(empty: generated once, kept in the database)',
    help: "AES-256-GCM key encrypting disclosure applicants' personal data and identity documents: 32 bytes as base64 or 64 hex digits; set it in production",
  },
  DISCLOSURE_ID_RETENTION_DAYS: {
    default: '365',
    help: 'days after a disclosure request is answered or withdrawn after which its identity document is deleted',
  },
  DISCLOSURE_SUBMISSIONS_PER_IP_PER_HOUR: {
    default: '5',
    help: 'disclosure requests one client address may submit per hour',
  },
  DISCLOSURE_LOOKUPS_PER_IP_PER_HOUR: {
    default: '30',
    help: 'disclosure status checks (tracking number and code) from one client address per hour',
  },
  DISCLOSURE_UPLOAD_MAX_BYTES: {
    default: '5242880',
    help: 'largest identity document or reply attachment of a disclosure request, at most 10485760',
  },
  DISCLOSURE_JOB_INTERVAL_MS: {
    default: '600000',
    help: 'how often lapsed clarifications are closed and identity documents past retention are deleted',
  },
  ATTACHMENT_MAX_BYTES: {
    default: '10485760',
    help: 'largest notice attachment (PDF, image, zip/rar/7z) accepted, at most 52428800',
  },
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
    if (raw.length > 200 || /\p{Cc}/u.test(raw)) problems.push(`${name}: expected one line of at most 200 characters`);
    return raw;
  };

  const httpUrl = (name: string) => {
    const raw = value(name);
    if (raw !== undefined && !/^https?:\/\/[^/\s]+(\/\S*)?$/.test(raw))
      problems.push(`${name}=${raw}: expected an absolute http(s) URL`);
    return raw ?? null;
  };

  const port = integer('PORT', 3000, 0, 65535);
  const databaseUrl = value('DATABASE_URL') ?? DEFAULT_DATABASE_URL;
  const database = parseDatabaseUrl(databaseUrl, cwd, problems);
  const replicaUrls = value('DATABASE_REPLICA_URLS');
  if (database.kind === 'mysql') database.replicas = parseReplicaUrls(replicaUrls, database, problems);
  else if (replicaUrls?.trim())
    problems.push('DATABASE_REPLICA_URLS: replicas need a MySQL/MariaDB primary; SQLite has none (leave it empty)');
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
    sitemapMaxUrls: integer('SITEMAP_MAX_URLS', 50_000, 1, 50_000),
    database,
    migrateOnStart: boolean('MIGRATE_ON_START', true),
    seedDemo,
    integrityPublic: boolean('INTEGRITY_PUBLIC', true),
    platformCode,
    ocidPrefix: ocidPrefix.endsWith('-') ? ocidPrefix : `${ocidPrefix}-`,
    sessionTtlMinutes: integer('SESSION_TTL_MINUTES', 480, 5, 60 * 24 * 30),
    trustProxy: parseTrustProxy(value('TRUST_PROXY'), problems),
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
    logSigningKey: parseSigningKey(value('LOG_SIGNING_KEY'), problems),
    checkpointIntervalMinutes: integer('CHECKPOINT_INTERVAL_MINUTES', 10, 1, 24 * 60),
    jobLeaseSeconds: integer('JOB_LEASE_SECONDS', 30, 2, 3600),
    rateLimit: {
      windowSeconds: integer('RATE_LIMIT_WINDOW_SECONDS', 60, 1, 86_400),
      api: integer('RATE_LIMIT_API', 600, 1, 10_000_000),
      feeds: integer('RATE_LIMIT_FEEDS', 120, 1, 10_000_000),
      exports: integer('RATE_LIMIT_EXPORTS', 30, 1, 10_000_000),
    },
    cache: {
      enabled: boolean('CACHE_ENABLED', true),
      maxBytes: integer('CACHE_MAX_BYTES', 64 * 1024 * 1024, 1024 * 1024, 64 * 1024 * 1024 * 1024),
      pollMs: integer('CACHE_POLL_MS', 250, 10, 1000),
    },
    alerts: parseAlerts(value, integer, publicBaseUrl, problems),
    disclosure: {
      key: parseDisclosureKey(value('DISCLOSURE_KEY'), problems),
      identityRetentionDays: integer('DISCLOSURE_ID_RETENTION_DAYS', 365, 1, 36_500),
      submissionsPerIpPerHour: integer('DISCLOSURE_SUBMISSIONS_PER_IP_PER_HOUR', 5, 1, 100_000),
      lookupsPerIpPerHour: integer('DISCLOSURE_LOOKUPS_PER_IP_PER_HOUR', 30, 1, 100_000),
      uploadMaxBytes: integer('DISCLOSURE_UPLOAD_MAX_BYTES', 5 * 1024 * 1024, 1024, 10 * 1024 * 1024),
      jobIntervalMs: integer('DISCLOSURE_JOB_INTERVAL_MS', 600_000, 100, 86_400_000),
    },
    peers: parsePeers(value('PEERS'), problems),
    ingestKeys: parseIngestKeys(value('INGEST_KEYS'), problems),
    sync: {
      intervalMs: integer('SYNC_INTERVAL_MS', 5000, 100, 3_600_000),
      maxAttempts: integer('SYNC_MAX_ATTEMPTS', 20, 1, 1000),
      retryBaseMs: integer('SYNC_RETRY_BASE_MS', 5000, 10, 86_400_000),
      retryMaxMs: integer('SYNC_RETRY_MAX_MS', 3_600_000, 10, 7 * 86_400_000),
      httpTimeoutMs: integer('SYNC_HTTP_TIMEOUT_MS', 10_000, 100, 600_000),
      alertWebhook: httpUrl('SYNC_ALERT_WEBHOOK'),
      ingestMaxBytes: integer('INGEST_MAX_BYTES', 1_048_576, 1024, 2_097_152),
      ingestReplyDelayMs: integer('INGEST_TEST_REPLY_DELAY_MS', 0, 0, 60_000),
    },
    staff: {
      maxFailuresPerAccount: integer('LOGIN_MAX_FAILURES_PER_ACCOUNT', 5, 1, 1000),
      maxFailuresPerIp: integer('LOGIN_MAX_FAILURES_PER_IP', 30, 1, 100_000),
      lockoutMinutes: integer('LOGIN_LOCKOUT_MINUTES', 15, 1, 24 * 60),
      attachmentMaxBytes: integer('ATTACHMENT_MAX_BYTES', 10 * 1024 * 1024, 1024, 50 * 1024 * 1024),
    },
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}

function parseAlerts(
  value: (name: string) => string | undefined,
  integer: (name: string, fallback: number, min: number, max: number) => number,
  publicBaseUrl: string,
  problems: string[],
): AlertsConfig {
  const smtpUrl = value('SMTP_URL') ?? null;
  if (smtpUrl !== null && !/^smtps?:\/\/[^/\s]+\/?$/.test(smtpUrl))
    problems.push('SMTP_URL: expected smtp://user:password@host:port or smtps://host:port');
  let host = 'localhost';
  try {
    host = new URL(publicBaseUrl).hostname || host;
  } catch {
    // reported for PUBLIC_BASE_URL
  }
  const mailFrom = value('MAIL_FROM') ?? `noreply@${host}`;
  if (!/^[^\s@<>]+@[^\s@<>]+$/.test(mailFrom) && !/^[^<>]*<[^\s@<>]+@[^\s@<>]+>$/.test(mailFrom))
    problems.push(`MAIL_FROM=${mailFrom}: expected an address, or a name and <address>`);
  const dkimParts = [value('DKIM_DOMAIN'), value('DKIM_SELECTOR'), value('DKIM_PRIVATE_KEY')];
  let dkim: AlertsConfig['dkim'] = null;
  if (dkimParts.some(Boolean)) {
    const [domainName, keySelector, rawKey] = dkimParts;
    if (!domainName || !keySelector || !rawKey)
      problems.push('DKIM_DOMAIN, DKIM_SELECTOR, DKIM_PRIVATE_KEY: set all three, or none');
    else {
      const privateKey = rawKey.includes('-----BEGIN') ? rawKey : Buffer.from(rawKey, 'base64').toString('utf8');
      if (!privateKey.includes('PRIVATE KEY-----')) problems.push('DKIM_PRIVATE_KEY: expected a PEM private key');
      dkim = { domainName, keySelector, privateKey };
    }
  }
  return {
    smtpUrl,
    mailFrom,
    dkim,
    intervalMs: integer('ALERT_INTERVAL_MS', 60_000, 100, 3_600_000),
    digestHour: integer('ALERT_DIGEST_HOUR', 8, 0, 23),
    confirmHours: integer('ALERT_CONFIRM_HOURS', 48, 1, 24 * 30),
    maxPerAddress: integer('ALERT_MAX_PER_ADDRESS', 25, 1, 1000),
    signupsPerIpPerHour: integer('ALERT_SIGNUPS_PER_IP_PER_HOUR', 20, 1, 100_000),
    signupsPerAddressPerDay: integer('ALERT_SIGNUPS_PER_ADDRESS_PER_DAY', 5, 1, 1000),
    mailMaxAttempts: integer('ALERT_MAIL_MAX_ATTEMPTS', 12, 1, 1000),
    retryBaseMs: integer('ALERT_MAIL_RETRY_BASE_MS', 60_000, 10, 86_400_000),
    retryMaxMs: integer('ALERT_MAIL_RETRY_MAX_MS', 3_600_000, 10, 7 * 86_400_000),
    pauseAfterFailures: integer('ALERT_PAUSE_AFTER_FAILURES', 3, 1, 1000),
    smtpTimeoutMs: integer('SMTP_TIMEOUT_MS', 10_000, 100, 600_000),
  };
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
  return { kind: 'mysql', replicas: [], ...mysqlServer('DATABASE_URL', raw, url, problems) };
}

function mysqlServer(name: string, raw: string, url: URL, problems: string[], defaultDatabase = ''): MysqlServer {
  if (url.protocol !== 'mysql:' && url.protocol !== 'mariadb:') {
    problems.push(
      `${name}: unsupported scheme ${url.protocol}; expected ${name === 'DATABASE_URL' ? 'sqlite: or ' : ''}mysql:`,
    );
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || defaultDatabase;
  if (!database) problems.push(`${name}: the MySQL URL names no database (mysql://user:password@host:port/database)`);
  return {
    url: raw,
    host: url.hostname || '127.0.0.1',
    port: url.port ? Number(url.port) : 3306,
    user: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password),
    database,
  };
}

/**
 * DATABASE_REPLICA_URLS: mysql:// URLs, comma-separated; each a copy of the primary's database under the same
 * name (a URL without a path means that database).
 */
function parseReplicaUrls(raw: string | undefined, primary: MysqlServer, problems: string[]): MysqlServer[] {
  const entries = (raw ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const replicas: MysqlServer[] = [];
  for (const entry of entries) {
    let url: URL;
    try {
      url = new URL(entry);
    } catch {
      problems.push(
        `DATABASE_REPLICA_URLS: ${JSON.stringify(entry)} is not a URL; expected mysql://user:password@host:port/database, comma-separated`,
      );
      continue;
    }
    const replica = mysqlServer('DATABASE_REPLICA_URLS', entry, url, problems, primary.database);
    if (replica.host === primary.host && replica.port === primary.port)
      problems.push(`DATABASE_REPLICA_URLS: ${replica.host}:${replica.port} is the primary (DATABASE_URL) itself`);
    else if (replica.database && replica.database !== primary.database)
      problems.push(
        `DATABASE_REPLICA_URLS: ${replica.host}:${replica.port} names the database ${replica.database}; a replica holds the primary's, ${primary.database}`,
      );
    replicas.push(replica);
  }
  return replicas;
}

const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * TRUST_PROXY: false, a hop count, or a list of proxy addresses. `true` would make Express take the left-most
 * X-Forwarded-For entry, which the client writes: a forged header would then escape the per-address limits.
 */
export function parseTrustProxy(raw: string | undefined, problems: string[]): TrustProxy {
  if (raw === undefined || raw === 'false' || raw === '0') return false;
  const expected =
    'expected false, the number of proxies in front of the portal (e.g. 1), or their addresses/CIDRs, comma-separated (e.g. loopback,10.0.0.0/8)';
  if (raw === 'true') {
    problems.push(`TRUST_PROXY=true: would trust every X-Forwarded-For entry, which clients can forge; ${expected}`);
    return false;
  }
  if (/^\d+$/.test(raw)) {
    if (Number(raw) > 10) problems.push(`TRUST_PROXY=${raw}: at most 10 proxies; ${expected}`);
    return Number(raw);
  }
  const entries = raw.split(',').map((e) => e.trim());
  const bad = entries.filter((e) => !PROXY_RANGE_NAMES.includes(e) && !isAddressOrCidr(e));
  if (bad.length)
    problems.push(
      `TRUST_PROXY=${raw}: not an address, CIDR or range name: ${bad.map((e) => JSON.stringify(e)).join(', ')}; ${expected}`,
    );
  return entries;
}

function isAddressOrCidr(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (!version || rest.length) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128));
}

function parseSigningKey(raw: string | undefined, problems: string[]): string | null {
  if (!raw) return null;
  try {
    return privateKeyPem(parsePrivateKey(raw));
  } catch (e) {
    problems.push(
      `LOG_SIGNING_KEY: ${(e as Error).message}; expected an Ed25519 private key, PEM or base64 PKCS#8 (openssl genpkey -algorithm ed25519)`,
    );
    return null;
  }
}

/** DISCLOSURE_KEY: 32 bytes, as 64 hex digits or base64 (openssl rand -base64 32). */
function parseDisclosureKey(raw: string | undefined, problems: string[]): Buffer | null {
  if (!raw) return null;
  const key = /^[0-9a-fA-F]{64}$/.test(raw)
    ? Buffer.from(raw, 'hex')
    : /^[A-Za-z0-9+/]{43}=?$/.test(raw)
      ? Buffer.from(raw, 'base64')
      : null;
  if (!key || key.length !== 32) {
    problems.push('DISCLOSURE_KEY: expected 32 bytes as base64 or 64 hex digits (openssl rand -base64 32)');
    return null;
  }
  return key;
}

/** A JSON list of objects, each checked by `ok`; one problem naming the variable and the expected shape otherwise. */
function parseJsonList<T>(
  name: string,
  raw: string | undefined,
  problems: string[],
  expected: string,
  ok: (item: Record<string, unknown>) => boolean,
): T[] {
  if (!raw) return [];
  let list: unknown;
  try {
    list = JSON.parse(raw);
  } catch {
    problems.push(`${name}: not valid JSON`);
    return [];
  }
  if (!Array.isArray(list) || !list.every((u) => u && typeof u === 'object' && ok(u as Record<string, unknown>))) {
    problems.push(`${name}: expected a JSON list of ${expected}`);
    return [];
  }
  return list as T[];
}

const nonEmpty = (u: Record<string, unknown>, keys: string[]) =>
  keys.every((k) => typeof u[k] === 'string' && (u[k] as string).length > 0);
const uniqueBy = <T>(list: T[], key: (t: T) => string) => new Set(list.map(key)).size === list.length;

function parsePeers(raw: string | undefined, problems: string[]): PeerConfig[] {
  const peers = parseJsonList<PeerConfig>(
    'PEERS',
    raw,
    problems,
    '{"name" (a-z0-9-), "url" (the peer\'s http/https change feed)}',
    (u) =>
      nonEmpty(u, ['name', 'url']) &&
      /^[a-z0-9-]{1,64}$/.test(u.name as string) &&
      /^https?:\/\/\S+$/.test(u.url as string),
  );
  if (!uniqueBy(peers, (p) => p.name)) problems.push('PEERS: each peer needs its own name');
  return peers;
}

function parseIngestKeys(raw: string | undefined, problems: string[]): IngestKeyConfig[] {
  const keys = parseJsonList<IngestKeyConfig>(
    'INGEST_KEYS',
    raw,
    problems,
    '{"keyId", "secret" (at least 16 characters), "platformCode" (2-24 letters or digits), "relays"? (list of platform codes or "*")}',
    (u) =>
      nonEmpty(u, ['keyId', 'secret', 'platformCode']) &&
      /^[A-Za-z0-9._-]{1,64}$/.test(u.keyId as string) &&
      (u.secret as string).length >= 16 &&
      /^[A-Za-z0-9]{2,24}$/.test(u.platformCode as string) &&
      (u.relays === undefined ||
        (Array.isArray(u.relays) &&
          u.relays.every((r) => typeof r === 'string' && /^([A-Za-z0-9]{2,24}|\*)$/.test(r)))),
  );
  if (!uniqueBy(keys, (k) => k.keyId)) problems.push('INGEST_KEYS: each key needs its own keyId');
  return keys.map((k) => ({ keyId: k.keyId, secret: k.secret, platformCode: k.platformCode, relays: k.relays ?? [] }));
}

function parseUpstreams(raw: string | undefined, problems: string[]): UpstreamConfig[] {
  const upstreams = parseJsonList<Omit<UpstreamConfig, 'format'> & { format?: unknown }>(
    'UPSTREAMS',
    raw,
    problems,
    '{"name" (a-z0-9-), "url" (the upstream\'s http/https ingest address), "keyId", "secret", "format"? ("ggzy-json" or "ocds")}',
    (u) =>
      nonEmpty(u, ['name', 'url', 'keyId', 'secret']) &&
      /^[a-z0-9-]{1,64}$/.test(u.name as string) &&
      /^https?:\/\/\S+$/.test(u.url as string),
  );
  if (!uniqueBy(upstreams, (u) => u.name)) problems.push('UPSTREAMS: each upstream needs its own name');
  // A misspelt format must stop the start: sending the other format would be refused upstream, entry by entry.
  for (const u of upstreams) {
    if (u.format !== undefined && !UPSTREAM_FORMATS.includes(u.format as UpstreamFormat)) {
      problems.push(
        `UPSTREAMS: upstream "${u.name}" has format ${JSON.stringify(u.format)}; expected ${UPSTREAM_FORMATS.map((f) => `"${f}"`).join(' or ')} (default "ggzy-json")`,
      );
    }
  }
  return upstreams.map((u) => ({
    name: u.name,
    url: u.url,
    keyId: u.keyId,
    secret: u.secret,
    format: (u.format as UpstreamFormat | undefined) ?? 'ggzy-json',
  }));
}
