import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { prisma } from '../../lib/db/client';
import { CLIENT_IP_HEADER, clientIp } from '../../lib/http/client-ip';
import { HOST_HEADER } from '../../lib/http/request-host';
import { handleProposalUpload } from '../../lib/http/proposal-upload';
import { acceptProposal } from '../../lib/collab/proposals';
import { applyNoteUpdate, NOTE_TEXT, syncNote } from '../../lib/collab/notes';
import { authorizePortalApi } from '../../lib/http/portal-api';
import { portalGrantKey, type GuestCollabActor } from '../../lib/collab/types';
import { startSmtp } from '../helpers/smtp';
import { codeIn, mailsTo } from '../helpers/guest-identity';
import { apiDocument, DESKTOP_UA } from '../helpers/guest';
import { tinyPdf } from '../helpers/factory';
import { grant, portalCode, portalFixture, portalOpen, settlePortalCodes } from '../helpers/portal';

type Smtp = Awaited<ReturnType<typeof startSmtp>>;
let smtp: Smtp;
let server: http.Server;
let port: number;
beforeAll(async () => {
  smtp = await startSmtp();
  process.env.SMTP_URL = smtp.url;
  server = http.createServer((req, res) => {
    req.headers[CLIENT_IP_HEADER] = clientIp(req);
    req.headers[HOST_HEADER] = 'localhost';
    if (handleProposalUpload(req, res)) return;
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await smtp.close();
  delete process.env.SMTP_URL;
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});
afterEach(() => { smtp.received.length = 0; });

let ipCounter = 1;
const freshIp = () => `192.0.2.${(ipCounter++ % 250) + 1}`;

async function signIn(f: Awaited<ReturnType<typeof portalFixture>>, email: string) {
  const r = await portalCode(f.portal.slug, email, freshIp());
  expect(r.res.status).toBe(202);
  await settlePortalCodes(f.org.id);
  const got = mailsTo(smtp, email);
  const opened = await portalOpen({ portal: f.portal.slug, email, code: codeIn(got[got.length - 1].parsed.text) }, freshIp());
  expect(opened.res.status, JSON.stringify(opened.json)).toBe(201);
  return opened.json.access_token as string;
}

function propose(token: string, documentId: string) {
  const boundary = `----liaison${crypto.randomBytes(8).toString('hex')}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="redline.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
    tinyPdf('Redlined by counsel'), Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return new Promise<{ status: number; json: any }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: `/api/portal/v1/documents/${documentId}/proposals`, agent: false, headers: {
      authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': body.length, 'user-agent': DESKTOP_UA,
    } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString() || 'null') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('edit permission through a portal', () => {
  it('an EDIT grant proposes for its sections only; a VIEW grant is refused; accepting serves the new version', async () => {
    const f = await portalFixture();
    const edit = await grant(f.portal.id, f.org.id, { emails: ['ann@counsel.example'], sectionIds: [f.sectionA.id] });
    await prisma().portalGrant.update({ where: { id: edit.id }, data: { permission: 'EDIT' } });
    await grant(f.portal.id, f.org.id, { emails: ['bob@counsel.example'] });
    const ann = await signIn(f, 'ann@counsel.example');
    const bob = await signIn(f, 'bob@counsel.example');

    const ok = await propose(ann, f.docA.id);
    expect(ok.status, JSON.stringify(ok.json)).toBe(201);
    expect(await prisma().versionProposal.findUniqueOrThrow({ where: { id: ok.json.id } })).toMatchObject({ portalId: f.portal.id, shareId: null, state: 'PENDING' });
    // Not in her grant's sections, and a VIEW grant, are both refused.
    expect((await propose(ann, f.docB.id)).json.error).toBe('not_found');
    expect(await propose(bob, f.docA.id)).toMatchObject({ status: 403, json: { error: 'forbidden' } });

    const accepted = await acceptProposal(f.principal, ok.json.id);
    const doc = await (await apiDocument(bob, f.docA.id)).json() as { versionId: string };
    expect(doc.versionId).toBe(accepted.versionId);
    expect(await prisma().auditEvent.count({ where: { orgId: f.org.id, type: 'proposal.submitted' } })).toBe(1);
  });

  it("a portal guest's note is their grant's; naming another grant of the portal is refused", async () => {
    const f = await portalFixture();
    const g1 = await grant(f.portal.id, f.org.id, { emails: ['ann@counsel.example'] });
    const g2 = await grant(f.portal.id, f.org.id, { emails: ['carol@other.example'] });
    await prisma().portalGrant.updateMany({ where: { id: { in: [g1.id, g2.id] } }, data: { permission: 'EDIT' } });
    const ann = await signIn(f, 'ann@counsel.example');
    const ctx = await authorizePortalApi(ann, { ip: '192.0.2.200', userAgent: DESKTOP_UA, host: 'localhost', proof: null }, 'edit', {});
    const keys = ctx.grantIds.map(portalGrantKey);
    expect(keys).toEqual([portalGrantKey(g1.id)]);
    const actor: GuestCollabActor = {
      kind: 'guest', orgId: ctx.orgId, guestId: ctx.guestId, sessionId: ctx.sessionId, name: ctx.identity, email: ctx.email, ip: null, userAgent: null,
      shareId: null, portalId: f.portal.id, grantKeys: keys, openGrantKeys: keys, presenceGrantKeys: [],
    };
    const doc = new Y.Doc();
    doc.getText(NOTE_TEXT).insert(0, 'Portal notes');
    const r = await applyNoteUpdate(actor, null, Y.encodeStateAsUpdate(doc));
    expect(r.grantKey).toBe(portalGrantKey(g1.id));
    expect(await prisma().sharedNote.findUniqueOrThrow({ where: { grantKey: r.grantKey } })).toMatchObject({ orgId: f.org.id, shareId: null, seq: 1 });
    await expect(syncNote(actor, portalGrantKey(g2.id), new Uint8Array())).rejects.toMatchObject({ code: 'forbidden' });
    const ev = await prisma().auditEvent.findFirstOrThrow({ where: { orgId: f.org.id, type: 'note.updated' } });
    expect(ev.details).toMatchObject({ portalGrantId: g1.id, portalId: f.portal.id });
  });
});
