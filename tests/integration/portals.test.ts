import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { createDocument } from '../../lib/documents/service';
import { archivePortal, createPortal, getPortal, listPortals, updatePortal } from '../../lib/portals/admin';
import { grantPortalAccess, listPortalGrants, revokePortalAccess } from '../../lib/portals/grants';
import {
  addDocumentsToSection, createPortalSection, deletePortalSection, listPortalSections, movePortalSection, removeDocumentFromSection, renamePortalSection,
} from '../../lib/portals/sections';
import { createTerms } from '../../lib/terms/service';
import type { Principal } from '../../lib/auth/principal';
import { apiKeyPrincipal, createOrg, createStaff, fileFrom, tinyPdf } from '../helpers/factory';

const DAY = 86_400_000;
const slug = (base = 'portal') => `${base}-${crypto.randomBytes(4).toString('hex')}`;
const pdf = (p: Principal, title: string, tlp: 'GREEN' | 'RED' = 'GREEN') =>
  createDocument(p, fileFrom(tinyPdf(title), `${title}.pdf`, 'application/pdf'), { title, tlp }, 10_000_000);

async function setup() {
  const org = await createOrg('Portal Org');
  const { principal: admin } = await createStaff(org.id, 'ADMIN');
  const { principal: member } = await createStaff(org.id, 'MEMBER');
  const portal = await createPortal(member, { name: 'Counsel portal', slug: slug('counsel') });
  return { org, admin, member, portal };
}

async function otherOrg() {
  const org = await createOrg('Other Org');
  const { principal } = await createStaff(org.id, 'ADMIN');
  return { org, p: principal };
}

const events = (orgId: string, type: string) => prisma().auditEvent.findMany({ where: { orgId, type }, orderBy: { seq: 'asc' } });

