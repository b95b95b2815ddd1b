import { config } from '../config';
import { AppError } from '../errors';

/**
 * Cookie-authenticated writes must come from our own pages: a cross-site form or fetch carries the
 * cookie but not a matching Origin. Bearer-authenticated calls are not exposed to this attack.
 */
export function assertSameOrigin(origin: string | null | undefined, host: string | null | undefined | ReadonlyArray<string | null | undefined>): void {
  if (!origin) throw new AppError('forbidden', 'Cross-site request refused.');
  let o: URL;
  try { o = new URL(origin); } catch { throw new AppError('forbidden', 'Cross-site request refused.'); }
  const publicHost = new URL(config().publicUrl).host;
  // Several names of this request's host may be given: the Host header as sent (with its port) and the
  // host the server resolved (a portal's domain, from a trusted proxy's X-Forwarded-Host, without port).
  const hosts = Array.isArray(host) ? host : [host];
  if (o.host !== publicHost && !hosts.some((h) => h && o.host === h)) throw new AppError('forbidden', 'Cross-site request refused.');
}
