import fs from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { connectDatabase } from '../lib/db/connect';
import { migrate } from '../lib/db/migrate';
import { disconnect, prisma } from '../lib/db/client';
import { issueApiKey } from '../lib/auth/api-keys';
import { verifyAuditChain } from '../lib/audit/verify';
import { verifyBundleBytes } from '../lib/feed/bundle-format';
import { createEvidenceBundleForOperator } from '../lib/feed/bundle';
import { AppError } from '../lib/errors';
import { config } from '../lib/config';
import { rotateEveryOrganizationKey, rotateOrganizationKey } from '../lib/tokens/admin';
import type { RotatedKey } from '../lib/tokens';
import { createOrganization } from '../lib/orgs/create';
import { listOrganizations } from '../lib/orgs/list';
import { runRetentionForOrg } from '../lib/retention/run';
import { describeRun } from '../lib/retention/describe';
import { migrateDataDirToS3 } from '../lib/storage/migrate';
import { describeStorage } from '../lib/storage/s3-settings';

const USAGE = `Usage: liaison <command>

  migrate                                           apply pending database migrations
  org create --slug <slug> --name <name> --admin-email <email> [--admin-password <pw>] [--admin-name <name>]
                                                    create an organisation and its admin; prints the slug
                                                    and the admin's one-time password (unless given)
  org list                                          list organisations: slug, name, created, staff count
  apikey create --org <slug> --name <name> [--scopes a,b]
                                                    create an API key; prints the key alone on the last line
  audit verify [--org <slug>]                       check the audit hash chain
  audit export (--share <id> | --guest <id>) --out <file>
                                                    write a signed evidence bundle: every event about that
                                                    share or guest, the terms they accepted, signed with the
                                                    organisation's key
  audit verify-bundle <file> [--thumbprint <t>]     check a bundle offline (no database): prints "ok" and
                                                    exits 0, or exits 1 with the reason on stderr
  keys rotate [--org <slug>]                        start signing an organisation's guest tokens (without
                                                    --org: every organisation's that has a key) with a new
                                                    key; the old one keeps verifying until its tokens expire
  retention run [--dry-run] [--org <slug>]          apply the retention policy now (without --org: every
                                                    organisation with a policy); --dry-run lists exactly
                                                    what would be purged or anonymised and changes nothing
  storage migrate --to s3 [--dry-run]               copy the encrypted files of LIAISON_DATA_DIR (blobs/,
                                                    cache/) to the bucket LIAISON_S3_URL names; objects
                                                    already there are skipped, nothing is deleted

Uses DATABASE_URL, or the embedded database in LIAISON_DATA_DIR (default ./data); when a Liaison
server is already running on that directory, the CLI talks to the database it serves.`;

async function withDb<T>(fn: () => Promise<T>): Promise<T> {
  const conn = await connectDatabase({ publish: false, reuseRunning: true });
  try {
    await migrate(conn.url);
    return await fn();
  } finally {
    await disconnect();
    await conn.embedded?.stop();
  }
}

