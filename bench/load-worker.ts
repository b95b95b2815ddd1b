import { parentPort, workerData } from 'node:worker_threads';

/*
 * Load generator, run in a worker thread so the client does not steal the server's event loop.
 * Each virtual client repeats its scenario until the deadline; latencies are kept per request kind.
 */
interface Job { base: string; clients: number; seconds: number; scenario: 'guest' | 'static'; link?: string; documentId?: string }
const job = workerData as Job;
const lat: Record<string, number[]> = {};
let errors = 0;

async function timed(kind: string, fn: () => Promise<Response>): Promise<Response | null> {
  const t = performance.now();
  try {
    const res = await fn();
    await res.arrayBuffer();
    (lat[kind] ??= []).push(performance.now() - t);
    if (!res.ok) errors++;
    return res;
  } catch {
    errors++;
    return null;
  }
}

async function client(deadline: number) {
  while (performance.now() < deadline) {
    if (job.scenario === 'static') {
      await timed('static', () => fetch(`${job.base}/robots.txt`));
      continue;
    }
    const s = await timed('session', () => fetch(`${job.base}/api/portal/v1/sessions`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ link: job.link }),
    }));
    if (!s || s.status !== 201) continue;
    const { access_token: token } = await s.clone().json().catch(() => ({})) as { access_token?: string };
    if (!token) continue;
    const auth = { authorization: `Bearer ${token}` };
    await timed('list', () => fetch(`${job.base}/api/portal/v1/documents`, { headers: auth }));
    await timed('content', () => fetch(`${job.base}/api/portal/v1/documents/${job.documentId}/content`, { headers: auth }));
  }
}

const started = performance.now();
const deadline = started + job.seconds * 1000;
await Promise.all(Array.from({ length: job.clients }, () => client(deadline)));
parentPort!.postMessage({ elapsedMs: performance.now() - started, lat, errors });
