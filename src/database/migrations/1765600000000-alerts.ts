import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columnTypes, dialectOf } from '../dialect.js';

/**
 * Saved searches and alerts (/alerts): the alerts with their filter and its index keys, their tokens (stored
 * hashed), one delivery per (alert, notice), the mail outbox, and the matcher's cursor in the publication log.
 */
export class Alerts1765600000000 implements MigrationInterface {
  name = 'Alerts1765600000000';

  async up(db: QueryRunner): Promise<void> {
    const t = columnTypes(dialectOf(db));
    const id = {
      name: 'id',
      type: t.autoId,
      isPrimary: true,
      isGenerated: true,
      generationStrategy: 'increment' as const,
    };
    await db.createTable(
      new Table({
        name: 'alert',
        columns: [
          id,
          // Null: a feed-only alert (no e-mail).
          { name: 'email', type: 'varchar', length: '254', isNullable: true },
          { name: 'email_hash', type: 'varchar', length: '64', isNullable: true },
          { name: 'filter', type: 'text' },
          { name: 'match_key', type: 'varchar', length: '80' },
          // One search key every matching notice holds (null: no keyword), collated byte for byte like the search's.
          { name: 'word_key', type: 'varchar', length: '40', isNullable: true, collation: t.binaryCollation },
          { name: 'frequency', type: 'varchar', length: '16' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'from_seq', type: 'bigint', default: 0 },
          { name: 'failures', type: 'int', default: 0 },
          { name: 'ip_hash', type: 'varchar', length: '64', isNullable: true },
          { name: 'last_digest_day', type: 'varchar', length: '10', isNullable: true },
          { name: 'created_at', type: 'datetime', precision: 3 },
          { name: 'confirmed_at', type: 'datetime', precision: 3, isNullable: true },
        ],
        indices: [
          new TableIndex({ name: 'ix_alert_match', columnNames: ['match_key', 'word_key', 'status'] }),
          new TableIndex({ name: 'ix_alert_word', columnNames: ['word_key', 'status'] }),
          new TableIndex({ name: 'ix_alert_email', columnNames: ['email_hash'] }),
          new TableIndex({ name: 'ix_alert_ip', columnNames: ['ip_hash', 'created_at'] }),
          new TableIndex({ name: 'ix_alert_status', columnNames: ['status', 'frequency'] }),
        ],
      }),
    );
    await db.createTable(
      new Table({
        name: 'alert_token',
        columns: [
          { name: 'hash', type: 'varchar', length: '64', isPrimary: true },
          { name: 'alert_id', type: 'int' },
          { name: 'purpose', type: 'varchar', length: '16' },
          { name: 'expires_at', type: 'datetime', precision: 3, isNullable: true },
          { name: 'created_at', type: 'datetime', precision: 3 },
        ],
        indices: [new TableIndex({ name: 'ix_alert_token_alert', columnNames: ['alert_id', 'purpose'] })],
      }),
    );
    await db.createTable(
      new Table({
        name: 'alert_delivery',
        columns: [
          id,
          { name: 'alert_id', type: 'int' },
          { name: 'notice_id', type: 'varchar', length: '80' },
          { name: 'log_seq', type: 'bigint' },
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'reason', type: 'varchar', length: '16' },
          { name: 'target_notice_id', type: 'varchar', length: '80', isNullable: true },
          { name: 'mail_id', type: 'int', isNullable: true },
          { name: 'created_at', type: 'datetime', precision: 3 },
        ],
        indices: [
          new TableIndex({ name: 'ux_alert_delivery', columnNames: ['alert_id', 'notice_id'], isUnique: true }),
          new TableIndex({ name: 'ix_alert_delivery_notice', columnNames: ['notice_id'] }),
          new TableIndex({ name: 'ix_alert_delivery_mail', columnNames: ['alert_id', 'mail_id'] }),
        ],
      }),
    );
    await db.createTable(
      new Table({
        name: 'alert_mail',
        columns: [
          id,
          { name: 'alert_id', type: 'int' },
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'message_id', type: 'varchar', length: '200' },
          // The raw token of the mail's link until the mail is sent (tokens are otherwise kept hashed only).
          { name: 'link_token', type: 'varchar', length: '64', isNullable: true },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'attempts', type: 'int', default: 0 },
          { name: 'next_attempt_at', type: 'datetime', precision: 3 },
          { name: 'last_error', type: 'varchar', length: '500', isNullable: true },
          { name: 'created_at', type: 'datetime', precision: 3 },
          { name: 'sent_at', type: 'datetime', precision: 3, isNullable: true },
        ],
        indices: [
          new TableIndex({ name: 'ix_alert_mail_due', columnNames: ['status', 'next_attempt_at'] }),
          new TableIndex({ name: 'ix_alert_mail_alert', columnNames: ['alert_id'] }),
        ],
      }),
    );
    // Sign-ups by client address (hashed), for the per-address limit: kept apart from the alerts, so deleting
    // alerts does not make room for more sign-ups; rows older than a day are removed at the next sign-up.
    await db.createTable(
      new Table({
        name: 'alert_signup',
        columns: [
          id,
          { name: 'ip_hash', type: 'varchar', length: '64' },
          { name: 'created_at', type: 'datetime', precision: 3 },
        ],
        indices: [
          new TableIndex({ name: 'ix_alert_signup_ip', columnNames: ['ip_hash', 'created_at'] }),
          new TableIndex({ name: 'ix_alert_signup_time', columnNames: ['created_at'] }),
        ],
      }),
    );
    await db.createTable(
      new Table({
        name: 'alert_cursor',
        columns: [
          { name: 'name', type: 'varchar', length: '32', isPrimary: true },
          { name: 'seq', type: 'bigint' },
        ],
      }),
    );
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['alert_cursor', 'alert_signup', 'alert_mail', 'alert_delivery', 'alert_token', 'alert'])
      await db.dropTable(table);
  }
}
