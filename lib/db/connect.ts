import { config } from '../config';
import { startEmbeddedDatabase, runningEmbeddedUrl, type EmbeddedDatabase } from './embedded';

export interface Connection { url: string; embedded: EmbeddedDatabase | null }

/**
 * Resolves the database for this process: DATABASE_URL when set; otherwise the embedded database
 * already served by a running Liaison from the same data directory; otherwise a new embedded one.
 * Sets LIAISON_EFFECTIVE_DATABASE_URL so that every module (Next's bundles included) finds it.
 */
export async function connectDatabase(opts: { publish?: boolean; reuseRunning?: boolean } = {}): Promise<Connection> {
  const cfg = config();
  let conn: Connection;
  if (cfg.DATABASE_URL) {
    conn = { url: cfg.DATABASE_URL, embedded: null };
  } else {
    const running = opts.reuseRunning ? await runningEmbeddedUrl(cfg.dataDir) : null;
    if (running) conn = { url: running, embedded: null };
    else {
      const embedded = await startEmbeddedDatabase(cfg.dataDir, { publish: opts.publish });
      conn = { url: embedded.url, embedded };
    }
  }
  process.env.LIAISON_EFFECTIVE_DATABASE_URL = conn.url;
  return conn;
}
