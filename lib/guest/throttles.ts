import { failureLimiter } from '../auth/throttle';

// Checked before any PBKDF2 work, so a flood of guesses costs us a counter lookup, not a hash.
export const passwordFailuresPerShare = () => failureLimiter('guest-pw-share', 20, 15 * 60);
export const passwordFailuresPerClient = () => failureLimiter('guest-pw-client', 5, 15 * 60);
// A registered guest's own password, per address (whoever tries it).
export const guestPasswordFailures = () => failureLimiter('guest-account-pw', 10, 15 * 60);
// Unknown-link probing per client: guessing 256-bit tokens is hopeless, but this keeps the noise down.
export const unknownLinksPerClient = () => failureLimiter('guest-unknown-link', 30, 10 * 60);
