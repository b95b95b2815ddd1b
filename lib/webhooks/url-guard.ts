import dns from 'node:dns';
import net from 'node:net';
import ipaddr from 'ipaddr.js';
import { config } from '../config';
import { AppError } from '../errors';

/** LIAISON_WEBHOOK_ALLOW_PRIVATE=1: loopback and private destinations allowed (tests, an internal relay). */
export const privateDestinationsAllowed = () => ['1', 'true'].includes(config().LIAISON_WEBHOOK_ALLOW_PRIVATE ?? '');

/** Only globally routable unicast addresses; loopback, private, link-local, CGNAT, reserved, NAT64/6to4 forms and the rest are refused. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  return ip.range() === 'unicast';
}

const refuse = (why: string) => new AppError('validation_failed', `url: ${why}`);

/**
 * Syntax of a webhook URL: http or https, a host, no user name or password (they would travel in
 * every request and show in the console). The fragment is dropped.
 */
export function parseWebhookUrl(raw: unknown): URL {
  if (typeof raw !== 'string' || !raw.trim()) throw refuse('a URL is required.');
  if (raw.length > 2048) throw refuse('at most 2,048 characters.');
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    throw refuse('not a valid URL.');
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw refuse('only http:// and https:// URLs are accepted.');
  if (u.username || u.password) throw refuse('credentials in the URL are not accepted; use a secret path or the signature instead.');
  if (!u.hostname) throw refuse('the URL needs a host.');
  u.hash = '';
  return u;
}

const bareHost = (u: URL) => u.hostname.replace(/^\[(.*)\]$/, '$1');

export class DestinationRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DestinationRefused';
  }
}

/** Every address a host name resolves to must be public (unless private destinations are allowed). */
async function resolvePublic(host: string): Promise<dns.LookupAddress[]> {
  const allowPrivate = privateDestinationsAllowed();
  if (net.isIP(host)) {
    if (!allowPrivate && !isPublicAddress(host)) throw new DestinationRefused(`${host} is not a public address`);
    return [{ address: host, family: net.isIP(host) }];
  }
  let addrs: dns.LookupAddress[];
  try {
    addrs = await dns.promises.lookup(host, { all: true, verbatim: true });
  } catch (e) {
    throw new Error(`cannot resolve ${host}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (!addrs.length) throw new Error(`cannot resolve ${host}`);
  const bad = addrs.find((a) => !isPublicAddress(a.address));
  if (bad && !allowPrivate) throw new DestinationRefused(`${host} resolves to ${bad.address}, which is not a public address`);
  return addrs;
}

/** Checked when a webhook is created or changed: the host resolves, to public addresses only. */
export async function assertPublicDestination(u: URL): Promise<void> {
  try {
    await resolvePublic(bareHost(u));
  } catch (e) {
    if (e instanceof DestinationRefused) throw refuse(`${e.message}. Webhooks may only call public addresses.`);
    throw refuse(`${(e as Error).message}.`);
  }
}

/**
 * A `lookup` for http.request: the connection goes to the addresses checked here, at connection
 * time, so a name that resolved to a public address when the webhook was saved and to 127.0.0.1 now
 * (DNS rebinding) is refused rather than reached. IP literals never reach a lookup: see
 * assertLiteralAllowed.
 */
export const guardedLookup: net.LookupFunction = (hostname, options, callback) => {
  resolvePublic(hostname).then(
    (addrs) => {
      const family = typeof options === 'object' && options?.family ? Number(options.family) : 0;
      const usable = family ? addrs.filter((a) => a.family === family) : addrs;
      if (!usable.length) return callback(Object.assign(new Error(`no IPv${family} address for ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
      if (typeof options === 'object' && options?.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, usable);
      callback(null, usable[0].address, usable[0].family);
    },
    (e) => callback(e as NodeJS.ErrnoException, '', 0),
  );
};

/** A URL whose host is an IP literal is checked here (no lookup happens for it). */
export function assertLiteralAllowed(u: URL): void {
  const host = bareHost(u);
  if (net.isIP(host) && !privateDestinationsAllowed() && !isPublicAddress(host)) throw new DestinationRefused(`${host} is not a public address`);
}
