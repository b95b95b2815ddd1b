import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PgliteWorkerData, PgliteWorkerMessage } from './pglite-worker';
import { log } from '../log';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const portFile = (dataDir: string) => path.join(dataDir, 'embedded-pg.json');

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

/** Starts PGlite on `<dataDir>/pg`, in a worker thread of its own, behind a loopback socket for @prisma/adapter-pg. */
export async function startEmbeddedDatabase(dataDir: string, opts: { publish?: boolean } = {}): Promise<EmbeddedDatabase> {
  const pgDir = path.join(dataDir, 'pg');
  fs.mkdirSync(pgDir, { recursive: true, mode: 0o700 });
  const worker = new Worker(new URL('./pglite-worker-entry.mjs', import.meta.url), { workerData: { pgDir } satisfies PgliteWorkerData });
  const next = () => new Promise<PgliteWorkerMessage>((resolve, reject) => {
    const onMessage = (m: PgliteWorkerMessage) => { worker.off('error', onError); worker.off('exit', onExit); resolve(m); };
    const onError = (e: Error) => { worker.off('message', onMessage); worker.off('exit', onExit); reject(e); };
    const onExit = (code: number) => { worker.off('message', onMessage); worker.off('error', onError); reject(new Error(`embedded database thread exited (${code})`)); };
    worker.once('message', onMessage).once('error', onError).once('exit', onExit);
  });
  const first = await next();
  if (first.type !== 'ready') {
    await worker.terminate();
    throw new Error(`embedded database did not start: ${first.type === 'failed' ? first.message : first.type}`);
  }
  const { port } = first;
  // A crash of the database thread is logged; the application's queries then fail as on a lost server.
  worker.on('error', (e) => log.error({ err: e }, 'embedded PostgreSQL thread failed'));
  if (opts.publish !== false) {
    fs.writeFileSync(portFile(dataDir), JSON.stringify({ port, pid: process.pid }), { mode: 0o600 });
  }
  log.info({ dir: pgDir, port }, 'embedded PostgreSQL (PGlite) started');
  let stopping: Promise<void> | null = null;
  return {
    url: urlFor(port),
    stop() {
      stopping ??= (async () => {
        if (opts.publish !== false) fs.rmSync(portFile(dataDir), { force: true });
        const stopped = next().catch(() => undefined);
        worker.postMessage({ type: 'stop' });
        // PGlite closes its files cleanly on stop; a thread that does not answer in 10 s is ended.
        const timer = setTimeout(() => void worker.terminate(), 10_000);
        await stopped;
        clearTimeout(timer);
        await worker.terminate();
      })();
      return stopping;
    },
  };
}
