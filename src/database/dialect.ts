import type { DataSource, QueryRunner, SelectQueryBuilder, ObjectLiteral } from 'typeorm';

/**
 * Every difference between SQLite and MySQL/MariaDB that the code must know about lives here (and in
 * connection setup, data-source.ts). Queries elsewhere do not ask which database they run on.
 */
export type DialectName = 'sqlite' | 'mysql';

export function dialectOf(source: DataSource | QueryRunner): DialectName {
  const type = 'connection' in source ? source.connection.options.type : source.options.type;
  return type === 'better-sqlite3' ? 'sqlite' : 'mysql';
}

/** Column types for migrations. */
export function columnTypes(dialect: DialectName) {
  return {
    /** Unbounded text: SQLite TEXT, MySQL LONGTEXT (MySQL TEXT stops at 64 KB). */
    longText: dialect === 'mysql' ? 'longtext' : 'text',
    /** Bytes up to 16 MB a value (attachment chunks): SQLite BLOB, MySQL MEDIUMBLOB (BLOB stops at 64 KB). */
    binary: dialect === 'mysql' ? 'mediumblob' : 'blob',
    /** An auto-increment key: SQLite only increments an INTEGER PRIMARY KEY. */
    autoId: dialect === 'mysql' ? 'int' : 'integer',
    /**
     * Collation of text compared byte for byte (search keys): MySQL's default utf8mb4_unicode_ci would equate
     * distinct characters (every supplementary ideograph weighs the same); SQLite compares binary already.
     */
    binaryCollation: dialect === 'mysql' ? 'utf8mb4_bin' : undefined,
  };
}

/**
 * `INSERT … VALUES (k, n), …` that adds n to the counter of each existing key instead of failing. Both
 * databases accept a multi-row VALUES list; only the conflict clause differs.
 */
export function incrementCountersSql(
  dialect: DialectName,
  table: string,
  key: string,
  counter: string,
  rows: number,
): string {
  const values = Array.from({ length: rows }, () => '(?, ?)').join(', ');
  const insert = `INSERT INTO ${table} (${key}, ${counter}) VALUES ${values}`;
  return dialect === 'mysql'
    ? `${insert} ON DUPLICATE KEY UPDATE ${counter} = ${counter} + VALUES(${counter})`
    : `${insert} ON CONFLICT (${key}) DO UPDATE SET ${counter} = ${counter} + excluded.${counter}`;
}

/** Anything that runs SQL with parameters: an EntityManager or a QueryRunner. */
interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/**
 * Adds each key's amount to its counter (incrementCountersSql), 1,000 rows a statement, keys in one order in every
 * writer so that concurrent ones wait for each other rather than deadlock.
 */
export async function addToCounters(
  db: Queryable,
  dialect: DialectName,
  table: string,
  columns: { key: string; counter: string },
  counts: Map<string, number>,
): Promise<void> {
  const params = [...counts.keys()].sort().flatMap((k) => [k, counts.get(k)]);
  for (let i = 0; i < params.length; i += 2000) {
    const chunk = params.slice(i, i + 2000);
    await db.query(incrementCountersSql(dialect, table, columns.key, columns.counter, chunk.length / 2), chunk);
  }
}

/**
 * `INSERT … VALUES …, …` of `rows` rows whose columns are `keys`, `adds`, then `options.keep` and `options.latest`,
 * that on an existing key adds each `adds` value to its column, keeps the `keep` columns as they are and keeps
 * the larger of the old and new `latest` values.
 */
export function upsertAddSql(
  dialect: DialectName,
  table: string,
  keys: string[],
  adds: string[],
  rows: number,
  options: { keep?: string[]; latest?: string[] } = {},
): string {
  const columns = [...keys, ...adds, ...(options.keep ?? []), ...(options.latest ?? [])];
  const insert = `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${sqlRows(rows, columns.length)}`;
  const newValue = (c: string) => (dialect === 'mysql' ? `VALUES(${c})` : `excluded.${c}`);
  const sets = [
    ...adds.map((c) => `${c} = ${c} + ${newValue(c)}`),
    ...(options.latest ?? []).map((c) => `${c} = ${dialect === 'mysql' ? 'GREATEST' : 'MAX'}(${c}, ${newValue(c)})`),
  ].join(', ');
  return dialect === 'mysql'
    ? `${insert} ON DUPLICATE KEY UPDATE ${sets}`
    : `${insert} ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${sets}`;
}

