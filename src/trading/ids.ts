import { randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

/** Random characters after the time: 40 bits, so even thousands minted in one millisecond do not meet. */
const RANDOM_CHARACTERS = 8;

/**
 * Identifiers minted here: `<platform code>-<time><random>`, URL-safe, sortable by creation time and never
 * reused. Records from other platforms keep their source's identifier behind that platform's code instead.
 * (Identifiers minted before carry five random characters: they stay as they are.)
 */
export function mintId(platformCode: string, now: Date): string {
  let time = BigInt(now.getTime());
  let t = '';
  for (let i = 0; i < 9; i++) {
    t = CROCKFORD[Number(time % 32n)] + t;
    time /= 32n;
  }
  // 256 is a multiple of 32, so each character is uniform.
  const r = [...randomBytes(RANDOM_CHARACTERS)].map((b) => CROCKFORD[b % 32]).join('');
  return `${platformCode}-${t}${r}`;
}

export const prefixedId = (platformCode: string, sourceId: string) => `${platformCode}-${sourceId}`;
