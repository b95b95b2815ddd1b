import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client';

export type Db = PrismaClient;
/** The client handed to a $transaction callback. */
export type Tx = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

// One client per process. Next bundles route code separately from server.ts, so the singleton
// lives on globalThis rather than in module scope.
const g = globalThis as unknown as { __liaisonPrisma?: { url: string; client: PrismaClient } };

export function databaseUrl(): string {
  const url = process.env.LIAISON_EFFECTIVE_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!url) throw new Error('No database configured: start through server.ts or the CLI, which start the embedded database');
  return url;
}

export function prisma(): PrismaClient {
  const url = databaseUrl();
  if (g.__liaisonPrisma?.url === url) return g.__liaisonPrisma.client;
  const adapter = new PrismaPg({ connectionString: url, max: 10, connectionTimeoutMillis: 5000, idleTimeoutMillis: 30000 });
  // Prisma's defaults (2 s to start a transaction, 5 s to run it) turn a busy moment into a 503: the
  // embedded database runs one transaction at a time, and a burst on PostgreSQL queues for the pool's
  // ten connections. A request rather waits its turn; past these it still fails as retryable
  // (lib/errors.ts isDatabaseBusy).
  const client = new PrismaClient({ adapter, transactionOptions: { maxWait: 10_000, timeout: 20_000 } });
  g.__liaisonPrisma = { url, client };
  return client;
}

export async function disconnect(): Promise<void> {
  const cur = g.__liaisonPrisma;
  g.__liaisonPrisma = undefined;
  await cur?.client.$disconnect();
}
