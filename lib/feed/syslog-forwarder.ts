import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import tls from 'node:tls';
import pg from 'pg';
import { config } from '../config';
import { databaseUrl } from '../db/client';
import { log } from '../log';
import { readEventPage } from './event-rows';
import { frame, syslogMessage } from './syslog-format';

/*
 * Forwards every committed audit event to LIAISON_SYSLOG_URL, oldest first, per organisation.
 *
 * Why a loop of its own rather than a queue job per event: the audit trail is already a durable, ordered
 * queue, and the only state needed is how far delivery got, one number per organisation
 * (AuditSyslogCursor). The loop polls for events after that number (only committed events are
 * visible), writes them on one long-lived connection, and moves the number on.
 *
 * Delivery is at least once. Syslog over TCP has no acknowledgement, so a batch counts as delivered only
 * when the next tick finds the connection still healthy (it was written, and the collector neither
 * reset nor closed the connection since); only then is the cursor stored. When the connection fails,
 * the forwarder reconnects with backoff and resends from the stored cursor, so an outage loses nothing
 * and may repeat the last batches: collectors de-duplicate on the event id or (org, seq), which every
 * message carries.
 *
 * One instance forwards at a time: the loop holds a session advisory lock on its own database
 * connection; another instance's loop waits for it (and takes over if that instance stops).
 */

export const SYSLOG_LOCK_KEY = 'audit:syslog-forwarder';
const BATCH = 500;
const CONNECT_TIMEOUT_MS = 5_000;
const MAX_BACKOFF_MS = 30_000;

export interface ForwarderOptions {
  url: string;
  caFile?: string;
  /** How often to look for new events; default 1 s. */
  pollMs?: number;
  hostname?: string;
}

/** Per organisation: its chain head, what was written to the collector, and what is stored as delivered. */
interface OrgState { slug: string; head: number; sent: number; stored: number }

export class SyslogForwarder {
  private readonly target: URL;
  private readonly pollMs: number;
  private readonly hostname: string;
  private readonly ca?: Buffer;
  private db: pg.Client | null = null;
  private leader = false;
  private socket: net.Socket | null = null;
  /** Set when the connection failed since the last tick: what was sent on it is resent. */
  private broken = false;
  private orgs = new Map<string, OrgState>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private backoffMs = 0;
  private nextAttempt = 0;
  private outage = false;
  /** Messages written since start (resends included), for diagnostics and tests. */
  sentMessages = 0;

  constructor(opts: ForwarderOptions) {
    this.target = new URL(opts.url);
    this.pollMs = opts.pollMs ?? 1000;
    this.hostname = opts.hostname ?? os.hostname();
    if (opts.caFile) this.ca = fs.readFileSync(opts.caFile);
  }

  start(): this {
    const loop = async () => {
      if (this.stopped) return;
      this.running = this.tick().catch((e) => log.warn({ err: (e as Error)?.message }, 'syslog forwarder: tick failed; trying again'));
      await this.running;
      this.running = null;
      if (!this.stopped) { this.timer = setTimeout(() => void loop(), this.pollMs); this.timer.unref(); }
    };
    void loop();
    return this;
  }

