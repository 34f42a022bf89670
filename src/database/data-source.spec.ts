import { loadConfig } from '../config/config.js';
import { dataSourceOptions } from './data-source.js';

describe('dataSourceOptions', () => {
  const mysql = (env: Record<string, string>) => {
    const { database } = loadConfig({ DATABASE_URL: 'mysql://u:p@primary:3306/ggzy', ...env });
    return dataSourceOptions(database, []) as unknown as Record<string, unknown> & {
      replication?: Record<string, unknown>;
    };
  };

  it('connects to the primary alone when there are no replicas', () => {
    const options = mysql({});
    expect(options).toMatchObject({
      type: 'mysql',
      host: 'primary',
      port: 3306,
      username: 'u',
      password: 'p',
      database: 'ggzy',
    });
    expect(options.replication).toBeUndefined();
  });

  it('with replicas, sends every query to the primary unless a replica is asked for (TypeORM would read replicas by default)', () => {
    const options = mysql({ DATABASE_REPLICA_URLS: 'mysql://r:s@replica-1:3307/ggzy,mysql://r:s@replica-2/ggzy' });
    expect(options.replication).toMatchObject({
      master: { host: 'primary', port: 3306, username: 'u', password: 'p', database: 'ggzy' },
      slaves: [
        { host: 'replica-1', port: 3307, username: 'r', password: 's', database: 'ggzy' },
        { host: 'replica-2', port: 3306, username: 'r', password: 's', database: 'ggzy' },
      ],
      defaultMode: 'master',
    });
    expect(options).not.toHaveProperty('host');
    expect(options).toMatchObject({ charset: 'utf8mb4_unicode_ci', timezone: 'Z' });
  });
});
