/*
 * npm run bench:reviews — the access-review page's target: with 10,000 active external grants and
 * 1,000,000 audit events in one organisation, the page answers in under 500 ms on PostgreSQL.
 *
 * Seeds BENCH_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/bench_reviews; created if missing
 * and WIPED; its name must contain "bench") with set-based INSERT … SELECT generate_series statements:
 *   4,000 shares (2 documents and 2 recipients each), 2,000 portal grants over 20 portals, 2,000 guest
 *   accounts, 1,500 live guest sessions (and 4,000 ended ones, which the page must skip), 500 approved
 *   devices: 10,000 active grants; 4,000 documents with one version each; 1,000,000 audit events.
 * Then times, BENCH_RUNS times each (default 20, after 3 warm-ups): the page's query and description
 * (listReviewGrants, 50 rows) unfiltered, with each filter, the second page through the cursor, and the
 * total count; and the same page through the GraphQL API in process (handleGraphql with an API key:
 * authentication, parsing, limits, resolvers, JSON). Prints a table; docs/BENCHMARKS.md has a run.
 * BENCH_REUSE=1 times an already seeded database again (after a code change) without seeding it anew.
 */
import os from 'node:os';
import pg from 'pg';

const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/bench_reviews';
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const AUDIT_EVENTS = Number(process.env.BENCH_AUDIT_EVENTS ?? 1_000_000);

process.env.LIAISON_LOG_LEVEL ??= 'warn';

async function freshPostgres(url: string): Promise<string> {
  const u = new URL(url);
  const name = u.pathname.slice(1);
  if (!/bench/i.test(name)) throw new Error(`Refusing to wipe "${name}": BENCH_DATABASE_URL must name a database containing "bench"`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const c = new pg.Client({ connectionString: admin.toString() });
  await c.connect();
  try {
    const exists = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!exists.rowCount) await c.query(`CREATE DATABASE ${c.escapeIdentifier(name)}`);
  } finally { await c.end(); }
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    await db.query('DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;');
    return serverVersion(db);
  } finally { await db.end(); }
}

async function serverVersion(db: pg.Client): Promise<string> {
  const v = await db.query<{ server_version: string }>('SHOW server_version');
  return `PostgreSQL ${v.rows[0].server_version.split(' ')[0]}`;
}

const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]; };

