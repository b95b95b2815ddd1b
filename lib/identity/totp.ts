import { authenticator } from 'otplib';

/**
 * TOTP (RFC 6238) for registered guests, with otplib: 6 digits, 30-second steps, one step of drift
 * either way. A code is accepted at most once: the caller stores the step it matched and refuses any
 * step at or before it (replay of a code seen over a shoulder or in a log).
 */
const totp = authenticator.clone({ step: 30, window: 1, digits: 6 });

export const newTotpSecret = (): string => totp.generateSecret(20);

export function totpUri(secret: string, account: string, issuer: string): string {
  return totp.keyuri(account, issuer, secret);
}

/** The time step a code matches, or null. `lastStep` is the step last accepted for this guest. */
export function matchTotp(secret: string, code: string, lastStep: number | null, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totp.checkDelta(code, secret);
  if (delta === null) return null;
  const step = Math.floor(now / 1000 / 30) + delta;
  return lastStep != null && step <= lastStep ? null : step;
}

/** For tests and the enrolment page's check: the code of the current step. */
export const currentTotp = (secret: string): string => totp.generate(secret);
