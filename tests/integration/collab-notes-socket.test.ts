import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Server } from 'socket.io';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import * as Y from 'yjs';
import { prisma } from '../../lib/db/client';
import { toAppError } from '../../lib/errors';
import { authorizeGuest } from '../../lib/guest/access';
import { revokeShare, updateShare } from '../../lib/shares/service';
import { eventHandler, type SocketContext } from '../../lib/realtime/registry';
import { NOTE_TEXT } from '../../lib/collab/notes';
import type { CollabActor } from '../../lib/collab/types';
import '../../lib/realtime/handlers/notes';
import { apiToken, sharedPdf, DESKTOP_UA } from '../helpers/guest';

/*
 * The notes handlers behind a real socket.io server and client. The socket layer here is the test's
 * own minimum (the realtime core's server does the same with rate limits, staff and portals): the
 * handshake token is kept, and every event asks the policy again with live facts before the handler.
 */
let server: http.Server;
let io: Server;
let url: string;
const staffByToken = new Map<string, CollabActor>();

beforeAll(async () => {
  server = http.createServer();
  io = new Server(server, { path: '/socket.io' });
  io.on('connection', (socket) => {
    const token = String((socket.handshake.auth as { token?: unknown }).token ?? '');
    const authorize = async (action: Parameters<SocketContext['authorize']>[0], documentId?: string | null): Promise<CollabActor> => {
      const staff = staffByToken.get(token);
      if (staff) return staff;
      const ctx = await authorizeGuest(token, { ip: '198.51.100.10', userAgent: DESKTOP_UA, host: 'localhost', proof: null }, action, documentId ? { documentId } : {});
      const key = `share:${ctx.share.id}`;
      return {
        kind: 'guest', orgId: ctx.orgId, guestId: ctx.guestId, sessionId: ctx.sessionId, name: ctx.identity, email: ctx.email, ip: ctx.request.ip,
        userAgent: ctx.request.userAgent, shareId: ctx.share.id, portalId: null, grantKeys: [key],
        openGrantKeys: ctx.share.keepPartiesApart ? [] : [key], presenceGrantKeys: [],
      };
    };
    const ctx: SocketContext = { socket, io, authorize, emitTo: () => undefined };
    for (const event of ['note:sync', 'note:update']) {
      socket.on(event, async (payload: unknown, ack?: (r: unknown) => void) => {
        try {
          ack?.({ ok: true, ...(await eventHandler(event)!(ctx, payload)) });
        } catch (e) {
          ack?.({ error: toAppError(e).code });
        }
      });
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  io.close();
  await new Promise((r) => server.close(r));
});

const clients: ClientSocket[] = [];
async function client(token: string): Promise<ClientSocket> {
  const s = connect(url, { path: '/socket.io', auth: { token }, transports: ['websocket'], forceNew: true });
  clients.push(s);
  await new Promise<void>((resolve, reject) => { s.once('connect', () => resolve()); s.once('connect_error', reject); });
  return s;
}
afterAll(() => { for (const c of clients) c.close(); });

const send = (s: ClientSocket, event: string, payload: unknown) => s.timeout(5000).emitWithAck(event, payload) as Promise<Record<string, any>>;
const b64 = (u: Uint8Array) => Buffer.from(u).toString('base64');
const edit = (doc: Y.Doc, fn: (t: Y.Text) => void) => {
  const before = Y.encodeStateVector(doc);
  doc.transact(() => fn(doc.getText(NOTE_TEXT)));
  return Y.encodeStateAsUpdate(doc, before);
};

describe('note:sync and note:update over socket.io', () => {
  it('sync joins the note room; an update is kept, acknowledged with its seq and sent to the others only', async () => {
    const s = await sharedPdf({ permission: 'EDIT' });
    const a = await client(await apiToken(s.url));
    const b = await client(await apiToken(s.url));
    const docA = new Y.Doc();
    const docB = new Y.Doc();
    const syncA = await send(a, 'note:sync', { stateVector: b64(Y.encodeStateVector(docA)) });
    expect(syncA).toMatchObject({ ok: true, grantKey: `share:${s.share.id}`, seq: 0 });
    Y.applyUpdate(docA, Buffer.from(syncA.update, 'base64'));
    expect((await send(b, 'note:sync', {})).ok).toBe(true);

    const seenByA: unknown[] = [];
    a.on('note:update', (m) => seenByA.push(m));
    const gotB = new Promise<Record<string, any>>((r) => b.once('note:update', r));
    const ack = await send(a, 'note:update', { update: b64(edit(docA, (t) => t.insert(0, 'Agreed: clause 7 as redlined.'))) });
    expect(ack).toEqual({ ok: true, grantKey: `share:${s.share.id}`, seq: 1 });
    const msg = await gotB;
    expect(msg).toMatchObject({ grantKey: `share:${s.share.id}`, seq: 1, author: { kind: 'guest' } });
    expect(msg.author.id).toMatch(/^guest:/);
    Y.applyUpdate(docB, Buffer.from(msg.update, 'base64'));
    expect(docB.getText(NOTE_TEXT).toString()).toBe('Agreed: clause 7 as redlined.');
    await new Promise((r) => setTimeout(r, 100));
    expect(seenByA).toEqual([]);
  });

  it('a VIEW guest may read the note but an update is refused: forbidden, audited', async () => {
    const s = await sharedPdf({ permission: 'VIEW' });
    const c = await client(await apiToken(s.url));
    expect((await send(c, 'note:sync', {})).ok).toBe(true);
    expect(await send(c, 'note:update', { update: b64(edit(new Y.Doc(), (t) => t.insert(0, 'x'))) })).toEqual({ error: 'forbidden' });
    expect(await prisma().auditEvent.count({ where: { shareId: s.share.id, type: 'guest.edit', outcome: 'denied', reason: 'forbidden' } })).toBe(1);
    expect(await prisma().noteUpdate.count({ where: { note: { shareId: s.share.id } } })).toBe(0);
  });

  it('oversized, non-base64, malformed and extra-field payloads are refused before anything is stored', async () => {
    const s = await sharedPdf({ permission: 'EDIT' });
    const c = await client(await apiToken(s.url));
    expect(await send(c, 'note:update', { update: 'A'.repeat(4 * Math.ceil((64 * 1024) / 3) + 4) })).toEqual({ error: 'payload_too_large' });
    expect(await send(c, 'note:update', { update: '<script>alert(1)</script>' })).toEqual({ error: 'bad_request' });
    expect(await send(c, 'note:update', { update: b64(new Uint8Array([0xff, 0xff, 0xff, 0xff])) })).toEqual({ error: 'bad_request' });
    expect(await send(c, 'note:update', { update: b64(edit(new Y.Doc(), (t) => t.insert(0, 'x'))), author: 'staff:someone' })).toEqual({ error: 'bad_request' });
    expect(await send(c, 'note:sync', { stateVector: 12 })).toEqual({ error: 'bad_request' });
    expect(await send(c, 'note:sync', { grantKey: `share:${'x'.repeat(30)}` })).toEqual({ error: 'forbidden' });
    expect(await prisma().noteUpdate.count({ where: { note: { shareId: s.share.id } } })).toBe(0);
  });

  it('after the share is narrowed to VIEW, the next update is refused; after revocation, sync is too', async () => {
    const s = await sharedPdf({ permission: 'EDIT' });
    const c = await client(await apiToken(s.url));
    const doc = new Y.Doc();
    expect((await send(c, 'note:update', { update: b64(edit(doc, (t) => t.insert(0, 'first'))) })).seq).toBe(1);
    await updateShare(s.principal, s.share.id, { permission: 'VIEW' });
    const refused = await send(c, 'note:update', { update: b64(edit(doc, (t) => t.insert(5, ' second'))) });
    // Narrowing either ends the session (invalid_token) or leaves it without edit (forbidden): never applied.
    expect(['forbidden', 'invalid_token']).toContain(refused.error);
    await revokeShare(s.principal, s.share.id);
    expect(['revoked', 'invalid_token']).toContain((await send(c, 'note:sync', {})).error);
    expect(await prisma().noteUpdate.count({ where: { note: { shareId: s.share.id } } })).toBe(1);
  });
});