/** The seed, all set-based: each statement inserts thousands of rows in one round trip. */
const SEED = (o: string) => [
  `INSERT INTO "Organization" ("id","slug","name","tlpCeiling") VALUES ('${o}','bench-reviews','Bench Org','RED'), ('other_org','bench-other','Other Org','AMBER')`,
  `INSERT INTO "StaffUser" ("id","orgId","email","name","role","passwordHash") SELECT 'staff_'||i, '${o}', 'staff'||i||'@bench.example', 'Staff '||i, CASE WHEN i = 0 THEN 'ADMIN' ELSE 'MEMBER' END::"StaffRole", 'x' FROM generate_series(0,19) i`,
  `INSERT INTO "PartnerOrg" ("id","orgId","name","domains") SELECT 'partner_'||i, '${o}', 'Partner '||i, ARRAY['partner'||i||'.example'] FROM generate_series(0,9) i`,
  `INSERT INTO "Document" ("id","orgId","title","createdAt","updatedAt") SELECT 'doc_'||i, '${o}', 'Document '||i, now(), now() FROM generate_series(0,3999) i`,
  `INSERT INTO "DocumentVersion" ("id","documentId","number","blobKey","wrappedKey","sha256","size","mediaType","fileName","tlp")
     SELECT 'ver_'||i, 'doc_'||i, 1, 'blob_'||i, '\\x00'::bytea, md5(i::text), 1000, 'application/pdf', 'd'||i||'.pdf', (ARRAY['CLEAR','GREEN','AMBER','AMBER_STRICT','RED'])[1 + i % 5]::"Tlp" FROM generate_series(0,3999) i`,
  `INSERT INTO "Share" ("id","orgId","createdById","expiresAt","accessCount","lastAccessAt","createdAt","updatedAt","allowedDomains")
     SELECT 'share_'||i, '${o}', 'staff_'||(i % 20), now() + ((i % 90) + 1) * interval '1 day', CASE WHEN i % 3 = 0 THEN 0 ELSE i % 50 END,
       CASE WHEN i % 3 = 0 THEN NULL ELSE now() - (i % 120) * interval '1 day' END, now() - (i % 365) * interval '1 day' - i * interval '1 second', now(),
       CASE WHEN i % 7 = 0 THEN ARRAY['partner'||(i % 10)||'.example'] ELSE '{}' END FROM generate_series(0,3999) i`,
  // Revoked shares too: the page must not read them.
  `INSERT INTO "Share" ("id","orgId","createdById","expiresAt","state","revokedAt","createdAt","updatedAt") SELECT 'rshare_'||i, '${o}', 'staff_1', now() + interval '10 days', 'REVOKED', now(), now() - i * interval '1 minute', now() FROM generate_series(0,3999) i`,
  `INSERT INTO "ShareDocument" ("shareId","documentId") SELECT 'share_'||i, 'doc_'||i FROM generate_series(0,3999) i UNION ALL SELECT 'share_'||i, 'doc_'||((i + 1) % 4000) FROM generate_series(0,3999) i`,
  `INSERT INTO "ShareRecipient" ("id","shareId","email") SELECT 'rcp_'||i||'_'||k, 'share_'||i, 'person'||k||'@'||CASE WHEN k = 0 THEN 'partner'||(i % 10)||'.example' ELSE 'client'||(i % 50)||'.example' END FROM generate_series(0,3999) i, generate_series(0,1) k`,
  `INSERT INTO "Portal" ("id","orgId","name","slug","createdById","updatedAt") SELECT 'portal_'||i, '${o}', 'Portal '||i, 'bench-portal-'||i, 'staff_0', now() FROM generate_series(0,19) i`,
  `INSERT INTO "PortalSection" ("id","portalId","name") SELECT 'sec_'||i, 'portal_'||(i % 20), 'Section '||i FROM generate_series(0,99) i`,
  `INSERT INTO "PortalSectionDocument" ("sectionId","documentId") SELECT 'sec_'||(i % 100), 'doc_'||i FROM generate_series(0,999) i`,
  `INSERT INTO "PortalGrant" ("id","portalId","orgId","createdById","emails","domains","partnerOrgId","allSections","expiresAt","accessCount","lastAccessAt","createdAt","updatedAt")
     SELECT 'pg_'||i, 'portal_'||(i % 20), '${o}', 'staff_'||(i % 20), ARRAY['counsel'||i||'@client'||(i % 50)||'.example'], '{}', CASE WHEN i % 4 = 0 THEN 'partner_'||(i % 10) END,
       i % 2 = 0, now() + ((i % 60) + 1) * interval '1 day', i % 30, CASE WHEN i % 5 = 0 THEN NULL ELSE now() - (i % 90) * interval '1 day' END, now() - (i % 300) * interval '1 day' - i * interval '1 second', now() FROM generate_series(0,1999) i`,
  `INSERT INTO "PortalGrantSection" ("grantId","sectionId") SELECT 'pg_'||i, 'sec_'||((i % 20) + 20 * (i % 5)) FROM generate_series(0,1999) i WHERE i % 2 = 1`,
  `INSERT INTO "Guest" ("id","orgId","kind","email","partnerOrgId","expiresAt","createdAt")
     SELECT 'guest_'||i, '${o}', 'EMAIL_VERIFIED', 'guest'||i||'@'||CASE WHEN i % 3 = 0 THEN 'partner'||(i % 10)||'.example' ELSE 'client'||(i % 50)||'.example' END,
       CASE WHEN i % 3 = 0 THEN 'partner_'||(i % 10) END, CASE WHEN i % 2 = 0 THEN NULL ELSE now() + interval '200 days' END, now() - (i % 200) * interval '1 day' - i * interval '1 second' FROM generate_series(0,1999) i`,
  // Anonymous link guests (one per link open) are not listed themselves; their sessions are.
  `INSERT INTO "Guest" ("id","orgId","kind","createdAt") SELECT 'anon_'||i, '${o}', 'ANONYMOUS', now() - i * interval '1 minute' FROM generate_series(0,3999) i`,
  `INSERT INTO "GuestSession" ("id","guestId","shareId","portalId","ip","expiresAt","lastSeenAt","createdAt","authMethod")
     SELECT 'sess_'||i, CASE WHEN i % 2 = 0 THEN 'guest_'||(i % 2000) ELSE 'anon_'||i END, CASE WHEN i % 4 <> 0 THEN 'share_'||(i % 4000) END, CASE WHEN i % 4 = 0 THEN 'portal_'||(i % 20) END,
       '198.51.100.'||(i % 250), now() + interval '8 hours', now() - (i % 600) * interval '1 minute', now() - (i % 600) * interval '1 minute' - interval '1 hour', 'code' FROM generate_series(0,1499) i`,
  `INSERT INTO "GuestSession" ("id","guestId","shareId","ip","expiresAt","revokedAt","lastSeenAt","createdAt")
     SELECT 'dead_'||i, 'guest_'||(i % 2000), 'share_'||(i % 4000), '198.51.100.1', now() - interval '1 day', CASE WHEN i % 2 = 0 THEN now() END, now() - interval '2 days', now() - interval '3 days' FROM generate_series(0,3999) i`,
  `INSERT INTO "GuestPageView" ("sessionId","versionId","page","views") SELECT 'sess_'||i, 'ver_'||(i % 4000), p, 1 + (i + p) % 4 FROM generate_series(0,1499) i, generate_series(1,3) p`,
  `INSERT INTO "GuestDevice" ("id","guestId","orgId","thumbprint","publicJwk","status","decidedById","lastUsedAt","createdAt")
     SELECT 'dev_'||i, 'guest_'||(i * 4 % 2000), '${o}', 'tp_'||i, '{}', 'APPROVED', 'staff_0', CASE WHEN i % 4 = 0 THEN NULL ELSE now() - (i % 40) * interval '1 day' END, now() - (i % 100) * interval '1 day' FROM generate_series(0,499) i`,
];

