import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '../config/config.js';
import { decryptBytes, encryptBytes, keyIdOf, openText, sealText } from './disclosure-crypto.js';

const bytes = randomBytes(32);
const key = { id: keyIdOf(bytes), bytes };

describe('disclosure encryption (AES-256-GCM)', () => {
  it('round-trips text and bytes, with a fresh IV each time and nothing of the plaintext in the output', () => {
    const sealed = sealText(key, '{"name":"张三"}');
    expect(sealed.startsWith(`${key.id}.`)).toBe(true);
    expect(sealed).not.toContain('张三');
    expect(sealText(key, '{"name":"张三"}')).not.toBe(sealed);
    expect(openText(key, sealed)).toBe('{"name":"张三"}');
    const file = Buffer.from('%PDF-1.4 身份证明');
    const stored = encryptBytes(key, file);
    expect(stored.includes(Buffer.from('%PDF'))).toBe(false);
    expect(decryptBytes(key, stored)).toEqual(file);
  });

  it('refuses a tampered value and another key', () => {
    const stored = encryptBytes(key, Buffer.from('data'));
    stored[stored.length - 1] ^= 1;
    expect(() => decryptBytes(key, stored)).toThrow();
    const other = randomBytes(32);
    expect(() => openText({ id: keyIdOf(other), bytes: other }, sealText(key, 'x'))).toThrow(/not/);
  });
});

describe('DISCLOSURE_KEY', () => {
  it('takes 32 bytes as hex or base64, and names the variable otherwise', () => {
    expect(loadConfig({ DISCLOSURE_KEY: bytes.toString('hex') }).disclosure.key).toEqual(bytes);
    expect(loadConfig({ DISCLOSURE_KEY: bytes.toString('base64') }).disclosure.key).toEqual(bytes);
    expect(loadConfig({}).disclosure.key).toBeNull();
    expect(() => loadConfig({ DISCLOSURE_KEY: 'short' })).toThrow(ConfigError);
    expect(() => loadConfig({ DISCLOSURE_KEY: randomBytes(16).toString('hex') })).toThrow(/DISCLOSURE_KEY/);
  });
});
