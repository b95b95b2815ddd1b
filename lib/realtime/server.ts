import type http from 'node:http';
import { Server, type Socket } from 'socket.io';
import { ZodError } from 'zod';
import { toAppError } from '../errors';
import { requestHost } from '../http/request-host';
import { resolveHost } from '../portals/host-map';
import { log } from '../log';
import type { Audience, GuestCollabActor } from '../collab/types';
import { staffSessionRoom } from './staff-rooms';
import { guestRoom, guestSessionRoom } from './guest-rooms';
import { authenticateSocket, type SocketPrincipal } from './socket-auth';
import { authorizeSocketPrincipal, decideGuestSocket, ENDING_REASONS } from './authorize';
import { grantGuestRoom, grantOpenRoom, grantPresenceRoom, grantRoom, orgShareActivityRoom, orgStaffRoom, audienceRooms } from './rooms';
import { participantOf, schedulePresence, socketData, type RealtimeSocketData } from './presence';
import { portalRoom, revokeSocket, shareRoom } from './revocation';
import { eventHandler, registeredEvents, type SocketContext } from './registry';
import { consumeEvent, handshakeFailures } from './rate-limit';
import { assertNotThrottled, countAttempt, type ThrottleCheck } from '../auth/throttle';
import { clientIp } from '../http/client-ip';
import './handlers';

const g = globalThis as unknown as { __liaisonIo?: Server };
// What the handshake's decision said about a guest, handed to the connection handler (not kept in socket.data).
const handshakes = new WeakMap<Socket, { actor: GuestCollabActor; endsAt: Date } | null>();

/** Socket.io's own cap on one message (a comment, a Yjs update): larger frames close the connection. */
export const MAX_MESSAGE_BYTES = 512 * 1024;
// setTimeout's ceiling; a later expiry is checked again when this one fires.
const MAX_TIMER_MS = 2_147_000_000;

/**
 * socket.io on the same HTTP server as Next (docs/REALTIME.md). The handshake authenticates (guest
 * token through the policy, or staff); every event is rate-limited before any work, then authorized
 * again by the policy with live facts; refusals that mean access has ended close the socket with
 * `access:revoked {reason}` first.
 */
export function attachRealtime(server: http.Server): Server {
  const io = new Server(server, {
    path: '/socket.io', serveClient: false, cors: { origin: false }, maxHttpBufferSize: MAX_MESSAGE_BYTES,
    // socket.io takes its requests before the server's own handler: a host that serves nothing
    // (lib/portals/edge.ts) gets no socket either.
    allowRequest: (req, done) => {
      resolveHost(requestHost(req)).then((site) => done(null, site.kind !== 'unknown'), () => done('unavailable', false));
    },
  });
  io.use((socket, nextFn) => {
    // Probing with forged or stolen tokens costs a counter lookup, not a database round trip.
    const throttle: ThrottleCheck[] = [[handshakeFailures(), clientIp(socket.request)]];
    assertNotThrottled(throttle).then(() => authenticateSocket(socket).catch(async (e: unknown) => {
      await countAttempt(throttle);
      throw e;
    })).then(({ principal, guest }) => {
      const data = socket.data as RealtimeSocketData;
      data.principal = principal;
      handshakes.set(socket, guest ?? null);
      data.participant = participantOf(principal);
      data.docs = {};
      nextFn();
    }, (e: unknown) => {
      const err = toAppError(e);
      if (err.code === 'internal') log.error({ err: e }, 'socket handshake failed');
      // The client's connect_error carries the code (and nothing about why beyond it).
      nextFn(Object.assign(new Error(err.code), { data: { error: err.code } }));
    });
  });
  io.on('connection', (socket) => void onConnection(io, socket).catch((e: unknown) => {
    log.warn({ err: e }, 'socket setup failed');
    socket.disconnect(true);
  }));
  io.engine.on('connection_error', (err: { message: string }) => log.debug({ err: err.message }, 'socket connection error'));
  g.__liaisonIo = io;
  return io;
}

export const realtime = () => g.__liaisonIo ?? null;

