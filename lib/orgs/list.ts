import { prisma } from '../db/client';

export interface OrganizationSummary { id: string; slug: string; name: string; createdAt: Date; staffCount: number }

/**
 * Every organisation on this instance, oldest first, with how many staff accounts it has. For
 * operators (the CLI): no staff principal can see beyond its own organisation.
 */
export async function listOrganizations(): Promise<OrganizationSummary[]> {
  const rows = await prisma().organization.findMany({
    orderBy: [{ createdAt: 'asc' }, { slug: 'asc' }],
    select: { id: true, slug: true, name: true, createdAt: true, _count: { select: { staff: true } } },
  });
  return rows.map(({ _count, ...o }) => ({ ...o, staffCount: _count.staff }));
}
