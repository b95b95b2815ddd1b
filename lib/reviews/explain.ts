import { prisma } from '../db/client';
import { AppError } from '../errors';
import { recordAudit } from '../audit/record';
import { actorOf, type Principal } from '../auth/principal';
import { countryOf } from '../geo/country';
import { decideAcrossGrants, deviceClass, explainAccess, grantNamesGuest, type AccessInput, type Action, type CheckOutcome, type Decision, type GrantFacts, type GuestFacts, type RequestFacts } from '../policy';
import { shareWithDocs, sessionWithGuest, toGuestFacts, toSessionFacts, toShareFacts, toVersionFacts, type SessionRow } from '../guest/facts';
import { loadGuestExtras } from '../guest/guest-extras';
import { currentVersion } from '../guest/versions';
import { loadPortalGrants } from '../portals/grant-facts';
import { findPortalById } from '../portals/portal-lookup';
import { authorizeReview } from './grants';
import { explainInput } from './input';

/** One grant through which the guest might reach the document, with every check as the policy decided it. */
export interface GrantExplanation {
  kind: 'share' | 'portal_grant';
  id: string;
  /** The share's documents, or the portal's name. */
  label: string;
  decision: Decision;
  checks: CheckOutcome[];
  /** The session the checks used (the guest's latest for this share or portal), or null when they never opened one. */
  sessionId: string | null;
}

export interface AccessExplanation {
  guest: { id: string; email: string | null; kind: string };
  document: { id: string; title: string; tlp: string | null };
  action: Action;
  /** Whether any grant lets the guest do it, as the guest paths decide (a portal: across its grants). */
  allowed: boolean;
  grants: GrantExplanation[];
  /** Where the network conditions were evaluated from. */
  conditionsFrom: string;
}

const METHOD: Record<GuestFacts['kind'], GuestFacts['authMethod']> = { ANONYMOUS: 'link', EMAIL_VERIFIED: 'code', REGISTERED: 'password', FEDERATED: 'sso' };

/**
 * "Why can this guest see this?": every share and portal grant through which the guest could reach the
 * document, each decided by the policy with every check listed (explainAccess: the same checks, in the
 * same order, as every guest request). The facts are the guest's as they stand now: their latest session
 * on that share or portal (its epochs, password and terms), the address, country and browser it came
 * from, and an approved device key when they have one. Read-only; audited as review.explain.
 */