async function orgBySlug(slug: string) {
  const org = await prisma().organization.findUnique({ where: { slug } });
  if (!org) throw new UsageError(`No organisation with slug "${slug}".`);
  return org;
}

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const [cmd, sub, ...rest] = argv;
  if (!cmd || cmd === 'help' || cmd === '--help' || cmd === '-h') { console.log(USAGE); return cmd ? 0 : 2; }
  if (cmd === 'migrate') {
    const conn = await connectDatabase({ publish: false, reuseRunning: true });
    try {
      const { applied, total } = await migrate(conn.url);
      console.log(applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')}` : `database is up to date (${total} migrations)`);
    } finally { await conn.embedded?.stop(); }
    return 0;
  }
  if (cmd === 'apikey' && sub === 'create') {
    const { values } = parseArgs({ args: rest, options: { org: { type: 'string' }, name: { type: 'string' }, scopes: { type: 'string' } } });
    if (!values.org || !values.name) throw new UsageError('apikey create needs --org <slug> and --name <name>.');
    const scopes = values.scopes?.split(',').map((s) => s.trim()).filter(Boolean);
    return withDb(async () => {
      const org = await orgBySlug(values.org!);
      const key = await issueApiKey({ orgId: org.id, name: values.name!, scopes, actor: null });
      console.log(`Created API key "${key.name}" (${key.prefix}) for ${org.slug} with scopes: ${key.scopes.join(', ')}`);
      console.log('Store it now: it is shown only once.');
      console.log(key.key);
      return 0;
    });
  }
  if (cmd === 'audit' && sub === 'verify') {
    const { values } = parseArgs({ args: rest, options: { org: { type: 'string' } } });
    return withDb(async () => {
      const org = values.org ? await orgBySlug(values.org) : null;
      const r = await verifyAuditChain(org?.id);
      if (r.ok) { console.log(`ok ${r.count} events`); return 0; }
      console.log(`broken at event ${r.brokenAt.id} (org ${r.brokenAt.orgId}, seq ${r.brokenAt.seq}): ${r.brokenAt.problem}`);
      console.log(`${r.count} events verified before it`);
      return 1;
    });
  }
  if (cmd === 'audit' && sub === 'export') {
    const { values } = parseArgs({ args: rest, options: { share: { type: 'string' }, guest: { type: 'string' }, out: { type: 'string' } } });
    if (!values.out || Boolean(values.share) === Boolean(values.guest)) throw new UsageError('audit export needs --share <id> or --guest <id>, and --out <file>.');
    const subject = values.share ? { kind: 'share' as const, id: values.share } : { kind: 'guest' as const, id: values.guest! };
    return withDb(async () => {
      const made = await createEvidenceBundleForOperator(subject, { type: 'system', label: 'liaison cli' });
      // Written whole, then renamed: a reader never sees half a bundle.
      const tmp = `${values.out}.${process.pid}.tmp`;
      await fs.writeFile(tmp, made.text, { flag: 'wx' });
      await fs.rename(tmp, values.out!);
      console.log(`wrote ${values.out}: ${made.events} events, sha256 ${made.sha256}`);
      return 0;
    });
  }
  if (cmd === 'audit' && sub === 'verify-bundle') {
    const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { thumbprint: { type: 'string' } } });
    if (positionals.length !== 1) throw new UsageError('audit verify-bundle needs one file.');
    const r = await verifyBundleBytes(await fs.readFile(positionals[0]), { expectThumbprint: values.thumbprint });
    if (r.ok) {
      console.log('ok');
      console.error(`${r.bundle.subject.kind} ${r.bundle.subject.id} of ${r.bundle.organisation.slug}: ${r.bundle.events.length} events, `
        + `${r.bundle.terms.length} terms texts, signed by key ${r.bundle.key.thumbprint}`);
      return 0;
    }
    console.error(`bundle does not verify: ${r.reason}`);
    return 1;
  }
  if (cmd === 'org' && sub === 'create') {
    const { values } = parseArgs({
      args: rest,
      options: { slug: { type: 'string' }, name: { type: 'string' }, 'admin-email': { type: 'string' }, 'admin-password': { type: 'string' }, 'admin-name': { type: 'string' } },
    });
    if (!values.slug || !values.name || !values['admin-email']) throw new UsageError('org create needs --slug <slug>, --name <name> and --admin-email <email>.');
    return withDb(async () => {
      const created = await createOrganization({
        slug: values.slug!, name: values.name!, adminEmail: values['admin-email']!,
        adminPassword: values['admin-password'], adminName: values['admin-name'],
      });
      console.log(`Created organisation "${created.org.name}" and its admin.`);
      console.log(`slug: ${created.org.slug}`);
      console.log(`admin: ${created.admin.email}`);
      if (created.password) {
        console.log(`password: ${created.password}`);
        console.log(`This password is shown only once. Sign in at ${config().publicUrl}/signin and change it.`);
      }
      return 0;
    });
  }
  if (cmd === 'org' && sub === 'list') {
    parseArgs({ args: rest, options: {} });
    return withDb(async () => {
      const orgs = await listOrganizations();
      const rows = [['SLUG', 'NAME', 'CREATED', 'STAFF'], ...orgs.map((o) => [o.slug, o.name, o.createdAt.toISOString().slice(0, 10), String(o.staffCount)])];
      const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
      for (const r of rows) console.log(r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  '));
      return 0;
    });
  }
  if (cmd === 'keys' && sub === 'rotate') {
    const { values } = parseArgs({ args: rest, options: { org: { type: 'string' } } });
    const actor = { type: 'system' as const, label: 'liaison cli' };
    const describe = (slug: string, r: RotatedKey | null) => (r
      ? `${slug}: new signing key ${r.kid}; ${r.rotatedKids.length ? `${r.rotatedKids.join(', ')} verify until ${r.retireAt.toISOString()}` : 'no previous key'}`
      : `${slug}: no signing key yet (its first is made when a guest first needs one)`);
    return withDb(async () => {
      if (values.org) {
        const org = await orgBySlug(values.org);
        console.log(describe(org.slug, await rotateOrganizationKey(org.id, actor)));
      } else {
        for (const { org, rotated } of await rotateEveryOrganizationKey(actor)) console.log(describe(org.slug, rotated));
      }
      return 0;
    });
  }
  if (cmd === 'retention' && sub === 'run') {
    const { values } = parseArgs({ args: rest, options: { org: { type: 'string' }, 'dry-run': { type: 'boolean' } } });
    const dryRun = values['dry-run'] === true;
    return withDb(async () => {
      const orgs = values.org
        ? [await orgBySlug(values.org)]
        : await prisma().organization.findMany({ where: { id: { in: (await prisma().retentionPolicy.findMany({ select: { orgId: true } })).map((r) => r.orgId) } }, orderBy: { slug: 'asc' } });
      if (!orgs.length) console.log('No organisation has a retention policy.');
      for (const org of orgs) {
        const run = await runRetentionForOrg(org.id, { dryRun, actor: { type: 'system', id: null, label: 'liaison cli (retention)' } });
        for (const line of describeRun(org.slug, run)) console.log(line);
      }
      return 0;
    });
  }
  if (cmd === 'storage' && sub === 'migrate') {
    const { values } = parseArgs({ args: rest, options: { to: { type: 'string' }, 'dry-run': { type: 'boolean' } } });
    if (values.to !== 's3') throw new UsageError('storage migrate needs --to s3.');
    if (config().storage.kind !== 's3') throw new UsageError('Set LIAISON_S3_URL (or LIAISON_S3_BUCKET) to the bucket to migrate to.');
    const dryRun = values['dry-run'] === true;
    console.log(`${dryRun ? 'Would copy' : 'Copying'} ${config().dataDir} to ${describeStorage(config().storage, config().dataDir)}`);
    const r = await migrateDataDirToS3({ dryRun });
    console.log(`${dryRun ? 'would copy' : 'copied'} ${r.copied} object(s)${dryRun ? '' : ` (${r.bytes} bytes)`}, ${r.skipped} already there`);
    return 0;
  }
  throw new UsageError(`Unknown command: ${argv.join(' ')}`);
}

