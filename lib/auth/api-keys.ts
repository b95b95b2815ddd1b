import crypto from 'node:crypto';
import { z } from 'zod';
import { prisma } from '../db/client';
import { AppError } from '../errors';
import { sha256Hex } from '../crypto/secrets';
import { recordAudit } from '../audit/record';
import { actorOf, authorize, type Principal } from './principal';
import { SCOPES, isScope, type Scope } from './scopes';

const KEY_RE = /^lsn_([a-z0-9]{8})_([A-Za-z0-9_-]{43})$/;

export const createKeyInput = z.object({
  name: z.string().trim().min(1, 'Name is required').max(100),
  scopes: z.array(z.string()).optional()
    .refine((s) => !s || s.every(isScope), { message: `Scopes must be among: ${SCOPES.join(', ')}` }),
});

export interface CreatedKey { id: string; key: string; prefix: string; name: string; scopes: Scope[] }

/** Core of key creation, shared by the console, GraphQL and the CLI (which has no principal). */
export async function issueApiKey(args: { orgId: string; name: string; scopes?: string[]; createdById?: string | null; actor: Principal | null }): Promise<CreatedKey> {
  const { name, scopes } = createKeyInput.parse({ name: args.name, scopes: args.scopes });
  const granted = (scopes ?? [...SCOPES]) as Scope[];
  if (args.actor) {
    const missing = granted.filter((s) => !args.actor!.scopes.has(s));
    if (missing.length) throw new AppError('forbidden', `You cannot grant scopes you do not hold: ${missing.join(', ')}`);
  }
  const prefix = `lsn_${crypto.randomBytes(6).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, '0').slice(0, 8)}`;
  const key = `${prefix}_${crypto.randomBytes(32).toString('base64url')}`;
  return prisma().$transaction(async (tx) => {
    const row = await tx.apiKey.create({ data: { orgId: args.orgId, name, scopes: granted, prefix, secretHash: sha256Hex(key), createdById: args.createdById ?? null } });
    await recordAudit({
      orgId: args.orgId, type: 'apikey.create',
      actor: args.actor ? actorOf(args.actor) : { type: 'system', label: 'liaison cli' },
      request: args.actor?.request, details: { keyId: row.id, prefix, name, scopes: granted },
    }, tx);
    return { id: row.id, key, prefix, name, scopes: granted };
  });
}

export async function createApiKey(p: Principal, input: unknown): Promise<CreatedKey> {
  authorize(p, 'admin');
  const data = createKeyInput.parse(input);
  return issueApiKey({ orgId: p.orgId, name: data.name, scopes: data.scopes, createdById: p.kind === 'staff' ? p.userId : null, actor: p });
}

export async function listApiKeys(p: Principal) {
  authorize(p, 'admin');
  return prisma().apiKey.findMany({
    where: { orgId: p.orgId },
    orderBy: [{ revokedAt: { sort: 'asc', nulls: 'first' } }, { createdAt: 'desc' }],
    select: { id: true, name: true, prefix: true, scopes: true, createdAt: true, lastUsedAt: true, revokedAt: true, createdBy: { select: { email: true } } },
  });
}

export async function revokeApiKey(p: Principal, id: string) {
  authorize(p, 'admin');
  return prisma().$transaction(async (tx) => {
    const key = await tx.apiKey.findFirst({ where: { id, orgId: p.orgId } });
    if (!key) throw new AppError('not_found', 'No such API key.');
    if (key.revokedAt) return key;
    const updated = await tx.apiKey.update({ where: { id, orgId: p.orgId }, data: { revokedAt: new Date() } });
    await recordAudit({ orgId: p.orgId, type: 'apikey.revoke', actor: actorOf(p), request: p.request, details: { keyId: id, prefix: key.prefix } }, tx);
    return updated;
  });
}

/** Resolves a presented key to its record; any problem is the same invalid_token to the caller. */
export async function verifyApiKey(presented: string) {
  if (!KEY_RE.test(presented)) throw new AppError('invalid_token', 'The access token is malformed.');
  const row = await prisma().apiKey.findUnique({ where: { secretHash: sha256Hex(presented) } });
  if (!row || row.revokedAt) throw new AppError('invalid_token', 'The access token is invalid or revoked.');
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await prisma().apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  return row;
}
