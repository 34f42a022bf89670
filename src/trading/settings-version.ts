import type { EntityManager } from 'typeorm';
import type { Database } from '../database/database.js';

/**
 * Counts changes to settings that public pages show (timing rules, the working-day calendar, later indicator
 * thresholds). Call it in the transaction that makes the change: the cached pages rendered under the old
 * settings stop being served when it commits, here at once and on other instances at their next poll.
 */
export async function bumpSettingsVersion(db: Database, em: EntityManager): Promise<void> {
  await em.query('UPDATE settings_version SET version = version + 1 WHERE id = 1');
  db.markPublicChange(em);
}
