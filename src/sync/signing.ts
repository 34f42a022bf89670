import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Request signing between platforms (PRODUCT.md, "Platform sync"): X-Signature is the hex HMAC-SHA256, under the
 * key's secret, of `timestamp + "\n" + nonce + "\n" + sha256hex(body)`; X-Timestamp is Unix seconds and must be
 * within ±300 s of the receiver's clock. Plain functions: the relay signs, ingest verifies, tests do both.
 */
export const SIGNATURE_WINDOW_SECONDS = 300;

export const SIGNATURE_HEADERS = {
  keyId: 'x-key-id',
  timestamp: 'x-timestamp',
  nonce: 'x-nonce',
  signature: 'x-signature',
  idempotencyKey: 'idempotency-key',
} as const;

const sha256Hex = (body: Buffer | string) => createHash('sha256').update(body).digest('hex');

export function signature(secret: string, timestamp: string, nonce: string, body: Buffer | string): string {
  return createHmac('sha256', secret)
    .update(`${timestamp}\n${nonce}\n${sha256Hex(body)}`)
    .digest('hex');
}

export const newNonce = () => randomBytes(16).toString('hex');

/** The headers of one attempt: a fresh timestamp and nonce every time, the same Idempotency-Key every time. */
export function signedHeaders(o: {
  keyId: string;
  secret: string;
  body: Buffer | string;
  idempotencyKey: string;
  now: Date;
  nonce?: string;
}): Record<string, string> {
  const timestamp = String(Math.floor(o.now.getTime() / 1000));
  const nonce = o.nonce ?? newNonce();
  return {
    'X-Key-Id': o.keyId,
    'X-Timestamp': timestamp,
    'X-Nonce': nonce,
    'X-Signature': signature(o.secret, timestamp, nonce, o.body),
    'Idempotency-Key': o.idempotencyKey,
  };
}

export const SIGNATURE_FAILURES = ['missing-headers', 'unknown-key', 'bad-signature', 'stale-timestamp'] as const;
export type SignatureFailure = (typeof SIGNATURE_FAILURES)[number];

export type SignatureCheck =
  { ok: true; keyId: string; nonce: string; timestamp: number } | { ok: false; reason: SignatureFailure };

/**
 * Checks a received request. `headers` are lower-cased names (as Node gives them); `secretOf` looks a key id up.
 * The signature is checked before the window, so a forged request never learns whether its timestamp was fresh.
 */
export function verifySignature(
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
  secretOf: (keyId: string) => string | undefined,
  now: Date,
  windowSeconds = SIGNATURE_WINDOW_SECONDS,
): SignatureCheck {
  const one = (name: string) => (typeof headers[name] === 'string' ? (headers[name] as string) : undefined);
  const keyId = one(SIGNATURE_HEADERS.keyId);
  const timestamp = one(SIGNATURE_HEADERS.timestamp);
  const nonce = one(SIGNATURE_HEADERS.nonce);
  const given = one(SIGNATURE_HEADERS.signature);
  if (!keyId || !timestamp || !nonce || !given) return { ok: false, reason: 'missing-headers' };
  if (!/^\d{1,12}$/.test(timestamp) || !/^[A-Za-z0-9_-]{8,128}$/.test(nonce))
    return { ok: false, reason: 'bad-signature' };
  const secret = secretOf(keyId);
  if (secret === undefined) return { ok: false, reason: 'unknown-key' };

  const expected = Buffer.from(signature(secret, timestamp, nonce, body), 'hex');
  const actual = /^[0-9a-fA-F]{64}$/.test(given) ? Buffer.from(given, 'hex') : Buffer.alloc(0);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected))
    return { ok: false, reason: 'bad-signature' };

  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > windowSeconds)
    return { ok: false, reason: 'stale-timestamp' };
  return { ok: true, keyId, nonce, timestamp: Number(timestamp) };
}
