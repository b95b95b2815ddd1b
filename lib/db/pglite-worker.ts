import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PgliteWireServer } from './pglite-wire-server';

/*
 * The embedded database's own thread: PGlite runs PostgreSQL compiled to WebAssembly, and every query is
 * CPU on the thread that runs it. Here it is not the thread that parses HTTP requests, renders pages and
 * stamps watermarks, so a guarded request's SQL and its HTTP handling use both cores instead of one.
 * The wire server listens on loopback from this thread; the application connects to it as before.
 */
export interface PgliteWorkerData { pgDir: string }
export type PgliteWorkerMessage =
  | { type: 'ready'; port: number }
  | { type: 'failed'; message: string }
  | { type: 'stopped' };

const port = parentPort!;
const { pgDir } = workerData as PgliteWorkerData;

async function main(): Promise<void> {
  const db = await PGlite.create({ dataDir: pgDir });
  const server = new PgliteWireServer(db);
  const bound = await server.start(0);
  port.on('message', (m: { type: 'stop' }) => {
    if (m.type !== 'stop') return;
    void (async () => {
      await server.stop();
      await db.close();
      port.postMessage({ type: 'stopped' } satisfies PgliteWorkerMessage);
    })();
  });
  port.postMessage({ type: 'ready', port: bound } satisfies PgliteWorkerMessage);
}

// No top-level await: the package is CommonJS to tsx.
main().catch((e: unknown) => {
  port.postMessage({ type: 'failed', message: e instanceof Error ? e.message : String(e) } satisfies PgliteWorkerMessage);
});
