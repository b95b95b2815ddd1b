import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PgliteWireServer } from './pglite-wire-server';
import { log } from '../log';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const portFile = (dataDir: string) => path.join(dataDir, 'embedded-pg.json');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

async function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
    s.setTimeout(1000, () => { s.destroy(); resolve(false); });
  });
}

/**
 * The URL of an embedded database that another process (a running server) already serves from this
 * data directory, if any. PGlite is single-process: a second opener would corrupt the directory.
 */
export async function runningEmbeddedUrl(dataDir: string): Promise<string | null> {
  try {
    const info = JSON.parse(fs.readFileSync(portFile(dataDir), 'utf8')) as { port: number; pid: number };
    try { process.kill(info.pid, 0); } catch { return null; }
    return (await canConnect(info.port)) ? urlFor(info.port) : null;
  } catch {
    return null;
  }
}

const urlFor = (port: number) => `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`;

/** Starts PGlite on `<dataDir>/pg` behind a loopback socket so that @prisma/adapter-pg can use it. */
export async function startEmbeddedDatabase(dataDir: string, opts: { publish?: boolean } = {}): Promise<EmbeddedDatabase> {
  const pgDir = path.join(dataDir, 'pg');
  fs.mkdirSync(pgDir, { recursive: true, mode: 0o700 });
  const db = await PGlite.create({ dataDir: pgDir });
  const port = await freePort();
  const server = new PgliteWireServer(db);
  await server.start(port);
  if (opts.publish !== false) {
    fs.writeFileSync(portFile(dataDir), JSON.stringify({ port, pid: process.pid }), { mode: 0o600 });
  }
  log.info({ dir: pgDir, port }, 'embedded PostgreSQL (PGlite) started');
  return {
    url: urlFor(port),
    async stop() {
      if (opts.publish !== false) fs.rmSync(portFile(dataDir), { force: true });
      await server.stop();
      await db.close();
    },
  };
}
