import crypto from 'node:crypto';
import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../lib/audit/canonical';
import { canonicalEventText, eventHash, GENESIS_HASH, type ChainedFields } from '../../lib/audit/chain';

/** The chain's hash exactly as it was defined before the fast canonicaliser: `canonicalize` on this object. */
function referenceHash(e: ChainedFields): string {
  const text = canonicalize({
    v: 1,
    id: e.id, orgId: e.orgId, seq: e.seq, at: e.at.toISOString(), type: e.type,
    actorType: e.actorType, actorId: e.actorId, actor: e.actor, ip: e.ip, userAgent: e.userAgent,
    shareId: e.shareId, documentId: e.documentId, outcome: e.outcome, reason: e.reason,
    details: e.details ?? {}, prevHash: e.prevHash,
  });
  return crypto.createHash('sha256').update(text!).digest('hex');
}

// A small seeded generator, so a failure reproduces.
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Pieces chosen for what canonical JSON must get right: escapes, control characters, line separators,
// non-BMP characters (whose UTF-16 order differs from code point order), RTL and combining marks.
const PIECES = ['a', 'Z', '0', '10', '2', ' ', '"', '\\', '/', '\b', '\f', '\n', '\r', '\t', '\u0001', '\u001f', '\u007f',
  '\u2028', '\u2029', 'é', 'e\u0301', 'ß', '€', '\uffff', '\ufeff', '😀', '𝄞', 'עברית', 'العربية', '中文', '<b>', '&amp;',
  '\u202e', 'Å', '\u00ad', '\ud7ff', '\ue000'];
const NUMBERS = [0, -0, 1, -1, 0.1, 0.2 + 0.1, 1e21, 1e-7, 123456789012345680000, 5e-324, -5e-324, Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 2, Number.MAX_VALUE, -Number.MAX_VALUE, 1.5e300, 333333333.3333333, 4.35, 0.000001, 1e-6 / 3, 2 ** 53, 100];

function randomString(r: () => number, max = 6) {
  let s = '';
  const n = Math.floor(r() * max);
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(r() * PIECES.length)];
  return s;
}

function randomValue(r: () => number, depth: number): unknown {
  const k = Math.floor(r() * (depth > 3 ? 5 : 8));
  switch (k) {
    case 0: return null;
    case 1: return r() < 0.5;
    case 2: return r() < 0.5 ? NUMBERS[Math.floor(r() * NUMBERS.length)] : (r() - 0.5) * 10 ** Math.floor(r() * 40 - 20);
    case 3: case 4: return randomString(r, 10);
    case 5: return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      const n = Math.floor(r() * 6);
      for (let i = 0; i < n; i++) o[randomString(r, 3)] = randomValue(r, depth + 1);
      return o;
    }
  }
}

const maybe = (r: () => number, s: string) => (r() < 0.3 ? null : s);

function randomEvent(r: () => number, i: number): ChainedFields {
  return {
    id: 'ev' + crypto.randomBytes(8).toString('hex'),
    orgId: 'org' + randomString(r, 3),
    seq: 1 + Math.floor(r() * 2 ** 31),
    at: new Date(Math.floor(r() * 4102444800000)),
    type: ['guest.session', 'staff.signin', 'document.download', randomString(r)][i % 4],
    actorType: ['staff', 'apikey', 'guest', 'system', 'anonymous'][i % 5],
    actorId: maybe(r, 'id' + i),
    actor: randomString(r, 8),
    ip: maybe(r, r() < 0.5 ? '203.0.113.7' : '2001:db8::1'),
    userAgent: maybe(r, randomString(r, 12)),
    shareId: maybe(r, 'sh' + i),
    documentId: maybe(r, 'doc' + i),
    outcome: ['success', 'failure', 'denied'][i % 3],
    reason: maybe(r, randomString(r, 4)),
    // Details are stored as JSONB and read back through JSON.parse, so they are plain JSON data.
    details: JSON.parse(JSON.stringify(r() < 0.1 ? {} : randomValue(r, 0) ?? {})),
    prevHash: r() < 0.1 ? GENESIS_HASH : crypto.randomBytes(32).toString('hex'),
  };
}

