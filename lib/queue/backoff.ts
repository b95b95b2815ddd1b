/** Retry timing: exponential, capped, with jitter so that a recovered server is not hit by every instance at once. */
export interface BackoffOptions { baseMs: number; capMs: number }

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 30_000, capMs: 60 * 60_000 };

/**
 * Delay before the next try after `attempts` failed ones: base·2^(attempts-1), capped, then "equal
 * jitter" (between half and all of it). 30 s, 1 min, 2 min… up to an hour with the defaults.
 */
export function backoffDelay(attempts: number, opts: BackoffOptions = DEFAULT_BACKOFF, random = Math.random): number {
  const exp = Math.min(opts.capMs, opts.baseMs * 2 ** Math.max(0, Math.min(attempts - 1, 30)));
  return Math.round(exp / 2 + random() * (exp / 2));
}
