/*
 * Starts the real Liaison server for Playwright: a fresh data directory, a fresh database
 * (TEST_DATABASE_URL reset, or the embedded one), known staff accounts, production mode.
 * The app must already be built (`npm test` runs scripts/prepare.ts first).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { resetDatabase } from '../setup/global-db';
import { E2E_PASSWORD, E2E_PORT, E2E_USERS } from './env';
import { dnsZoneFile, serverInfoFile } from './server-data';
import { startDnsServer } from '../helpers/dns-server';

const root = path.resolve(import.meta.dirname, '..', '..');

/**
 * Creates the demo organisation, its admin, and a member and an auditor, through the same code the
 * server uses, before the server starts (the embedded database allows one process at a time).
 */
async function seed() {
  const [{ connectDatabase }, { migrate }, { bootstrap }, { prisma, disconnect }, { hashSecret }, { recordAudit }] = await Promise.all([
    import('../../lib/db/connect'), import('../../lib/db/migrate'), import('../../lib/bootstrap'),
    import('../../lib/db/client'), import('../../lib/crypto/password'), import('../../lib/audit/record'),
  ]);
  const conn = await connectDatabase({ publish: false });
  try {
    await migrate(conn.url);
    await bootstrap();
    const org = await prisma().organization.findUniqueOrThrow({ where: { slug: 'demo' } });
    const passwordHash = await hashSecret(E2E_PASSWORD);
    for (const u of [E2E_USERS.member, E2E_USERS.auditor]) {
      await prisma().$transaction(async (tx) => {
        const row = await tx.staffUser.create({ data: { orgId: org.id, email: u.email, name: u.name, role: u.role, passwordHash } });
        await recordAudit({ orgId: org.id, type: 'staff.create', actor: { type: 'system', label: 'e2e setup' }, details: { userId: row.id, email: u.email, role: u.role } }, tx);
      });
    }
  } finally {
    await disconnect();
    await conn.embedded?.stop();
  }
}

/** The first server uses TEST_DATABASE_URL; each other one a database of its own beside it, created if missing. */
async function serverDatabase(url: string, index: number): Promise<string> {
  if (!index) return url;
  const own = new URL(url);
  const name = `${own.pathname.slice(1)}_e2e${index}`;
  own.pathname = `/${name}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!exists.rowCount) await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return own.toString();
}

async function main() {
  if (!fs.existsSync(path.join(root, '.next', 'BUILD_ID'))) {
    throw new Error('No production build found: run `npx tsx scripts/prepare.ts` first.');
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-e2e-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(E2E_PORT),
    LIAISON_DATA_DIR: dataDir,
    LIAISON_PUBLIC_URL: `http://localhost:${E2E_PORT}`,
    LIAISON_ADMIN_EMAIL: E2E_USERS.admin.email,
    LIAISON_ADMIN_PASSWORD: E2E_PASSWORD,
    LIAISON_LOG_LEVEL: process.env.LIAISON_LOG_LEVEL ?? 'warn',
    NEXT_TELEMETRY_DISABLED: '1',
    // Webhook specs post to a receiver on 127.0.0.1, which is refused otherwise (SSRF guard).
    LIAISON_WEBHOOK_ALLOW_PRIVATE: '1',
    // The SSO spec's OpenID provider and SAML IdP run in process on http://127.0.0.1.
    LIAISON_SSO_ALLOW_HTTP: '1',
  };
  // A developer's own settings must not leak into the run.
  for (const k of ['DATABASE_URL', 'LIAISON_EFFECTIVE_DATABASE_URL', 'LIAISON_MASTER_KEY', 'NEXTAUTH_URL', 'NEXTAUTH_SECRET', 'REDIS_URL', 'SMTP_URL', 'LIAISON_MAIL_FROM']) delete env[k];
  if (process.env.TEST_DATABASE_URL) {
    const url = await serverDatabase(process.env.TEST_DATABASE_URL, Number(process.env.E2E_SERVER_INDEX ?? 0));
    await resetDatabase(url);
    env.DATABASE_URL = url;
  }
  // A real DNS server for custom-domain checks; specs publish TXT records through its zone file.
  const dns = await startDnsServer({ zoneFile: dnsZoneFile(E2E_PORT) });
  env.LIAISON_DNS_SERVERS = dns.address;
  for (const k of Object.keys(process.env)) if (!(k in env)) delete process.env[k];
  Object.assign(process.env, env);
  await seed();
  delete process.env.LIAISON_EFFECTIVE_DATABASE_URL;
  // Where this server keeps its data, for specs that write fixtures straight into its database
  // (tests/e2e/server-data.ts); one file per port, since several servers may run side by side.
  fs.mkdirSync(path.dirname(serverInfoFile(E2E_PORT)), { recursive: true });
  fs.writeFileSync(serverInfoFile(E2E_PORT), JSON.stringify({ dataDir, databaseUrl: env.DATABASE_URL ?? null }), { mode: 0o600 });

  const child = spawn(path.join(root, 'node_modules', '.bin', 'tsx'), ['server.ts'], { cwd: root, env, stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(sig, () => { if (child.exitCode === null) child.kill(sig); });
  }
  child.on('exit', (code, signal) => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    process.exit(code ?? (signal ? 0 : 1));
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
