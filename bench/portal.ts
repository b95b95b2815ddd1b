/*
 * npm run bench:portal — the portal's two named targets, on the embedded database unless DATABASE_URL is set:
 *  1. The home page of a portal with 500 documents in 20 sections, for a signed-in guest: server time
 *     (loopback request time; the client adds well under a millisecond). Target: under 300 ms.
 *  2. Page images of a 100-page PDF once rendered (cached): pages per second from one client, and from
 *     as many clients as there are cores. Target: at least 20 pages per second per core. Watermarked
 *     (the default for a grant), since the mark is drawn into every page image at request time.
 * Env: BENCH_HOME_RUNS (default 40), BENCH_PAGE_ROUNDS (default 2).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';

const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]; };

function get(url: string, cookie: string, agent: http.Agent): Promise<{ status: number; ms: number; bytes: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers: { cookie, 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36' } }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => { bytes += c.length; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0, bytes }));
    });
    req.on('error', reject);
  });
}

async function main() {
  process.env.LIAISON_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-bench-portal-'));
  process.env.LIAISON_LOG_LEVEL = 'warn';
  (process.env as Record<string, string>).NODE_ENV = 'production';
  const { execFileSync } = await import('node:child_process');
  execFileSync(process.execPath, [path.join('node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/prepare.ts'], { stdio: 'inherit' });

  const { startServer } = await import('../lib/server/start');
  const { prisma } = await import('../lib/db/client');
  const { createDocument } = await import('../lib/documents/service');
  const { ROLE_SCOPES } = await import('../lib/auth/scopes');
  const { openOnPortal } = await import('../lib/portals/open');
  const { findPortalBySlug } = await import('../lib/portals/portal-lookup');
  const { makeSamplePdf } = await import('../tests/helpers/pdf-text');
  const { Readable } = await import('node:stream');

  const server = await startServer({ port: 0, dev: false });
  process.env.LIAISON_PUBLIC_URL = server.url;
  const admin = await prisma().staffUser.findFirstOrThrow({ where: { role: 'ADMIN' } });
  const p = { kind: 'staff' as const, orgId: admin.orgId, userId: admin.id, email: admin.email, name: admin.name, role: admin.role, scopes: new Set(ROLE_SCOPES.ADMIN), request: { ip: '127.0.0.1', userAgent: 'bench' } };
  const small = fs.readFileSync(path.join('bench', 'fixtures', 'sample.pdf'));
  const upload = (buf: Uint8Array, title: string) =>
    createDocument(p, { stream: Readable.from([Buffer.from(buf)]), fileName: `${title}.pdf`, mediaType: 'application/pdf' }, { title, tlp: 'GREEN' }, 1e8);

  process.stdout.write('uploading 500 documents and a 100-page PDF…\n');
  const docs: string[] = [];
  for (let i = 0; i < 500; i += 10) {
    docs.push(...(await Promise.all(Array.from({ length: 10 }, (_, k) => upload(small, `Exhibit ${String(i + k + 1).padStart(3, '0')}`)))).map((d) => d.id));
  }
  const big = await upload(await makeSamplePdf(100), 'Board pack');
  const portal = await prisma().portal.create({ data: { orgId: admin.orgId, name: 'Bench portal', slug: 'bench-portal' } });
  for (let s = 0; s < 20; s++) {
    await prisma().portalSection.create({
      data: { portalId: portal.id, name: `Section ${s + 1}`, position: s, documents: { create: docs.slice(s * 25, s * 25 + 25).map((documentId, position) => ({ documentId, position })) } },
    });
  }
  // The 100-page PDF sits in the last of the 20 sections (which then holds 26 documents).
  await prisma().portalSectionDocument.create({ data: { sectionId: (await prisma().portalSection.findFirstOrThrow({ where: { portalId: portal.id, position: 19 } })).id, documentId: big.id, position: 25 } });
  await prisma().portalGrant.create({ data: { portalId: portal.id, orgId: admin.orgId, emails: ['counsel@bench.example'], allSections: true, expiresAt: new Date(Date.now() + 86_400_000), watermark: true } });
  const guest = await prisma().guest.create({ data: { orgId: admin.orgId, kind: 'EMAIL_VERIFIED', email: 'counsel@bench.example' } });
  const row = (await findPortalBySlug('bench-portal'))!;
  const host = new URL(server.url).host.replace(/:\d+$/, '');
  const opened = await openOnPortal(row, { guest: { id: guest.id, kind: 'EMAIL_VERIFIED', email: guest.email, disabledAt: null, expiresAt: null, partnerOrgId: null }, method: 'code' }, { ip: '127.0.0.1', userAgent: 'bench', host });
  const cookie = `liaison_portal=${opened.accessToken}`;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const base = `${server.url}/p/bench-portal`;

  // 1. Home page.
  const runs = Number(process.env.BENCH_HOME_RUNS ?? 40);
  for (let i = 0; i < 5; i++) await get(base, cookie, agent); // warm-up (compilation, caches)
  const home: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const r = await get(base, cookie, agent);
    if (r.status !== 200) throw new Error(`home page answered ${r.status}`);
    home.push(r.ms); bytes = r.bytes;
  }
  const docCount = ((await (await fetch(base, { headers: { cookie } })).text()).match(/href="\/p\/bench-portal\/d\/[^"/]+"/g) ?? []).length / 2;

  // 2. Page images of the 100-page PDF, rendered once, then served from the cache.
  const pageUrl = (n: number) => `${base}/d/${big.id}/pages/${n}?w=1200`;
  for (let n = 1; n <= 100; n++) { const r = await get(pageUrl(n), cookie, agent); if (r.status !== 200) throw new Error(`page ${n}: ${r.status}`); }
  const rounds = Number(process.env.BENCH_PAGE_ROUNDS ?? 2);
  const timePages = async (clients: number) => {
    const t0 = performance.now();
    let next = 0;
    const total = 100 * rounds;
    await Promise.all(Array.from({ length: clients }, async () => {
      while (next < total) { const n = (next++ % 100) + 1; const r = await get(pageUrl(n), cookie, agent); if (r.status !== 200) throw new Error(`page ${n}: ${r.status}`); }
    }));
    return total / ((performance.now() - t0) / 1000);
  };
  const one = await timePages(1);
  const cores = os.availableParallelism();
  const many = await timePages(cores);
  // The same without the watermark (a grant that does not ask for one): what the mark itself costs.
  await prisma().portalGrant.updateMany({ where: { portalId: portal.id }, data: { watermark: false } });
  for (let n = 1; n <= 100; n++) await get(pageUrl(n), cookie, agent);
  const plainOne = await timePages(1);
  const plainMany = await timePages(cores);

  const out = {
    machine: `${os.cpus()[0]?.model ?? 'cpu'} × ${cores}, Node ${process.version}, ${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'}`,
    home: { documents: docCount, sections: 20, runs, p50ms: +pct(home, 50).toFixed(1), p95ms: +pct(home, 95).toFixed(1), maxms: +Math.max(...home).toFixed(1), bytes, target: 'p95 < 300 ms' },
    pages: {
      document: '100 pages, 1200 px', target: '>= 20 pages/s per core', clients: cores,
      watermarked: { oneClient: +one.toFixed(1), allClients: +many.toFixed(1), perCore: +(many / cores).toFixed(1) },
      unmarked: { oneClient: +plainOne.toFixed(1), allClients: +plainMany.toFixed(1), perCore: +(plainMany / cores).toFixed(1) },
    },
  };
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  await server.close();
  process.exit(0);
}

main().catch((e) => { console.error(e); process.exit(1); });
