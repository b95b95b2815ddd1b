import { prisma } from '../db/client';
import { AppError } from '../errors';

/** A grant key split into its kind and id ("share:<id>" or "portal-grant:<id>"); null when it is neither. */
export function parseGrantKey(key: string): { kind: 'share' | 'portal-grant'; id: string } | null {
  const m = /^(share|portal-grant):([A-Za-z0-9_-]{1,64})$/.exec(key);
  return m ? { kind: m[1] as 'share' | 'portal-grant', id: m[2] } : null;
}

export interface GrantInfo {
  key: string;
  kind: 'share' | 'portal-grant';
  id: string;
  /** How staff recognise it in the console: "Share to a@b.example, …" or "Portal Acme · grant to …". */
  label: string;
  shareId: string | null;
  portalId: string | null;
  keepPartiesApart: boolean;
  showGuestPresence: boolean;
  /** The creator, who is mailed questions: the share's, or the portal's for a portal grant. */
  ownerId: string | null;
}

const who = (emails: string[], domains: string[], fallback: string) => {
  const names = [...emails, ...domains.map((d) => `@${d}`)];
  if (!names.length) return fallback;
  return names.length > 2 ? `${names.slice(0, 2).join(', ')} +${names.length - 2}` : names.join(', ');
};

/** The grants behind some keys, in the organisation only (a key of another organisation is simply absent). */
export async function loadGrants(orgId: string, keys: readonly string[]): Promise<Map<string, GrantInfo>> {
  const parsed = [...new Set(keys)].map(parseGrantKey).filter((k): k is NonNullable<typeof k> => k !== null);
  const shareIds = parsed.filter((k) => k.kind === 'share').map((k) => k.id);
  const grantIds = parsed.filter((k) => k.kind === 'portal-grant').map((k) => k.id);
  const [shares, grants] = await Promise.all([
    shareIds.length ? prisma().share.findMany({
      where: { id: { in: shareIds }, orgId },
      select: { id: true, audience: true, createdById: true, keepPartiesApart: true, showGuestPresence: true, recipients: { select: { email: true } }, allowedDomains: true },
    }) : [],
    grantIds.length ? prisma().portalGrant.findMany({
      where: { id: { in: grantIds }, orgId },
      select: { id: true, portalId: true, emails: true, domains: true, keepPartiesApart: true, showGuestPresence: true, portal: { select: { name: true, createdById: true } }, partnerOrg: { select: { name: true } } },
    }) : [],
  ]);
  const out = new Map<string, GrantInfo>();
  for (const s of shares) {
    out.set(`share:${s.id}`, {
      key: `share:${s.id}`, kind: 'share', id: s.id, shareId: s.id, portalId: null, ownerId: s.createdById,
      keepPartiesApart: s.keepPartiesApart, showGuestPresence: s.showGuestPresence,
      label: `Share to ${who(s.recipients.map((r) => r.email), s.allowedDomains, 'anyone with the link')}`,
    });
  }
  for (const g of grants) {
    out.set(`portal-grant:${g.id}`, {
      key: `portal-grant:${g.id}`, kind: 'portal-grant', id: g.id, shareId: null, portalId: g.portalId, ownerId: g.portal.createdById,
      keepPartiesApart: g.keepPartiesApart, showGuestPresence: g.showGuestPresence,
      label: `${g.portal.name} · ${who(g.emails, g.domains, g.partnerOrg ? `partner ${g.partnerOrg.name}` : 'grant')}`,
    });
  }
  return out;
}

/**
 * The grant a staff member starts a thread in: it must be live (active, not expired) and cover the
 * document, in the staff member's organisation. Anything else is not_found, like any unknown id.
 */
export async function requireLiveGrantForDocument(orgId: string, key: string, documentId: string, now = new Date()): Promise<GrantInfo> {
  const k = parseGrantKey(key);
  const missing = () => new AppError('not_found', 'That grant does not exist, has ended, or does not include this document.');
  if (!k) throw missing();
  const covers = k.kind === 'share'
    ? await prisma().share.count({ where: { id: k.id, orgId, state: 'ACTIVE', expiresAt: { gt: now }, documents: { some: { documentId } } } })
    : await prisma().portalGrant.count({
      where: {
        id: k.id, orgId, state: 'ACTIVE', expiresAt: { gt: now }, portal: { archivedAt: null },
        OR: [
          { allSections: true, portal: { sections: { some: { documents: { some: { documentId } } } } } },
          { sections: { some: { section: { documents: { some: { documentId } } } } } },
        ],
      },
    });
  if (!covers) throw missing();
  const info = (await loadGrants(orgId, [key])).get(key);
  if (!info) throw missing();
  return info;
}

/**
 * Of some grant keys, those that cover the document now (active, unexpired, containing it), in the
 * organisation. A guest's thread or question lives only in these: a second line behind the policy's own
 * decision, so a caller that authorised the wrong document cannot file a comment under a grant that
 * does not reach it.
 */
export async function grantsCoveringDocument(orgId: string, keys: readonly string[], documentId: string, now = new Date()): Promise<string[]> {
  const parsed = keys.map(parseGrantKey).filter((k): k is NonNullable<typeof k> => k !== null);
  const shareIds = parsed.filter((k) => k.kind === 'share').map((k) => k.id);
  const grantIds = parsed.filter((k) => k.kind === 'portal-grant').map((k) => k.id);
  const [shares, grants] = await Promise.all([
    shareIds.length ? prisma().share.findMany({ where: { id: { in: shareIds }, orgId, state: 'ACTIVE', expiresAt: { gt: now }, documents: { some: { documentId } } }, select: { id: true } }) : [],
    grantIds.length ? prisma().portalGrant.findMany({
      where: {
        id: { in: grantIds }, orgId, state: 'ACTIVE', expiresAt: { gt: now }, portal: { archivedAt: null },
        OR: [
          { allSections: true, portal: { sections: { some: { documents: { some: { documentId } } } } } },
          { sections: { some: { section: { documents: { some: { documentId } } } } } },
        ],
      },
      select: { id: true },
    }) : [],
  ]);
  const ok = new Set([...shares.map((s) => `share:${s.id}`), ...grants.map((g) => `portal-grant:${g.id}`)]);
  return keys.filter((k) => ok.has(k));
}

/** The live grants a staff member may start a thread in on a document, for the console's picker. */
export async function liveGrantsForDocument(orgId: string, documentId: string, now = new Date()): Promise<GrantInfo[]> {
  const [shares, grants] = await Promise.all([
    prisma().share.findMany({ where: { orgId, state: 'ACTIVE', expiresAt: { gt: now }, documents: { some: { documentId } } }, select: { id: true }, orderBy: { createdAt: 'desc' }, take: 50 }),
    prisma().portalGrant.findMany({
      where: {
        orgId, state: 'ACTIVE', expiresAt: { gt: now }, portal: { archivedAt: null },
        OR: [
          { allSections: true, portal: { sections: { some: { documents: { some: { documentId } } } } } },
          { sections: { some: { section: { documents: { some: { documentId } } } } } },
        ],
      },
      select: { id: true }, orderBy: { createdAt: 'desc' }, take: 50,
    }),
  ]);
  const keys = [...shares.map((s) => `share:${s.id}`), ...grants.map((g) => `portal-grant:${g.id}`)];
  const loaded = await loadGrants(orgId, keys);
  return keys.map((k) => loaded.get(k)).filter((g): g is GrantInfo => g !== undefined);
}
