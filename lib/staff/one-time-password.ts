import crypto from 'node:crypto';

// No 0/O, 1/l/I: the password is read off a screen and typed or dictated once.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const GROUPS = 4;
const GROUP_LENGTH = 5;

/**
 * A one-time password an administrator hands to a new (or locked-out) colleague: 20 characters from
 * a 31-letter alphabet, about 99 bits, in groups of five (`k7mq2-...`). Its owner must replace it at
 * first sign-in (StaffUser.mustChangePassword).
 */
export function oneTimePassword(): string {
  const groups: string[] = [];
  for (let g = 0; g < GROUPS; g++) {
    let s = '';
    for (let i = 0; i < GROUP_LENGTH; i++) s += ALPHABET[crypto.randomInt(ALPHABET.length)];
    groups.push(s);
  }
  return groups.join('-');
}
