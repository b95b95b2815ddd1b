/*
 * Socket clients for bench/realtime.ts, run in a child process so that 1,000 clients do not share the
 * server's event loop. Driven over IPC; times are absolute (performance.timeOrigin + performance.now()),
 * so the parent can compare them with its own.
 *
 * Messages in:  {op: 'broadcast', url, tokens, documentId, staffKey, grantKey, comments}
 *               {op: 'revocation', sockets: [{url, token, group}]}  then {op: 'stop'}
 * Messages out: {op: 'broadcast-done', perDelivery: number[], allReceived: number[], errors}
 *               {op: 'connected', count} , {op: 'revocation-done', cut: [{group, at}]}
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

async function broadcast(m: { url: string; tokens: string[]; documentId: string; staffKey: string; grantKey: string; comments: number }) {
  const guests = await inBatches(m.tokens, 50, (token) => connect(m.url, { token }));
  await inBatches(guests, 50, (s) => s.timeout(30_000).emitWithAck('join', { documentId: m.documentId }));
  const staff = await connect(m.url, { token: m.staffKey });
  await staff.timeout(30_000).emitWithAck('join', { documentId: m.documentId });
  const perDelivery: number[] = [];
  const allReceived: number[] = [];
  let errors = 0;
  for (let i = 0; i < m.comments; i++) {
    let got = 0;
    let t0 = 0;
    const done = new Promise<void>((resolve) => {
      for (const g of guests) {
        g.once('comment:created', () => {
          const dt = now() - t0;
          perDelivery.push(dt);
          if (++got === guests.length) { allReceived.push(dt); resolve(); }
        });
      }
    });
    t0 = now();
    const r = await staff.timeout(30_000).emitWithAck('comment:create', { documentId: m.documentId, body: `Bench comment ${i + 1}`, grantKey: m.grantKey }) as { ok?: boolean };
    if (!r.ok) errors++;
    await Promise.race([done, new Promise((r2) => setTimeout(r2, 10_000))]);
    // The staff socket's own limit is 20 events a second; a comment every 150 ms stays well within it.
    await new Promise((r2) => setTimeout(r2, 150));
  }
  for (const s of [...guests, staff]) s.close();
  send({ op: 'broadcast-done', perDelivery, allReceived, errors });
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
  if (m.op === 'broadcast') broadcast(m as never).catch(fail);
  else if (m.op === 'revocation') revocation(m as never).catch(fail);
  else if (m.op === 'collect') send({ op: 'revocation-done', cut });
  else if (m.op === 'stop') { for (const s of revocationSockets) s.close(); process.exit(0); }
});
