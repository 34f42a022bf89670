import { ConfigError, DEFAULT_DATABASE_URL, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('starts a newcomer on the default SQLite file with demo data', () => {
    const c = loadConfig({}, '/srv/portal');
    expect(c.database).toEqual({ kind: 'sqlite', path: '/srv/portal/data/portal.sqlite' });
    expect(c.seedDemo).toBe(true);
    expect(c.port).toBe(3000);
    expect(c.publicBaseUrl).toBe('http://localhost:3000');
    expect(DEFAULT_DATABASE_URL).toBe('sqlite:data/portal.sqlite');
  });

  it('does not seed demo data into any other database unless asked', () => {
    expect(loadConfig({ DATABASE_URL: 'sqlite:/tmp/x.sqlite' }).seedDemo).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'mysql://u:p@db:3307/ggzy' }).seedDemo).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'mysql://u:p@db:3307/ggzy', SEED_DEMO: 'true' }).seedDemo).toBe(true);
  });

  it('reads a MySQL URL, decoding the password', () => {
    expect(loadConfig({ DATABASE_URL: 'mysql://ggzy:p%40ss@db:3307/portal' }).database).toMatchObject({
      kind: 'mysql',
      host: 'db',
      port: 3307,
      user: 'ggzy',
      password: 'p@ss',
      database: 'portal',
    });
  });

  it('reads the replicas of a MySQL primary from DATABASE_REPLICA_URLS, comma-separated', () => {
    expect(loadConfig({ DATABASE_URL: 'mysql://u:p@db:3306/ggzy' }).database).toMatchObject({
      kind: 'mysql',
      replicas: [],
    });
    const { database } = loadConfig({
      DATABASE_URL: 'mysql://u:p@db:3306/ggzy',
      DATABASE_REPLICA_URLS: 'mysql://r:s%40x@replica-1:3306/ggzy, mysql://r:s@replica-2:3307',
    });
    expect(database).toMatchObject({
      kind: 'mysql',
      host: 'db',
      replicas: [
        { host: 'replica-1', port: 3306, user: 'r', password: 's@x', database: 'ggzy' },
        { host: 'replica-2', port: 3307, user: 'r', password: 's', database: 'ggzy' }, // no path: the primary's database
      ],
    });
  });

  it.each([
    [
      { DATABASE_REPLICA_URLS: 'mysql://r@replica:3306/ggzy' },
      'DATABASE_REPLICA_URLS: replicas need a MySQL/MariaDB primary; SQLite has none',
    ],
    [
      { DATABASE_URL: 'mysql://u@db/ggzy', DATABASE_REPLICA_URLS: 'replica:3306' },
      'DATABASE_REPLICA_URLS: unsupported scheme replica:; expected mysql:',
    ],
    [
      { DATABASE_URL: 'mysql://u@db/ggzy', DATABASE_REPLICA_URLS: 'not a url' },
      'DATABASE_REPLICA_URLS: "not a url" is not a URL',
    ],
    [
      { DATABASE_URL: 'mysql://u@db/ggzy', DATABASE_REPLICA_URLS: 'mysql://u@db:3306/ggzy' },
      'DATABASE_REPLICA_URLS: db:3306 is the primary (DATABASE_URL) itself',
    ],
    [
      { DATABASE_URL: 'mysql://u@db/ggzy', DATABASE_REPLICA_URLS: 'mysql://u@replica/other' },
      "names the database other; a replica holds the primary's, ggzy",
    ],
  ])('refuses replicas %p', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('runs migrations on start unless MIGRATE_ON_START turns it off', () => {
    expect(loadConfig({}).migrateOnStart).toBe(true);
    expect(loadConfig({ DATABASE_URL: 'mysql://u:p@db:3307/ggzy' }).migrateOnStart).toBe(true);
    expect(loadConfig({ MIGRATE_ON_START: 'false' }).migrateOnStart).toBe(false);
    expect(() => loadConfig({ MIGRATE_ON_START: 'no' })).toThrow('MIGRATE_ON_START=no: expected true or false');
  });

  it('reads the alert mail settings: e-mail off without SMTP_URL, From on the portal host, DKIM all or none', () => {
    const off = loadConfig({ PUBLIC_BASE_URL: 'https://ggzy.example.cn' }).alerts;
    expect(off.smtpUrl).toBeNull();
    expect(off.mailFrom).toBe('noreply@ggzy.example.cn');
    expect(off.maxPerAddress).toBe(25);
    const on = loadConfig({ SMTP_URL: 'smtp://u:p@mail.example.cn:587', ALERT_DIGEST_HOUR: '7' }).alerts;
    expect(on.smtpUrl).toBe('smtp://u:p@mail.example.cn:587');
    expect(on.digestHour).toBe(7);
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return [];
      } catch (e) {
        return (e as ConfigError).problems;
      }
    };
    expect(problems({ SMTP_URL: 'http://mail.example.cn' })[0]).toMatch(/^SMTP_URL/);
    expect(problems({ DKIM_DOMAIN: 'example.cn' })[0]).toMatch(/^DKIM_DOMAIN, DKIM_SELECTOR, DKIM_PRIVATE_KEY/);
    expect(problems({ MAIL_FROM: 'nobody' })[0]).toMatch(/^MAIL_FROM/);
    expect(problems({ ALERT_DIGEST_HOUR: '24' })[0]).toMatch(/^ALERT_DIGEST_HOUR/);
  });

  it('refuses bad values, naming every variable at once', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'postgres://x/y',
        SEED_DEMO: 'maybe',
        LOG_LEVEL: 'loud',
        UPSTREAMS: '[{"name":"x"}]',
        OCID_PREFIX: 'abc',
      });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const named = error!.problems.map((p) => p.split(/[=:]/)[0]);
    expect(named).toEqual(
      expect.arrayContaining(['PORT', 'DATABASE_URL', 'SEED_DEMO', 'LOG_LEVEL', 'UPSTREAMS', 'OCID_PREFIX']),
    );
    expect(error!.message).toContain('PORT=eighty');
  });

  it.each([
    ['DATABASE_URL', 'mysql://root@localhost/'],
    ['DATABASE_URL', 'sqlite:'],
    ['PUBLIC_BASE_URL', 'localhost:3000'],
    ['PLATFORM_CODE', 'DL 2102'],
    ['SESSION_TTL_MINUTES', '1'],
    ['UPSTREAMS', 'not json'],
    ['TRUST_PROXY', 'true'],
    ['TRUST_PROXY', 'yes'],
    ['TRUST_PROXY', '11'],
    ['TRUST_PROXY', '10.0.0.0/33'],
    ['TRUST_PROXY', 'loopback,proxy.example'],
    ['TRUST_PROXY', '10.0.0.1,'],
    ['UPSTREAMS', '[{"name":"nation","url":"https://www.ggzy.gov.cn/ocds","keyId":"k","secret":"s","format":"xml"}]'],
  ])('refuses %s=%s', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });

  it.each([
    [undefined, false],
    ['false', false],
    ['0', false],
    ['1', 1],
    ['2', 2],
    ['loopback', ['loopback']],
    ['loopback, uniquelocal', ['loopback', 'uniquelocal']],
    ['10.0.0.0/8,192.168.1.10,::1,fd00::/8', ['10.0.0.0/8', '192.168.1.10', '::1', 'fd00::/8']],
  ])('reads TRUST_PROXY=%s as %p', (raw, expected) => {
    expect(loadConfig(raw === undefined ? {} : { TRUST_PROXY: raw }).trustProxy).toEqual(expected);
  });

  it('tells the operator what to give instead of TRUST_PROXY=true', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(
      /TRUST_PROXY=true: .*forge.*number of proxies.*\(e\.g\. 1\).*addresses/,
    );
  });
});
