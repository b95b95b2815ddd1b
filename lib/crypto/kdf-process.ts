import { fork, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { log } from '../log';

const inProcess = promisify(crypto.pbkdf2);

/*
 * PBKDF2 at 600,000 iterations costs about a quarter of a second of a core. A burst of them (the first
 * tries of a guessing attack, a class of guests opening at nine o'clock) on a small machine would take
 * every core and stall every other request for as long. So derivations run in a child process at the
 * lowest scheduling priority (nice 19): they use the cores the server leaves idle, and a request that
 * needs none waits for none of them (docs/BENCHMARKS.md, "Guest API", the codes scenario).
 * If the child cannot be started, derivations run in this process, as before.
 */
type Pending = { resolve: (b: Buffer) => void; reject: (e: Error) => void };
const g = globalThis as unknown as { __liaisonKdf?: { child: ChildProcess | null; seq: number; pending: Map<number, Pending>; broken: boolean } };
const state = (g.__liaisonKdf ??= { child: null, seq: 0, pending: new Map(), broken: false });

function child(): ChildProcess | null {
  if (state.broken) return null;
  if (state.child?.connected) return state.child;
  try {
    const c = fork(path.join(process.cwd(), 'lib', 'crypto', 'kdf-worker.mjs'), [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], serialization: 'advanced', execArgv: [] });
    try { os.setPriority(c.pid!, 19); } catch { /* not permitted: still off the event loop */ }
    c.on('message', (m: { id: number; key?: Uint8Array; error?: string }) => {
      const p = state.pending.get(m.id);
      if (!p) return;
      state.pending.delete(m.id);
      if (m.key) p.resolve(Buffer.from(m.key)); else p.reject(new Error(m.error ?? 'key derivation failed'));
      idle(c);
    });
    c.on('exit', () => {
      if (state.child === c) state.child = null;
      for (const [id, p] of state.pending) { state.pending.delete(id); p.reject(new Error('key derivation process exited')); }
    });
    c.on('error', (err) => { log.warn({ err: err.message }, 'key derivation process failed; deriving in process'); state.broken = true; });
    state.child = c;
    idle(c);
    return c;
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'key derivation process could not start; deriving in process');
    state.broken = true;
    return null;
  }
}

/** The child keeps this process alive only while it has work (a CLI run ends when its work is done). */
function idle(c: ChildProcess) {
  const ch = (c as ChildProcess & { channel?: { ref(): void; unref(): void } }).channel;
  if (state.pending.size === 0) { c.unref(); ch?.unref(); } else { c.ref(); ch?.ref(); }
}

export async function pbkdf2Background(secret: string, salt: Buffer, iterations: number, bytes: number, digest: string): Promise<Buffer> {
  const c = child();
  if (!c) return inProcess(secret, salt, iterations, bytes, digest);
  const id = ++state.seq;
  const result = new Promise<Buffer>((resolve, reject) => state.pending.set(id, { resolve, reject }));
  idle(c);
  try {
    c.send({ id, secret, salt: new Uint8Array(salt), iterations, bytes, digest });
  } catch {
    state.pending.delete(id);
    idle(c);
    return inProcess(secret, salt, iterations, bytes, digest);
  }
  return result.catch(() => inProcess(secret, salt, iterations, bytes, digest));
}