/**
 * Empties a table fast: TRUNCATE on MySQL (a DELETE of millions of rows fills the undo log); SQLite's
 * unconditioned DELETE is already a truncate.
 */
export function truncateSql(dialect: DialectName, table: string): string {
  return dialect === 'mysql' ? `TRUNCATE TABLE ${table}` : `DELETE FROM ${table}`;
}

/**
 * Locks the selected rows until the transaction ends. MySQL needs FOR UPDATE; SQLite has one writer, and
 * our SQLite transactions are serialised (see Database.transaction), so nothing is needed there.
 */
export function forUpdate<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, dialect: DialectName) {
  return dialect === 'mysql' ? qb.setLock('pessimistic_write') : qb;
}

/**
 * An aggregate (COUNT, SUM over an integer column such as fen) read exactly: SQLite returns a number (its SUM over
 * INTEGER is exact), MySQL a BIGINT or DECIMAL string (bigNumberStrings). NULL (SUM of no rows) is 0.
 */
export function sqlInteger(value: unknown): bigint {
  if (value === null || value === undefined) return 0n;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  const match = /^(-?\d+)(?:\.0*)?$/.exec(String(value));
  if (!match) throw new Error(`not an exact integer: ${String(value)}`);
  return BigInt(match[1]);
}

/** The same for a raw `SELECT …` (appended at its end): it also reads the latest committed rows, not a snapshot. */
export function forUpdateSql(dialect: DialectName): string {
  return dialect === 'mysql' ? ' FOR UPDATE' : '';
}

/**
 * Locks the selected rows and skips rows another transaction has locked, so several workers draining one queue
 * (the sync outbox) never take the same row. MySQL 8 / MariaDB 10.6+ only; SQLite has one writer at a time.
 */
export function forUpdateSkipLocked<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, dialect: DialectName) {
  return dialect === 'mysql' ? qb.setLock('pessimistic_write').setOnLocked('skip_locked') : qb;
}

/**
 * The database's own clock in UTC with milliseconds, optionally plus the milliseconds bound to `:name`: job
 * leases compare against it so instances whose clocks disagree still agree on who holds a lease. The format is
 * the one datetime(3) columns hold on each database.
 */
export function utcNowSql(dialect: DialectName, plusMsParameter?: string): string {
  if (dialect === 'mysql')
    return plusMsParameter
      ? `(UTC_TIMESTAMP(3) + INTERVAL (:${plusMsParameter} * 1000) MICROSECOND)`
      : 'UTC_TIMESTAMP(3)';
  return plusMsParameter
    ? `strftime('%Y-%m-%d %H:%M:%f', 'now', printf('%+.3f seconds', :${plusMsParameter} / 1000.0))`
    : `strftime('%Y-%m-%d %H:%M:%f', 'now')`;
}

