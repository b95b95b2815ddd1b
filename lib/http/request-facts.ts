import type { RequestFacts } from '../audit/record';
import { CLIENT_IP_HEADER } from './client-ip';

type HeaderBag = { get(name: string): string | null };

/** Request facts for code inside Next, where server.ts has already resolved the client IP. */
export function factsFromHeaders(h: HeaderBag): RequestFacts {
  return { ip: h.get(CLIENT_IP_HEADER) ?? null, userAgent: h.get('user-agent') };
}