describe('createPortal and updatePortal', () => {
  it('creates a portal with the default branding and audits it with the actor', async () => {
    const { org, member, portal } = await setup();
    expect(portal).toMatchObject({ orgId: org.id, name: 'Counsel portal', primaryColor: '#1f3a5f', accentColor: '#b4471f', welcome: '', footer: '', supportEmail: null, archivedAt: null });
    expect(portal).not.toHaveProperty('logo');
    const [ev] = await events(org.id, 'portal.create');
    expect(ev).toMatchObject({ actorType: 'staff', actorId: member.kind === 'staff' ? member.userId : null });
    expect(ev.details).toMatchObject({ portalId: portal.id, slug: portal.slug });
  });

  it('validates texts, colours and the support address', async () => {
    const { member } = await setup();
    await expect(createPortal(member, { name: 'X', slug: slug() })).rejects.toThrow(/at least 2/);
    await expect(createPortal(member, { name: 'Portal', slug: slug(), welcome: 'w'.repeat(2001) })).rejects.toThrow();
    await expect(createPortal(member, { name: 'Portal', slug: slug(), supportEmail: 'not an address' })).rejects.toThrow();
    await expect(createPortal(member, { name: 'Portal', slug: slug(), primaryColor: 'red' })).rejects.toThrow(/hex/);
    const ok = await createPortal(member, { name: '  Portal <b>x</b> ', slug: slug(), supportEmail: 'Help@Counsel.Example', primaryColor: '#0B3D2E', accentColor: '#1D4ED8' });
    expect(ok).toMatchObject({ name: 'Portal <b>x</b>', supportEmail: 'help@counsel.example', primaryColor: '#0b3d2e', accentColor: '#1d4ed8' });
  });

  it('refuses colours below WCAG AA, naming the pair and the ratio, and writes nothing', async () => {
    const { org, member, portal } = await setup();
    await expect(createPortal(member, { name: 'Pale', slug: slug(), primaryColor: '#ffcc00' })).rejects.toMatchObject({
      code: 'validation_failed', message: expect.stringMatching(/^primaryColor: White text on the primary colour .* contrast of 1\.\d\d:1, below the 4\.5:1/),
    });
    await expect(updatePortal(member, portal.id, { accentColor: '#9ca3af' })).rejects.toMatchObject({
      code: 'validation_failed', message: expect.stringMatching(/^accentColor: Accent colour links on white has a contrast of 2\.\d\d:1/),
    });
    expect((await getPortal(member, portal.id)).accentColor).toBe('#b4471f');
    expect(await prisma().portal.count({ where: { orgId: org.id } })).toBe(1);
  });

  it('refuses reserved and taken slugs, also when two requests race for one', async () => {
    const { member, portal } = await setup();
    const { p: stranger } = await otherOrg();
    await expect(createPortal(member, { name: 'Shares', slug: 'shares' })).rejects.toThrow(/reserved/);
    await expect(createPortal(member, { name: 'Admin', slug: 'admin' })).rejects.toThrow(/reserved/);
    await expect(createPortal(stranger, { name: 'Squat', slug: portal.slug })).rejects.toMatchObject({ code: 'validation_failed', message: expect.stringMatching(/already taken/) });
    const contested = slug('race');
    const results = await Promise.allSettled([
      createPortal(member, { name: 'First', slug: contested }),
      createPortal(stranger, { name: 'Second', slug: contested }),
      createPortal(member, { name: 'Third', slug: contested }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((x) => x.status === 'rejected')) {
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'validation_failed', message: expect.stringMatching(/already taken/) });
    }
    expect(await prisma().portal.count({ where: { slug: contested } })).toBe(1);
  });

  it('updates fields, records what changed, and keeps an archived portal read-only', async () => {
    const { org, member, portal } = await setup();
    const newSlug = slug('renamed');
    const u = await updatePortal(member, portal.id, { name: 'Renamed', slug: newSlug, welcome: 'Welcome, counsel.', supportEmail: null });
    expect(u).toMatchObject({ name: 'Renamed', slug: newSlug, welcome: 'Welcome, counsel.' });
    const [ev] = await events(org.id, 'portal.update');
    expect(ev.details).toMatchObject({ portalId: portal.id, from: portal.slug, slug: newSlug, changed: expect.arrayContaining(['name', 'slug', 'welcome']) });
    const archived = await archivePortal(member, portal.id);
    expect(archived.archivedAt).toBeInstanceOf(Date);
    expect(archived.revocationEpoch).toBe(portal.revocationEpoch + 1);
    await expect(updatePortal(member, portal.id, { name: 'Again' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(createPortalSection(member, portal.id, 'Late')).rejects.toMatchObject({ code: 'conflict' });
    expect((await archivePortal(member, portal.id, false)).archivedAt).toBeNull();
    expect((await events(org.id, 'portal.archive')).length).toBe(1);
    expect((await events(org.id, 'portal.unarchive')).length).toBe(1);
  });
});

describe('roles and organisations', () => {
  it('lets auditors read but not change portals; API keys need the portal scopes', async () => {
    const { org, portal } = await setup();
    const { principal: auditor } = await createStaff(org.id, 'AUDITOR');
    expect((await listPortals(auditor)).nodes.map((n) => n.id)).toContain(portal.id);
    await expect(createPortal(auditor, { name: 'Nope', slug: slug() })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(updatePortal(auditor, portal.id, { name: 'Nope' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(grantPortalAccess(auditor, portal.id, { emails: ['a@b.example'] })).rejects.toMatchObject({ code: 'forbidden' });
    const readKey = apiKeyPrincipal(org.id, ['portals:read']);
    expect((await getPortal(readKey, portal.id)).id).toBe(portal.id);
    await expect(createPortalSection(readKey, portal.id, 'Nope')).rejects.toMatchObject({ code: 'insufficient_scope' });
    await expect(listPortals(apiKeyPrincipal(org.id, ['shares:read']))).rejects.toMatchObject({ code: 'insufficient_scope' });
  });

  it("never lets another organisation's staff read or change a portal, its sections or grants", async () => {
    const { member, portal } = await setup();
    const section = await createPortalSection(member, portal.id, 'Pleadings');
    const grant = await grantPortalAccess(member, portal.id, { emails: ['counsel@firm.example'] });
    const { p: stranger } = await otherOrg();
    const strangerDoc = await pdf(stranger, 'theirs');
    await expect(getPortal(stranger, portal.id)).rejects.toMatchObject({ code: 'not_found' });
    expect((await listPortals(stranger)).nodes).toHaveLength(0);
    await expect(updatePortal(stranger, portal.id, { name: 'Hijacked' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(archivePortal(stranger, portal.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(listPortalSections(stranger, portal.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(createPortalSection(stranger, portal.id, 'Mine')).rejects.toMatchObject({ code: 'not_found' });
    await expect(renamePortalSection(stranger, section.id, 'Mine')).rejects.toMatchObject({ code: 'not_found' });
    await expect(deletePortalSection(stranger, section.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(addDocumentsToSection(stranger, section.id, [strangerDoc.id])).rejects.toMatchObject({ code: 'not_found' });
    await expect(listPortalGrants(stranger, portal.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(grantPortalAccess(stranger, portal.id, { emails: ['x@y.example'] })).rejects.toMatchObject({ code: 'not_found' });
    await expect(revokePortalAccess(stranger, grant.id)).rejects.toMatchObject({ code: 'not_found' });
    expect((await listPortalGrants(member, portal.id))[0].status).toBe('ACTIVE');
    expect((await getPortal(member, portal.id)).name).toBe('Counsel portal');
  });

  it("refuses another organisation's document, partner, terms and sections", async () => {
    const { member, portal } = await setup();
    const section = await createPortalSection(member, portal.id, 'Evidence');
    const { org: other, p: stranger } = await otherOrg();
    const theirDoc = await pdf(stranger, 'foreign');
    const theirPartner = await prisma().partnerOrg.create({ data: { orgId: other.id, name: 'Their partner', domains: ['their.example'] } });
    const theirTerms = await createTerms(stranger, { title: 'Their NDA', body: 'Text' });
    const theirPortal = await createPortal(stranger, { name: 'Theirs', slug: slug('theirs') });
    const theirSection = await createPortalSection(stranger, theirPortal.id, 'Theirs');
    await expect(addDocumentsToSection(member, section.id, [theirDoc.id])).rejects.toMatchObject({ code: 'not_found' });
    await expect(grantPortalAccess(member, portal.id, { partnerOrgId: theirPartner.id })).rejects.toMatchObject({ code: 'not_found', message: /partner/ });
    await expect(grantPortalAccess(member, portal.id, { emails: ['a@b.example'], termsVersionId: theirTerms.id })).rejects.toMatchObject({ code: 'not_found', message: /terms/ });
    await expect(grantPortalAccess(member, portal.id, { emails: ['a@b.example'], sectionIds: [theirSection.id] })).rejects.toMatchObject({ code: 'not_found', message: /sections/ });
    expect(await prisma().portalGrant.count({ where: { portalId: portal.id } })).toBe(0);
    expect(await prisma().portalSectionDocument.count({ where: { sectionId: section.id } })).toBe(0);
  });
});

describe('sections', () => {
  it('creates, renames, reorders and deletes sections, each audited', async () => {
    const { org, member, portal } = await setup();
    const a = await createPortalSection(member, portal.id, 'Pleadings');
    const b = await createPortalSection(member, portal.id, 'Evidence');
    const c = await createPortalSection(member, portal.id, 'Correspondence');
    expect([a.position, b.position, c.position]).toEqual([0, 1, 2]);
    await renamePortalSection(member, b.id, 'Exhibits');
    await movePortalSection(member, c.id, 'up');
    await movePortalSection(member, a.id, 'up'); // already first: nothing moves
    expect((await listPortalSections(member, portal.id)).map((s) => s.name)).toEqual(['Pleadings', 'Correspondence', 'Exhibits']);
    await deletePortalSection(member, a.id);
    expect((await listPortalSections(member, portal.id)).map((s) => s.name)).toEqual(['Correspondence', 'Exhibits']);
    expect((await events(org.id, 'portal.section.create')).length).toBe(3);
    expect((await events(org.id, 'portal.section.update')).map((e) => e.details)).toEqual(expect.arrayContaining([expect.objectContaining({ sectionId: b.id, from: 'Evidence', name: 'Exhibits' })]));
    expect((await events(org.id, 'portal.section.delete'))[0].details).toMatchObject({ sectionId: a.id, name: 'Pleadings' });
    await expect(createPortalSection(member, portal.id, '   ')).rejects.toThrow(/needs a name/);
  });

  it('adds documents idempotently, refuses markings above the ceiling, and removes them', async () => {
    const { org, member, portal } = await setup();
    const s = await createPortalSection(member, portal.id, 'Briefs');
    const d1 = await pdf(member, 'one');
    const d2 = await pdf(member, 'two');
    const red = await pdf(member, 'secret', 'RED');
    await addDocumentsToSection(member, s.id, [d1.id, d2.id]);
    await addDocumentsToSection(member, s.id, [d2.id, d1.id]);
    const [section] = await listPortalSections(member, portal.id);
    expect(section.documents.map((d) => d.title)).toEqual(['one', 'two']);
    expect((await events(org.id, 'portal.section.documents')).length).toBe(1);
    await expect(addDocumentsToSection(member, s.id, [red.id])).rejects.toMatchObject({ code: 'forbidden', message: /TLP:RED/ });
    expect((await getPortal(member, portal.id)).documentCount).toBe(2);
    await removeDocumentFromSection(member, s.id, d1.id);
    expect((await listPortalSections(member, portal.id))[0].documents.map((d) => d.title)).toEqual(['two']);
    expect((await events(org.id, 'portal.section.documents')).at(-1)!.details).toMatchObject({ sectionId: s.id, removed: [d1.id] });
  });
});

describe('grants', () => {
  it('grants with secure defaults; no sections named means every section', async () => {
    const { org, member, portal } = await setup();
    const g = await grantPortalAccess(member, portal.id, { emails: ['Counsel@Firm.Example'], domains: ['@Firm.Example'] });
    expect(g).toMatchObject({ emails: ['counsel@firm.example'], domains: ['firm.example'], allSections: true, sections: [], permission: 'VIEW', allowDownload: false, allowPrint: false, watermark: true, requireDevice: false, status: 'ACTIVE' });
    expect(g.expiresAt.getTime()).toBeGreaterThan(Date.now() + 13 * DAY);
    const [ev] = await events(org.id, 'portal.grant.create');
    expect(ev.details).toMatchObject({ portalId: portal.id, grantId: g.id, allSections: true });
  });

  it('limits a grant to named sections with a partner, groups, terms, device binding and conditions', async () => {
    const { org, member, portal } = await setup();
    const s1 = await createPortalSection(member, portal.id, 'One');
    await createPortalSection(member, portal.id, 'Two');
    const partner = await prisma().partnerOrg.create({ data: { orgId: org.id, name: 'Partner agency', domains: ['agency.example'] } });
    const terms = await createTerms(member, { title: 'NDA', body: 'Keep it secret.' });
    const g = await grantPortalAccess(member, portal.id, {
      partnerOrgId: partner.id, groups: ['liaison-officers'], sectionIds: [s1.id], permission: 'COMMENT', allowDownload: true,
      termsVersionId: terms.id, requireDevice: true, allowedIpRanges: ['203.0.113.9'], allowedCountries: ['gb'], allowedDevices: ['desktop'],
      expiresAt: new Date(Date.now() + 3 * DAY),
    });
    expect(g).toMatchObject({ allSections: false, sections: [{ id: s1.id, name: 'One' }], partnerOrg: { name: 'Partner agency' }, groups: ['liaison-officers'], requireDevice: true, allowedIpRanges: ['203.0.113.9/32'], allowedCountries: ['GB'], permission: 'COMMENT' });
  });

  it.each([
    ['nobody named', {}, /Name who gets access/],
    ['groups without a partner', { groups: ['x'] }, /partner organisation/],
    ['an expiry in the past', { emails: ['a@b.example'], expiresAt: new Date(Date.now() - 60_000) }, /future/],
    ['an expiry beyond the maximum', { emails: ['a@b.example'], expiresAt: new Date(Date.now() + 400 * DAY) }, /at most 90 days/],
    ['a malformed IP range', { emails: ['a@b.example'], allowedIpRanges: ['10.0.0.0/33'] }, /10\.0\.0\.0\/33/],
    ['a country that is not a code', { emails: ['a@b.example'], allowedCountries: ['Britain'] }, /ISO 3166/],
    ['a malformed address', { emails: ['not-an-address'] }, /./],
  ])('refuses %s and writes nothing', async (_label, input, message) => {
    const { member, portal } = await setup();
    await expect(grantPortalAccess(member, portal.id, input)).rejects.toThrow(message);
    expect(await prisma().portalGrant.count({ where: { portalId: portal.id } })).toBe(0);
  });

  it('revokes at once, records the reason, and revoking again changes nothing', async () => {
    const { org, member, portal } = await setup();
    const g = await grantPortalAccess(member, portal.id, { emails: ['counsel@firm.example'] });
    const r = await revokePortalAccess(member, g.id, '  Engagement ended ');
    expect(r).toMatchObject({ status: 'REVOKED', state: 'REVOKED', revokedReason: 'Engagement ended' });
    expect(r.revokedAt).toBeInstanceOf(Date);
    await revokePortalAccess(member, g.id);
    const evs = await events(org.id, 'portal.grant.revoke');
    expect(evs).toHaveLength(1);
    expect(evs[0]).toMatchObject({ reason: 'Engagement ended' });
    expect((await getPortal(member, portal.id)).activeGrantCount).toBe(0);
  });
});
