import type { RequestFacts } from '../audit/record';
import { CLIENT_IP_HEADER } from './client-ip';
import { HOST_HEADER } from './request-host';

type HeaderBag = { get(name: string): string | null };

/** Request facts for code inside Next, where server.ts has already resolved the client IP. */
export function factsFromHeaders(h: HeaderBag): RequestFacts {
  return { ip: h.get(CLIENT_IP_HEADER) ?? null, userAgent: h.get('user-agent'), host: h.get(HOST_HEADER) ?? null };
}

/** The host server.ts resolved for this request (never a client's X-Forwarded-Host unless trusted). */
export const hostFromHeaders = (h: HeaderBag): string | null => h.get(HOST_HEADER) ?? null;
