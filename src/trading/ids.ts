import { randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * Identifiers minted here: `<platform code>-<time><random>`, URL-safe, sortable by creation time and never
 * reused. Records from other platforms keep their source's identifier behind that platform's code instead.
 */
export function mintId(platformCode: string, now: Date): string {
  let time = BigInt(now.getTime());
  let t = '';
  for (let i = 0; i < 9; i++) {
    t = CROCKFORD[Number(time % 32n)] + t;
    time /= 32n;
  }
  const r = [...randomBytes(5)].map((b) => CROCKFORD[b % 32]).join('');
  return `${platformCode}-${t}${r}`;
}

export const prefixedId = (platformCode: string, sourceId: string) => `${platformCode}-${sourceId}`;
