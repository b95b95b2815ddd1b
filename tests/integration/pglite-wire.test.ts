import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteWireServer } from '../../lib/db/pglite-wire-server';

/*
 * The embedded database is one PGlite session behind many client connections. Prepared statements and
 * transactions are session state, so the wire server must keep each connection's apart.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-wire-'));
let db: PGlite;
let server: PgliteWireServer;
let url: string;

beforeAll(async () => {
  db = new PGlite(path.join(dir, 'pg'));
  await db.waitReady;
  const port = await new Promise<number>((r) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => r(p)); }); });
  server = new PgliteWireServer(db);
  await server.start(port);
  url = `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
});
afterAll(async () => {
  await server.stop();
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const prepared = async () => Number((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_prepared_statements')).rows[0].n);

describe('the embedded database wire server', () => {
  it('gives each connection its own prepared statements, even with the same name', async () => {
    const a = new pg.Client({ connectionString: url });
    const b = new pg.Client({ connectionString: url });
    await a.connect(); await b.connect();
    const runs = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).query({ name: 'same_name', text: i % 2 ? 'SELECT $1::int + 1000 AS x' : 'SELECT $1::int - 1000 AS x', values: [i] })));
    runs.forEach((r, i) => expect(r.rows[0].x).toBe(i % 2 ? i + 1000 : i - 1000));
    expect(await prepared()).toBe(2);
    await a.end();
    // The departed connection's statement is closed; the other one's stays usable.
    await expect.poll(prepared).toBe(1);
    expect((await b.query({ name: 'same_name', text: 'SELECT $1::int - 1000 AS x', values: [5] })).rows[0].x).toBe(-995);
    await b.end();
    await expect.poll(prepared).toBe(0);
  });

  it('rolls back a transaction whose connection went away, before anyone else runs', async () => {
    await db.exec('CREATE TABLE IF NOT EXISTS wire_t (v int)');
    const a = new pg.Client({ connectionString: url });
    a.on('error', () => undefined); // its connection is about to be cut
    await a.connect();
    await a.query('BEGIN');
    await a.query('INSERT INTO wire_t VALUES (1)');
    // b waits (even to connect) while a holds the session's transaction.
    const b = new pg.Client({ connectionString: url });
    const waiting = b.connect().then(() => b.query('SELECT count(*)::int AS n FROM wire_t'));
    await new Promise((r) => setTimeout(r, 100));
    a.connection.stream.destroy(); // gone without COMMIT or ROLLBACK
    expect((await waiting).rows[0].n).toBe(0);
    expect(db.isInTransaction()).toBe(false);
    await b.end();
  });
});