/** True when a statement failed on a unique or primary key (ER_DUP_ENTRY on MySQL, SQLITE_CONSTRAINT_* on SQLite). */
export function isUniqueViolation(error: unknown): boolean {
  const code =
    (error as { driverError?: { code?: string }; code?: string })?.driverError?.code ??
    (error as { code?: string })?.code;
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/**
 * A datetime read raw (MIN, MAX): MySQL returns a Date (UTC, see the connection's timezone), SQLite the stored
 * 'YYYY-MM-DD HH:MM:SS.SSS' text in UTC. NULL stays null.
 */
export function sqlDateTime(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  const text = String(value);
  return new Date(/Z$|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
}

/** How long an instance waits for another's migrations before giving up: a backfill may take minutes. */
export const MIGRATION_LOCK_TIMEOUT_SECONDS = 900;

/**
 * Runs `migrate` with the schema to itself, on `runner`'s connection, so that instances starting together take
 * turns: the first runs the migrations, the others then find none pending. `migrate` is told which TypeORM
 * transaction mode to use.
 * - MySQL/MariaDB: the named lock GET_LOCK('ggzy_migrations'), held by this connection (it outlives the commits
 *   DDL forces) and released at the end; the migrations run on the same connection, in TypeORM's transaction.
 * - SQLite: BEGIN IMMEDIATE takes the file's write lock before the migrations table is read, and the migrations
 *   run inside that transaction (so TypeORM must not open its own). SQLite serves one instance; this keeps a
 *   second process on the file (`npm run migrate` beside a starting portal) from migrating twice.
 */
export async function withMigrationLock<T>(
  runner: QueryRunner,
  migrate: (transaction: 'all' | 'none') => Promise<T>,
): Promise<T> {
  const timeoutMessage = `another process has been migrating this database for over ${MIGRATION_LOCK_TIMEOUT_SECONDS} s; try again when it is done`;
  if (dialectOf(runner) === 'mysql') {
    const [{ got }] = (await runner.query(`SELECT GET_LOCK('ggzy_migrations', ?) AS got`, [
      MIGRATION_LOCK_TIMEOUT_SECONDS,
    ])) as { got: unknown }[];
    if (Number(got) !== 1) throw new Error(`Migrations not run: ${timeoutMessage}`);
    try {
      return await migrate('all');
    } finally {
      await runner.query(`SELECT RELEASE_LOCK('ggzy_migrations')`);
    }
  }
  // Foreign keys off around migrations, as TypeORM does (the pragma is ignored inside a transaction).
  await runner.beforeMigration();
  try {
    const deadline = Date.now() + MIGRATION_LOCK_TIMEOUT_SECONDS * 1000;
    for (;;) {
      try {
        await runner.query('BEGIN IMMEDIATE');
        break;
      } catch (e) {
        // busy_timeout already waited a few seconds; keep waiting for a long migration elsewhere.
        if (
          !/SQLITE_BUSY/.test(String((e as { driverError?: { code?: string } }).driverError?.code ?? e)) ||
          Date.now() > deadline
        )
          throw e;
      }
    }
    try {
      const result = await migrate('none');
      await runner.query('COMMIT');
      return result;
    } catch (e) {
      await runner.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
  } finally {
    await runner.afterMigration();
  }
}

/**
 * `column` starts with a text: a condition an index on the column serves as a range, and its parameters.
 * MySQL/MariaDB: `LIKE 'text%'` (its wildcards escaped with `!`), which the optimizer reads as a range of the
 * column's collation. SQLite: its LIKE ignores case, so no index with the default BINARY collation serves it; a
 * range of that binary order does (`text` up to `text` followed by the largest code point), matching Latin
 * letters in their own case only (names here are Chinese).
 */
export function startsWithSql(dialect: DialectName, column: string, text: string): { sql: string; params: string[] } {
  return dialect === 'mysql'
    ? { sql: `${column} LIKE ? ESCAPE '!'`, params: [`${escapeLike(text)}%`] }
    : { sql: `${column} >= ? AND ${column} < ?`, params: [text, `${text}\u{10FFFF}`] };
}

/** `text` inside a `LIKE … ESCAPE '!'` pattern: its wildcards and the escape character as literals. */
export const escapeLike = (text: string) => text.replace(/[!%_]/g, (c) => `!${c}`);

/**
 * The index hint of a raw `FROM table` clause: MySQL/MariaDB's optimizer may prefer a sort over a full scan to
 * an index that already holds the rows in order (a keyset list of a small table); SQLite's planner picks it
 * itself, and its INDEXED BY would fail a query the index cannot serve.
 */
export function forceIndexSql(dialect: DialectName, index: string): string {
  return dialect === 'mysql' ? ` FORCE INDEX (${index})` : '';
}

/**
 * Reads a query's table by this index only: MySQL/MariaDB FORCE INDEX (TypeORM's useIndex writes USE INDEX,
 * which MariaDB 10.11 honours with `ref` on the index's first column and then walks every row under it, instead
 * of the range the later columns bound). SQLite picks the index by itself; nothing is added there.
 */
export function forceIndex<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  dialect: DialectName,
  index: string,
  options: { sqlite?: boolean } = {},
): SelectQueryBuilder<T> {
  if (dialect !== 'mysql') return options.sqlite ? indexedBy(qb, index) : qb;
  qb.useIndex(index);
  const build = qb.getQueryAndParameters.bind(qb);
  qb.getQueryAndParameters = () => {
    const [sql, parameters] = build();
    return [sql.replace(' USE INDEX (', ' FORCE INDEX ('), parameters];
  };
  return qb;
}

/**
 * SQLite's INDEXED BY on the query's main table, for the plans its planner cannot know are better: reading the few
 * notices open now by their deadline, rather than walking a list in order until enough turn up; the deadline order
 * by its index, rather than every match of a date range or a category sorted.
 */
function indexedBy<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, index: string): SelectQueryBuilder<T> {
  const from = `FROM "${qb.expressionMap.mainAlias!.metadata.tableName}" "${qb.alias}"`;
  const build = qb.getQueryAndParameters.bind(qb);
  qb.getQueryAndParameters = () => {
    const [sql, parameters] = build();
    // Named once: a query told its index twice keeps the first.
    if (sql.includes(`${from} INDEXED BY `)) return [sql, parameters];
    return [sql.replace(from, `${from} INDEXED BY "${index}"`), parameters];
  };
  return qb;
}

/**
 * A join read in the order it is written, the left table outside: MySQL/MariaDB's STRAIGHT_JOIN, SQLite's CROSS
 * JOIN (its planner keeps the order of a CROSS JOIN). For a small left side the planner cannot size (a derived table
 * of a page's ids) looked up in a large table by key, where scanning the large table for each would grow with it.
 */
export function joinInOrder(dialect: DialectName): string {
  return dialect === 'mysql' ? 'STRAIGHT_JOIN' : 'CROSS JOIN';
}

/**
 * A column in a condition that must not choose the index (SQLite's unary `+`): SQLite's planner may take an index
 * on a column tested against a list (type IN …) and sort every row it finds, where the list's own index already
 * holds them in order. MySQL/MariaDB are steered by forceIndex instead; there the column stays as it is.
 */
export function notIndexed(dialect: DialectName, column: string): string {
  return dialect === 'sqlite' ? `+${column}` : column;
}

/**
 * A text column read as its stored bytes (a Buffer on either driver) rather than decoded into a JavaScript string:
 * for text sent on as it is (an export's kept CSV lines), which then never passes through the string heap.
 */
export function asBytesSql(dialect: DialectName, column: string): string {
  return dialect === 'sqlite' ? `CAST(${column} AS BLOB)` : `CAST(${column} AS BINARY)`;
}

/**
 * Text expressions joined into one (MySQL/MariaDB CONCAT, SQLite `||`). Either gives NULL when a part is NULL:
 * a nullable part goes in through jsonQuoteSql, chinaTimeJsonSql or COALESCE.
 */
export function concatSql(dialect: DialectName, parts: readonly string[]): string {
  return dialect === 'sqlite' ? `(${parts.join(' || ')})` : `CONCAT(${parts.join(', ')})`;
}

/** A text expression as its JSON string literal (the database's own JSON_QUOTE / json_quote), `null` when NULL. */
export function jsonQuoteSql(dialect: DialectName, expression: string): string {
  return dialect === 'sqlite' ? `json_quote(${expression})` : `COALESCE(JSON_QUOTE(${expression}), 'null')`;
}

/**
 * A time column (timeColumn: UTC, milliseconds) as the JSON string chinaDateTimeIso writes
 * (`"2026-11-25T10:00:00+08:00"`, with `.123` before the offset when it has milliseconds), `null` when NULL.
 * China has kept UTC+8 without daylight saving since 1991, so a fixed 8 hours is exact for every stored time.
 */
export function chinaTimeJsonSql(dialect: DialectName, column: string): string {
  if (dialect === 'sqlite') {
    const ms = `substr(strftime('%f', ${column}), 4)`;
    return `COALESCE('"' || strftime('%Y-%m-%dT%H:%M:%S', ${column}, '+8 hours') || CASE ${ms} WHEN '000' THEN '' ELSE '.' || ${ms} END || '+08:00"', 'null')`;
  }
  return `COALESCE(CONCAT('"', DATE_FORMAT(${column} + INTERVAL 8 HOUR, '%Y-%m-%dT%H:%i:%s'), IF(MICROSECOND(${column}) = 0, '', CONCAT('.', LEFT(DATE_FORMAT(${column}, '%f'), 3))), '+08:00"'), 'null')`;
}

/** `?, ?, …`: the placeholders of an IN list of these values (or of this many). */
export function sqlMarks(values: readonly unknown[] | number): string {
  return Array(typeof values === 'number' ? values : values.length)
    .fill('?')
    .join(', ');
}

/** `(?, ?), (?, ?), …`: the placeholders of a multi-row INSERT of `rows` rows of `columns` values. */
export function sqlRows(rows: number, columns: number): string {
  return Array(rows)
    .fill(`(${sqlMarks(columns)})`)
    .join(', ');
}
