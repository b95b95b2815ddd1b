import crypto from 'node:crypto';
import { calculateJwkThumbprint, flattenedVerify, importJWK } from 'jose';
import { canonicalJson } from '../audit/canonical';
import { hashCanonical } from '../audit/chain';
import type { FeedEvent } from './event-rows';

/*
 * The signed evidence bundle: what it holds and how it is checked. Nothing here touches the database,
 * so `liaison audit verify-bundle` runs offline, anywhere.
 *
 * The file is the RFC 8785 canonical JSON of {format, bundle, signature} followed by one newline. The
 * signature is a detached JWS (RS256, the organisation's signing key) over the canonical JSON of
 * `bundle`. Verification requires the file to be exactly that canonical form, byte for byte, and the
 * signature's base64url to be in its only canonical spelling, so any changed byte fails: either the
 * text is no longer canonical, or the signed content changed, or the signature no longer decodes to the
 * same bytes.
 */

export const BUNDLE_FORMAT = 'liaison-evidence-bundle/1';
export const BUNDLE_JWS_TYPE = 'liaison-evidence+jws';

export type BundleSubject = { kind: 'share'; id: string } | { kind: 'guest'; id: string };

export interface BundleTermsVersion { id: string; termsId: string; version: number; title: string; body: string; sha256: string }
export interface BundleAcceptance { id: string; guestId: string; termsVersionId: string; shareId: string | null; acceptedAt: string; ip: string; userAgent: string | null }
export interface BundlePublicJwk { kty: 'RSA'; n: string; e: string; kid: string; alg: 'RS256'; use: 'sig' }

export interface BundleBody {
  subject: BundleSubject;
  organisation: { id: string; slug: string; name: string };
  createdAt: string;
  createdBy: string;
  /** The organisation's chain head when the bundle was made: anchors the events in the whole chain. */
  chainHead: { seq: number; hash: string | null };
  events: FeedEvent[];
  terms: BundleTermsVersion[];
  acceptances: BundleAcceptance[];
  key: { jwk: BundlePublicJwk; thumbprint: string };
}

export interface EvidenceBundle { format: typeof BUNDLE_FORMAT; bundle: BundleBody; signature: { protected: string; signature: string } }

export const sha256Hex = (s: string) => crypto.hash('sha256', s, 'hex');

/** The exact bytes of a bundle file. */
export const bundleText = (b: EvidenceBundle): string => canonicalJson(b) + '\n';

export type BundleCheck = { ok: true; bundle: BundleBody } | { ok: false; reason: string };

class Invalid extends Error {}
const fail = (reason: string): never => { throw new Invalid(reason); };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown, what: string): string => (typeof v === 'string' ? v : fail(`${what} is not a string`));
const strOrNull = (v: unknown, what: string): string | null => (v === null ? null : str(v, what));
const int = (v: unknown, what: string): number => (Number.isSafeInteger(v) ? (v as number) : fail(`${what} is not an integer`));
function keysExactly(o: Record<string, unknown>, keys: string[], what: string): void {
  const have = Object.keys(o).sort();
  const want = [...keys].sort();
  if (have.length !== want.length || have.some((k, i) => k !== want[i])) fail(`${what} has unexpected members (${have.join(', ')})`);
}

/** base64url in its one canonical spelling (no padding, unused bits zero): otherwise two texts could decode alike. */
function strictBase64url(s: string, what: string): Buffer {
  if (!/^[A-Za-z0-9_-]+$/.test(s)) fail(`${what} is not base64url`);
  const bytes = Buffer.from(s, 'base64url');
  if (bytes.toString('base64url') !== s) fail(`${what} is not in canonical base64url`);
  return bytes;
}

const EVENT_KEYS = ['seq', 'id', 'orgId', 'at', 'type', 'actorType', 'actorId', 'actor', 'ip', 'userAgent', 'shareId', 'documentId', 'outcome', 'reason', 'details', 'prevHash', 'hash'];
const HEX64 = /^[0-9a-f]{64}$/;