async function main() {
  const reuse = process.env.BENCH_REUSE === '1';
  const version = reuse ? 'PostgreSQL (reused)' : await freshPostgres(PG_URL);
  process.env.DATABASE_URL = PG_URL;
  const { migrate } = await import('../lib/db/migrate');
  const { prisma, disconnect } = await import('../lib/db/client');
  const { ROLE_SCOPES } = await import('../lib/auth/scopes');
  const { listReviewGrants } = await import('../lib/reviews/grants');
  await migrate(PG_URL);
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`bench:reviews — ${os.cpus().length} cores (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${version} on ${new URL(PG_URL).host}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);

  const org = 'bench_org';
  const db = new pg.Client({ connectionString: PG_URL });
  await db.connect();
  if (reuse) console.log(`reusing the seeded database (${await serverVersion(db)})`);
  let t0 = performance.now();
  if (!reuse) for (const sql of SEED(org)) await db.query(sql);
  console.log(`seeded grants in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  t0 = performance.now();
  // The audit trail: a chain-shaped table of 1,000,000 events (hashes are placeholders; the page never reads them).
  for (let start = 0; !reuse && start < AUDIT_EVENTS; start += 250_000) {
    const end = Math.min(start + 250_000, AUDIT_EVENTS) - 1;
    await db.query(`INSERT INTO "AuditEvent" ("id","orgId","seq","at","type","actorType","actorId","actor","ip","shareId","documentId","details","prevHash","hash")
      SELECT 'ev_'||i, '${org}', i + 1, now() - (${AUDIT_EVENTS} - i) * interval '2 seconds', (ARRAY['guest.view','guest.download','guest.session','share.update'])[1 + i % 4], 'guest', 'guest_'||(i % 2000), 'guest'||(i % 2000)||'@bench.example',
        '198.51.100.'||(i % 250), 'share_'||(i % 4000), 'doc_'||(i % 4000), '{"page":1}', md5((i - 1)::text), md5(i::text) FROM generate_series(${start}, ${end}) i`);
  }
  await db.query('ANALYZE');
  const counts = (await db.query(`SELECT (SELECT count(*) FROM "AuditEvent") AS audit, (SELECT count(*) FROM "Share" WHERE state = 'ACTIVE') AS shares,
    (SELECT count(*) FROM "PortalGrant") AS grants, (SELECT count(*) FROM "Guest" WHERE kind <> 'ANONYMOUS') AS guests,
    (SELECT count(*) FROM "GuestSession" WHERE "revokedAt" IS NULL AND "expiresAt" > now()) AS sessions, (SELECT count(*) FROM "GuestDevice") AS devices`)).rows[0];
  console.log(`seeded audit events in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${JSON.stringify(counts)}`);
  await db.end();

  const admin = { kind: 'staff' as const, orgId: org, userId: 'staff_0', email: 'staff0@bench.example', name: 'Staff 0', role: 'ADMIN' as const, scopes: new Set(ROLE_SCOPES.ADMIN), request: { ip: '127.0.0.1', userAgent: 'bench' } };
  const total = await (await listReviewGrants(admin, { first: 1 })).totalCount();
  console.log(`active grants on the page: ${total}`);

  const time = async (fn: () => Promise<unknown>) => {
    for (let i = 0; i < 3; i++) await fn();
    const xs: number[] = [];
    for (let i = 0; i < RUNS; i++) { const s = performance.now(); await fn(); xs.push(performance.now() - s); }
    return xs;
  };
  const rows: [string, number[], string][] = [];
  const page = async (label: string, filters: Record<string, unknown>) => {
    let n = 0;
    const xs = await time(async () => { n = (await listReviewGrants(admin, { first: 50, ...filters })).nodes.length; });
    rows.push([label, xs, `${n} rows`]);
  };
  await page('first page, no filter', {});
  const first = await listReviewGrants(admin, { first: 50 });
  await page('second page (cursor)', { after: first.endCursor });
  await page('no access in 30 days', { noAccessDays: 30 });
  await page('never used', { neverUsed: true });
  await page('no expiry', { noExpiry: true });
  await page('expiring within 7 days', { expiringWithinDays: 7 });
  await page('TLP AMBER or above', { minTlp: 'AMBER' });
  await page('external domain', { domain: 'partner3.example' });
  await page('partner organisation', { partnerOrgId: 'partner_3' });
  await page('TLP AMBER+ and unused 30 days', { minTlp: 'AMBER', noAccessDays: 30 });
  let n = 0;
  rows.push(['total count, no filter', await time(async () => { n = await (await listReviewGrants(admin, { first: 1 })).totalCount(); }), `${n}`]);
  rows.push(['total count, TLP AMBER+', await time(async () => { n = await (await listReviewGrants(admin, { first: 1, minTlp: 'AMBER' })).totalCount(); }), `${n}`]);

  // The same page through the API, in process: API key authentication, GraphQL parsing and limits, resolvers, JSON.
  const { issueApiKey } = await import('../lib/auth/api-keys');
  const { handleGraphql } = await import('../lib/graphql/yoga');
  const key = await issueApiKey({ orgId: org, name: 'bench', scopes: ['admin'], actor: null });
  const query = `query { accessReviewGrants(first: 50) { totalCount edges { cursor node { kind id label who ownerName classification createdAt expiresAt lastActivityAt accessCount } } pageInfo { hasNextPage endCursor } } }`;
  const gql = async () => {
    const res = await handleGraphql(new Request('http://127.0.0.1/api/graphql', { method: 'POST', headers: { authorization: `Bearer ${key.key}`, 'content-type': 'application/json' }, body: JSON.stringify({ query }) }));
    const body = await res.json() as { errors?: unknown; data?: { accessReviewGrants: { edges: unknown[] } } };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data!.accessReviewGrants.edges.length;
  };
  rows.push(['GraphQL accessReviewGrants(first: 50) + totalCount', await time(gql), `${await gql()} rows`]);

  console.log('\n| case | median ms | p95 ms | max ms | result |\n| --- | ---: | ---: | ---: | --- |');
  for (const [label, xs, note] of rows) console.log(`| ${label} | ${pct(xs, 50).toFixed(1)} | ${pct(xs, 95).toFixed(1)} | ${Math.max(...xs).toFixed(1)} | ${note} |`);
  await prisma().$disconnect();
  await disconnect();
}

main().catch((e) => { console.error(e); process.exit(1); });
