/*
 * Load for bench/soak.ts, in a child process so the clients do not share a server's event loop. Each
 * virtual client repeats one kind of operation against the instances in turn (as a load balancer
 * without sticky sessions would send them) until the deadline, and the worker reports latencies and
 * errors per operation every `reportEvery` seconds over IPC:
 *   session   POST /api/portal/v1/sessions (a new guest session on the view-only share)
 *   list      GET /api/portal/v1/documents
 *   page      GET …/documents/<id>/pages/<n>?w=1200 (watermarked page image; downloads are off)
 *   download  GET …/documents/<id>/content (watermarked PDF, stamped per request)
 *   comment   socket.io: a guest socket posts a comment and waits for its acknowledgement, one a second
 *   upload    POST /api/v1/documents (multipart, 5-page PDF, API key), one every two seconds
 */
import fs from 'node:fs';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';

export type Operation = 'session' | 'list' | 'page' | 'download' | 'comment' | 'upload';
export interface SoakJob {
  bases: string[]; seconds: number; reportEvery: number; clients: Partial<Record<Operation, number>>;
  key: string; documentId: string; pages: number; links: { view: string; download: string; comment: string };
}
export interface SoakReport { op: 'report' | 'done'; lat: Partial<Record<Operation, number[]>>; errors: Partial<Record<Operation, number>>; samples: Partial<Record<Operation, string>> }

const job = JSON.parse(process.argv[2]) as SoakJob;
const pdf = fs.readFileSync(path.join('bench', 'fixtures', 'sample.pdf'));
let lat: SoakReport['lat'] = {};
let errors: SoakReport['errors'] = {};
const samples: SoakReport['samples'] = {};
let turn = 0;
const base = () => job.bases[turn++ % job.bases.length];

function fail(op: Operation, why: string) {
  errors[op] = (errors[op] ?? 0) + 1;
  samples[op] ??= why.slice(0, 200);
}

async function timed(op: Operation, fn: () => Promise<boolean>) {
  const t = performance.now();
  try {
    if (await fn()) (lat[op] ??= []).push(performance.now() - t);
  } catch (e) {
    fail(op, String((e as Error)?.message ?? e));
  }
}

async function check(op: Operation, res: Response, expect: number): Promise<boolean> {
  const body = Buffer.from(await res.arrayBuffer());
  if (res.status === expect) return true;
  fail(op, `${res.status} ${body.toString('utf8', 0, 160)}`);
  return false;
}

async function openSession(link: string, b = base()): Promise<string> {
  const res = await fetch(`${b}/api/portal/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ link }) });
  const json = await res.json() as { access_token?: string };
  if (res.status !== 201 || !json.access_token) throw new Error(`session ${res.status}`);
  return json.access_token;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function httpClient(op: Exclude<Operation, 'comment'>, deadline: number, index: number) {
  let token: string | null = null;
  let n = index;
  while (Date.now() < deadline) {
    if (op === 'session') {
      await timed(op, async () => check(op, await fetch(`${base()}/api/portal/v1/sessions`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ link: job.links.view }),
      }), 201));
      continue;
    }
    if (op === 'upload') {
      await timed(op, async () => {
        const form = new FormData();
        form.append('file', new Blob([pdf], { type: 'application/pdf' }), `upload-${index}-${n++}.pdf`);
        form.append('tlp', 'GREEN');
        return check(op, await fetch(`${base()}/api/v1/documents`, { method: 'POST', headers: { authorization: `Bearer ${job.key}` }, body: form }), 201);
      });
      await sleep(2000);
      continue;
    }
    try {
      token ??= await openSession(op === 'download' ? job.links.download : job.links.view);
    } catch (e) {
      fail(op, String((e as Error).message));
      await sleep(500);
      continue;
    }
    const auth = { headers: { authorization: `Bearer ${token}` } };
    const url = op === 'list' ? '/api/portal/v1/documents'
      : op === 'page' ? `/api/portal/v1/documents/${job.documentId}/pages/${(n++ % job.pages) + 1}?w=1200`
      : `/api/portal/v1/documents/${job.documentId}/content`;
    await timed(op, async () => check(op, await fetch(`${base()}${url}`, auth), 200));
  }
}

function connect(url: string, token: string): Promise<Socket> {
  const s = io(url, { path: '/socket.io', transports: ['websocket'], reconnection: false, forceNew: true, auth: { token } });
  return new Promise((resolve, reject) => {
    s.once('connect', () => resolve(s));
    s.once('connect_error', (e) => reject(e));
  });
}

async function commentClient(deadline: number, index: number) {
  let socket: Socket | null = null;
  let i = 0;
  while (Date.now() < deadline) {
    try {
      if (!socket?.connected) {
        const b = base();
        socket = await connect(b, await openSession(job.links.comment, b));
        const joined = await socket.timeout(10_000).emitWithAck('join', { documentId: job.documentId }) as { ok?: boolean; error?: string };
        if (!joined.ok) throw new Error(`join: ${JSON.stringify(joined)}`);
      }
      const s = socket;
      await timed('comment', async () => {
        const r = await s.timeout(10_000).emitWithAck('comment:create', { documentId: job.documentId, page: 1, body: `Soak comment ${index}.${i++}` }) as { ok?: boolean; error?: string };
        if (!r.ok) fail('comment', JSON.stringify(r));
        return Boolean(r.ok);
      });
    } catch (e) {
      fail('comment', String((e as Error)?.message ?? e));
      socket?.close();
      socket = null;
    }
    await sleep(1000);
  }
  socket?.close();
}

function flush(op: SoakReport['op']) {
  const report: SoakReport = { op, lat, errors, samples };
  lat = {};
  errors = {};
  return new Promise<void>((r) => process.send!(report, () => r()));
}

async function main() {
  const deadline = Date.now() + job.seconds * 1000;
  const timer = setInterval(() => void flush('report'), job.reportEvery * 1000);
  const runs: Promise<void>[] = [];
  for (const [op, count] of Object.entries(job.clients) as [Operation, number][]) {
    for (let i = 0; i < count; i++) runs.push(op === 'comment' ? commentClient(deadline, i) : httpClient(op, deadline, i));
  }
  await Promise.all(runs);
  clearInterval(timer);
  await flush('done');
  process.exit(0);
}
void main();
