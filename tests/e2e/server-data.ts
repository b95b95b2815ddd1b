import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** The zone file of the e2e server's DNS server (name → TXT records), which specs write. */
export const dnsZoneFile = (port: number) => path.join(process.cwd(), 'test-results', `e2e-dns-${port}.json`);

/** Publishes TXT records on the e2e server's DNS server (merged with what is there). */
export function publishTxt(port: number, name: string, records: string[]): void {
  const file = dnsZoneFile(port);
  let zone: Record<string, string[]> = {};
  try { zone = JSON.parse(fs.readFileSync(file, 'utf8')); } catch { /* none yet */ }
  zone[name.toLowerCase()] = records;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(zone));
}

/** Written by start-server.ts: the running e2e server's data directory and database URL. */
export const serverInfoFile = (port: number) => path.join(process.cwd(), 'test-results', `e2e-server-${port}.json`);

/**
 * Runs a fixture script (tsx) against the running server's database: the embedded one through its
 * published socket (LIAISON_DATA_DIR), or TEST_DATABASE_URL's. Returns the script's last output line.
 */
export function runFixtureScript(port: number, script: string, opts: { once?: boolean; args?: string[] } = {}): string {
  const info = JSON.parse(fs.readFileSync(serverInfoFile(port), 'utf8')) as { dataDir: string; databaseUrl: string | null };
  // `once`: the output is kept beside the server info, so a second worker of the same server reuses it.
  const cache = `${serverInfoFile(port)}.${path.basename(script, '.ts')}.out`;
  if (opts.once && fs.existsSync(cache)) {
    const kept = JSON.parse(fs.readFileSync(cache, 'utf8')) as { dataDir: string; line: string };
    if (kept.dataDir === info.dataDir) return kept.line;
  }
  const env: NodeJS.ProcessEnv = { ...process.env, LIAISON_DATA_DIR: info.dataDir, LIAISON_LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  delete env.LIAISON_EFFECTIVE_DATABASE_URL;
  if (info.databaseUrl) env.DATABASE_URL = info.databaseUrl;
  const out = execFileSync(path.join(process.cwd(), 'node_modules', '.bin', 'tsx'), [script, ...(opts.args ?? [])], { env, encoding: 'utf8', timeout: 120_000 });
  const line = out.trim().split('\n').at(-1) ?? '';
  if (opts.once) fs.writeFileSync(cache, JSON.stringify({ dataDir: info.dataDir, line }));
  return line;
}
