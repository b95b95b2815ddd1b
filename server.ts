import http from 'node:http';
import next from 'next';
import { config } from './lib/config';
import { log } from './lib/log';
import { connectDatabase } from './lib/db/connect';
import { migrate } from './lib/db/migrate';
import { disconnect } from './lib/db/client';
import { masterKey } from './lib/crypto/master-key';
import { bootstrap } from './lib/bootstrap';
import { CLIENT_IP_HEADER, clientIp } from './lib/http/client-ip';
import { handleUpload } from './lib/http/upload-handler';
import { attachRealtime } from './lib/realtime/server';

async function main() {
  const cfg = config();
  masterKey(); // creates <data dir>/master.key on first start, before anything needs it
  process.env.NEXTAUTH_URL ??= cfg.publicUrl;
  const db = await connectDatabase({ publish: true });
  const { applied } = await migrate(db.url);
  if (applied.length) log.info({ applied }, 'migrations applied');
  const boot = await bootstrap();

  const dev = process.env.NODE_ENV !== 'production';
  const app = next({ dev, dir: process.cwd() });
  const handle = app.getRequestHandler();
  await app.prepare();

  const server = http.createServer((req, res) => {
    // The only place the client address is decided; code inside Next reads this header.
    req.headers[CLIENT_IP_HEADER] = clientIp(req);
    if (handleUpload(req, res)) return;
    void handle(req, res);
  });
  attachRealtime(server);
  server.requestTimeout = 0; // large uploads stream for as long as they need
  server.headersTimeout = 60_000;

  server.listen(cfg.PORT, () => {
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : cfg.PORT;
    log.info({ port, database: db.embedded ? 'embedded' : 'external' }, 'Liaison is listening');
    const lines = [
      '',
      `  Liaison is running at ${cfg.publicUrl}${cfg.LIAISON_PUBLIC_URL ? '' : ` (port ${port})`}`,
      `  Database: ${db.embedded ? `embedded PostgreSQL in ${cfg.dataDir}/pg` : 'PostgreSQL from DATABASE_URL'}`,
      boot.created
        ? `  Sign in at ${cfg.publicUrl}/signin as ${boot.email}` + (boot.password ? ` with password ${boot.password}\n  (also saved in ${boot.passwordFile}; change it after signing in)` : ' with LIAISON_ADMIN_PASSWORD')
        : `  Sign in at ${cfg.publicUrl}/signin as ${boot.email}`,
      '',
    ];
    process.stdout.write(lines.join('\n') + '\n');
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    server.close();
    await disconnect().catch(() => undefined);
    await db.embedded?.stop().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((e) => {
  log.fatal({ err: e }, 'Liaison failed to start');
  process.exit(1);
});
