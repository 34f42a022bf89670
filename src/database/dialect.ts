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
    /** An auto-increment key: SQLite only increments an INTEGER PRIMARY KEY. */
    autoId: dialect === 'mysql' ? 'int' : 'integer',
  };
}

/**
 * Locks the selected rows until the transaction ends. MySQL needs FOR UPDATE; SQLite has one writer, and
 * our SQLite transactions are serialised (see Database.transaction), so nothing is needed there.
 */
export function forUpdate<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, dialect: DialectName) {
  return dialect === 'mysql' ? qb.setLock('pessimistic_write') : qb;
}
