import { hash, verify, type Algorithm } from '@node-rs/argon2';

// Algorithm is an ambient const enum (no runtime value under isolatedModules): 2 is Argon2id.
const ARGON2ID = 2 as Algorithm;
/** OWASP's argon2id baseline (19 MiB, 2 passes): about 40 ms here, cheap enough for tests. */
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 };

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;

/** The password policy; returns the Chinese reason a password is refused, or null when it is acceptable. */
export function passwordProblem(password: unknown, username?: string): string | null {
  if (typeof password !== 'string') return '必须是文本';
  if ([...password].length < PASSWORD_MIN_LENGTH) return `密码至少需要 ${PASSWORD_MIN_LENGTH} 个字符`;
  if (password.length > PASSWORD_MAX_LENGTH) return `密码不能超过 ${PASSWORD_MAX_LENGTH} 个字符`;
  if (username && password.trim().toLowerCase() === username.toLowerCase()) return '密码不能与用户名相同';
  if (new Set(password).size < 4) return '密码过于简单，请混用不同的字符';
  return null;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** False for a wrong password and for a malformed stored hash alike. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** Verified against when the user does not exist, so a login takes as long either way. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  return (dummyHash ??= hashPassword('not-a-real-password-' + Math.random()));
}
