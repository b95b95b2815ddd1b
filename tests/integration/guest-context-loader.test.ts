import { describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { createDocument } from '../../lib/documents/service';
import { createTerms } from '../../lib/terms/service';
import { updateShare } from '../../lib/shares/service';
import { loadSessionWithShare } from '../../lib/guest/context-loader';
import { sessionWithGuest, shareWithDocs } from '../../lib/guest/facts';
import { fileFrom, tinyPdf } from '../helpers/factory';
import { apiOpen, sharedPdf } from '../helpers/guest';

/**
 * The hand-written guarded-path query must return exactly what the Prisma includes return: a column
 * added to GuestSession, Guest or Share that the SQL forgets, or a relation that changes, fails here.
 */
describe('the guarded path loader', () => {
  it('returns the same session and share as the Prisma includes, field for field', async () => {
    const s = await sharedPdf({ allowDownload: true, password: 'loader-password', allowedIpRanges: ['198.51.100.0/24'], allowedCountries: [], recipients: ['a@b.example'] });
    const second = await createDocument(s.principal, fileFrom(tinyPdf('two'), 'two.pdf', 'application/pdf'), { title: 'Two', tlp: 'GREEN' }, 1e7);
    await prisma().shareDocument.create({ data: { shareId: s.share.id, documentId: second.id } });
    const terms = await createTerms(s.principal, { title: 'T', body: 'B' });
    await updateShare(s.principal, s.share.id, { termsVersionId: terms.id });
    const { res, json } = await apiOpen({ link: s.url, password: 'loader-password', acceptTerms: terms.id });
    expect(res.status).toBe(201);
    const sid = JSON.parse(Buffer.from(String(json.access_token).split('.')[1], 'base64url').toString()).sid as string;

    const viaPrisma = await prisma().guestSession.findUniqueOrThrow({ where: { id: sid }, include: { ...sessionWithGuest, share: { include: shareWithDocs } } });
    const { share: prismaShare, ...prismaSession } = viaPrisma;
    const raw = await loadSessionWithShare(sid);
    expect(raw).not.toBeNull();
    const sortDocs = <T extends { documents: Array<{ documentId: string }> }>(x: T) => ({ ...x, documents: [...x.documents].sort((a, b) => a.documentId.localeCompare(b.documentId)) });
    expect(sortDocs(raw!.share)).toEqual(sortDocs(prismaShare!));
    expect(raw!.session).toEqual(prismaSession);
    // Every scalar column of the three tables is carried (a new column shows up here first).
    expect(Object.keys(raw!.share).sort()).toEqual(Object.keys(prismaShare!).sort());
    expect(Object.keys(raw!.session).sort()).toEqual(Object.keys(prismaSession).sort());
  });

  it('the current versions come back as the Prisma select would give them', async () => {
    const { currentVersion, currentVersions } = await import('../../lib/guest/versions');
    const { versionForServing } = await import('../../lib/guest/facts');
    const { addVersion } = await import('../../lib/documents/service');
    const s = await sharedPdf();
    await addVersion(s.principal, s.doc.id, fileFrom(tinyPdf('v2'), 'v2.pdf', 'application/pdf'), { tlp: 'GREEN' }, 1e7);
    const viaPrisma = await prisma().documentVersion.findFirstOrThrow({ where: { documentId: s.doc.id }, orderBy: { number: 'desc' }, select: versionForServing });
    const raw = await currentVersion(s.org.id, s.doc.id);
    // Another organisation's document is never found.
    const other = await sharedPdf();
    expect(await currentVersion(s.org.id, other.doc.id)).toBeNull();
    expect(raw).toEqual({ ...viaPrisma, wrappedKey: expect.anything() });
    expect(Buffer.from(raw!.wrappedKey).equals(Buffer.from(viaPrisma.wrappedKey))).toBe(true);
    expect(Object.keys(raw!).sort()).toEqual(Object.keys(viaPrisma).sort());
    expect(typeof raw!.size).toBe('bigint');
    expect(raw!.number).toBe(2);
    expect(await currentVersions(s.org.id, [s.doc.id, 'cnotadocument000000000000'])).toEqual([{ id: s.doc.id, title: 'Briefing', version: raw }]);
    // The session loader returns the same version with the session, and none for a document outside the share.
    const { loadSessionWithShare } = await import('../../lib/guest/context-loader');
    const { apiToken } = await import('../helpers/guest');
    const token = await apiToken(s.url);
    const sid = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sid as string;
    const withVersion = await loadSessionWithShare(sid, s.doc.id);
    expect(withVersion!.version).toEqual({ ...viaPrisma, wrappedKey: expect.anything() });
    expect(Buffer.from(withVersion!.version!.wrappedKey).equals(Buffer.from(viaPrisma.wrappedKey))).toBe(true);
    expect((await loadSessionWithShare(sid, other.doc.id))!.version).toBeNull();
    expect((await loadSessionWithShare(sid))!.version).toBeNull();

  });

  it('the share by link token comes back as the Prisma include would give it', async () => {
    const { loadShareByTokenHash } = await import('../../lib/guest/context-loader');
    const { sha256Hex } = await import('../../lib/crypto/secrets');
    const s = await sharedPdf({ audience: 'VERIFIED_EMAIL', recipients: ['a@b.example', 'c@d.example'], allowedDomains: ['firm.example'] });
    const viaPrisma = await prisma().share.findUniqueOrThrow({ where: { id: s.share.id }, include: shareWithDocs });
    const raw = await loadShareByTokenHash(sha256Hex(s.token));
    const sortRel = <T extends { recipients: Array<{ email: string }> }>(x: T) => ({ ...x, recipients: [...x.recipients].sort((a, b) => a.email.localeCompare(b.email)) });
    expect(sortRel(raw!)).toEqual(sortRel(viaPrisma));
    expect(Object.keys(raw!).sort()).toEqual(Object.keys(viaPrisma).sort());
    expect(await loadShareByTokenHash(sha256Hex('no such token'))).toBeNull();
  });

  it('finds nothing for an unknown session', async () => {
    expect(await loadSessionWithShare('cnosuchsession0000000000')).toBeNull();
  });
});
