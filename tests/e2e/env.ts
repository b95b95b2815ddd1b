/** Values shared by the e2e server launcher and the specs. */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3211);
export const E2E_PASSWORD = 'E2e-Correct-Horse-42';
export const E2E_USERS = {
  admin: { email: 'admin@e2e.liaison.test', name: 'Demo Admin', role: 'ADMIN' },
  member: { email: 'member@e2e.liaison.test', name: 'Morgan Member', role: 'MEMBER' },
  auditor: { email: 'auditor@e2e.liaison.test', name: 'Alex Auditor', role: 'AUDITOR' },
} as const;

/** Where the launcher records the running server's data directory and database (test-results/, per port). */
// Written by start-server.ts (see server-data.ts): the running server's data directory and database URL.
export { serverInfoFile as serverStateFile } from './server-data';
