import { randomBytes } from 'node:crypto';

/**
 * Task ids: time-ordered and unique even for thousands of requests in the same millisecond
 * (the replaced system named files by the second and collided). 48 bits of ms time + 80 random
 * bits, base32 (Crockford) → 26 chars, safe in URLs and file names.
 */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

export function newTaskId(now: number = Date.now()): string {
  let out = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[t % 32] + out;
    t = Math.floor(t / 32);
  }
  const rnd = randomBytes(10);
  let bits = 0;
  let acc = 0;
  for (const byte of rnd) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(acc >> bits) & 31];
    }
  }
  return out;
}

/** Ids are checked by shape before any lookup or path join (no traversal, ever). */
export const TASK_ID_PATTERN = /^[0-9a-z]{26}$/;
export function isTaskId(value: string): boolean {
  return TASK_ID_PATTERN.test(value);
}
