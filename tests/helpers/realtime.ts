import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'socket.io';
import { io as ioClient, type Socket as ClientSocket, type ManagerOptions, type SocketOptions } from 'socket.io-client';
import { attachRealtime } from '../../lib/realtime/server';
import { useRedisAdapter } from '../../lib/realtime/redis-adapter';

/**
 * A real HTTP server with socket.io attached exactly as lib/server/start.ts attaches it (without Next:
 * every plain HTTP request is a 404). The host is "localhost", which the console serves.
 */
export async function realtimeServer(opts: { redisUrl?: string } = {}): Promise<{ url: string; io: Server; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => { res.statusCode = 404; res.end(); });
  const io = attachRealtime(server);
  const closeRedis = opts.redisUrl ? await useRedisAdapter(io, opts.redisUrl) : async () => undefined;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://localhost:${(server.address() as AddressInfo).port}`;
  return {
    url, io,
    async close() {
      await new Promise<void>((r) => io.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
      await closeRedis();
    },
  };
}

export type Client = ClientSocket;

/** Connects and resolves once connected; rejects with the server's refusal code on connect_error. */
export function connect(url: string, opts: Partial<ManagerOptions & SocketOptions> = {}): Promise<ClientSocket> {
  const s = ioClient(url, { path: '/socket.io', transports: ['websocket'], reconnection: false, forceNew: true, ...opts });
  return new Promise((resolve, reject) => {
    s.once('connect', () => resolve(s));
    s.once('connect_error', (e: Error & { data?: { error?: string } }) => { s.close(); reject(new Error(e.data?.error ?? e.message)); });
  });
}

/** The refusal code of a connection attempt, or "connected" (then closed). */
export async function connectOutcome(url: string, opts: Partial<ManagerOptions & SocketOptions> = {}): Promise<string> {
  try {
    (await connect(url, opts)).close();
    return 'connected';
  } catch (e) {
    return (e as Error).message;
  }
}

export const ack = <T = Record<string, unknown>>(s: ClientSocket, event: string, payload: unknown, ms = 10_000): Promise<T> =>
  s.timeout(ms).emitWithAck(event, payload) as Promise<T>;

/** The next `event` this socket receives (within ms), or rejects. */
export function next<T = unknown>(s: ClientSocket, event: string, ms = 5_000, filter: (p: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => { s.off(event, on); reject(new Error(`no ${event} within ${ms} ms`)); }, ms);
    const on = (p: T) => { if (!filter(p)) return; clearTimeout(t); s.off(event, on); resolve(p); };
    s.on(event, on);
  });
}

/** Resolves with the access:revoked reason once the server has also closed the socket. */
export function revokedAndClosed(s: ClientSocket, ms = 5_000): Promise<{ reason: string; disconnect: string }> {
  return new Promise((resolve, reject) => {
    let reason: string | null = null;
    const t = setTimeout(() => reject(new Error(`not revoked within ${ms} ms (reason ${reason})`)), ms);
    s.once('access:revoked', (p: { reason: string }) => { reason = p.reason; });
    s.once('disconnect', (why) => { clearTimeout(t); resolve({ reason: reason ?? '(none)', disconnect: why }); });
  });
}

/** Waits until `check` passes on the latest `presence` for a document (presence is debounced). */
export function presenceWhere(s: ClientSocket, documentId: string, check: (names: string[]) => boolean, ms = 5_000) {
  return next<{ documentId: string; participants: { id: string; name: string; kind: string; page?: number }[] }>(
    s, 'presence', ms, (p) => p.documentId === documentId && check(p.participants.map((x) => x.name)));
}
