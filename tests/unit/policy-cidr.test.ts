import { describe, expect, it } from 'vitest';
import { ipInRanges, parseCidrList, rangesAreValid } from '../../lib/policy';
import { AppError } from '../../lib/errors';

function refusal(list: string[]): AppError {
  try {
    parseCidrList(list);
  } catch (e) {
    return e as AppError;
  }
  throw new Error(`accepted ${JSON.stringify(list)}`);
}

describe('parseCidrList (share creation)', () => {
  it('returns canonical ranges', () => {
    expect(parseCidrList(['203.0.113.0/24', ' 198.51.100.7 ', '2001:0DB8:0000::/32', '2001:db8::1', '::ffff:1.2.3.0/120', '0.0.0.0/0', '::/0']))
      .toEqual(['203.0.113.0/24', '198.51.100.7/32', '2001:db8::/32', '2001:db8::1/128', '1.2.3.0/24', '0.0.0.0/0', '::/0']);
  });

  it('drops duplicates, including the same range written two ways', () => {
    expect(parseCidrList(['10.0.0.0/8', '10.0.0.0/8', '::ffff:10.0.0.0/104'])).toEqual(['10.0.0.0/8']);
  });

  it('accepts an empty list (no restriction)', () => {
    expect(parseCidrList([])).toEqual([]);
  });

  const bad: [string, RegExp][] = [
    ['10.0.0.0/33', /prefix length must be 0 to 32/],
    ['2001:db8::/129', /prefix length must be 0 to 128/],
    ['10.0.0.0/08', /prefix/],
    ['10.0.0.0/+8', /prefix/],
    ['10.0.0.0/-1', /prefix/],
    ['10.0.0.0/', /prefix/],
    ['10.0.0.0/ 8', /prefix/],
    ['10.0.0.0/24/1', /expected an address/],
    ['/24', /expected an address/],
    ['10.1/16', /not an IPv4/],
    ['0x0a.0.0.0/8', /not an IPv4/],
    ['010.0.0.0/8', /not an IPv4/],
    ['1.2.3.256', /not an IPv4/],
    ['not-an-ip', /not an IPv4/],
    ['fe80::%eth0/64', /zone ids/],
    ['10.0.0.5/24', /host bits are set; the network is 10\.0\.0\.0\/24/],
    ['2001:db8::1/32', /host bits are set; the network is 2001:db8::\/32/],
  ];
  it.each(bad)('refuses %j and names it', (entry, why) => {
    const e = refusal(['192.0.2.0/24', entry]);
    expect(e).toBeInstanceOf(AppError);
    expect(e.code).toBe('validation_failed');
    expect(e.status).toBe(400);
    expect(e.message).toContain(JSON.stringify(entry));
    expect(e.message).toMatch(why);
  });

  it('refuses empty entries rather than silently dropping them', () => {
    expect(refusal(['']).code).toBe('validation_failed');
    expect(refusal(['   ']).message).toMatch(/empty/);
  });

  it('refuses non-strings', () => {
    expect(refusal([42 as unknown as string]).code).toBe('validation_failed');
  });

  it('accepts exactly what ipInRanges can use', () => {
    expect(rangesAreValid(parseCidrList(['203.0.113.0/24', '2001:db8::/48']))).toBe(true);
    expect(rangesAreValid(['203.0.113.0/24', '10.0.0.1/8'])).toBe(false);
  });
});

describe('ipInRanges (decision time)', () => {
  it('matches IPv4 inside, at the edges of, and outside a range', () => {
    const r = ['203.0.113.0/24'];
    expect(ipInRanges('203.0.113.0', r)).toBe(true);
    expect(ipInRanges('203.0.113.255', r)).toBe(true);
    expect(ipInRanges('203.0.112.255', r)).toBe(false);
    expect(ipInRanges('203.0.114.0', r)).toBe(false);
  });

  it('matches single addresses and the whole space', () => {
    expect(ipInRanges('198.51.100.7', ['198.51.100.7/32'])).toBe(true);
    expect(ipInRanges('198.51.100.8', ['198.51.100.7/32'])).toBe(false);
    expect(ipInRanges('198.51.100.7', ['198.51.100.7'])).toBe(true);
    expect(ipInRanges('8.8.8.8', ['0.0.0.0/0'])).toBe(true);
  });

  it('matches IPv6', () => {
    expect(ipInRanges('2001:db8:abcd::42', ['2001:db8::/32'])).toBe(true);
    expect(ipInRanges('2001:DB8::1', ['2001:db8::/32'])).toBe(true);
    expect(ipInRanges('2001:db9::1', ['2001:db8::/32'])).toBe(false);
    expect(ipInRanges('::1', ['::1/128'])).toBe(true);
  });

  it('matches IPv4-mapped IPv6 addresses against IPv4 ranges, in either spelling', () => {
    expect(ipInRanges('::ffff:1.2.3.4', ['1.2.3.0/24'])).toBe(true);
    expect(ipInRanges('::ffff:102:304', ['1.2.3.0/24'])).toBe(true);
    expect(ipInRanges('::FFFF:1.2.3.4', ['1.2.3.0/24'])).toBe(true);
    expect(ipInRanges('::ffff:1.2.4.4', ['1.2.3.0/24'])).toBe(false);
    // A range stored in mapped form (older data) still means the IPv4 network.
    expect(ipInRanges('1.2.3.4', ['::ffff:1.2.3.0/120'])).toBe(true);
  });

  it('never matches across families', () => {
    expect(ipInRanges('1.2.3.4', ['::/0'])).toBe(false);
    expect(ipInRanges('2001:db8::1', ['0.0.0.0/0'])).toBe(false);
  });

  it('ignores an interface zone on a link-local client address', () => {
    expect(ipInRanges('fe80::1%eth0', ['fe80::/10'])).toBe(true);
  });

  it('fails closed on bad input', () => {
    expect(ipInRanges(null, ['0.0.0.0/0'])).toBe(false);
    expect(ipInRanges(undefined, ['0.0.0.0/0'])).toBe(false);
    expect(ipInRanges('', ['0.0.0.0/0'])).toBe(false);
    expect(ipInRanges('unknown', ['0.0.0.0/0'])).toBe(false);
    // ipaddr.js alone would read these as 10.0.0.1; we refuse ambiguous spellings.
    expect(ipInRanges('010.0.0.1', ['0.0.0.0/0'])).toBe(false);
    expect(ipInRanges('10.1', ['0.0.0.0/0'])).toBe(false);
    expect(ipInRanges('0xa.0.0.1', ['0.0.0.0/0'])).toBe(false);
  });

  it('fails closed when any stored range is malformed, even if another matches', () => {
    expect(ipInRanges('203.0.113.7', ['203.0.113.0/24', 'garbage'])).toBe(false);
    expect(ipInRanges('203.0.113.7', ['203.0.113.0/24', '10.0.0.0/33'])).toBe(false);
    expect(ipInRanges('203.0.113.7', ['203.0.113.7/24'])).toBe(false);
    expect(ipInRanges('203.0.113.7', ['203.0.113.0/24', 7 as unknown as string])).toBe(false);
  });

  it('an empty list contains nothing (the policy treats an empty list as "no restriction" itself)', () => {
    expect(ipInRanges('203.0.113.7', [])).toBe(false);
  });
});
