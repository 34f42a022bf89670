import { generateKeyPairSync } from 'node:crypto';
import { ConfigError, loadConfig } from '../config/config.js';
import { checkpointStatement, publicContentHash, contentHash } from './canonical.js';
import {
  generateSigningKey,
  parsePrivateKey,
  publicKeyFingerprint,
  signStatement,
  signingKey,
  verifyStatement,
} from '../config/signing-key.js';

describe('checkpoint signing key', () => {
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const base64 = privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');

  it('reads PEM (also with escaped newlines, as .env files carry it) and base64 PKCS#8 alike', () => {
    const fingerprint = signingKey(privateKey).fingerprint;
    for (const text of [pem, pem.replace(/\n/g, '\\n'), base64])
      expect(signingKey(parsePrivateKey(text)).fingerprint).toBe(fingerprint);
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['garbage', 'not a key', /PEM or base64/],
    [
      'an RSA key',
      generateKeyPairSync('rsa', { modulusLength: 1024 })
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString(),
      /rsa key; expected Ed25519/,
    ],
  ])('refuses %s, and so does the configuration, naming LOG_SIGNING_KEY', (_name, text, message) => {
    expect(() => parsePrivateKey(text)).toThrow(message);
    expect(() => loadConfig({ LOG_SIGNING_KEY: text })).toThrow(ConfigError);
    expect(() => loadConfig({ LOG_SIGNING_KEY: text })).toThrow('LOG_SIGNING_KEY');
  });

  it('keeps a configured key as PEM and leaves it null when unset', () => {
    expect(loadConfig({ LOG_SIGNING_KEY: base64 }).logSigningKey).toBe(pem);
    expect(loadConfig({}).logSigningKey).toBeNull();
  });

  it('signs a checkpoint statement that verifies with the public key alone, and nothing else', () => {
    const key = generateSigningKey();
    const statement = checkpointStatement({
      platform: 'DL2102',
      seq: 7,
      hash: 'a'.repeat(64),
      time: '2026-11-25T10:00:00+08:00',
    });
    expect(statement).toBe(
      `{"hash":"${'a'.repeat(64)}","platform":"DL2102","seq":7,"time":"2026-11-25T10:00:00+08:00"}`,
    );
    const signature = signStatement(key.privateKey, statement);
    expect(verifyStatement(key.publicKeyPem, statement, signature)).toBe(true);
    expect(verifyStatement(key.publicKeyPem, statement.replace('"seq":7', '"seq":8'), signature)).toBe(false);
    expect(verifyStatement(generateSigningKey().publicKeyPem, statement, signature)).toBe(false);
    expect(verifyStatement(key.publicKeyPem, statement, 'not base64!')).toBe(false);
    expect(publicKeyFingerprint(key.publicKeyPem)).toBe(key.fingerprint);
  });
});

describe('canonical content', () => {
  it('hashes the stored notice and its public JSON to the same value, whatever the key order or extra fields', () => {
    const publishedAt = new Date('2026-11-25T02:00:00.120Z');
    const notice = {
      id: 'DL2102-1',
      projectId: 'DL2102-P',
      type: 'tender',
      title: '招标公告',
      body: '正文',
      details: { b: [1, { y: '乙', x: null }], a: '甲' },
      targetNoticeId: null,
      publishedAt,
      sourcePlatform: 'DL2102',
    };
    const json = {
      logSeq: 3,
      sourcePlatform: 'DL2102',
      publishedAt: '2026-11-25T10:00:00.120+08:00',
      details: { a: '甲', b: [1, { x: null, y: '乙' }] },
      body: '正文',
      title: '招标公告',
      type: 'tender',
      projectId: 'DL2102-P',
      id: 'DL2102-1',
      targetNoticeId: null,
      typeName: '招标公告',
    };
    expect(publicContentHash(json)).toBe(contentHash(notice));
    expect(publicContentHash({ ...json, title: '招标公告 ' })).not.toBe(contentHash(notice));
  });
});