  /** Stops after the tick in progress, stores what the healthy connection has delivered, and closes. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    try { if (this.leader && this.db && this.socket && !this.broken) await this.storeCursors(); } catch { /* resent next time */ }
    this.socket?.end();
    this.socket = null;
    await this.db?.end().catch(() => undefined);
    this.db = null;
  }

  private async database(): Promise<pg.Client> {
    if (this.db) return this.db;
    const c = new pg.Client({ connectionString: databaseUrl(), application_name: 'liaison-syslog', query_timeout: 20_000 });
    c.on('error', () => { if (this.db === c) { this.db = null; this.leader = false; } });
    await c.connect();
    this.db = c;
    return c;
  }

  private async tick(): Promise<void> {
    let db: pg.Client;
    try {
      db = await this.database();
      if (!this.leader) {
        const { rows: [r] } = await db.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok', [SYSLOG_LOCK_KEY]);
        this.leader = r.ok;
        if (!this.leader) return; // another instance forwards
        this.orgs.clear();
      }
    } catch (e) {
      await this.db?.end().catch(() => undefined);
      this.db = null;
      this.leader = false;
      throw e;
    }
    if (this.broken) this.rewind();
    // What was written last tick on a connection that is still healthy has been delivered.
    if (this.socket) await this.storeCursors();
    await this.loadOrgs(db);
    const pending = [...this.orgs.entries()].filter(([, s]) => s.head > s.sent);
    if (!pending.length) return;
    if (!this.socket && !(await this.connect())) return;
    for (const [orgId, s] of pending) {
      while (s.sent < s.head && this.socket && !this.broken) {
        const through = Math.min(s.sent + BATCH, s.head);
        const events = await readEventPage(db, orgId, s.sent, through, BATCH);
        if (events.length) {
          const payload = Buffer.concat(events.map((e) => frame(syslogMessage(e, { hostname: this.hostname, orgSlug: s.slug }))));
          if (!(await this.write(payload))) break;
          this.sentMessages += events.length;
        }
        s.sent = through; // a missing range in the chain is skipped (`liaison audit verify` reports it)
      }
    }
  }

  private async loadOrgs(db: pg.Client): Promise<void> {
    const { rows } = await db.query<{ id: string; slug: string; head: number | null; stored: number | null }>(
      `SELECT o.id, o.slug, (SELECT max(seq) FROM "AuditEvent" e WHERE e."orgId" = o.id) AS head, c.seq AS stored
         FROM "Organization" o LEFT JOIN "AuditSyslogCursor" c ON c."orgId" = o.id`);
    for (const r of rows) {
      const known = this.orgs.get(r.id);
      if (known) { known.slug = r.slug; known.head = r.head ?? 0; continue; }
      this.orgs.set(r.id, { slug: r.slug, head: r.head ?? 0, sent: r.stored ?? 0, stored: r.stored ?? 0 });
    }
  }

  private async storeCursors(): Promise<void> {
    const db = this.db;
    if (!db || this.broken) return;
    for (const [orgId, s] of this.orgs) {
      if (s.sent === s.stored) continue;
      await db.query(`INSERT INTO "AuditSyslogCursor" ("orgId", seq, "updatedAt") VALUES ($1, $2, now())
        ON CONFLICT ("orgId") DO UPDATE SET seq = EXCLUDED.seq, "updatedAt" = now()`, [orgId, s.sent]);
      s.stored = s.sent;
    }
  }

  /** After a failed connection: everything not stored is sent again. */
  private rewind(): void {
    for (const s of this.orgs.values()) s.sent = s.stored;
    this.broken = false;
  }

  private fail(err: unknown): void {
    if (!this.broken) log.warn({ err: (err as Error)?.message ?? String(err), target: this.describe() }, 'syslog forwarder: connection lost; will resend from the last delivered event');
    this.broken = true;
    this.socket?.destroy();
    this.socket = null;
  }

  private describe(): string { return `${this.target.protocol}//${this.target.host}`; }

  private async connect(): Promise<boolean> {
    if (Date.now() < this.nextAttempt) return false;
    const host = this.target.hostname.replace(/^\[|\]$/g, '');
    const port = Number(this.target.port);
    try {
      const socket = await new Promise<net.Socket>((resolve, reject) => {
        const s = this.target.protocol === 'tls:'
          ? tls.connect({ host, port, ca: this.ca, servername: net.isIP(host) ? undefined : host, rejectUnauthorized: true }, () => resolve(s))
          : net.connect({ host, port }, () => resolve(s));
        s.setTimeout(CONNECT_TIMEOUT_MS, () => s.destroy(new Error('connect timeout')));
        s.once('error', reject);
      });
      socket.setTimeout(0);
      socket.setKeepAlive(true, 10_000);
      socket.on('error', (e) => { if (this.socket === socket) this.fail(e); });
      // A collector that closes the connection may not have read what was sent last: resend it.
      socket.on('close', () => { if (this.socket === socket) this.fail(new Error('connection closed by the collector')); });
      socket.on('data', () => undefined); // syslog collectors send nothing; never let a buffer fill
      this.socket = socket;
      this.broken = false;
      this.backoffMs = 0;
      if (this.outage) log.info({ target: this.describe() }, 'syslog forwarder: connected again');
      this.outage = false;
      return true;
    } catch (e) {
      this.backoffMs = Math.min(MAX_BACKOFF_MS, Math.max(this.pollMs, this.backoffMs * 2));
      this.nextAttempt = Date.now() + this.backoffMs;
      if (!this.outage) log.warn({ err: (e as Error)?.message, target: this.describe() }, 'syslog forwarder: cannot connect; retrying with backoff');
      this.outage = true;
      return false;
    }
  }

  private write(buf: Buffer): Promise<boolean> {
    const socket = this.socket;
    if (!socket) return Promise.resolve(false);
    return new Promise((resolve) => {
      socket.write(buf, (err) => {
        if (err) { if (this.socket === socket) this.fail(err); resolve(false); } else resolve(true);
      });
    });
  }
}

/** Starts the forwarder when LIAISON_SYSLOG_URL is set (server start), or returns null. */
export function startSyslogForwarder(): SyslogForwarder | null {
  const c = config();
  if (!c.LIAISON_SYSLOG_URL) return null;
  return new SyslogForwarder({ url: c.LIAISON_SYSLOG_URL, caFile: c.LIAISON_SYSLOG_CA_FILE }).start();
}
