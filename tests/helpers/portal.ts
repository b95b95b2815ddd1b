import { prisma } from '../../lib/db/client';
import { createDocument } from '../../lib/documents/service';
import { CLIENT_IP_HEADER } from '../../lib/http/client-ip';
import { HOST_HEADER } from '../../lib/http/request-host';
import { portalCodeWorkSettled } from '../../lib/portals/codes';
import { POST as codesRoute } from '../../app/api/portal/v1/codes/route';
import { POST as sessionsRoute } from '../../app/api/portal/v1/sessions/route';
import { GET as pageRoute } from '../../app/p/[slug]/d/[docId]/pages/[page]/route';
import { GET as downloadRoute } from '../../app/p/[slug]/d/[docId]/download/route';
import { POST as browserSessionRoute } from '../../app/p/[slug]/session/route';
import { createOrg, createStaff, fileFrom, tinyPdf } from './factory';
import { deliverMail } from './guest-identity';
import { BASE, DESKTOP_UA } from './guest';

let seq = 0;

/** A portal with two sections (one document each) in a fresh organisation; grants are up to each test. */
export async function portalFixture(opts: { tlpB?: 'GREEN' | 'RED' } = {}) {
  const org = await createOrg();
  const { user, principal } = await createStaff(org.id, 'ADMIN');
  const docA = await createDocument(principal, fileFrom(tinyPdf('Section A briefing'), 'a.pdf', 'application/pdf'), { title: 'Alpha briefing', tlp: 'GREEN' }, 1e7);
  const docB = await createDocument(principal, fileFrom(tinyPdf('Section B contract'), 'b.pdf', 'application/pdf'), { title: 'Bravo contract', tlp: opts.tlpB ?? 'GREEN' }, 1e7);
  const slug = `acme-${Date.now().toString(36)}-${seq++}`;
  const portal = await prisma().portal.create({ data: { orgId: org.id, name: 'Acme Counsel Portal', slug, createdById: user.id } });
  const sectionA = await prisma().portalSection.create({ data: { portalId: portal.id, name: 'Pleadings', position: 0, documents: { create: [{ documentId: docA.id }] } } });
  const sectionB = await prisma().portalSection.create({ data: { portalId: portal.id, name: 'Contracts', position: 1, documents: { create: [{ documentId: docB.id }] } } });
  return { org, user, principal, docA, docB, portal, sectionA, sectionB };
}

export async function grant(portalId: string, orgId: string, data: Partial<{ emails: string[]; domains: string[]; partnerOrgId: string; groups: string[]; sectionIds: string[]; allowDownload: boolean; watermark: boolean; allowPrint: boolean; expiresAt: Date; allowedIpRanges: string[]; termsVersionId: string; requireDevice: boolean; state: 'ACTIVE' | 'REVOKED' }> = {}) {
  const { sectionIds, ...rest } = data;
  return prisma().portalGrant.create({
    data: {
      portalId, orgId, expiresAt: new Date(Date.now() + 86_400_000), ...rest,
      allSections: !sectionIds, ...(sectionIds ? { sections: { create: sectionIds.map((sectionId) => ({ sectionId })) } } : {}),
    },
  });
}

export const portalHeaders = (ip: string, host = 'localhost', extra: Record<string, string> = {}) =>
  ({ [CLIENT_IP_HEADER]: ip, [HOST_HEADER]: host, 'user-agent': DESKTOP_UA, ...extra });

export async function portalCode(slug: string, email: string, ip: string, host = 'localhost') {
  const res = await codesRoute(new Request(`${BASE}/api/portal/v1/codes`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...portalHeaders(ip, host) }, body: JSON.stringify({ portal: slug, email }),
  }));
  return { res, json: await res.clone().json() as Record<string, unknown> };
}

export async function settlePortalCodes(orgId: string) {
  await portalCodeWorkSettled();
  await deliverMail(orgId);
}

export async function portalOpen(body: Record<string, unknown>, ip: string, host = 'localhost') {
  const res = await sessionsRoute(new Request(`${BASE}/api/portal/v1/sessions`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...portalHeaders(ip, host) }, body: JSON.stringify(body),
  }));
  return { res, json: await res.clone().json() as Record<string, unknown> };
}

const ctx = <P>(p: P) => ({ params: Promise.resolve(p) });

export const portalPage = (slug: string, docId: string, page: number | string, cookie: string | null, ip: string, host = 'localhost') =>
  pageRoute(new Request(`${BASE}/p/${slug}/d/${docId}/pages/${page}`, { headers: { ...portalHeaders(ip, host), ...(cookie ? { cookie: `liaison_portal=${cookie}` } : {}) } }),
    ctx({ slug, docId, page: String(page) }));

export const portalDownload = (slug: string, docId: string, cookie: string | null, ip: string, host = 'localhost') =>
  downloadRoute(new Request(`${BASE}/p/${slug}/d/${docId}/download`, { headers: { ...portalHeaders(ip, host), ...(cookie ? { cookie: `liaison_portal=${cookie}` } : {}) } }),
    ctx({ slug, docId }));

/** The browser sign-in form: the redirect and the portal cookie it set. */
export async function portalBrowserOpen(slug: string, form: Record<string, string>, ip: string, host = 'localhost') {
  const res = await browserSessionRoute(new Request(`${BASE}/p/${slug}/session`, { method: 'POST', headers: portalHeaders(ip, host), body: new URLSearchParams(form) }), ctx({ slug }));
  const setCookie = res.headers.get('set-cookie') ?? '';
  return { res, location: res.headers.get('location'), setCookie, cookie: /liaison_portal=([^;]*)/.exec(setCookie)?.[1] || null };
}
