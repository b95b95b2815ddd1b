import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { issueApiKey } from '../../lib/auth/api-keys';
import { verifiedGuest } from '../../lib/guest/session';
import { openOnPortal } from '../../lib/portals/open';
import { findPortalById } from '../../lib/portals/portal-lookup';
import { previewDocument, previewPage } from '../../lib/portals/preview-document';
import { previewPortal } from '../../lib/portals/preview';
import { GET as brandCssRoute } from '../../app/(console)/portals/[id]/preview/brand.css/route';
import { GET as previewPageRoute } from '../../app/(console)/portals/[id]/preview/pages/[previewId]/[page]/route';
import { consoleSession } from '../helpers/console-session';
import { createStaff } from '../helpers/factory';
import { BASE } from '../helpers/guest';
import { grant, portalFixture, portalPage } from '../helpers/portal';

/*
 * The owner's preview opens documents: the viewer as the chosen guest would get it (same policy, same
 * grants, their facts), or the refusal they would see; page images decided again for that identity,
 * watermarked, audited once per page per preview as the staff member's, never as the guest's access.
 */

const ANN = { kind: 'email', email: 'ann@counsel.example' } as const;

async function setup(opts: Parameters<typeof portalFixture>[0] = {}) {
  const f = await portalFixture(opts);
  const g = await grant(f.portal.id, f.org.id, { emails: [ANN.email], sectionIds: [f.sectionA.id], watermark: true, allowDownload: false });
  const session = await consoleSession(f.user);
  return { ...f, grantId: g.id, cookie: session.cookie };
}

const pageReq = (portalId: string, previewId: string, page: number | string, cookie: string | null, w?: number) =>
  previewPageRoute(new Request(`${BASE}/portals/${portalId}/preview/pages/${previewId}/${page}${w ? `?w=${w}` : ''}`, { headers: cookie ? { cookie } : {} }),
    { params: Promise.resolve({ id: portalId, previewId, page: String(page) }) });

/** Nothing recorded as a guest's: no guest, no session, no page view, no guest event. */
async function expectNoGuestTrace(orgId: string, portalId: string) {
  expect(await prisma().guest.count({ where: { orgId } })).toBe(0);
  expect(await prisma().guestSession.count({ where: { portalId } })).toBe(0);
  expect(await prisma().guestPageView.count({ where: { session: { portalId } } })).toBe(0);
  expect(await prisma().auditEvent.count({ where: { orgId, type: { startsWith: 'guest.' } } })).toBe(0);
}

