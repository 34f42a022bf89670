import { AuditLogEntry } from '../src/audit/audit-log.entity.js';
import { OutboxEntry } from '../src/outbox/outbox.entity.js';
import { SyncReceipt } from '../src/sync/sync.entities.js';
import { Notice } from '../src/trading/notice.entity.js';
import { Project } from '../src/trading/project.entity.js';
import { PublicationLogEntry } from '../src/transparency/publication-log.entity.js';
import { creditCode } from './support/fixtures.js';
import { buildPortalWorld, cst } from './support/portal-world.js';
import { outboxMessages, push } from './support/sync.js';
import { FixedClock, startTestApp, TestApp } from './support/test-app.js';

const CITY = { keyId: 'dalian', secret: 'dalian-secret-0123456789' };
const COUNTY = { keyId: 'wafangdian', secret: 'wafangdian-secret-012345' };
const NOW = cst('2026-12-30 10:00');

describe('POST /api/v1/ingest (a province receiving a city and a county center)', () => {
  let clock: FixedClock;
  let city: TestApp;
  let province: TestApp;
  let messages: Awaited<ReturnType<typeof outboxMessages>>;
  let notPushed: string[];

  beforeAll(async () => {
    clock = new FixedClock(cst('2026-11-25 09:00'));
    city = await startTestApp({
      clock,
      env: { UPSTREAMS: JSON.stringify([{ name: 'province', url: 'http://127.0.0.1:9/api/v1/ingest', ...CITY }]) },
    });
    await buildPortalWorld(city, clock);
    clock.set(NOW);
    messages = await outboxMessages(city, 'province');
    province = await startTestApp({
      clock,
      env: {
        PLATFORM_CODE: 'LN2100',
        OCID_PREFIX: 'ocds-ln2100-',
        INGEST_KEYS: JSON.stringify([
          { ...CITY, platformCode: 'DL2102' },
          { ...COUNTY, platformCode: 'WFD' },
        ]),
        INGEST_MAX_BYTES: '65536',
        UPSTREAMS: JSON.stringify([
          {
            name: 'nation',
            url: 'http://127.0.0.1:9/api/v1/ingest',
            keyId: 'liaoning',
            secret: 'liaoning-secret-0123',
          },
        ]),
      },
    });
    notPushed = messages.map((m) => m.key);
  }, 120_000);
  afterAll(async () => {
    await province?.close();
    await city?.close();
  });

  const counts = async () => {
    const m = province.db.manager;
    return [
      await m.count(Project),
      await m.count(Notice),
      await m.count(PublicationLogEntry),
      await m.count(OutboxEntry),
      await m.count(SyncReceipt),
      await m.count(AuditLogEntry),
    ];
  };
  const firstNotice = () => messages.find((m) => m.message.kind !== 'project')!;
  const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

  it('refuses a notice before its project with 409 and says why, writing nothing', async () => {
    const before = await counts();
    const { message, key } = firstNotice();
    const res = await push(province, CITY, message, key).expect(409);
    expect(res.body).toMatchObject({ error: 'conflict.parent-missing' });
    expect(res.body.message).toContain('尚未收到');
    expect(await counts()).toEqual(before);
  });

  it('applies every message of the city in outbox order, keeping ids, source platform and content hashes', async () => {
    expect(messages.map((m) => m.message.kind)).toEqual(
      expect.arrayContaining(['project', 'publication', 'correction', 'withdrawal']),
    );
    for (const { message, key } of messages) {
      const res = await push(province, CITY, message, key);
      expect([res.status, key]).toEqual([200, key]);
      expect(res.body.status).toBe('applied');
    }
    notPushed = [];

    const cityNotices = await city.db.manager.find(Notice, { where: { status: 'published' } });
    for (const n of cityNotices) {
      const there = await province.http().get(`/api/v1/notices/${n.id}`).expect(200);
      expect(there.body).toMatchObject({
        id: n.id,
        sourcePlatform: 'DL2102',
        sourceId: n.id,
        contentHash: n.contentHash,
        publishedAt: expect.any(String),
      });
      expect(Boolean(there.body.withdrawn)).toBe(Boolean(n.withdrawnAt));
      // Every detail arrives as published, the evaluation method and rejected bids (否决投标) included.
      expect(there.body.details).toEqual((await city.http().get(`/api/v1/notices/${n.id}`).expect(200)).body.details);
    }
    expect(cityNotices.some((n) => n.details.evaluationMethod && n.type === 'tender')).toBe(true);
    expect(cityNotices.some((n) => (n.details.rejectedBids as unknown[] | undefined)?.length)).toBe(true);
    // The correction moved the project's deadline at the province as it did in the city.
    const corrected = cityNotices.find((n) => n.type === 'correction')!;
    const [here, there] = await Promise.all([
      city.http().get(`/api/v1/projects/${corrected.projectId}`),
      province.http().get(`/api/v1/projects/${corrected.projectId}`),
    ]);
    expect(there.body.bidDeadline).toBe(here.body.bidDeadline);
    expect(there.body.price).toEqual(here.body.price);
    expect(there.body.lots).toEqual(here.body.lots);

    // Published here too: in the province's log, and queued for the province's own upstream (the nation).
    expect(await province.db.manager.count(PublicationLogEntry)).toBe(cityNotices.length);
    const upward = await province.db.manager.count(OutboxEntry, { where: { upstream: 'nation' } });
    expect(upward).toBe(messages.length);
  });

  it('answers a message it has applied with 200 and the same result, changing nothing', async () => {
    const before = await counts();
    for (const { message, key } of messages.slice(0, 6)) {
      const res = await push(province, CITY, message, key).expect(200);
      expect(res.headers['idempotent-replayed']).toBe('true');
      expect(res.body.status).toBe('applied');
    }
    // What a record shows of its life since (a project's first publication, a notice's withdrawal) may differ
    // between attempts of one message: still the same message.
    const project = clone(messages.find((m) => m.message.kind === 'project')!);
    project.message.project.firstPublishedAt = null;
    project.message.checkpoint = null;
    await push(province, CITY, project.message, project.key).expect(200);
    const notice = clone(firstNotice());
    notice.message.notice.withdrawn = { at: '2026-12-30T10:00:00+08:00', byNoticeId: 'DL2102-x' };
    await push(province, CITY, notice.message, notice.key).expect(200);
    expect(await counts()).toEqual(before);
  });

  it("stores a county center's records under its platform code, once however many copies arrive at once", async () => {
    const project = clone(messages.find((m) => m.message.kind === 'project')!.message);
    Object.assign(project.project, {
      id: 'P-2026-001',
      sourcePlatform: 'WFD',
      dealCode: 'WFD-2026-001',
      name: '瓦房店市供热管网改造工程',
    });
    project.platform = 'WFD';
    const copies = await Promise.all(
      Array.from({ length: 5 }, () => push(province, COUNTY, project, 'WFD:project:P-2026-001')),
    );
    expect(copies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(copies.map((r) => r.body)).toEqual(
      Array(5).fill({ status: 'applied', kind: 'project', id: 'WFD-P-2026-001' }),
    );
    expect(copies.filter((r) => r.headers['idempotent-replayed']).length).toBe(4);

    const notice = clone(firstNotice().message);
    Object.assign(notice, { platform: 'WFD', noticeId: 'N-0001', projectId: 'P-2026-001' });
    Object.assign(notice.notice, {
      id: 'N-0001',
      sourceId: 'N-0001',
      sourcePlatform: 'WFD',
      projectId: 'P-2026-001',
      contentHash: null,
    });
    const res = await push(province, COUNTY, notice, 'WFD:log:1').expect(200);
    expect(res.body).toMatchObject({ status: 'applied', kind: 'notice', id: 'WFD-N-0001' });
    const stored = await province.http().get('/api/v1/notices/WFD-N-0001').expect(200);
    expect(stored.body).toMatchObject({ sourcePlatform: 'WFD', sourceId: 'N-0001', projectId: 'WFD-P-2026-001' });
    // The public page says where it came from.
    const page = await province.http().get('/notices/WFD-N-0001').expect(200);
    expect(page.text).toContain('由交易平台 <span class="code">WFD</span> 推送');
  });

  describe('bad input: the right 4xx with a JSON message, nothing written', () => {
    const fresh = (n: number) => {
      const m = clone(messages.find((x) => x.message.kind === 'project')!.message);
      Object.assign(m.project, { id: `DL2102-X${n}`, dealCode: `X-2026-${n}` });
      return m;
    };
    const tender = () => clone(messages.find((m) => m.message.notice?.type === 'tender')!.message);
    type Case = [
      name: string,
      send: () => Promise<{ status: number; body: any }>,
      status: number,
      code: string | RegExp,
    ];
    const cases: Case[] = [
      [
        'a bad signature',
        () => push(province, { ...CITY, secret: 'not-the-secret-0000' }, fresh(1), 'k1'),
        401,
        'ingest.unauthenticated.bad-signature',
      ],
      [
        'an unknown key',
        () => push(province, { keyId: 'nobody', secret: 'whatever-secret-000' }, fresh(1), 'k1'),
        401,
        'ingest.unauthenticated.unknown-key',
      ],
      [
        'no signature at all',
        () => province.http().post('/api/v1/ingest').set('Idempotency-Key', 'k1').send(fresh(1)),
        401,
        'ingest.unauthenticated.missing-headers',
      ],
      [
        'a stale timestamp',
        () => push(province, CITY, fresh(1), 'k1', { at: new Date(NOW.getTime() - 301_000) }),
        401,
        'ingest.unauthenticated.stale-timestamp',
      ],
      [
        'a timestamp from the future',
        () => push(province, CITY, fresh(1), 'k1', { at: new Date(NOW.getTime() + 301_000) }),
        401,
        'ingest.unauthenticated.stale-timestamp',
      ],
      [
        'a replayed nonce',
        async () => {
          await push(province, CITY, messages[0].message, messages[0].key, { nonce: 'nonce-used-twice-0001' }).expect(
            200,
          );
          return push(province, CITY, messages[0].message, messages[0].key, { nonce: 'nonce-used-twice-0001' });
        },
        401,
        'ingest.unauthenticated.replayed-nonce',
      ],
      [
        'a body that is not JSON',
        () => push(province, CITY, null, 'k1', { raw: '{"platform":"DL2102",' }),
        400,
        'http.400',
      ],
      [
        'a body that is not declared as JSON',
        () => push(province, CITY, null, 'k1', { raw: 'platform=DL2102', contentType: 'text/plain' }),
        415,
        'ingest.unsupported-type',
      ],
      [
        'a body over INGEST_MAX_BYTES',
        () => push(province, CITY, { ...fresh(1), padding: 'x'.repeat(70_000) }, 'k1'),
        413,
        'ingest.too-large',
      ],
      [
        'a body over the server-wide limit',
        () => push(province, CITY, { ...fresh(1), padding: 'x'.repeat(2_200_000) }, 'k1'),
        413,
        'http.413',
      ],
      ['a JSON array', () => push(province, CITY, [fresh(1)], 'k1'), 400, 'validation.failed'],
      ['no Idempotency-Key', () => push(province, CITY, fresh(1), ''), 400, 'validation.failed'],
      ['an unknown field', () => push(province, CITY, { ...fresh(1), extra: 1 }, 'k1'), 400, 'validation.failed'],
      [
        'an unknown category',
        () => {
          const m = fresh(2);
          m.project.category = 'spaceships';
          return push(province, CITY, m, 'DL2102:project:X2');
        },
        400,
        'validation.failed',
      ],
      [
        'an unknown notice type',
        () => {
          const m = tender();
          Object.assign(m.notice, { id: 'DL2102-typo', sourceId: 'DL2102-typo', type: 'gossip' });
          return push(province, CITY, m, 'DL2102:log:typo');
        },
        400,
        'validation.failed',
      ],
      [
        'an invalid credit code in the details',
        () => {
          const m = tender();
          Object.assign(m.notice, { id: 'DL2102-badcode', sourceId: 'DL2102-badcode' });
          m.notice.details.tenderer.creditCode = '91210200MA0000001X';
          return push(province, CITY, m, 'DL2102:log:badcode');
        },
        400,
        'validation.failed',
      ],
      [
        'content that does not match its hash',
        () => {
          const m = tender();
          Object.assign(m.notice, { id: 'DL2102-altered', sourceId: 'DL2102-altered', body: '被改动过的正文' });
          return push(province, CITY, m, 'DL2102:log:altered');
        },
        422,
        'ingest.content-hash',
      ],
      [
        'a second notice under a source id already taken',
        () => {
          const m = tender();
          Object.assign(m.notice, { id: 'DL2102-another', body: '另一份正文' });
          return push(province, CITY, m, 'DL2102:log:another');
        },
        422,
        'ingest.conflicting-record',
      ],
      [
        'an Idempotency-Key already used for another record',
        () => push(province, CITY, fresh(3), messages[0].key),
        422,
        'ingest.key-reused',
      ],
      [
        'a message claiming another platform',
        () => push(province, CITY, { ...fresh(4), platform: 'WFD' }, 'k4'),
        403,
        'ingest.forbidden',
      ],
      [
        "a county relaying another platform's record",
        () => push(province, COUNTY, { ...fresh(5), platform: 'WFD' }, 'k5'),
        403,
        'ingest.forbidden',
      ],
      [
        "a record claiming the receiver's own platform",
        () => {
          const m = fresh(6);
          m.project.sourcePlatform = 'LN2100';
          return push(province, CITY, m, 'k6');
        },
        403,
        'ingest.forbidden',
      ],
      [
        'a project whose owner is missing',
        () => {
          const m = fresh(7);
          m.project.parties = [{ role: 'agency', name: '大连建信工程咨询有限公司', creditCode: creditCode(2) }];
          return push(province, CITY, m, 'k7');
        },
        400,
        'validation.failed',
      ],
    ];

    it.each(cases)('%s', async (_, send, status, code) => {
      const before = await counts();
      const res = await send();
      expect(res.status).toBe(status);
      expect(res.body.error).toMatch(code);
      expect(typeof res.body.message).toBe('string');
      expect(res.body.message).toMatch(/[\u4e00-\u9fff]/);
      expect(await counts()).toEqual(before);
    });

    it('names the field that is wrong', async () => {
      const m = fresh(8);
      m.project.category = 'spaceships';
      const res = await push(province, CITY, m, 'k8').expect(400);
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'project.category' })]));
    });
  });

  it('pushed everything it was given', () => {
    expect(notPushed).toEqual([]);
  });
});
