/*
 * Load generator, run in a child process so the client does not steal the server's event loop.
 * Each virtual client repeats its scenario until the deadline; latencies are kept per request kind.
 *  - static:  GET /robots.txt (no code of ours)
 *  - health:  GET /api/health (one database round trip)
 *  - list:    one session per client, then GET /api/portal/v1/documents in a loop
 *  - content: one session per client, then GET /api/portal/v1/documents/<id>/content in a loop
 *  - page:    one session per client, then GET /api/portal/v1/documents/<id>/pages/<n> in a loop (cached pages)
 *  - flow:    a new session, a list and a content fetch, over and over
 *  - calm:    open loop: `rate` list requests per second in all, from sessions opened first (other guests)
 *  - attack:  open loop: `rate` wrong email codes per second against one address on a VERIFIED_EMAIL
 *             share, each from a different client address (X-Forwarded-For through a trusted proxy),
 *             plus a new code asked for every second
 */
export type Scenario = 'static' | 'health' | 'list' | 'content' | 'page' | 'flow' | 'calm' | 'attack';
interface Job { base: string; clients: number; seconds: number; scenario: Scenario; link?: string; documentId?: string; pages?: number; rate?: number; codesLink?: string; victim?: string }
const job = JSON.parse(process.argv[2]) as Job;
const lat: Record<string, number[]> = {};
let errors = 0;
const statuses: Record<string, number> = {};

async function timed(kind: string, fn: () => Promise<Response>): Promise<{ status: number; body: Buffer } | null> {
  const t = performance.now();
  try {
    const res = await fn();
    const body = Buffer.from(await res.arrayBuffer());
    (lat[kind] ??= []).push(performance.now() - t);
    if (!res.ok) { errors++; statuses[res.status] = (statuses[res.status] ?? 0) + 1; }
    return { status: res.status, body };
  } catch {
    errors++;
    return null;
  }
}

async function openSession(record: boolean): Promise<string | null> {
  const open = () => fetch(`${job.base}/api/portal/v1/sessions`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ link: job.link }),
  });
  const s = record ? await timed('session', open) : await open().then(async (r) => ({ status: r.status, body: Buffer.from(await r.arrayBuffer()) })).catch(() => null);
  if (!s || s.status !== 201) return null;
  try { return (JSON.parse(s.body.toString()) as { access_token?: string }).access_token ?? null; } catch { return null; }
}

async function client(deadline: number, index: number) {
  const get = (kind: string, path: string, token?: string) =>
    timed(kind, () => fetch(`${job.base}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : undefined));
  let token: string | null = null;
  let n = index;
  while (performance.now() < deadline) {
    if (job.scenario === 'static') { await get('static', '/robots.txt'); continue; }
    if (job.scenario === 'health') { await get('health', '/api/health'); continue; }
    if (job.scenario === 'flow') {
      const t = await openSession(true);
      if (!t) continue;
      await get('list', '/api/portal/v1/documents', t);
      await get('content', `/api/portal/v1/documents/${job.documentId}/content`, t);
      continue;
    }
    token ??= await openSession(false);
    if (!token) { errors++; continue; }
    if (job.scenario === 'list') await get('list', '/api/portal/v1/documents', token);
    else if (job.scenario === 'content') await get('content', `/api/portal/v1/documents/${job.documentId}/content`, token);
    else await get('page', `/api/portal/v1/documents/${job.documentId}/pages/${(n++ % (job.pages ?? 1)) + 1}?w=1200`, token);
  }
}

/** Fires `rate` requests per second on a fixed schedule, whatever the answers' latency (open loop). */
async function openLoop(deadline: number, rate: number, fire: (i: number) => Promise<unknown>) {
  const inflight: Promise<unknown>[] = [];
  const start = performance.now();
  for (let i = 0; ; i++) {
    const due = start + (i * 1000) / rate;
    if (due >= deadline) break;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inflight.push(fire(i));
  }
  await Promise.all(inflight);
}

const randomIp = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${(i & 255) || 1}`;

async function calm(deadline: number) {
  const tokens = (await Promise.all(Array.from({ length: job.clients }, () => openSession(false)))).filter((t): t is string => Boolean(t));
  if (!tokens.length) { errors++; return; }
  await openLoop(deadline, job.rate ?? 20, (i) => timed('calm', () => fetch(`${job.base}/api/portal/v1/documents`, { headers: { authorization: `Bearer ${tokens[i % tokens.length]}` } })));
}

async function attack(deadline: number) {
  const post = (path: string, body: unknown, ip: string) => fetch(`${job.base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': ip }, body: JSON.stringify(body) });
  const asking = openLoop(deadline, 1, (i) => timed('ask', () => post('/api/portal/v1/codes', { link: job.codesLink, email: job.victim }, randomIp(900_000 + i))));
  const guessing = openLoop(deadline, job.rate ?? 100, (i) => timed('guess', () => post('/api/portal/v1/sessions', { link: job.codesLink, email: job.victim, code: String(100000 + ((i * 7919) % 900000)) }, randomIp(i + 1))));
  await Promise.all([asking, guessing]);
}

async function main() {
  const started = performance.now();
  const deadline = started + job.seconds * 1000;
  if (job.scenario === 'calm') await calm(deadline);
  else if (job.scenario === 'attack') await attack(deadline);
  else await Promise.all(Array.from({ length: job.clients }, (_, i) => client(deadline, i)));
  process.send!({ elapsedMs: performance.now() - started, lat, errors, statuses }, () => process.exit(0));
}
void main();
