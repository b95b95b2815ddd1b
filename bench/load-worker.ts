
/*
 * Load generator, run in a child process so the client does not steal the server's event loop.
 * Each virtual client repeats its scenario until the deadline; latencies are kept per request kind.
 */
interface Job { base: string; clients: number; seconds: number; scenario: 'guest' | 'static'; link?: string; documentId?: string }
const job = JSON.parse(process.argv[2]) as Job;
const lat: Record<string, number[]> = {};
let errors = 0;

async function timed(kind: string, fn: () => Promise<Response>): Promise<{ status: number; body: Buffer } | null> {
  const t = performance.now();
  try {
    const res = await fn();
    const body = Buffer.from(await res.arrayBuffer());
    (lat[kind] ??= []).push(performance.now() - t);
    if (!res.ok) errors++;
    return { status: res.status, body };
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
    let token: string | undefined;
    try { token = (JSON.parse(s.body.toString()) as { access_token?: string }).access_token; } catch { /* counted as an error */ }
    if (!token) continue;
    const auth = { authorization: `Bearer ${token}` };
    await timed('list', () => fetch(`${job.base}/api/portal/v1/documents`, { headers: auth }));
    await timed('content', () => fetch(`${job.base}/api/portal/v1/documents/${job.documentId}/content`, { headers: auth }));
  }
}

async function main() {
  const started = performance.now();
  const deadline = started + job.seconds * 1000;
  await Promise.all(Array.from({ length: job.clients }, () => client(deadline)));
  process.send!({ elapsedMs: performance.now() - started, lat, errors }, () => process.exit(0));
}
void main();
