import net from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

/*
 * A PostgreSQL wire-protocol front for PGlite, so that @prisma/adapter-pg (node-postgres) can use it.
 *
 * Written here instead of using @electric-sql/pglite-socket 0.2.x, which queues each protocol message
 * separately across connections (electric-sql/pglite#1046): one connection's Parse/Bind/Execute could
 * run between another's and bind to the wrong unnamed statement — errors, or another request's rows.
 *
 * PGlite is a single session. This server therefore:
 *  - runs each connection's messages in whole batches, ending at Sync, simple Query or Flush;
 *  - lets the connection that holds an open transaction (or is between Flush and Sync) go on alone
 *    until it finishes, and queues everyone else, in arrival order;
 *  - rolls back a transaction left open by a connection that went away, so others are not stuck.
 */
const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;
const SYNC = 0x53, QUERY = 0x51, FLUSH = 0x48, TERMINATE = 0x58;

interface Conn { socket: net.Socket; buf: Buffer; batch: Buffer[]; started: boolean; closed: boolean }
interface Job { conn: Conn; message: Buffer; holdAfter: boolean }

export class PgliteWireServer {
  private server: net.Server | null = null;
  private readonly queue: Job[] = [];
  private owner: Conn | null = null;
  private pumping = false;
  private readonly conns = new Set<Conn>();

  constructor(private readonly db: PGlite) {}

  async start(port: number, host = '127.0.0.1'): Promise<void> {
    this.server = net.createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
  }

  async stop(): Promise<void> {
    for (const c of this.conns) c.socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = null;
  }

  private accept(socket: net.Socket) {
    socket.setNoDelay(true);
    const conn: Conn = { socket, buf: Buffer.alloc(0), batch: [], started: false, closed: false };
    this.conns.add(conn);
    socket.on('data', (d: Buffer) => { conn.buf = conn.buf.length ? Buffer.concat([conn.buf, d]) : d; this.frame(conn); });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => void this.drop(conn));
  }

  /** Splits the byte stream into messages and hands complete batches to the queue. */
  private frame(conn: Conn) {
    for (;;) {
      if (!conn.started) {
        if (conn.buf.length < 8) return;
        const len = conn.buf.readInt32BE(0);
        const code = conn.buf.readInt32BE(4);
        if (len < 8 || len > 10_000) { conn.socket.destroy(); return; }
        if (conn.buf.length < len) return;
        const msg = conn.buf.subarray(0, len);
        conn.buf = conn.buf.subarray(len);
        if (code === SSL_REQUEST) { conn.socket.write('N'); continue; }
        if (code === CANCEL_REQUEST) { conn.socket.destroy(); return; } // no backend to signal
        if (code !== PROTOCOL_3) { conn.socket.destroy(); return; }
        conn.started = true;
        this.enqueue({ conn, message: Buffer.from(msg), holdAfter: false });
        continue;
      }
      if (conn.buf.length < 5) return;
      const len = conn.buf.readInt32BE(1);
      if (len < 4) { conn.socket.destroy(); return; }
      if (conn.buf.length < 1 + len) return;
      const type = conn.buf[0];
      const msg = conn.buf.subarray(0, 1 + len);
      conn.buf = conn.buf.subarray(1 + len);
      if (type === TERMINATE) { conn.socket.end(); return; }
      conn.batch.push(Buffer.from(msg));
      if (type === SYNC || type === QUERY || type === FLUSH) {
        const message = Buffer.concat(conn.batch);
        conn.batch = [];
        // After a Flush the client is mid extended-query and will come back for more before its Sync.
        this.enqueue({ conn, message, holdAfter: type === FLUSH });
      }
    }
  }

  private enqueue(job: Job) {
    this.queue.push(job);
    void this.pump();
  }

  private async pump() {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        const i = this.owner ? this.queue.findIndex((j) => j.conn === this.owner) : 0;
        if (i < 0 || this.queue.length === 0) return;
        const [job] = this.queue.splice(i, 1);
        if (job.conn.closed) continue;
        await this.db.runExclusive(() => this.db.execProtocolRawStream(new Uint8Array(job.message), {
          onRawData: (data) => { if (!job.conn.closed && job.conn.socket.writable) job.conn.socket.write(Buffer.from(data)); },
        })).catch(() => job.conn.socket.destroy());
        this.owner = job.holdAfter || this.db.isInTransaction() ? job.conn : null;
      }
    } finally {
      this.pumping = false;
    }
  }

  /** A connection went away: forget its queued work, and undo a transaction it left open. */
  private async drop(conn: Conn) {
    conn.closed = true;
    this.conns.delete(conn);
    for (let i = this.queue.length - 1; i >= 0; i--) if (this.queue[i].conn === conn) this.queue.splice(i, 1);
    if (this.owner === conn) {
      this.owner = null;
      if (this.db.isInTransaction()) await this.db.runExclusive(() => this.db.exec('ROLLBACK')).catch(() => undefined);
    }
    void this.pump();
  }
}
