/*
 * Socket clients for bench/realtime.ts, run in child processes so that the clients do not share the
 * server's event loop (and, split over several processes, do not queue behind each other as 1,000
 * browsers would not). Driven over IPC; times are absolute (performance.timeOrigin + performance.now()),
 * so the parent can compare them across processes.
 *
 * Broadcast:  {op: 'prepare', url, tokens, documentId}            → {op: 'ready'}
 *             {op: 'run', url, documentId, staffKey, grantKey, comments} (one process) → {op: 'sent', sentAt, errors}
 *             {op: 'receipts'}                                    → {op: 'receipts', receipts: [[i, at]...]}
 * Revocation: {op: 'revocation', sockets: [{url, token, group}]}  → {op: 'connected'}
 *             {op: 'collect'} → {op: 'revocation-done', cut: [{group, at}]};  {op: 'stop'}
 */
import { io, type Socket } from 'socket.io-client';

const now = () => performance.timeOrigin + performance.now();
const send = (m: unknown) => process.send!(m);

function connect(url: string, auth: Record<string, string>): Promise<Socket> {
  const s = io(url, { path: '/socket.io', transports: ['websocket'], reconnection: false, forceNew: true, auth });
  return new Promise((resolve, reject) => {
    s.once('connect', () => resolve(s));
    s.once('connect_error', (e) => reject(e));
  });
}

async function inBatches<T, R>(items: T[], size: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

let guests: Socket[] = [];
const receipts: [number, number][] = [];

async function prepare(m: { url: string; tokens: string[]; documentId: string }) {
  guests = await inBatches(m.tokens, 50, (token) => connect(m.url, { token }));
  await inBatches(guests, 50, (s) => s.timeout(60_000).emitWithAck('join', { documentId: m.documentId }));
  for (const g of guests) {
    g.on('comment:created', ({ comment }: { comment: { body: string } }) => {
      receipts.push([Number(/#(\d+)$/.exec(comment.body)?.[1] ?? -1), now()]);
    });
  }
  send({ op: 'ready' });
}

async function run(m: { url: string; documentId: string; staffKey: string; grantKey: string; comments: number }) {
  const staff = await connect(m.url, { token: m.staffKey });
  await staff.timeout(30_000).emitWithAck('join', { documentId: m.documentId });
  const sentAt: number[] = [];
  let errors = 0;
  for (let i = 0; i < m.comments; i++) {
    sentAt.push(now());
    const r = await staff.timeout(30_000).emitWithAck('comment:create', { documentId: m.documentId, body: `Bench comment #${i}`, grantKey: m.grantKey }) as { ok?: boolean };
    if (!r.ok) errors++;
    // Leave the fan-out time to finish before the next one; the staff socket's limit is 20 events a second.
    await new Promise((r2) => setTimeout(r2, 400));
  }
  staff.close();
  send({ op: 'sent', sentAt, errors });
}

let revocationSockets: Socket[] = [];
const cut: { group: string; at: number }[] = [];

async function revocation(m: { sockets: { url: string; token: string; group: string }[] }) {
  revocationSockets = await inBatches(m.sockets, 50, async (x) => {
    const s = await connect(x.url, { token: x.token });
    s.once('disconnect', () => cut.push({ group: x.group, at: now() }));
    return s;
  });
  send({ op: 'connected', count: revocationSockets.length });
}

process.on('message', (raw) => {
  const m = raw as { op: string } & Record<string, unknown>;
  const fail = (e: unknown) => { send({ op: 'error', message: String((e as Error)?.message ?? e) }); };
  if (m.op === 'prepare') prepare(m as never).catch(fail);
  else if (m.op === 'run') run(m as never).catch(fail);
  else if (m.op === 'receipts') send({ op: 'receipts', receipts });
  else if (m.op === 'revocation') revocation(m as never).catch(fail);
  else if (m.op === 'collect') send({ op: 'revocation-done', cut });
  else if (m.op === 'stop') { for (const s of [...guests, ...revocationSockets]) s.close(); process.exit(0); }
});
