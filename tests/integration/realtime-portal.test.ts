import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { revokePortalAccess } from '../../lib/portals/grants';
import { archivePortal } from '../../lib/portals/admin';
import { startSmtp } from '../helpers/smtp';
import { codeIn, mailsTo } from '../helpers/guest-identity';
import { grant, portalBrowserOpen, portalCode, portalFixture, portalHeaders, portalOpen, settlePortalCodes } from '../helpers/portal';
import { BASE } from '../helpers/guest';
import { POST as portalSocketTokenRoute } from '../../app/p/[slug]/realtime-token/route';
import { ack, connect, realtimeServer, revokedAndClosed } from '../helpers/realtime';

type Smtp = Awaited<ReturnType<typeof startSmtp>>;
let smtp: Smtp;
let srv: Awaited<ReturnType<typeof realtimeServer>>;
beforeAll(async () => { smtp = await startSmtp(); process.env.SMTP_URL = smtp.url; srv = await realtimeServer(); });
afterAll(async () => { await srv.close(); await smtp.close(); delete process.env.SMTP_URL; });

let ipCounter = 1;
const freshIp = () => `192.0.2.${(ipCounter++ % 250) + 1}`;

async function codeFor(f: Awaited<ReturnType<typeof portalFixture>>, email: string) {
  expect((await portalCode(f.portal.slug, email, freshIp())).res.status).toBe(202);
  await settlePortalCodes(f.org.id);
  const got = mailsTo(smtp, email);
  return codeIn(got[got.length - 1].parsed.text)!;
}

async function signIn(f: Awaited<ReturnType<typeof portalFixture>>, email: string) {
  const code = await codeFor(f, email);
  const opened = await portalOpen({ portal: f.portal.slug, email, code }, freshIp());
  expect(opened.res.status, JSON.stringify(opened.json)).toBe(201);
  return opened.json.access_token as string;
}

describe('portal sockets', () => {
  it('a portal guest joins documents of their sections only; revoking their grant closes the socket with the reason', async () => {
    const f = await portalFixture();
    const g = await grant(f.portal.id, f.org.id, { emails: ['ann@counsel.example'], sectionIds: [f.sectionA.id] });
    await prisma().portalGrant.update({ where: { id: g.id }, data: { permission: 'COMMENT' } });
    const token = await signIn(f, 'ann@counsel.example');
    const sock = await connect(srv.url, { auth: { token } });
    const joined = await ack<{ ok: boolean; participants: { id: string; name: string }[] }>(sock, 'join', { documentId: f.docA.id });
    expect(joined.ok).toBe(true);
    expect(joined.participants).toEqual([{ id: expect.stringMatching(/^guest:/), name: 'ann@counsel.example', kind: 'guest' }]);
    // Section B is not in the grant: not_found, and the socket stays.
    expect(await ack(sock, 'join', { documentId: f.docB.id })).toEqual({ error: 'not_found' });
    const c = await ack<{ ok: boolean; comment: { id: string } }>(sock, 'comment:create', { documentId: f.docA.id, body: 'Portal comment' });
    expect(c.ok).toBe(true);
    const row = await prisma().comment.findUniqueOrThrow({ where: { id: c.comment.id } });
    expect(row).toMatchObject({ grantKeys: [`portal-grant:${g.id}`], portalId: f.portal.id, shareId: null });
    const closed = revokedAndClosed(sock);
    await revokePortalAccess(f.principal, g.id);
    expect((await closed).reason).toBe('revoked');
  });

  it('archiving the portal ends its sockets', async () => {
    const f = await portalFixture();
    await grant(f.portal.id, f.org.id, { emails: ['bob@counsel.example'] });
    const token = await signIn(f, 'bob@counsel.example');
    const sock = await connect(srv.url, { auth: { token } });
    const closed = revokedAndClosed(sock);
    await archivePortal(f.principal, f.portal.id, true);
    expect((await closed).reason).toBe('invalid_token');
  });

  it('the portal cookie buys a short handshake token (POST /p/<slug>/realtime-token), same origin only', async () => {
    const f = await portalFixture();
    await grant(f.portal.id, f.org.id, { emails: ['cy@counsel.example'] });
    const { cookie } = await portalBrowserOpen(f.portal.slug, { email: 'cy@counsel.example', code: await codeFor(f, 'cy@counsel.example') }, freshIp());
    expect(cookie).toBeTruthy();
    const ask = (origin: string | null, withCookie = true) => portalSocketTokenRoute(new Request(`${BASE}/p/${f.portal.slug}/realtime-token`, {
      method: 'POST', headers: { ...portalHeaders('192.0.2.200'), ...(origin ? { origin } : {}), ...(withCookie ? { cookie: `liaison_portal=${cookie}` } : {}) },
    }), { params: Promise.resolve({ slug: f.portal.slug }) });
    expect((await ask('https://evil.example')).status).toBe(403);
    expect((await ask(BASE, false)).status).toBe(401);
    const res = await ask(BASE);
    expect(res.status).toBe(200);
    const { token, expiresIn } = await res.json() as { token: string; expiresIn: number };
    expect(expiresIn).toBe(60);
    const sock = await connect(srv.url, { auth: { token } });
    expect(await ack(sock, 'join', { documentId: f.docA.id })).toMatchObject({ ok: true });
    sock.close();
  });
});
