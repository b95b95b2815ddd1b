/** Values shared by the e2e server launcher and the specs. */

/**
 * The port of this process's e2e server. Playwright runs E2E_WORKERS workers, each against a server of
 * its own (playwright.config.ts starts one per worker on consecutive ports from E2E_PORT), so that specs
 * running at the same time never share an organisation's settings. In a worker, TEST_PARALLEL_INDEX
 * picks its server; the result is written back to E2E_PORT, so fixture scripts the worker starts
 * (they inherit its environment) use it as it is.
 */
export function e2ePort(): number {
  const base = Number(process.env.E2E_PORT ?? 3211);
  if (process.env.E2E_PORT_RESOLVED || process.env.TEST_PARALLEL_INDEX === undefined) return base;
  const port = base + Number(process.env.TEST_PARALLEL_INDEX);
  process.env.E2E_PORT = String(port);
  process.env.E2E_PORT_RESOLVED = '1';
  return port;
}

export const E2E_PORT = e2ePort();
export const E2E_PASSWORD = 'E2e-Correct-Horse-42';
export const E2E_USERS = {
  admin: { email: 'admin@e2e.liaison.test', name: 'Demo Admin', role: 'ADMIN' },
  member: { email: 'member@e2e.liaison.test', name: 'Morgan Member', role: 'MEMBER' },
  auditor: { email: 'auditor@e2e.liaison.test', name: 'Alex Auditor', role: 'AUDITOR' },
} as const;

/** Where the launcher records the running server's data directory and database (test-results/, per port). */
// Written by start-server.ts (see server-data.ts): the running server's data directory and database URL.
export { serverInfoFile as serverStateFile } from './server-data';