describe("owner's preview: opening a document", () => {
  it('shows the viewer the guest would get, and its pages through the preview route, audited once per page per preview', async () => {
    const f = await setup();
    const doc = await previewDocument(f.principal, f.portal.id, ANN, f.docA.id);
    expect(doc).toMatchObject({ kind: 'allowed', title: 'Alpha briefing', watermark: true, downloadable: false, viewer: { kind: 'pages', layout: { pages: 1 } } });
    if (doc.kind !== 'allowed') throw new Error('allowed');
    const opened = await prisma().auditEvent.findFirstOrThrow({ where: { orgId: f.org.id, type: 'portal.preview.document' } });
    expect(opened).toMatchObject({ actorType: 'staff', actorId: f.user.id, documentId: f.docA.id });
    expect(opened.details).toMatchObject({ portalId: f.portal.id, as: ANN, decision: 'allowed', previewId: doc.previewId, watermark: true });

    const first = await pageReq(f.portal.id, doc.previewId, 1, f.cookie);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('image/png');
    expect(first.headers.get('cache-control')).toBe('no-store, private');
    expect(first.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'");
    expect((await sharp(Buffer.from(await first.arrayBuffer())).metadata()).format).toBe('png');
    expect((await pageReq(f.portal.id, doc.previewId, 1, f.cookie)).status).toBe(200);
    // The thumbnail strip counts once, as page 0.
    expect((await pageReq(f.portal.id, doc.previewId, 1, f.cookie, 160)).status).toBe(200);
    const pages = await prisma().auditEvent.findMany({ where: { orgId: f.org.id, type: 'portal.preview.page' }, orderBy: { seq: 'asc' } });
    expect(pages).toHaveLength(2);
    expect(pages[0]).toMatchObject({ actorType: 'staff', actorId: f.user.id, documentId: f.docA.id });
    expect(pages[0].details).toMatchObject({ portalId: f.portal.id, previewId: doc.previewId, as: ANN, page: 1, watermarked: true });
    expect(pages[1].details).toMatchObject({ thumbnails: true });
    // Opening it again is another preview: its pages are audited again.
    const again = await previewDocument(f.principal, f.portal.id, ANN, f.docA.id);
    if (again.kind !== 'allowed') throw new Error('allowed');
    expect(again.previewId).not.toBe(doc.previewId);
    await pageReq(f.portal.id, again.previewId, 1, f.cookie);
    expect(await prisma().auditEvent.count({ where: { orgId: f.org.id, type: 'portal.preview.page' } })).toBe(3);
    await expectNoGuestTrace(f.org.id, f.portal.id);
  });

  it('draws the watermark the guest would get (marked as a staff preview), and none where their grant has none', async () => {
    const f = await setup();
    const marked = await previewDocument(f.principal, f.portal.id, ANN, f.docA.id);
    const bob = { kind: 'email', email: 'bob@counsel.example' } as const;
    await grant(f.portal.id, f.org.id, { emails: [bob.email], sectionIds: [f.sectionA.id], watermark: false });
    const plain = await previewDocument(f.principal, f.portal.id, bob, f.docA.id);
    if (marked.kind !== 'allowed' || plain.kind !== 'allowed') throw new Error('allowed');
    expect(plain.watermark).toBe(false);
    const a = Buffer.from(await (await pageReq(f.portal.id, marked.previewId, 1, f.cookie, 800)).arrayBuffer());
    const b = Buffer.from(await (await pageReq(f.portal.id, plain.previewId, 1, f.cookie, 800)).arrayBuffer());
    expect(a.equals(b)).toBe(false);
    const audited = await prisma().auditEvent.findMany({ where: { orgId: f.org.id, type: 'portal.preview.page' }, orderBy: { seq: 'asc' } });
    expect(audited.map((e) => (e.details as { watermarked: boolean }).watermarked)).toEqual([true, false]);
  });

  it('a document the guest could not open shows the refusal they would get, and serves no page', async () => {
    const f = await setup({ tlpB: 'RED' });
    // Outside their grant's sections: the viewer's "Document not found", naming nothing.
    const outside = await previewDocument(f.principal, f.portal.id, ANN, f.docB.id);
    expect(outside).toMatchObject({ kind: 'refused', reason: 'not_found', title: null, refusal: { where: 'viewer', title: 'Document not found' } });
    // In their sections but classified above the grant's ceiling.
    await grant(f.portal.id, f.org.id, { emails: ['carol@counsel.example'] });
    await prisma().organization.update({ where: { id: f.org.id }, data: { tlpCeiling: 'AMBER' } });
    const red = await previewDocument(f.principal, f.portal.id, { kind: 'email', email: 'carol@counsel.example' }, f.docB.id);
    expect(red).toMatchObject({ kind: 'refused', reason: 'tlp_denied', refusal: { where: 'viewer', title: 'Not available' } });
    // A revoked grant: the home's "withdrawn" notice.
    await prisma().portalGrant.update({ where: { id: f.grantId }, data: { state: 'REVOKED', revokedAt: new Date() } });
    const revoked = await previewDocument(f.principal, f.portal.id, ANN, f.docA.id);
    expect(revoked).toMatchObject({ kind: 'refused', reason: 'revoked', refusal: { where: 'home', title: 'Your access has been withdrawn' } });
    // An address no grant names.
    expect(await previewDocument(f.principal, f.portal.id, { kind: 'email', email: 'eve@elsewhere.example' }, f.docA.id)).toMatchObject({ kind: 'refused' });
    const events = await prisma().auditEvent.findMany({ where: { orgId: f.org.id, type: 'portal.preview.document' }, orderBy: { seq: 'asc' } });
    expect(events.map((e) => (e.details as { decision: string }).decision)).toEqual(['not_found', 'tlp_denied', 'revoked', expect.any(String)]);
    expect(await prisma().portalPreview.count({ where: { portalId: f.portal.id } })).toBe(0);
    await expectNoGuestTrace(f.org.id, f.portal.id);
  });

  it('the home preview lists the documents they would not see, so staff can open them', async () => {
    const f = await setup();
    const home = await previewPortal(f.principal, f.portal.id, ANN);
    expect(home.sections.flatMap((s) => s.documents.map((d) => d.id))).toEqual([f.docA.id]);
    expect(home.hidden).toEqual([{ id: f.docB.id, title: 'Bravo contract', section: 'Contracts' }]);
  });

  it('page images are decided again at serve time: a grant revoked after opening stops the next page', async () => {
    const f = await setup();
    const doc = await previewDocument(f.principal, f.portal.id, ANN, f.docA.id);
    if (doc.kind !== 'allowed') throw new Error('allowed');
    await prisma().portalGrant.update({ where: { id: f.grantId }, data: { state: 'REVOKED', revokedAt: new Date() } });
    const res = await pageReq(f.portal.id, doc.previewId, 1, f.cookie);
    expect(res.status).toBe(410);
    expect((await res.json()).error).toBe('revoked');
    expect(await prisma().auditEvent.count({ where: { orgId: f.org.id, type: 'portal.preview.page' } })).toBe(0);
  });

  it('staff only, the one who opened it, while it lasts: no cookie, a guest cookie, another staff member, another organisation, an API key', async () => {
    const f = await setup();
    const doc = await previewDocument(f.principal, f.portal.id, ANN, f.docA.id);
    if (doc.kind !== 'allowed') throw new Error('allowed');
    expect((await pageReq(f.portal.id, doc.previewId, 1, null)).status).toBe(401);
    // A guest of this very portal, with a live portal session: their cookie is no console session.
    const portal = (await findPortalById(f.portal.id))!;
    const guest = await verifiedGuest(f.org.id, ANN.email);
    const opened = await openOnPortal(portal, { guest, method: 'code' }, { ip: '198.51.100.20', userAgent: 'vitest', host: 'localhost' });
    expect((await portalPage(f.portal.slug, f.docA.id, 1, opened.accessToken, '198.51.100.20')).status).toBe(200);
    for (const cookie of [`liaison_portal=${opened.accessToken}`, `liaison_guest=${opened.accessToken}`]) {
      const res = await pageReq(f.portal.id, doc.previewId, 1, cookie);
      expect(res.status).toBe(401);
    }
    // Another staff member of the organisation: not their preview.
    const { user: colleague } = await createStaff(f.org.id, 'ADMIN');
    expect((await pageReq(f.portal.id, doc.previewId, 1, (await consoleSession(colleague)).cookie)).status).toBe(404);
    // Another organisation's admin.
    const other = await portalFixture();
    expect((await pageReq(f.portal.id, doc.previewId, 1, (await consoleSession(other.user)).cookie)).status).toBe(404);
    // The same preview under another portal's path.
    expect((await pageReq(other.portal.id, doc.previewId, 1, f.cookie)).status).toBe(404);
    // A page that does not exist, and a malformed one.
    expect((await pageReq(f.portal.id, doc.previewId, 2, f.cookie)).status).toBe(404);
    expect((await pageReq(f.portal.id, doc.previewId, '0', f.cookie)).status).toBe(404);
    // An API key has no console: no preview through it.
    const key = await issueApiKey({ orgId: f.org.id, name: 'k', actor: null });
    const keyPrincipal = { kind: 'apikey' as const, orgId: f.org.id, keyId: key.id, name: 'k', prefix: 'x', scopes: new Set(['portals:read', 'documents:read'] as const), request: { ip: null, userAgent: null } };
    await expect(previewDocument(keyPrincipal, f.portal.id, ANN, f.docA.id)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(previewPage(keyPrincipal, f.portal.id, doc.previewId, 1, null)).rejects.toMatchObject({ code: 'forbidden' });
    // An ended preview.
    await prisma().portalPreview.update({ where: { id: doc.previewId }, data: { expiresAt: new Date(Date.now() - 1) } });
    expect((await pageReq(f.portal.id, doc.previewId, 1, f.cookie)).status).toBe(404);
    expect(await prisma().auditEvent.count({ where: { orgId: f.org.id, type: 'portal.preview.page' } })).toBe(0);
  });

  it("the frame's colours come as a stylesheet, for this organisation's staff only", async () => {
    const f = await setup();
    await prisma().portal.update({ where: { id: f.portal.id }, data: { primaryColor: '#2b3a67', accentColor: '#8a3b12' } });
    const css = (cookie: string | null) => brandCssRoute(new Request(`${BASE}/portals/${f.portal.id}/preview/brand.css`, { headers: cookie ? { cookie } : {} }), { params: Promise.resolve({ id: f.portal.id }) });
    const ok = await css(f.cookie);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await ok.text()).toBe('[data-portal-preview]{--portal-primary:#2b3a67;--portal-accent:#8a3b12}\n');
    expect((await css(null)).status).toBe(401);
    const other = await portalFixture();
    expect((await css((await consoleSession(other.user)).cookie)).status).toBe(404);
  });
});
