/*
 * Registers device keys for a guest on the running e2e server's database, through the real registry
 * (labels, trust on first use, audit). Run by devices.spec.ts as a child process, because Playwright's
 * loader cannot import Prisma. Usage: tsx tests/e2e/seed-devices.ts <guestId> <user agent>...
 * Prints the created devices as JSON.
 */
import fs from 'node:fs';
import { exportJWK, generateKeyPair } from 'jose';
import { E2E_PORT, serverStateFile } from './env';

async function main() {
  const [guestId, ...agents] = process.argv.slice(2);
  const state = JSON.parse(fs.readFileSync(serverStateFile(E2E_PORT), 'utf8')) as { dataDir: string; databaseUrl: string | null };
  process.env.LIAISON_DATA_DIR = state.dataDir;
  if (state.databaseUrl) process.env.DATABASE_URL = state.databaseUrl;
  const [{ connectDatabase }, { prisma, disconnect }, { registerDevice }] = await Promise.all([
    import('../../lib/db/connect'), import('../../lib/db/client'), import('../../lib/devices/registry'),
  ]);
  await connectDatabase({ publish: false, reuseRunning: true });
  try {
    const guest = await prisma().guest.findUniqueOrThrow({ where: { id: guestId } });
    const out = [];
    for (const userAgent of agents) {
      const { publicKey } = await generateKeyPair('ES256');
      const row = await registerDevice({ guestId, orgId: guest.orgId, jwk: await exportJWK(publicKey), userAgent, request: { ip: '198.51.100.20', userAgent } });
      out.push({ id: row.id, status: row.status, label: row.label });
    }
    console.log(JSON.stringify(out));
  } finally {
    await disconnect();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
