import { createHash, randomBytes } from 'node:crypto';

/** Session tokens and API keys: random, shown once, stored only as their SHA-256. */
export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
export const randomToken = () => randomBytes(32).toString('base64url');

/** Sliding expiry and last-used stamps are written at most this often, not on every request. */
export const TOUCH_INTERVAL_MS = 60_000;
