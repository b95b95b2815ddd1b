import http from 'node:http';
import next from 'next';
import { config } from '../config';
import { log } from '../log';
import { connectDatabase } from '../db/connect';
import { migrate } from '../db/migrate';
import { disconnect } from '../db/client';
import { flushShareAccess } from '../shares/access-counter';
import { closeAuditPool } from '../audit/pool';
import { closeHotPool } from '../db/hot-pool';
import { masterKey } from '../crypto/master-key';
import { bootstrap, type BootstrapResult } from '../bootstrap';
import { CLIENT_IP_HEADER, clientIp } from '../http/client-ip';
import { HOST_HEADER, REQUEST_URL_HEADER, requestHost, requestUrl } from '../http/request-host';
import { handleUpload } from '../http/upload-handler';
import { handleProposalUpload } from '../http/proposal-upload';
import { handleGuestSessions } from '../http/sessions-handler';
import { handleHotGuestGets } from '../http/hot-guest-gets';
import { restoreContentLength } from '../http/content-length';
import { literalizeUndecodablePath } from '../http/safe-path';
import { hstsHeader } from '../http/security-headers';
import { attachRealtime } from '../realtime/server';
import { useRedisAdapter } from '../realtime/redis-adapter';
import { startOutageSweep } from '../realtime/outage-sweep';
import { startInvalidationBus } from '../cluster/invalidation';
import { startBackgroundWork } from '../jobs/runtime';
import { startSyslogForwarder } from '../feed/syslog-forwarder';
import { routeSite } from '../portals/edge';

export interface RunningServer {
  port: number;
  url: string;
  embedded: boolean;
  boot: BootstrapResult;
  close(): Promise<void>;
}

/**
 * Starts Liaison in this process: database (embedded when DATABASE_URL is unset), migrations, first-start
 * bootstrap, Next and socket.io on one HTTP server. server.ts, benchmarks and tests all start it this way.
 */
export async function startServer(opts: { port?: number; dev?: boolean; background?: boolean } = {}): Promise<RunningServer> {
  const cfg = config();
  masterKey(); // creates <data dir>/master.key on first start, before anything needs it
  process.env.NEXTAUTH_URL ??= cfg.publicUrl;
  const db = await connectDatabase({ publish: true });
  const { applied } = await migrate(db.url);
  if (applied.length) log.info({ applied }, 'migrations applied');
  const boot = await bootstrap();

  const port = opts.port ?? cfg.PORT;
  // Next needs its own address to follow redirect() from server actions.
  const app = next({ dev: opts.dev ?? process.env.NODE_ENV !== 'production', dir: process.cwd(), hostname: 'localhost', port });
  const handle = app.getRequestHandler();
  await app.prepare();

  const hsts = hstsHeader(cfg.LIAISON_PUBLIC_URL);
  const server = http.createServer((req, res) => {
    // The only place the client address is decided; code inside Next reads this header.
    req.headers[CLIENT_IP_HEADER] = clientIp(req);
    // Likewise the host (portals are told apart by it); a client-sent copy is overwritten.
    const host = requestHost(req);
    if (host) req.headers[HOST_HEADER] = host; else delete req.headers[HOST_HEADER];
    const url = requestUrl(req);
    if (url) req.headers[REQUEST_URL_HEADER] = url; else delete req.headers[REQUEST_URL_HEADER];
    // Every page, API and upload answer over HTTPS tells the browser to stay on HTTPS.
    if (hsts) res.setHeader('strict-transport-security', hsts);
    if (req.url) req.url = literalizeUndecodablePath(req.url);
    // Console, a portal's verified domain, or nothing: an unknown host is answered here and goes no further.
    void routeSite(req, res, host).then((answered) => {
      if (answered) return;
      if (handleUpload(req, res)) return;
      if (handleProposalUpload(req, res)) return;
      if (handleGuestSessions(req, res)) return;
      if (handleHotGuestGets(req, res)) return;
      restoreContentLength(res);
      void handle(req, res);
    }, (e: unknown) => {
      log.error({ err: e }, 'request routing failed');
      res.destroy();
    });
  });
  const io = attachRealtime(server);
  await useRedisAdapter(io);
  // Cross-instance cache invalidation, and the socket re-check that covers for it during a Redis outage.
  const stopBus = await startInvalidationBus();
  const stopSweep = startOutageSweep();
  server.requestTimeout = 0; // large uploads stream for as long as they need
  server.headersTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(port, resolve));
  const addr = server.address();
  const boundPort = typeof addr === 'object' && addr ? addr.port : port;
  log.info({ port: boundPort, database: db.embedded ? 'embedded' : 'external' }, 'Liaison is listening');
  // Mail, webhook deliveries and scheduled jobs, from the durable queue (lib/queue), and audit events to
  // the organisation's syslog collector when LIAISON_SYSLOG_URL is set (lib/feed). `background: false`
  // serves requests only: tests of the web edge, whose database other tests' queues share.
  const work = opts.background === false ? null : startBackgroundWork();
  const syslog = opts.background === false ? null : startSyslogForwarder();
  return {
    port: boundPort, url: `http://127.0.0.1:${boundPort}`, embedded: Boolean(db.embedded), boot,
    async close() {
      stopSweep();
      await stopBus().catch(() => undefined);
      await new Promise<void>((r) => io.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
      await app.close().catch(() => undefined);
      await work?.stop().catch(() => undefined);
      await syslog?.stop().catch(() => undefined);
      await flushShareAccess().catch(() => undefined);
      await disconnect().catch(() => undefined);
      await closeAuditPool().catch(() => undefined);
      await closeHotPool().catch(() => undefined);
      await db.embedded?.stop().catch(() => undefined);
    },
  };
}
