import { Resolver } from 'node:dns/promises';
import { config } from '../config';

export type TxtLookup = { ok: true; records: string[] } | { ok: false; code: string; message: string };

// What a staff member reads in the console for each resolver error (c-ares codes from node:dns).
const MESSAGES: Record<string, string> = {
  ENOTFOUND: 'The name does not exist in DNS (NXDOMAIN). Create the TXT record, then verify again.',
  ENODATA: 'The name has no TXT record. Create it, then verify again.',
  ETIMEOUT: 'The DNS lookup timed out. Try again in a few minutes.',
  ECONNREFUSED: 'The DNS server refused the lookup. Try again in a few minutes.',
  ESERVFAIL: 'The DNS server failed to answer (SERVFAIL). Check the domain\'s DNS setup.',
  EREFUSED: 'The DNS server refused the lookup (REFUSED). Check the domain\'s DNS setup.',
  ECANCELLED: 'The DNS lookup timed out. Try again in a few minutes.',
};

const TIMEOUT_MS = 4000;

/**
 * The TXT records at `name`, each record's character-strings joined (RFC 7208 §3.3 style: a long value
 * is split into 255-byte chunks by DNS, and only the whole value means anything). Uses the resolvers in
 * LIAISON_DNS_SERVERS when set, else the system's. Never throws: a failure comes back as a code and a
 * message fit to show and to store as the domain's lastError.
 */
export async function lookupTxt(name: string): Promise<TxtLookup> {
  const resolver = new Resolver({ timeout: 1500, tries: 2 });
  const servers = config().LIAISON_DNS_SERVERS;
  if (servers?.length) resolver.setServers(servers);
  // c-ares retries per server; this caps the whole lookup so a request never hangs on DNS.
  const timer = setTimeout(() => resolver.cancel(), TIMEOUT_MS);
  try {
    const chunks = await resolver.resolveTxt(name);
    return { ok: true, records: chunks.map((c) => c.join('')) };
  } catch (e) {
    const code = typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : 'EUNKNOWN';
    return { ok: false, code, message: MESSAGES[code] ?? `The DNS lookup failed (${code}). Try again in a few minutes.` };
  } finally {
    clearTimeout(timer);
  }
}
