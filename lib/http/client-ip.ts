import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

/** Header that server.ts sets, after removing any copy the client sent, for code inside Next. */
export const CLIENT_IP_HEADER = 'x-liaison-client-ip';

let trustCache: { raw: string; fn: (addr: string, i: number) => boolean } | undefined;
function trust() {
  const raw = process.env.LIAISON_TRUSTED_PROXIES ?? '';
  if (trustCache?.raw !== raw) {
    const list = raw.split(',').map((s) => s.trim()).filter(Boolean);
    trustCache = { raw, fn: proxyaddr.compile(list) };
  }
  return trustCache.fn;
}

/**
 * The client's address: the socket peer, or the X-Forwarded-For hop just before the first proxy we do
 * not trust. With LIAISON_TRUSTED_PROXIES unset, X-Forwarded-For is ignored entirely.
 */
export function clientIp(req: IncomingMessage): string {
  const ip = proxyaddr(req as Parameters<typeof proxyaddr>[0], trust());
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}