/**
 * process.exit() drops whatever stdout and stderr still hold when they are pipes (asynchronous on
 * Linux): `org list` piped to a slow reader lost its last rows. Exit once both have flushed.
 */
function exitAfterFlush(code: number): void {
  process.exitCode = code;
  let pending = 2;
  const done = () => { if (--pending === 0) process.exit(code); };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

/** Says what went wrong on stderr and answers the exit code: 2 for misuse and refused input, 1 otherwise. */
function reportFailure(e: unknown): number {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof UsageError) { console.error(e.message); console.error(USAGE); return 2; }
  // node:util parseArgs: an unknown option, or a value that looks like an option (use --slug=<value>).
  if (typeof (e as { code?: unknown })?.code === 'string' && (e as { code: string }).code.startsWith('ERR_PARSE_ARGS_')) { console.error(message); console.error(USAGE); return 2; }
  // Refused input (a malformed or taken slug, a used email, a short password) is a usage error too.
  if (e instanceof AppError && (e.code === 'validation_failed' || e.code === 'conflict')) { console.error(e.message); return 2; }
  if (e && typeof e === 'object' && 'issues' in e) { console.error(`Invalid input: ${message}`); return 2; }
  console.error(`liaison: ${message}`);
  return 1;
}

main(process.argv.slice(2)).then(exitAfterFlush, (e) => exitAfterFlush(reportFailure(e)));