function checkEvent(v: unknown, i: number): FeedEvent {
  const what = `event ${i + 1}`;
  if (!isObj(v)) return fail(`${what} is not an object`);
  keysExactly(v, EVENT_KEYS, what);
  const e: FeedEvent = {
    seq: int(v.seq, `${what}: seq`), id: str(v.id, `${what}: id`), orgId: str(v.orgId, `${what}: orgId`), at: str(v.at, `${what}: at`),
    type: str(v.type, `${what}: type`), actorType: str(v.actorType, `${what}: actorType`), actorId: strOrNull(v.actorId, `${what}: actorId`),
    actor: str(v.actor, `${what}: actor`), ip: strOrNull(v.ip, `${what}: ip`), userAgent: strOrNull(v.userAgent, `${what}: userAgent`),
    shareId: strOrNull(v.shareId, `${what}: shareId`), documentId: strOrNull(v.documentId, `${what}: documentId`),
    outcome: str(v.outcome, `${what}: outcome`), reason: strOrNull(v.reason, `${what}: reason`), details: v.details,
    prevHash: str(v.prevHash, `${what}: prevHash`), hash: str(v.hash, `${what}: hash`),
  };
  if (!HEX64.test(e.hash) || !HEX64.test(e.prevHash)) fail(`${what} (seq ${e.seq}): hash or prevHash is not a SHA-256 hex digest`);
  return e;
}

/** The hash an event's content and prevHash give (the chain's own definition, lib/audit/chain.ts). */
export const recomputeHash = (e: FeedEvent): string => hashCanonical({ ...e, details: canonicalJson(e.details ?? {}) });

/**
 * Checks a bundle file's bytes, offline: canonical form, structure, the key's thumbprint, the signature,
 * every event's hash, the links between consecutive events, that every event concerns the subject, and
 * the terms texts against their digests. `expectThumbprint`, when given, must be the signing key's
 * (the organisation's published key, obtained separately: the bundle's own key proves integrity, not origin).
 */
export async function verifyBundleBytes(bytes: Uint8Array, opts: { expectThumbprint?: string } = {}): Promise<BundleCheck> {
  try {
    return { ok: true, bundle: await check(Buffer.from(bytes), opts) };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, reason: e.message };
    return { ok: false, reason: `signature check failed: ${(e as Error)?.message ?? String(e)}` };
  }
}

