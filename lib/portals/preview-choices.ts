import { prisma } from '../db/client';
import { AppError } from '../errors';
import { authorize, type Principal } from '../auth/principal';

/** Whom the preview can be shown as: the portal's guests, the organisation's partners and the groups its grants name. */
export async function previewChoices(p: Principal, portalId: string) {
  authorize(p, 'portals:read');
  const portal = await prisma().portal.findFirst({ where: { id: portalId, orgId: p.orgId }, select: { id: true } });
  if (!portal) throw new AppError('not_found', 'No such portal.');
  const [members, grants, partners] = await Promise.all([
    prisma().portalMember.findMany({ where: { portalId }, include: { guest: { select: { id: true, email: true, kind: true } } }, orderBy: { addedAt: 'desc' }, take: 200 }),
    prisma().portalGrant.findMany({ where: { portalId }, select: { emails: true, groups: true } }),
    prisma().partnerOrg.findMany({ where: { orgId: p.orgId }, select: { id: true, name: true }, orderBy: { name: 'asc' } }),
  ]);
  const named = [...new Set(grants.flatMap((g) => g.emails))];
  const known = await prisma().guest.findMany({ where: { orgId: p.orgId, email: { in: named } }, select: { id: true, email: true, kind: true }, take: 200 });
  const guests = new Map([...members.map((m) => m.guest), ...known].map((g) => [g.id, { id: g.id, label: `${g.email ?? `guest ${g.id}`} (${g.kind.toLowerCase().replace('_', ' ')})` }]));
  return { guests: [...guests.values()].sort((a, b) => a.label.localeCompare(b.label)), partners, groups: [...new Set(grants.flatMap((g) => g.groups))].sort() };
}
