import { signature, signedHeaders, verifySignature, type SignatureFailure } from './signing.js';

const SECRET = 'city-secret-0123456789';
const BODY = Buffer.from('{"hello":"大连"}', 'utf8');
const AT = new Date(1764036000 * 1000);
const secretOf = (keyId: string) => (keyId === 'city' ? SECRET : undefined);

/** Node's header object for a request signed by `signedHeaders`. */
const received = (headers: Record<string, string>) =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));

describe('request signing', () => {
  it('matches a vector computed with openssl (timestamp \\n nonce \\n sha256hex(body), HMAC-SHA256, hex)', () => {
    // printf '1764036000\nnonce-0001-abcdef\n%s' "$(printf '{"hello":"大连"}' | sha256sum | cut -d' ' -f1)" | openssl dgst -sha256 -hmac city-secret-0123456789
    expect(signature(SECRET, '1764036000', 'nonce-0001-abcdef', BODY)).toBe(
      'a89029096acf583f1f9c95bcc0f0b4819ffc2e459de6010cb4af684487003a58',
    );
  });

  it('signs each attempt afresh and keeps the idempotency key', () => {
    const first = signedHeaders({ keyId: 'city', secret: SECRET, body: BODY, idempotencyKey: 'DL2102:log:7', now: AT });
    const second = signedHeaders({
      keyId: 'city',
      secret: SECRET,
      body: BODY,
      idempotencyKey: 'DL2102:log:7',
      now: new Date(AT.getTime() + 5000),
    });
    expect(first['X-Nonce']).not.toBe(second['X-Nonce']);
    expect(first['X-Signature']).not.toBe(second['X-Signature']);
    expect(first['X-Timestamp']).toBe('1764036000');
    expect(second['Idempotency-Key']).toBe(first['Idempotency-Key']);
  });

  it('accepts its own signature inside the window, at both edges', () => {
    const headers = received(
      signedHeaders({
        keyId: 'city',
        secret: SECRET,
        body: BODY,
        idempotencyKey: 'k',
        now: AT,
        nonce: 'nonce-0001-abcdef',
      }),
    );
    for (const skew of [-300, 0, 300]) {
      expect(verifySignature(headers, BODY, secretOf, new Date(AT.getTime() + skew * 1000))).toEqual({
        ok: true,
        keyId: 'city',
        nonce: 'nonce-0001-abcdef',
        timestamp: 1764036000,
      });
    }
  });

  const good = () =>
    received(signedHeaders({ keyId: 'city', secret: SECRET, body: BODY, idempotencyKey: 'k', now: AT }));
  const cases: [string, () => { headers: Record<string, string>; body?: Buffer; now?: Date }, SignatureFailure][] = [
    ['no signature header', () => ({ headers: { ...good(), 'x-signature': '' } }), 'missing-headers'],
    [
      'no nonce',
      () => {
        const h = good();
        delete h['x-nonce'];
        return { headers: h };
      },
      'missing-headers',
    ],
    ['an unknown key id', () => ({ headers: { ...good(), 'x-key-id': 'someone' } }), 'unknown-key'],
    ['a changed body', () => ({ headers: good(), body: Buffer.from('{"hello":"沈阳"}') }), 'bad-signature'],
    ['a changed nonce', () => ({ headers: { ...good(), 'x-nonce': 'another-nonce-123' } }), 'bad-signature'],
    ['a changed timestamp', () => ({ headers: { ...good(), 'x-timestamp': '1764036001' } }), 'bad-signature'],
    [
      'the wrong secret',
      () => ({
        headers: received(
          signedHeaders({ keyId: 'city', secret: 'not-the-secret', body: BODY, idempotencyKey: 'k', now: AT }),
        ),
      }),
      'bad-signature',
    ],
    ['a signature that is not hex', () => ({ headers: { ...good(), 'x-signature': 'z'.repeat(64) } }), 'bad-signature'],
    [
      'a timestamp that is not a number',
      () => ({ headers: { ...good(), 'x-timestamp': '2026-11-25' } }),
      'bad-signature',
    ],
    ['301 s too old', () => ({ headers: good(), now: new Date(AT.getTime() + 301_000) }), 'stale-timestamp'],
    ['301 s in the future', () => ({ headers: good(), now: new Date(AT.getTime() - 301_000) }), 'stale-timestamp'],
  ];
  it.each(cases)('refuses %s', (_, make, reason) => {
    const { headers, body = BODY, now = AT } = make();
    expect(verifySignature(headers, body, secretOf, now)).toEqual({ ok: false, reason });
  });
});