async function check(buf: Buffer, opts: { expectThumbprint?: string }): Promise<BundleBody> {
  let doc: unknown;
  try { doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(buf)); } catch { return fail('not a JSON document in UTF-8'); }
  if (!isObj(doc)) return fail('not a bundle object');
  let canonical: string;
  try { canonical = canonicalJson(doc); } catch (e) { return fail(`not canonical JSON: ${(e as Error).message}`); }
  if (!Buffer.from(canonical + '\n', 'utf8').equals(buf)) fail('the file is not in its canonical form: bytes were changed');
  keysExactly(doc, ['format', 'bundle', 'signature'], 'the bundle file');
  if (doc.format !== BUNDLE_FORMAT) fail(`unknown format ${JSON.stringify(doc.format)}`);
  const b = doc.bundle;
  const sig = doc.signature;
  if (!isObj(b) || !isObj(sig)) return fail('bundle or signature missing');
  keysExactly(sig, ['protected', 'signature'], 'signature');
  keysExactly(b, ['subject', 'organisation', 'createdAt', 'createdBy', 'chainHead', 'events', 'terms', 'acceptances', 'key'], 'bundle');

  // The key: an RSA public key whose thumbprint is the one declared, and the kid the header names.
  const key = b.key;
  if (!isObj(key) || !isObj(key.jwk)) return fail('bundle.key.jwk missing');
  const jwk = key.jwk;
  keysExactly(jwk, ['kty', 'n', 'e', 'kid', 'alg', 'use'], 'bundle.key.jwk');
  if (jwk.kty !== 'RSA' || jwk.alg !== 'RS256' || jwk.use !== 'sig') fail('bundle.key.jwk is not an RS256 signing key');
  const thumbprint = await calculateJwkThumbprint({ kty: 'RSA', n: str(jwk.n, 'jwk.n'), e: str(jwk.e, 'jwk.e') }, 'sha256');
  if (key.thumbprint !== thumbprint) fail('bundle.key.thumbprint does not match the key');
  if (jwk.kid !== thumbprint) fail('bundle.key.jwk.kid is not the key\'s thumbprint');
  if (opts.expectThumbprint !== undefined && opts.expectThumbprint !== thumbprint) fail(`signed by key ${thumbprint}, not the expected ${opts.expectThumbprint}`);

  const protectedB64 = str(sig.protected, 'signature.protected');
  let header: unknown;
  try { header = JSON.parse(strictBase64url(protectedB64, 'signature.protected').toString('utf8')); } catch (e) { if (e instanceof Invalid) throw e; return fail('signature.protected is not JSON'); }
  if (!isObj(header)) return fail('signature.protected is not an object');
  keysExactly(header, ['alg', 'kid', 'typ'], 'JWS header');
  if (header.alg !== 'RS256' || header.kid !== thumbprint || header.typ !== BUNDLE_JWS_TYPE) fail('JWS header does not name RS256, this key and the bundle type');
  strictBase64url(str(sig.signature, 'signature.signature'), 'signature.signature');
  const payload = Buffer.from(canonicalJson(b), 'utf8').toString('base64url');
  const publicKey = await importJWK({ kty: 'RSA', n: jwk.n as string, e: jwk.e as string }, 'RS256');
  try {
    await flattenedVerify({ protected: protectedB64, payload, signature: sig.signature as string }, publicKey, { algorithms: ['RS256'] });
  } catch {
    fail('the signature does not match the bundle');
  }

  // Signed, so the content is what the organisation issued; now check it says what it claims.
  const subject = b.subject;
  if (!isObj(subject) || (subject.kind !== 'share' && subject.kind !== 'guest') || typeof subject.id !== 'string') return fail('bundle.subject is malformed');
  const org = b.organisation;
  if (!isObj(org) || typeof org.id !== 'string') return fail('bundle.organisation is malformed');
  const head = b.chainHead;
  if (!isObj(head)) return fail('bundle.chainHead is malformed');
  const headSeq = int(head.seq, 'chainHead.seq');
  if (!Array.isArray(b.events)) return fail('bundle.events is not a list');
  let prev: FeedEvent | null = null;
  for (const [i, raw] of b.events.entries()) {
    const e = checkEvent(raw, i);
    if (e.orgId !== org.id) fail(`event seq ${e.seq} belongs to another organisation`);
    let h: string;
    try { h = recomputeHash(e); } catch { return fail(`event seq ${e.seq}: content cannot be canonicalised`); }
    if (h !== e.hash) fail(`event seq ${e.seq}: content does not match its hash`);
    if (prev && e.seq <= prev.seq) fail(`event seq ${e.seq} is out of order`);
    if (prev && e.seq === prev.seq + 1 && e.prevHash !== prev.hash) fail(`event seq ${e.seq}: prevHash does not match event seq ${prev.seq}`);
    if (e.seq > headSeq) fail(`event seq ${e.seq} is after the chain head ${headSeq}`);
    if (e.seq === headSeq && e.hash !== head.hash) fail('the last event is the chain head but its hash differs');
    const about = subject.kind === 'share'
      ? e.shareId === subject.id
      : (e.actorType === 'guest' && e.actorId === subject.id) || (isObj(e.details) && e.details.guestId === subject.id);
    if (!about) fail(`event seq ${e.seq} is not about ${subject.kind} ${subject.id}`);
    prev = e;
  }
  if (!Array.isArray(b.terms) || !Array.isArray(b.acceptances)) return fail('bundle.terms or bundle.acceptances is not a list');
  const versions = new Set<string>();
  for (const t of b.terms) {
    if (!isObj(t) || typeof t.body !== 'string' || typeof t.id !== 'string') return fail('a terms version is malformed');
    if (sha256Hex(t.body) !== t.sha256) fail(`terms version ${t.id}: text does not match its SHA-256`);
    versions.add(t.id);
  }
  for (const a of b.acceptances) {
    if (!isObj(a) || typeof a.termsVersionId !== 'string') return fail('an acceptance is malformed');
    if (!versions.has(a.termsVersionId)) fail(`acceptance ${String(a.id)} names terms ${a.termsVersionId}, which the bundle does not hold`);
  }
  return b as unknown as BundleBody;
}
