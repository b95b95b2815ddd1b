import fs from 'node:fs';
import path from 'node:path';

export const GUEST_PASSWORD_MIN = 12;
export const GUEST_PASSWORD_MAX = 256;

let common: Set<string> | undefined;

/** The shipped list of common and breached passwords (assets/passwords, lower-cased), loaded once. */
function commonPasswords(): Set<string> {
  if (!common) {
    const file = path.join(process.cwd(), 'assets', 'passwords', 'common-passwords.txt');
    common = new Set(fs.readFileSync(file, 'utf8').split('\n').filter(Boolean));
  }
  return common;
}

/**
 * Why a guest's chosen password is refused, or null when it is acceptable: at least 12 characters, not
 * on the list, and not a listed password padded with digits or symbols ("password12345!"), nor one
 * character repeated, nor the guest's own address.
 */
export function guestPasswordProblem(password: string, email?: string | null): string | null {
  if (typeof password !== 'string') return 'Choose a password.';
  const p = password.normalize('NFKC');
  if ([...p].length < GUEST_PASSWORD_MIN) return `Use at least ${GUEST_PASSWORD_MIN} characters.`;
  if (p.length > GUEST_PASSWORD_MAX) return `Use at most ${GUEST_PASSWORD_MAX} characters.`;
  const lower = p.toLowerCase();
  const list = commonPasswords();
  const stripped = lower.replace(/[\d\W_]+$/u, '').replace(/^[\d\W_]+/u, '');
  if (list.has(lower) || (stripped.length > 0 && list.has(stripped)) || /^(.)\1+$/u.test(p)) {
    return 'This password is too common: it appears in lists of breached passwords. Choose another.';
  }
  if (email && lower.includes(email.toLowerCase().split('@')[0]) && email.split('@')[0].length >= 4) {
    return 'Do not use your email address in your password.';
  }
  return null;
}
