import { ConfigError, loadConfig } from '../config/config.js';

/** The platform-sync settings of loadConfig (config.ts): defaults, parsing, and refusals naming the variable. */
describe('platform sync configuration', () => {
  it('has defaults that need nothing configured', () => {
    const c = loadConfig({});
    expect(c.upstreams).toEqual([]);
    expect(c.peers).toEqual([]);
    expect(c.ingestKeys).toEqual([]);
    expect(c.jobLeaseSeconds).toBe(30);
    expect(c.sync).toEqual({
      intervalMs: 5000,
      maxAttempts: 20,
      retryBaseMs: 5000,
      retryMaxMs: 3_600_000,
      httpTimeoutMs: 10_000,
      alertWebhook: null,
      ingestMaxBytes: 1_048_576,
      ingestReplyDelayMs: 0,
    });
  });

  it('reads upstreams, peers, ingest keys and the alert webhook', () => {
    const c = loadConfig({
      UPSTREAMS: '[{"name":"liaoning","url":"https://ggzy.ln.gov.cn/api/v1/ingest","keyId":"dl","secret":"s3cret"}]',
      PEERS: '[{"name":"shenyang","url":"https://ggzy.shenyang.gov.cn/api/v1/changes"}]',
      INGEST_KEYS:
        '[{"keyId":"wfd","secret":"wafangdian-secret-01","platformCode":"WFD2102"},{"keyId":"zh","secret":"zhuanghe-secret-0001","platformCode":"ZH2102","relays":["*"]}]',
      SYNC_ALERT_WEBHOOK: 'https://ops.example.cn/hooks/ggzy',
      SYNC_MAX_ATTEMPTS: '5',
      JOB_LEASE_SECONDS: '10',
    });
    expect(c.upstreams).toEqual([
      {
        name: 'liaoning',
        url: 'https://ggzy.ln.gov.cn/api/v1/ingest',
        keyId: 'dl',
        secret: 's3cret',
        format: 'ggzy-json',
      },
    ]);
    expect(c.peers).toEqual([{ name: 'shenyang', url: 'https://ggzy.shenyang.gov.cn/api/v1/changes' }]);
    expect(c.ingestKeys).toEqual([
      { keyId: 'wfd', secret: 'wafangdian-secret-01', platformCode: 'WFD2102', relays: [] },
      { keyId: 'zh', secret: 'zhuanghe-secret-0001', platformCode: 'ZH2102', relays: ['*'] },
    ]);
    expect(c.sync).toMatchObject({ alertWebhook: 'https://ops.example.cn/hooks/ggzy', maxAttempts: 5 });
    expect(c.jobLeaseSeconds).toBe(10);
  });

  it("reads each upstream's data format: ggzy-json by default, or OCDS", () => {
    const c = loadConfig({
      UPSTREAMS: JSON.stringify([
        {
          name: 'liaoning',
          url: 'https://ggzy.ln.gov.cn/api/v1/ingest',
          keyId: 'dl',
          secret: 's3cret',
          format: 'ggzy-json',
        },
        { name: 'nation', url: 'https://www.ggzy.gov.cn/ocds/push', keyId: 'dl', secret: 's3cret', format: 'ocds' },
        { name: 'county', url: 'https://ggzy.wfd.gov.cn/api/v1/ingest', keyId: 'dl', secret: 's3cret' },
      ]),
    });
    expect(c.upstreams.map((u) => [u.name, u.format])).toEqual([
      ['liaoning', 'ggzy-json'],
      ['nation', 'ocds'],
      ['county', 'ggzy-json'],
    ]);
  });

  it.each(['xml', 'OCDS', 'ocds-1.1', '', 1, null])(
    'refuses an upstream format %j, naming UPSTREAMS, the upstream and the formats',
    (format) => {
      let error: ConfigError | undefined;
      try {
        loadConfig({
          UPSTREAMS: JSON.stringify([
            { name: 'nation', url: 'https://www.ggzy.gov.cn/ocds/push', keyId: 'dl', secret: 's3cret', format },
          ]),
        });
      } catch (e) {
        error = e as ConfigError;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect(error!.problems).toEqual([
        expect.stringMatching(/^UPSTREAMS: upstream "nation" has format .*; expected "ggzy-json" or "ocds"/),
      ]);
    },
  );

  it.each([
    [
      'UPSTREAMS',
      '[{"name":"a","url":"http://x/","keyId":"k","secret":"s"},{"name":"a","url":"http://y/","keyId":"k","secret":"s"}]',
    ],
    ['PEERS', '[{"name":"Peer One","url":"http://x/"}]'],
    ['PEERS', '[{"name":"p","url":"ftp://x/"}]'],
    ['INGEST_KEYS', '[{"keyId":"k","secret":"short","platformCode":"WFD"}]'],
    ['INGEST_KEYS', '[{"keyId":"k","secret":"long-enough-secret-1","platformCode":"W F D"}]'],
    ['INGEST_KEYS', '[{"keyId":"k","secret":"long-enough-secret-1","platformCode":"WFD","relays":"*"}]'],
    [
      'INGEST_KEYS',
      '[{"keyId":"k","secret":"long-enough-secret-1","platformCode":"WFD"},{"keyId":"k","secret":"long-enough-secret-2","platformCode":"ZH"}]',
    ],
    ['INGEST_KEYS', 'not json'],
    ['SYNC_ALERT_WEBHOOK', 'ops.example.cn/hook'],
    ['SYNC_INTERVAL_MS', '10'],
    ['SYNC_MAX_ATTEMPTS', '0'],
    ['INGEST_MAX_BYTES', '3000000'],
    ['JOB_LEASE_SECONDS', '1'],
  ])('refuses %s=%s, naming it', (name, value) => {
    let error: ConfigError | undefined;
    try {
      loadConfig({ [name]: value });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.problems.join('\n')).toContain(name);
  });
});
