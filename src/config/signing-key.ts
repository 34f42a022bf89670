import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';

/**
 * The portal's Ed25519 checkpoint key, with node:crypto only (the verifier uses this file too). A key is named by
 * its fingerprint: lowercase hex SHA-256 of the public key's DER SubjectPublicKeyInfo.
 */
export interface SigningKey {
  privateKey: KeyObject;
  publicKeyPem: string;
  fingerprint: string;
}

/** An Ed25519 private key from PEM or from base64 of its PKCS#8 DER; throws a plain Error naming what is wrong. */
export function parsePrivateKey(text: string): KeyObject {
  const trimmed = text.trim();
  let key: KeyObject;
  try {
    key = trimmed.includes('-----BEGIN')
      ? createPrivateKey(trimmed.replace(/\\n/g, '\n'))
      : createPrivateKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'pkcs8' });
  } catch {
    throw new Error('not a private key in PEM or base64 PKCS#8 form');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`an ${key.asymmetricKeyType} key; expected Ed25519`);
  return key;
}

export function signingKey(privateKey: KeyObject): SigningKey {
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    fingerprint: publicKeyFingerprint(publicKey),
  };
}

export function generateSigningKey(): SigningKey {
  return signingKey(generateKeyPairSync('ed25519').privateKey);
}

export const privateKeyPem = (key: KeyObject) => key.export({ type: 'pkcs8', format: 'pem' }).toString();

export function publicKeyFingerprint(publicKey: KeyObject | string): string {
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  return createHash('sha256')
    .update(key.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

/** Base64 Ed25519 signature of the UTF-8 statement. */
export const signStatement = (key: KeyObject, statement: string) =>
  sign(null, Buffer.from(statement, 'utf8'), key).toString('base64');

export function verifyStatement(publicKeyPem: string, statement: string, signature: string): boolean {
  try {
    return verify(
      null,
      Buffer.from(statement, 'utf8'),
      createPublicKey(publicKeyPem),
      Buffer.from(signature, 'base64'),
    );
  } catch {
    return false;
  }
}
