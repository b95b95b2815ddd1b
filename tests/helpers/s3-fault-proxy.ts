import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * pass: forward everything. error: answer 500 InternalError to every request. stall: accept and never
 * answer. cut: forward, but close the connection after `cutAfter` bytes of a response body.
 */
export type FaultMode = 'pass' | 'error' | 'stall' | 'cut';

export interface FaultProxy {
  endpoint: string;
  mode: FaultMode;
  /** With mode "pass": switch to `then` after this many requests have been forwarded. */
  failAfter(requests: number, then: FaultMode): void;
  cutAfter: number;
  /** Answer 500 to the requests this picks, whatever the mode (e.g. one part of a multipart upload). */
  failIf: ((req: { method: string; url: string }) => boolean) | null;
  requests: { method: string; url: string }[];
  close(): Promise<void>;
}

/** An HTTP proxy in front of an S3 server that fails on command, for outages that s3rver cannot fake. */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  let switchAt: { after: number; then: FaultMode } | null = null;
  const state: FaultProxy = {
    endpoint: '', mode: 'pass', cutAfter: 64 * 1024, failIf: null, requests: [],
    failAfter(requests, then) { switchAt = { after: state.requests.length + requests, then }; },
    close: async () => undefined,
  };
  const server = http.createServer((req, res) => {
    if (switchAt && state.requests.length >= switchAt.after) { state.mode = switchAt.then; switchAt = null; }
    const seen = { method: req.method ?? '', url: req.url ?? '' };
    state.requests.push(seen);
    const mode = state.failIf?.(seen) ? 'error' : state.mode;
    if (mode === 'stall') { req.resume(); return; }
    if (mode === 'error') {
      req.resume();
      req.on('end', () => {
        res.writeHead(500, { 'content-type': 'application/xml' });
        res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message></Error>');
      });
      return;
    }
    const fwd = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      if (mode !== 'cut') { up.pipe(res); return; }
      let sent = 0;
      up.on('data', (chunk: Buffer) => {
        if (sent >= state.cutAfter) return;
        const room = state.cutAfter - sent;
        res.write(chunk.subarray(0, room));
        sent += Math.min(room, chunk.length);
        if (sent >= state.cutAfter) { up.destroy(); res.socket?.destroy(); }
      });
      up.on('end', () => res.end());
    });
    fwd.on('error', () => res.socket?.destroy());
    req.pipe(fwd);
  });
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  state.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); });
  return state;
}
