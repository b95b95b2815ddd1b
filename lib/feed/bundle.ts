import { FlattenedSign, calculateJwkThumbprint } from 'jose';
import { canonicalJson } from '../audit/canonical';
import { auditPool } from '../audit/pool';
import { recordAudit, type Actor, type RequestFacts } from '../audit/record';
import { actorOf, authorize, can, type Principal } from '../auth/principal';
import { prisma } from '../db/client';
import { AppError } from '../errors';
import { auditableValue, isId } from '../http/ids';
import { currentSigningKey } from '../tokens/signing-keys';
import {
  BUNDLE_FORMAT, BUNDLE_JWS_TYPE, bundleText, sha256Hex,
  type BundleAcceptance, type BundleBody, type BundleSubject, type BundleTermsVersion, type EvidenceBundle,
} from './bundle-format';
import { chainHead, readEventPage, type FeedEvent } from './event-rows';

export const EVIDENCE_EVENT = 'audit.evidence_bundle';
const PAGE = 2000;

export interface MadeBundle { text: string; fileName: string; sha256: string; events: number; orgId: string }

/** Which organisation a share or guest belongs to, or null when there is no such thing. */
async function subjectOrg(s: BundleSubject): Promise<string | null> {
  if (!isId(s.id)) return null;
  const row = s.kind === 'share'
    ? await prisma().share.findUnique({ where: { id: s.id }, select: { orgId: true } })
    : await prisma().guest.findUnique({ where: { id: s.id }, select: { orgId: true } });
  return row?.orgId ?? null;
}

/**
 * Staff path (console button, GraphQL): an admin or auditor (audit:read) of the subject's organisation.
 * A subject of another organisation is answered like one that does not exist, and audited.
 */
export async function createEvidenceBundleAs(p: Principal, subject: BundleSubject): Promise<MadeBundle> {
  if (!can(p, 'audit:read')) {
    // Refused before anything is looked up; recorded, as the export's refusals are.
    await recordAudit({
      orgId: p.orgId, type: EVIDENCE_EVENT, actor: actorOf(p), request: p.request, outcome: 'denied',
      reason: p.kind === 'apikey' ? 'insufficient_scope' : 'forbidden', details: { subject: subject.kind, id: auditableValue(subject.id) },
    });
    authorize(p, 'audit:read');
  }
  const orgId = await subjectOrg(subject);
  if (orgId !== p.orgId) {
    await recordAudit({
      orgId: p.orgId, type: EVIDENCE_EVENT, actor: actorOf(p), request: p.request, outcome: 'denied', reason: 'not_found',
      details: { subject: subject.kind, id: auditableValue(subject.id) },
    });
    throw new AppError('not_found', `No such ${subject.kind}.`);
  }
  return makeEvidenceBundle(orgId, subject, actorOf(p), p.request);
}

/** Operator path (`liaison audit export`): the subject's own organisation, acting as the CLI. */
export async function createEvidenceBundleForOperator(subject: BundleSubject, actor: Actor): Promise<MadeBundle> {
  const orgId = await subjectOrg(subject);
  if (!orgId) throw new AppError('not_found', `No ${subject.kind} with id ${subject.id}.`);
  return makeEvidenceBundle(orgId, subject, actor);
}

/**
 * Builds and signs the bundle. The bundle's creation is recorded first (on the share, or with the
 * guest's id), so the bundle contains the record of its own making. Events are read in keyset pages up
 * to the chain head read after that record.
 */
async function makeEvidenceBundle(orgId: string, subject: BundleSubject, actor: Actor, request?: RequestFacts): Promise<MadeBundle> {
  const org = await prisma().organization.findUniqueOrThrow({ where: { id: orgId }, select: { id: true, slug: true, name: true } });
  await recordAudit({
    orgId, type: EVIDENCE_EVENT, actor, request,
    ...(subject.kind === 'share' ? { shareId: subject.id } : {}),
    details: subject.kind === 'guest' ? { guestId: subject.id } : { subject: 'share' },
  });
  const client = await auditPool().connect();
  let head: { seq: number; hash: string | null };
  const events: FeedEvent[] = [];
  try {
    head = await chainHead(client, orgId);
    const filter = subject.kind === 'share' ? { kind: 'share' as const, shareId: subject.id } : { kind: 'guest' as const, guestId: subject.id };
    for (let after = 0; ;) {
      const page = await readEventPage(client, orgId, after, head.seq, PAGE, filter);
      events.push(...page);
      if (page.length < PAGE) break;
      after = page[page.length - 1].seq;
    }
  } finally {
    client.release();
  }

  const acceptanceRows = await prisma().termsAcceptance.findMany({
    where: subject.kind === 'share' ? { shareId: subject.id } : { guestId: subject.id },
    orderBy: [{ acceptedAt: 'asc' }, { id: 'asc' }],
    include: { termsVersion: true },
  });
  const terms = new Map<string, BundleTermsVersion>();
  for (const a of acceptanceRows) {
    const t = a.termsVersion;
    terms.set(t.id, { id: t.id, termsId: t.termsId, version: t.version, title: t.title, body: t.body, sha256: sha256Hex(t.body) });
  }
  const acceptances: BundleAcceptance[] = acceptanceRows.map((a) => ({
    id: a.id, guestId: a.guestId, termsVersionId: a.termsVersionId, shareId: a.shareId, acceptedAt: a.acceptedAt.toISOString(), ip: a.ip, userAgent: a.userAgent,
  }));

  const key = await currentSigningKey(orgId);
  const thumbprint = await calculateJwkThumbprint({ kty: 'RSA', n: key.publicJwk.n, e: key.publicJwk.e }, 'sha256');
  const body: BundleBody = {
    subject, organisation: org, createdAt: new Date().toISOString(), createdBy: actor.label,
    chainHead: head, events, terms: [...terms.values()].sort((a, b) => (a.id < b.id ? -1 : 1)), acceptances,
    key: { jwk: { ...key.publicJwk }, thumbprint },
  };
  const jws = await new FlattenedSign(new TextEncoder().encode(canonicalJson(body)))
    .setProtectedHeader({ alg: 'RS256', kid: key.publicJwk.kid, typ: BUNDLE_JWS_TYPE })
    .sign(key.privateKey);
  const bundle: EvidenceBundle = { format: BUNDLE_FORMAT, bundle: body, signature: { protected: jws.protected!, signature: jws.signature } };
  const text = bundleText(bundle);
  return { text, fileName: `evidence-${subject.kind}-${subject.id}.json`, sha256: sha256Hex(text), events: events.length, orgId };
}