describe('fast canonical JSON', () => {
  it('is byte-identical to canonicalize over 20,000 varied values', () => {
    const r = rng(8785);
    for (let i = 0; i < 20_000; i++) {
      const v = JSON.parse(JSON.stringify(randomValue(r, 0) ?? null));
      expect(canonicalJson(v)).toBe(canonicalize(v));
    }
  });

  it('matches the RFC 8785 examples (member order and numbers)', () => {
    // RFC 8785 §3.2.3: sorting by UTF-16 code units puts U+1F600 (a surrogate pair) before U+FB33.
    const sorting = { '\u20ac': 'Euro Sign', '\r': 'Carriage Return', '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One', '\ud83d\ude00': 'Emoji: Grinning Face', '\u0080': 'Control', '\u00f6': 'Latin Small Letter O With Diaeresis' };
    // (Read the values in text order: JSON.parse would put the integer-like key "1" first again.)
    const inTextOrder = [...canonicalJson(sorting).matchAll(/:"([^"]*)"/g)].map((m) => m[1]);
    expect(inTextOrder).toEqual(['Carriage Return', 'One', 'Control',
      'Latin Small Letter O With Diaeresis', 'Euro Sign', 'Emoji: Grinning Face', 'Hebrew Letter Dalet With Dagesh']);
    // RFC 8785 §3.2.2.3 and Appendix B.
    expect(canonicalJson([333333333.33333329, 1e30, 4.5, 2e-3, 0.000000000000000000000000001, -0, 1e21, 1e-7]))
      .toBe('[333333333.3333333,1e+30,4.5,0.002,1e-27,0,1e+21,1e-7]');
    expect(canonicalJson({ b: [1, { d: true, c: null }], a: 'x\u001fy\u2028' })).toBe('{"a":"x\\u001fy\u2028","b":[1,{"c":null,"d":true}]}');
  });

  it('refuses what canonicalize refuses', () => {
    for (const bad of [{ s: 'lone \ud800 surrogate' }, [NaN], { n: Infinity }, { ['\udc00']: 1 }]) {
      expect(() => canonicalize(bad)).toThrow();
      expect(() => canonicalJson(bad)).toThrow();
    }
  });
});

describe('event hash', () => {
  it('equals the canonicalize-based definition for 20,000 varied events', () => {
    const r = rng(20261201);
    for (let i = 0; i < 20_000; i++) {
      const e = randomEvent(r, i);
      expect(eventHash(e), JSON.stringify(e)).toBe(referenceHash(e));
    }
  });

  it('keeps hashes of events written before the change (a fixed vector)', () => {
    const e: ChainedFields = {
      id: 'ev0mfz3a2b1c0ffee0ddba11', orgId: 'cmorg00000000000000000001', seq: 42, at: new Date('2026-11-30T09:15:26.042Z'),
      type: 'guest.download', actorType: 'guest', actorId: 'cmguest0001', actor: 'counsel@example.com', ip: '2001:db8::7',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64)', shareId: 'cmshare0001', documentId: 'cmdoc0001', outcome: 'success',
      reason: null, details: { versionId: 'v1', bytes: 12345, watermark: true, name: 'Zoë’s “report”.pdf' }, prevHash: GENESIS_HASH,
    };
    expect(canonicalEventText({ ...e, at: e.at.toISOString(), details: canonicalJson(e.details) })).toBe(canonicalize({
      v: 1, id: e.id, orgId: e.orgId, seq: e.seq, at: e.at.toISOString(), type: e.type, actorType: e.actorType, actorId: e.actorId,
      actor: e.actor, ip: e.ip, userAgent: e.userAgent, shareId: e.shareId, documentId: e.documentId, outcome: e.outcome,
      reason: e.reason, details: e.details, prevHash: e.prevHash,
    }));
    // Members that are undefined are left out, as canonicalize leaves them out.
    const partial = { ...e, actorId: undefined, reason: undefined } as unknown as ChainedFields;
    expect(eventHash(partial)).toBe(referenceHash(partial));
    // Computed with lib/audit/chain.ts as it was before the fast canonicaliser (commit c2a62a4).
    expect(eventHash(e)).toBe('df4e15d50ee753b8cdd4a8f4ef9d92f271352d286a2cabc5ebefbe7526118e78');
    expect(referenceHash(e)).toBe(eventHash(e));
  });
});
