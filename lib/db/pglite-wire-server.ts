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
 *  - rolls back a transaction left open by a connection that went away, so others are not stuck;
 *  - gives each connection its own names for prepared statements (a prefix added on the way in, and the
 *    statements deallocated when it goes away): in one session, two connections preparing "guest_ctx"
 *    would otherwise collide, and one could run the other's statement.
 */
const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;
const SYNC = 0x53, QUERY = 0x51, FLUSH = 0x48, TERMINATE = 0x58;
const PARSE = 0x50, BIND = 0x42, DESCRIBE = 0x44, CLOSE = 0x43;

interface Conn { id: number; socket: net.Socket; buf: Buffer; batch: Buffer[]; started: boolean; closed: boolean; statements: Set<string> }
/** conn null: the server's own housekeeping, whose answers go nowhere. */
interface Job { conn: Conn | null; message: Buffer; holdAfter: boolean }

export class PgliteWireServer {
  private server: net.Server | null = null;
  private readonly queue: Job[] = [];
  private owner: Conn | null = null;
  private pumping = false;
  private readonly conns = new Set<Conn>();
  private nextId = 1;
  private stopped = false;

  constructor(private readonly db: PGlite) {}

  /** Listens on `port` (0: any free one) and answers the port it bound. */
  async start(port: number, host = '127.0.0.1'): Promise<number> {
    this.server = net.createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
    return (this.server.address() as net.AddressInfo).port;
  }

  async stop(): Promise<void> {
    // No more work is started: PGlite is about to close, and a batch run after that would crash.
    this.stopped = true;
    this.queue.length = 0;
    for (const c of this.conns) c.socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = null;
  }

  private accept(socket: net.Socket) {
    socket.setNoDelay(true);
    const conn: Conn = { id: this.nextId++, socket, buf: Buffer.alloc(0), batch: [], started: false, closed: false, statements: new Set() };
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
      conn.batch.push(namespaceStatements(conn, Buffer.from(msg)));
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
        if (this.stopped) return;
        const i = this.owner ? this.queue.findIndex((j) => j.conn === this.owner) : 0;
        if (i < 0 || this.queue.length === 0) return;
        const [job] = this.queue.splice(i, 1);
        const conn = job.conn;
        if (conn?.closed) continue;
        await this.db.runExclusive(() => this.db.execProtocolRawStream(new Uint8Array(job.message), {
          onRawData: (data) => { if (conn && !conn.closed && conn.socket.writable) conn.socket.write(Buffer.from(data)); },
        })).catch(() => conn?.socket.destroy());
        if (this.stopped) return;
        const open = job.holdAfter || this.db.isInTransaction();
        this.owner = conn && !conn.closed && open ? conn : null;
        // It went away while this batch ran, leaving a transaction: undo it before anything else.
        if (conn?.closed && open) this.queue.unshift({ conn: null, message: simpleQuery('ROLLBACK'), holdAfter: false });
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
    // A transaction it left open is rolled back before anyone else's work: first in the queue.
    if (this.owner === conn) {
      this.owner = null;
      this.queue.unshift({ conn: null, message: simpleQuery('ROLLBACK'), holdAfter: false });
    }
    // Its prepared statements are closed through the queue like any work, never beside it: PGlite must
    // not be driven outside the protocol stream while a connection is mid-batch.
    if (conn.statements.size) this.enqueue({ conn: null, message: closeStatements([...conn.statements]), holdAfter: false });
    void this.pump();
  }
}

function simpleQuery(sql: string): Buffer {
  const body = Buffer.from(sql + '\0', 'utf8');
  const head = Buffer.alloc(5);
  head[0] = QUERY;
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

/** Close ('C', statement) for each name, then Sync: deallocates a departed connection's statements. */
function closeStatements(names: string[]): Buffer {
  const parts = names.map((n) => {
    const body = Buffer.concat([Buffer.from('S'), Buffer.from(n + '\0', 'utf8')]);
    const head = Buffer.alloc(5);
    head[0] = CLOSE;
    head.writeInt32BE(body.length + 4, 1);
    return Buffer.concat([head, body]);
  });
  const sync = Buffer.from([SYNC, 0, 0, 0, 4]);
  return Buffer.concat([...parts, sync]);
}

/** Reads a NUL-terminated string at `at`; returns it and the offset after the NUL. */
function cstring(b: Buffer, at: number): [string, number] {
  const end = b.indexOf(0, at);
  if (end < 0) throw new Error('malformed message');
  return [b.toString('utf8', at, end), end + 1];
}

/**
 * Prefixes the statement names a connection uses (Parse, Bind, and Describe/Close of a statement) with
 * its own id. The unnamed statement stays unnamed: each batch runs whole, so it cannot be taken over.
 */
function namespaceStatements(conn: Conn, msg: Buffer): Buffer {
  const type = msg[0];
  if (type !== PARSE && type !== BIND && type !== DESCRIBE && type !== CLOSE) return msg;
  try {
    let nameAt: number;
    if (type === PARSE) nameAt = 5;
    else if (type === BIND) nameAt = cstring(msg, 5)[1]; // after the portal name
    else if (msg[5] === 0x53 /* 'S' */) nameAt = 6;
    else return msg; // a portal
    const [name, after] = cstring(msg, nameAt);
    if (!name) return msg;
    const scoped = `c${conn.id}_${name}`;
    if (type === PARSE) conn.statements.add(scoped);
    if (type === CLOSE) conn.statements.delete(scoped);
    const body = Buffer.concat([msg.subarray(5, nameAt), Buffer.from(scoped + '\0', 'utf8'), msg.subarray(after)]);
    const head = Buffer.alloc(5);
    head[0] = type;
    head.writeInt32BE(body.length + 4, 1);
    return Buffer.concat([head, body]);
  } catch {
    return msg; // let PGlite report the malformed message
  }
}