export async function explainGuestAccess(p: Principal, raw: unknown): Promise<AccessExplanation> {
  authorizeReview(p);
  const input = explainInput.parse(raw);
  const [guest, document] = await Promise.all([
    prisma().guest.findFirst({ where: { id: input.guestId, orgId: p.orgId }, include: { devices: { where: { status: 'APPROVED' }, select: { id: true }, take: 1 } } }),
    prisma().document.findFirst({ where: { id: input.documentId, orgId: p.orgId }, select: { id: true, title: true } }),
  ]);
  if (!guest) throw new AppError('not_found', 'No such guest.');
  if (!document) throw new AppError('not_found', 'No such document.');
  const version = await currentVersion(p.orgId, document.id);
  const sessions = await prisma().guestSession.findMany({ where: { guestId: guest.id }, include: sessionWithGuest, orderBy: { createdAt: 'desc' }, take: 200 });
  const latest = (where: (s: SessionRow) => boolean) => sessions.find(where) ?? null;
  const last = sessions[0] ?? null;
  const requestOf = async (s: SessionRow | null): Promise<RequestFacts> => {
    const from = s ?? last;
    return {
      ip: from?.ip ?? null, country: from ? from.country ?? await countryOf(from.ip) : null, device: deviceClass(from?.userAgent ?? null),
      now: new Date(), host: from?.host ?? null, deviceKey: guest.devices.length ? { status: 'APPROVED' } : null,
    };
  };
  const base = { action: input.action, documentId: document.id, version: toVersionFacts(version) } as const;
  const out: GrantExplanation[] = [];
  let allowed = false;

  // Shares holding the document that reach this guest: ones they opened, were invited to, or are named on.
  const email = guest.email?.toLowerCase() ?? null;
  const domain = email ? email.slice(email.lastIndexOf('@') + 1) : null;
  const shares = await prisma().share.findMany({
    where: {
      orgId: p.orgId, method: { not: 'PORTAL' }, documents: { some: { documentId: document.id } },
      OR: [
        { sessions: { some: { guestId: guest.id } } },
        { invitations: { some: { guestId: guest.id } } },
        ...(email ? [{ recipients: { some: { email: { equals: email, mode: 'insensitive' as const } } } }] : []),
        ...(domain ? [{ allowedDomains: { has: domain } }] : []),
      ],
    },
    include: { ...shareWithDocs, documents: { select: { documentId: true, document: { select: { title: true } } } } },
    orderBy: { createdAt: 'desc' }, take: 50,
  });
  for (const s of shares) {
    const session = latest((x) => x.shareId === s.id);
    const extras = await loadGuestExtras(p.orgId, s.id, { id: guest.id, email: guest.email });
    const facts: AccessInput = {
      ...base, grant: toShareFacts(s), guest: toGuestFacts(guest, session?.authMethod ?? METHOD[guest.kind], extras),
      session: session ? toSessionFacts(session) : null, request: await requestOf(session),
    };
    const e = explainAccess(facts);
    if (e.decision.allow) allowed = true;
    out.push({ kind: 'share', id: s.id, label: `Share of ${s.documents.map((d) => d.document.title).slice(0, 3).join(', ')}${s.documents.length > 3 ? '…' : ''}`, decision: e.decision, checks: e.checks, sessionId: session?.id ?? null });
  }

  // Portals with the document in a section: every grant that names the guest.
  const portalIds = (await prisma().portalSectionDocument.findMany({ where: { documentId: document.id, section: { portal: { orgId: p.orgId, archivedAt: null } } }, select: { section: { select: { portalId: true } } } }))
    .map((r) => r.section.portalId);
  for (const portalId of [...new Set(portalIds)]) {
    const portal = await findPortalById(portalId);
    if (!portal) continue;
    const loaded = await loadPortalGrants(portal);
    const session = latest((x) => x.portalId === portal.id);
    const extras = await loadGuestExtras(p.orgId, '', { id: guest.id, email: guest.email });
    const g = toGuestFacts(guest, session?.authMethod ?? METHOD[guest.kind], extras);
    const named = loaded.grants.filter((x: GrantFacts) => grantNamesGuest(x, g));
    if (!named.length) continue;
    const common = { ...base, guest: g, session: session ? toSessionFacts(session) : null, request: await requestOf(session) };
    if (decideAcrossGrants(named, common).allow) allowed = true;
    for (const grant of named) {
      const e = explainAccess({ ...common, grant });
      out.push({ kind: 'portal_grant', id: grant.id, label: `Portal ${portal.name}`, decision: e.decision, checks: e.checks, sessionId: session?.id ?? null });
    }
  }
  await recordAudit({ orgId: p.orgId, type: 'review.explain', actor: actorOf(p), request: p.request, documentId: document.id, details: { guestId: guest.id, action: input.action, grants: out.length, allowed } });
  return {
    guest: { id: guest.id, email: guest.email, kind: guest.kind }, document: { id: document.id, title: document.title, tlp: version?.tlp ?? null },
    action: input.action, allowed, grants: out,
    conditionsFrom: last ? `the guest's last known address (${last.ip}${last.country ? `, ${last.country}` : ''})` : 'no known address (the guest never opened a session)',
  };
}

/**
 * The console's form names a guest by address or id and a document by title or id: the ids they
 * stand for in the caller's organisation (an address: its non-anonymous guest; a title: an exact
 * match, else the newest document whose title contains it), or not_found.
 */
export async function resolveExplainTarget(p: Principal, raw: { guest: string; document: string }): Promise<{ guestId: string; documentId: string }> {
  authorizeReview(p);
  const g = raw.guest.trim().slice(0, 320);
  const d = raw.document.trim().slice(0, 300);
  if (!g || !d) throw new AppError('validation_failed', 'Name a guest and a document.');
  const guest = await prisma().guest.findFirst({
    where: { orgId: p.orgId, OR: [{ id: g }, { email: { equals: g, mode: 'insensitive' }, kind: { not: 'ANONYMOUS' } }] },
    orderBy: { createdAt: 'desc' }, select: { id: true },
  });
  if (!guest) throw new AppError('not_found', 'No guest with that address or id.');
  const doc = await prisma().document.findFirst({ where: { orgId: p.orgId, OR: [{ id: d }, { title: { equals: d, mode: 'insensitive' } }] }, select: { id: true } })
    ?? await prisma().document.findFirst({ where: { orgId: p.orgId, title: { contains: d, mode: 'insensitive' } }, orderBy: { createdAt: 'desc' }, select: { id: true } });
  if (!doc) throw new AppError('not_found', 'No document with that title or id.');
  return { guestId: guest.id, documentId: doc.id };
}
