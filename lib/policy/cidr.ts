import ipaddr from 'ipaddr.js';
import { AppError } from '../errors';

type Addr = ipaddr.IPv4 | ipaddr.IPv6;
interface Range { addr: Addr; bits: number }

const PREFIX = /^(0|[1-9]\d{0,2})$/;

/**
 * Parses one address strictly. IPv4 must be four-part decimal: ipaddr.js also accepts "10.1", hex and
 * octal forms, which read differently in other tools and make a range mean something staff did not type.
 * Zone ids are refused in ranges; in request addresses they are dropped (they name an interface, not a host).
 */
function parseAddress(raw: string, allowZone: boolean): Addr | null {
  let s = raw.trim();
  if (s.includes('%')) {
    if (!allowZone) return null;
    s = s.slice(0, s.indexOf('%'));
  }
  if (ipaddr.IPv4.isValidFourPartDecimal(s)) return ipaddr.IPv4.parse(s);
  if (s.includes(':') && ipaddr.IPv6.isValid(s)) {
    const v6 = ipaddr.IPv6.parse(s);
    // ::ffff:1.2.3.4 is the same host as 1.2.3.4: compare it as IPv4.
    return v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6;
  }
  return null;
}

type ParsedRange = { ok: true; range: Range } | { ok: false; problem: string };

function parseRange(entry: string): ParsedRange {
  const parts = entry.trim().split('/');
  if (parts.length > 2 || !parts[0]) return { ok: false, problem: 'expected an address or address/prefix, e.g. 203.0.113.0/24' };
  const addrPart = parts[0];
  if (addrPart.includes('%')) return { ok: false, problem: 'zone ids are not allowed' };
  let addr: Addr | null = null;
  let mapped = false;
  if (ipaddr.IPv4.isValidFourPartDecimal(addrPart)) addr = ipaddr.IPv4.parse(addrPart);
  else if (addrPart.includes(':') && ipaddr.IPv6.isValid(addrPart)) {
    addr = ipaddr.IPv6.parse(addrPart);
    mapped = addr.isIPv4MappedAddress();
  }
  if (!addr) return { ok: false, problem: 'not an IPv4 (dotted decimal) or IPv6 address' };
  const max = addr.kind() === 'ipv4' ? 32 : 128;
  let bits = max;
  if (parts.length === 2) {
    if (!PREFIX.test(parts[1]) || Number(parts[1]) > max) return { ok: false, problem: `the prefix length must be 0 to ${max}` };
    bits = Number(parts[1]);
  }
  if (mapped && bits >= 96) {
    addr = (addr as ipaddr.IPv6).toIPv4Address();
    bits -= 96;
  }
  const network = addr.kind() === 'ipv4'
    ? ipaddr.IPv4.networkAddressFromCIDR(`${addr.toString()}/${bits}`)
    : ipaddr.IPv6.networkAddressFromCIDR(`${addr.toString()}/${bits}`);
  // "10.0.0.5/24" could mean the host or the network; make staff say which.
  if (network.toString() !== addr.toString()) return { ok: false, problem: `host bits are set; the network is ${format({ addr: network, bits })}` };
  return { ok: true, range: { addr, bits } };
}

function format(r: Range): string {
  const a = r.addr.kind() === 'ipv6' ? (r.addr as ipaddr.IPv6).toRFC5952String() : r.addr.toString();
  return `${a}/${r.bits}`;
}

/**
 * Validates the allowed IP ranges of a share and returns them in canonical form (bare addresses become
 * /32 or /128, IPv4-mapped IPv6 ranges become IPv4, duplicates go). Throws validation_failed naming
 * the first bad entry.
 */
export function parseCidrList(list: readonly string[]): string[] {
  const out = new Set<string>();
  for (const entry of list) {
    const shown = JSON.stringify(String(entry).slice(0, 80));
    if (typeof entry !== 'string' || !entry.trim()) throw new AppError('validation_failed', 'Invalid IP range "": an entry is empty');
    const r = parseRange(entry);
    if (!r.ok) throw new AppError('validation_failed', `Invalid IP range ${shown}: ${r.problem}`);
    out.add(format(r.range));
  }
  return [...out];
}

/** True when every range is well formed, i.e. ipInRanges can ever say yes for this list. */
export function rangesAreValid(ranges: readonly string[]): boolean {
  return ranges.every((r) => typeof r === 'string' && parseRange(r).ok);
}

/**
 * True when ip lies in one of the ranges. Fails closed: a malformed address, or any malformed stored
 * range, gives false. A corrupt list cannot be trusted to mean what staff intended, so it denies
 * everyone rather than silently dropping the bad entry and widening or narrowing access.
 */
export function ipInRanges(ip: string | null | undefined, ranges: readonly string[]): boolean {
  if (typeof ip !== 'string') return false;
  const addr = parseAddress(ip, true);
  if (!addr) return false;
  const parsed: Range[] = [];
  for (const r of ranges) {
    if (typeof r !== 'string') return false;
    const p = parseRange(r);
    if (!p.ok) return false;
    parsed.push(p.range);
  }
  return parsed.some((r) => r.addr.kind() === addr.kind() && addr.match(r.addr, r.bits));
}