async function onConnection(io: Server, socket: Socket): Promise<void> {
  const p = socketData(socket).principal;
  // Rate limiting runs first on every incoming event, before its handler does any work.
  let flooded = false;
  socket.use((packet, nextFn) => {
    consumeEvent(socket.id).then(() => nextFn(), () => {
      const ack = packet[packet.length - 1];
      if (typeof ack === 'function') (ack as (r: unknown) => void)({ error: 'rate_limited' });
      if (flooded) return;
      flooded = true;
      log.warn({ socket: socket.id, principal: p.kind === 'guest' ? p.guestId : p.staffId, event: packet[0] }, 'socket event flood; closing it');
      socket.disconnect(true);
    });
  });
  const ctx = contextOf(io, socket);
  for (const name of registeredEvents()) {
    socket.on(name, (payload: unknown, ack?: unknown) => void dispatch(ctx, name, payload, typeof ack === 'function' ? ack as (r: unknown) => void : null));
  }
  socket.on('disconnecting', () => {
    for (const d of Object.keys(socketData(socket).docs)) schedulePresence(io, d);
  });
  const guest = handshakes.get(socket) ?? null;
  handshakes.delete(socket);
  await socket.join(initialRooms(p, guest?.actor ?? null));
  if (p.kind === 'guest' && guest) scheduleExpiryCheck(socket, p, guest.endsAt);
}

/** The rooms a socket is in from the start: its session, guest, grant and organisation rooms. */
function initialRooms(p: SocketPrincipal, actor: GuestCollabActor | null): string[] {
  if (p.kind === 'staff') {
    // Ending a console session (sign-out, password or role change, disabling) disconnects its sockets.
    // The live activity feed is the audit trail as it happens: all of it for those who may read the
    // whole trail (audit:read), the events about shares for those who may read a share's (shares:read).
    return [
      `org:${p.orgId}`,
      ...(p.scopes.includes('audit:read') ? [orgStaffRoom(p.orgId)] : []),
      ...(p.scopes.includes('shares:read') ? [orgShareActivityRoom(p.orgId)] : []),
      ...(p.sessionId ? [staffSessionRoom(p.sessionId)] : []),
    ];
  }
  const rooms = [guestSessionRoom(p.sessionId), guestRoom(p.guestId), p.shareId ? shareRoom(p.shareId) : portalRoom(p.portalId!)];
  if (!actor) return rooms;
  for (const k of actor.grantKeys) rooms.push(grantRoom(k), grantGuestRoom(k, actor.guestId));
  for (const k of actor.openGrantKeys) rooms.push(grantOpenRoom(k));
  for (const k of actor.presenceGrantKeys) rooms.push(grantPresenceRoom(k));
  return rooms;
}

/**
 * A socket that sits idle past its session's or grant's expiry is decided again then: ended access is
 * cut even when no event or change arrives; an extended one is checked again at its new expiry.
 */
function scheduleExpiryCheck(socket: Socket, p: SocketPrincipal & { kind: 'guest' }, endsAt: Date): void {
  const check = () => {
    if (socket.disconnected) return;
    decideGuestSocket(p, 'list').then(({ endsAt }) => arm(endsAt.getTime()), (e: unknown) => {
      const code = toAppError(e).code;
      if (ENDING_REASONS.has(code)) revokeSocket(socket, code);
      else arm(Date.now() + 60_000);
    });
  };
  let timer: NodeJS.Timeout | null = null;
  const arm = (at: number) => {
    if (socket.disconnected) return;
    timer = setTimeout(check, Math.min(Math.max(at - Date.now() + 50, 50), MAX_TIMER_MS));
    timer.unref?.();
  };
  socket.on('disconnect', () => { if (timer) clearTimeout(timer); });
  arm(endsAt.getTime());
}

function contextOf(io: Server, socket: Socket): SocketContext {
  return {
    socket, io,
    authorize: (action, documentId) => authorizeSocketPrincipal(socketData(socket).principal, action, documentId),
    emitTo: (audience: Audience, event: string, payload: unknown) => { io.to(audienceRooms(audience)).emit(event, payload); },
  };
}

async function dispatch(ctx: SocketContext, name: string, payload: unknown, ack: ((r: unknown) => void) | null): Promise<void> {
  const handler = eventHandler(name);
  if (!handler) return;
  try {
    const result = await handler(ctx, payload);
    ack?.({ ok: true, ...result });
  } catch (e) {
    const code = e instanceof ZodError ? 'validation_failed' : toAppError(e).code;
    if (code === 'internal') log.error({ err: e, event: name }, 'socket event failed');
    ack?.({ error: code });
    if (ENDING_REASONS.has(code)) revokeSocket(ctx.socket, code);
  }
}
