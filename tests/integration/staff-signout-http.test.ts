import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { createOrg, createStaff, FIXTURE_PASSWORD } from '../helpers/factory';

/*
 * The real server (server.ts, production build) in front of the test database, reached through a TCP
 * relay this test can cut: sign-in and sign-out go through next-auth's own routes, and a console page
 * and a server action are requested as a browser would. Needs `npx tsx scripts/prepare.ts` first
 * (`npm test` does it).
 */
const root = path.resolve(import.meta.dirname, '../..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-signout-http-'));
let server: ChildProcess | null = null;
let base = '';
let output = '';

// A relay between the server and the database that can be cut and restored, like a network outage.
const relay = { down: false, sockets: new Set<net.Socket>() };
let relayServer: net.Server;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function cutDatabase() {
  relay.down = true;
  for (const s of relay.sockets) s.destroy();
}

beforeAll(async () => {
  if (!fs.existsSync(path.join(root, '.next', 'BUILD_ID'))) throw new Error('No production build: run `npx tsx scripts/prepare.ts` first.');
  const db = new URL(inject('databaseUrl'));
  relayServer = net.createServer((client) => {
    if (relay.down) { client.destroy(); return; }
    const upstream = net.connect(Number(db.port), db.hostname);
    for (const s of [client, upstream]) { relay.sockets.add(s); s.on('close', () => relay.sockets.delete(s)); s.on('error', () => undefined); }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => relayServer.listen(0, '127.0.0.1', r));
  const relayUrl = new URL(db.href);
  relayUrl.host = `127.0.0.1:${(relayServer.address() as net.AddressInfo).port}`;

  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', PORT: String(port),
    DATABASE_URL: relayUrl.href, LIAISON_DATA_DIR: dataDir, LIAISON_MASTER_KEY: process.env.LIAISON_MASTER_KEY,
    LIAISON_PUBLIC_URL: base, LIAISON_LOG_LEVEL: 'warn', NEXT_TELEMETRY_DISABLED: '1',
  };
  server = spawn(path.join(root, 'node_modules', '.bin', 'tsx'), ['server.ts'], { cwd: root, env });
  server.stdout!.on('data', (d) => { output += d; });
  server.stderr!.on('data', (d) => { output += d; });
  const until = Date.now() + 90_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`server exited: ${output}`);
    const ok = await fetch(`${base}/api/health`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > until) throw new Error(`server did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}, 120_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((r) => server!.once('exit', r));
  }
  for (const s of relay.sockets) s.destroy();
  await new Promise((r) => relayServer?.close(r));
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A cookie jar over fetch, enough for next-auth's CSRF and session cookies. */
class Browser {
  jar = new Map<string, string>();
  header() { return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '); }
  async fetch(url: string, init: RequestInit = {}) {
    const res = await fetch(`${base}${url}`, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: this.header(), origin: base } });
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const expired = attrs.some((a) => /max-age=0/i.test(a) || /expires=Thu, 01 Jan 1970/i.test(a));
      if (expired) this.jar.delete(name); else this.jar.set(name, pair.slice(i + 1).trim());
    }
    return res;
  }
  async csrf() {
    return ((await (await this.fetch('/api/auth/csrf')).json()) as { csrfToken: string }).csrfToken;
  }
  async post(url: string, form: Record<string, string>) {
    return this.fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
  }
}

function actionId(exportedName: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, '.next/server/server-reference-manifest.json'), 'utf8')) as { node: Record<string, { exportedName?: string }> };
  const id = Object.entries(manifest.node).find(([, v]) => v.exportedName === exportedName)?.[0];
  if (!id) throw new Error(`no server action ${exportedName}`);
  return id;
}

const SESSION = 'next-auth.session-token';

describe('sign-out through next-auth\'s own route, against the real server', () => {
  it('ends the server-side session; refuses to pretend when it could not; the old cookie then opens nothing', async () => {
    const org = await createOrg();
    const { user } = await createStaff(org.id, 'MEMBER');
    const b = new Browser();
    const signin = await b.post('/api/auth/callback/credentials', { csrfToken: await b.csrf(), email: user.email, password: FIXTURE_PASSWORD, json: 'true' });
    expect(signin.status, output).toBe(200);
    expect(b.jar.has(SESSION)).toBe(true);
    const session = await prisma().staffSession.findFirstOrThrow({ where: { userId: user.id, endedAt: null } });
    expect(session.ip).toBe('127.0.0.1');
    const page = await b.fetch('/settings/account');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(user.email);
    const saved = b.jar.get(SESSION)!;

    // The database is unreachable: sign-out answers the error and the cookie stays, since the session does.
    const csrf = await b.csrf();
    cutDatabase();
    const failed = await b.post('/api/auth/signout', { csrfToken: csrf, callbackUrl: '/signin', json: 'true' });
    relay.down = false;
    expect(failed.status).toBe(503);
    expect((await failed.json()).error).toBe('database_unavailable');
    expect(b.jar.get(SESSION)).toBe(saved);
    expect((await prisma().staffSession.findUniqueOrThrow({ where: { id: session.id } })).endedAt).toBeNull();

    // Back up: signing out works and ends the row.
    let out: Response | null = null;
    for (let i = 0; i < 40 && out?.status !== 200; i++) {
      out = await b.post('/api/auth/signout', { csrfToken: await b.csrf(), callbackUrl: '/signin', json: 'true' });
      if (out.status !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    expect(out!.status).toBe(200);
    expect(((await out!.json()) as { url: string }).url).toBe(`${base}/signin`);
    expect(b.jar.has(SESSION)).toBe(false);
    const ended = await prisma().staffSession.findUniqueOrThrow({ where: { id: session.id } });
    expect(ended).toMatchObject({ endedReason: 'signed_out' });
    const audit = await prisma().auditEvent.findMany({ where: { orgId: org.id, type: 'staff.signout' } });
    expect(audit).toHaveLength(1);
    expect(audit[0].details).toMatchObject({ sessionId: session.id });

    // The cookie saved before signing out: a console page sends to sign-in, a server action is refused.
    const stale = new Browser();
    stale.jar.set(SESSION, saved);
    const again = await stale.fetch('/settings/account');
    expect(again.status).toBe(307);
    expect(again.headers.get('location')).toMatch(/\/signin$/);
    const action = await stale.fetch('/settings/account', {
      method: 'POST',
      headers: { 'next-action': actionId('endUserSessionsAction'), 'content-type': 'text/plain;charset=UTF-8', accept: 'text/x-component' },
      body: JSON.stringify([{ userId: user.id }]),
    });
    const text = await action.text();
    expect(text).toContain('"unauthenticated"');
    expect(text).not.toContain('endedCount');
  });

  it('40 parallel wrong sign-ins through the real route: at most 5 verified, the rest refused, no 5xx', async () => {
    const org = await createOrg();
    const { user } = await createStaff(org.id, 'MEMBER', { realHash: true });
    const attempts = await Promise.all(Array.from({ length: 40 }, async (_, i) => {
      const b = new Browser();
      const res = await b.post('/api/auth/callback/credentials', { csrfToken: await b.csrf(), email: user.email, password: `wrong-${i}`, json: 'true' });
      const body = await res.json() as { url?: string };
      return { status: res.status, error: new URL(body.url ?? '', base).searchParams.get('error') };
    }));
    expect(attempts.every((a) => a.status < 500)).toBe(true);
    const errors = attempts.map((a) => a.error);
    expect(errors.filter((e) => e === 'invalid_credentials').length).toBeLessThanOrEqual(5);
    expect(errors.filter((e) => e === 'rate_limited').length).toBeGreaterThanOrEqual(35);
    expect(await prisma().auditEvent.count({ where: { orgId: org.id, type: 'staff.signin', outcome: 'failure' } })).toBeLessThanOrEqual(5);
    expect(await prisma().staffSession.count({ where: { userId: user.id } })).toBe(0);
  });
});
