import type http from 'node:http';
import { Server } from 'socket.io';
import { resolvePrincipal } from '../auth/resolve';
import { clientIp } from '../http/client-ip';
import { requestHost } from '../http/request-host';
import { resolveHost } from '../portals/host-map';
import { log } from '../log';
import { staffSessionRoom } from './staff-rooms';

const g = globalThis as unknown as { __liaisonIo?: Server };

/**
 * socket.io on the same HTTP server as Next. Staff sockets authenticate with the console cookie
 * or an API key in the handshake; guest rooms arrive with the sharing issue, through the policy function.
 */
export function attachRealtime(server: http.Server): Server {
  const io = new Server(server, {
    path: '/socket.io', serveClient: false, cors: { origin: false },
    // socket.io takes its requests before the server's own handler: a host that serves nothing
    // (lib/portals/edge.ts) gets no socket either.
    allowRequest: (req, done) => {
      resolveHost(requestHost(req)).then((site) => done(null, site.kind !== 'unknown'), () => done('unavailable', false));
    },
  });
  io.use(async (socket, nextFn) => {
    try {
      const req = socket.request;
      const auth = socket.handshake.auth as { token?: unknown };
      const bearer = typeof auth?.token === 'string' ? `Bearer ${auth.token}` : undefined;
      const principal = await resolvePrincipal({ authorization: bearer, cookie: req.headers.cookie }, { ip: clientIp(req), userAgent: req.headers['user-agent'] ?? null });
      socket.data.principal = principal;
      nextFn();
    } catch {
      nextFn(new Error('unauthorized'));
    }
  });
  io.on('connection', (socket) => {
    const p = socket.data.principal as { orgId: string; kind: string; sessionId?: string };
    void socket.join(`org:${p.orgId}`);
    // Ending a console session (sign-out, password or role change, disabling) disconnects its sockets.
    if (p.kind === 'staff' && p.sessionId) void socket.join(staffSessionRoom(p.sessionId));
  });
  io.engine.on('connection_error', (err: { message: string }) => log.debug({ err: err.message }, 'socket connection error'));
  g.__liaisonIo = io;
  return io;
}

export const realtime = () => g.__liaisonIo ?? null;
