import { createPrivateKey } from 'node:crypto';
import {
  canonicalJson,
  canonicalNotice,
  checkpointStatement,
  contentHash,
  entryHash,
  GENESIS_HASH,
  publicContentHash,
  publicEntryHash,
} from './canonical.js';
import { signingKey, signStatement, verifyStatement } from '../config/signing-key.js';

/**
 * Fixed test vectors of the public contract (README "Transparency log"): anyone's verifier must compute these
 * bytes and hashes. The expected values were computed once and checked with an independent implementation
 * (Python: json.dumps(sort_keys=True, separators=(',', ':'), ensure_ascii=False), hashlib.sha256, and the
 * cryptography package's Ed25519). If one of these fails, the contract changed: every published hash and every
 * saved checkpoint would stop verifying. Do not update the literals; fix the code.
 */
const NOTICE = {
  id: 'DL2102-20261125-7KQ2M9XA',
  projectId: 'DL2102-P-20261120-3HT8',
  type: 'tender',
  title: '红旗西路道路改造工程施工招标公告',
  body: '一、项目概况\n本工程位于"红旗西路"，投标截止 2026-12-15 09:30。\t✅',
  // keys deliberately out of order, nested, with null, boolean, number and an array
  details: {
    lots: [{ no: 1, name: '第一标段' }],
    budget: { value: '1200.00', unit: '万元' },
    bidDeadline: '2026-12-15T09:30:00+08:00',
    qualification: null,
    fullyOnline: true,
  },
  targetNoticeId: null,
  publishedAt: new Date('2026-11-25T02:00:00Z'),
  sourcePlatform: 'DL2102',
};

const CANONICAL_NOTICE =
  '{"body":"一、项目概况\\n本工程位于\\"红旗西路\\"，投标截止 2026-12-15 09:30。\\t✅",' +
  '"details":{"bidDeadline":"2026-12-15T09:30:00+08:00","budget":{"unit":"万元","value":"1200.00"},"fullyOnline":true,"lots":[{"name":"第一标段","no":1}],"qualification":null},' +
  '"id":"DL2102-20261125-7KQ2M9XA","projectId":"DL2102-P-20261120-3HT8","publishedAt":"2026-11-25T10:00:00+08:00","sourcePlatform":"DL2102",' +
  '"targetNoticeId":null,"title":"红旗西路道路改造工程施工招标公告","type":"tender"}';
const CONTENT_HASH = '4522adcfd5e3294afc65226a90a3a3d75d18c97a86bdcd83fa63950cff6d70e6';

const ENTRY_1 = {
  seq: 1,
  kind: 'publication',
  noticeId: NOTICE.id,
  recordedAt: new Date('2026-11-25T02:00:00.123Z'),
  contentHash: CONTENT_HASH,
  prevHash: GENESIS_HASH,
};
const ENTRY_1_HASH = 'c046e23a9faa00f0a7d98a96bcda9625322707cf15bcb8dbc0b48fe991f09c88';
const ENTRY_2 = {
  seq: 2,
  kind: 'withdrawal',
  noticeId: 'DL2102-20261126-B4N7W2QE',
  recordedAt: new Date('2026-11-26T07:30:00Z'),
  contentHash: 'a'.repeat(64),
  prevHash: ENTRY_1_HASH,
};
const ENTRY_2_HASH = '34601a6d0ddb9e22220e2274dcc375575a746628a63a48bc86a6e1a27534bbf7';

// Ed25519 key whose 32-byte seed is 0x01…0x20 (PKCS#8 DER, base64). Ed25519 signatures are deterministic.
const TEST_KEY = 'MC4CAQAwBQYDK2VwBCIEIAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g';
const TEST_PUBLIC_KEY =
  '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAebVWLo/mVPlAeLES6KmLp5AfhTrmlb7X4OORC60ElmQ=\n-----END PUBLIC KEY-----\n';
const TEST_FINGERPRINT = '646d6be49d9f0048f94f67749eca35156eed4f7a7be18e4fc4a94bfd44e300b0';
const STATEMENT =
  '{"hash":"34601a6d0ddb9e22220e2274dcc375575a746628a63a48bc86a6e1a27534bbf7","platform":"DL2102","seq":2,"time":"2026-11-26T15:40:00+08:00"}';
const SIGNATURE = 'M/ygSXyFItMQsTD64JxgjL6WKaGh3F5yMWaK1sLLrty7h4OHxNElnWichuSHfitdUXqYzPr8AzbcZgYiMyB4Dw==';

describe('transparency contract: fixed test vectors', () => {
  it('writes the canonical content of a notice byte for byte, and hashes it', () => {
    expect(canonicalJson(canonicalNotice(NOTICE))).toBe(CANONICAL_NOTICE);
    expect(contentHash(NOTICE)).toBe(CONTENT_HASH);
  });

  it('gives the same content hash from the public JSON, ignoring other fields and counting missing ones as null', () => {
    const { targetNoticeId: _omitted, ...rest } = NOTICE;
    const publicJson = {
      ...rest,
      publishedAt: '2026-11-25T10:00:00+08:00',
      contentHash: CONTENT_HASH,
      logSeq: 1,
      withdrawn: null,
      attachments: [],
    };
    expect(publicContentHash(publicJson)).toBe(CONTENT_HASH);
  });

  it('chains entry hashes (recordedAt in China time, milliseconds kept when present)', () => {
    expect(entryHash(ENTRY_1)).toBe(ENTRY_1_HASH);
    expect(publicEntryHash({ ...ENTRY_1, recordedAt: '2026-11-25T10:00:00.123+08:00' })).toBe(ENTRY_1_HASH);
    expect(entryHash(ENTRY_2)).toBe(ENTRY_2_HASH);
    expect(publicEntryHash({ ...ENTRY_1, recordedAt: '2026-11-25T10:00:00+08:00' })).toBe(
      '36eaa30d6074505da335bac0124b695425d487b027c1ef2f22ba0e750c5b2a8d',
    );
    expect(GENESIS_HASH).toBe('0000000000000000000000000000000000000000000000000000000000000000');
  });

  it('signs the checkpoint statement with Ed25519 over its exact bytes', () => {
    expect(
      checkpointStatement({ platform: 'DL2102', seq: 2, hash: ENTRY_2_HASH, time: '2026-11-26T15:40:00+08:00' }),
    ).toBe(STATEMENT);
    const key = signingKey(createPrivateKey({ key: Buffer.from(TEST_KEY, 'base64'), format: 'der', type: 'pkcs8' }));
    expect(key.publicKeyPem).toBe(TEST_PUBLIC_KEY);
    expect(key.fingerprint).toBe(TEST_FINGERPRINT);
    expect(signStatement(key.privateKey, STATEMENT)).toBe(SIGNATURE);
    expect(verifyStatement(TEST_PUBLIC_KEY, STATEMENT, SIGNATURE)).toBe(true);
  });
});
