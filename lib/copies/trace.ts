import crypto from 'node:crypto';
import { z } from 'zod';
import { prisma } from '../db/client';
import { AppError } from '../errors';
import { recordAudit } from '../audit/record';
import { actorOf, authorize, type Principal } from '../auth/principal';
import { formatCopyCode, parseCopyCode } from './code';
import { readCodesFromFile, type CodeSource, type CodesRead } from './read-file';

/** Largest leaked file accepted for tracing: codes are in its metadata and first pages. */
export const MAX_TRACE_FILE_BYTES = 50 * 1024 * 1024;
// A file built from many leaked pages carries many codes; each is traced, up to this many.
const MAX_CODES = 20;

export interface TraceFile { bytes: Buffer; fileName?: string | null }

const codeInput = z.object({ code: z.string().trim().min(1, 'Enter a copy code.').max(64, 'A copy code is 10 characters.') }).strict();

export interface CustodyChain {
  copy: {
    code: string; kind: 'download' | 'page_image'; page: number | null; releasedAt: Date; lastReleasedAt: Date; releases: number;
    ip: string | null; lastIp: string | null; userAgent: string | null; watermarked: boolean; codeEmbedded: boolean;
  };
  document: { id: string; title: string; versionId: string; versionNumber: number; exists: boolean };
  grant:
    | { kind: 'share'; shareId: string; exists: boolean; state: string | null; createdBy: string | null; expiresAt: Date | null }
    | { kind: 'portal'; portalId: string | null; portalName: string | null; portalSlug: string | null; grants: Array<{ id: string; exists: boolean; state: string | null }> };
  guest: { id: string | null; email: string | null; identity: string; displayName: string | null; kind: string | null; disabled: boolean | null };
  session: { id: string; openedAt: Date | null; openedFromIp: string | null; country: string | null; device: string | null; authMethod: string | null; expiresAt: Date | null; revokedAt: Date | null; exists: boolean };
  /** The audit events that name this copy (the release itself), oldest first. */
  events: Array<{ id: string; seq: number; at: Date; type: string; actor: string; ip: string | null; hash: string }>;
}

export type TracedCode =
  | { code: string; source: CodeSource; found: true; chain: CustodyChain }
  | { code: string; source: CodeSource; found: false };

export interface TraceResult {
  input: 'code' | 'file';
  /** Set when a code was typed but is not a well-formed copy code (wrong length, letters, check character). */
  invalidCode: boolean;
  file: { name: string | null; type: CodesRead['fileType']; sha256: string; size: number } | null;
  results: TracedCode[];
}

/**
 * Traces leaked copies: a typed copy code, or a leaked file whose codes are read from its text or
 * metadata (lib/copies/read-file.ts), to the chain of custody of each copy: the grant (share or portal
 * grants), the guest, the session, the address, the time and the version released. Admins and auditors
 * (audit:read). A code of another organisation is answered exactly like a code that does not exist.
 * Every trace is audited (copy.trace), with what was asked and what was found.
 */
export async function traceCopies(p: Principal, input: { code?: unknown; file?: TraceFile }): Promise<TraceResult> {
  authorize(p, 'audit:read');
  let result: TraceResult;
  if (input.file) {
    const { bytes } = input.file;
    if (bytes.length === 0) throw new AppError('validation_failed', 'The file is empty.');
    if (bytes.length > MAX_TRACE_FILE_BYTES) throw new AppError('payload_too_large', `Files up to ${MAX_TRACE_FILE_BYTES / 1024 / 1024} MB can be traced.`);
    const file = { name: input.file.fileName?.slice(0, 200) ?? null, sha256: crypto.createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
    let read: CodesRead;
    try {
      read = await readCodesFromFile(bytes);
    } catch (e) {
      await auditTrace(p, { input: 'file', file, outcome: 'failure', reason: e instanceof AppError ? e.code : 'internal' });
      throw e;
    }
    result = { input: 'file', invalidCode: false, file: { ...file, type: read.fileType }, results: await lookUp(p.orgId, read.found.slice(0, MAX_CODES)) };
  } else {
    const { code: typed } = codeInput.parse({ code: input.code });
    const code = parseCopyCode(typed);
    result = { input: 'code', invalidCode: code === null, file: null, results: code ? await lookUp(p.orgId, [{ code, source: 'typed' }]) : [] };
    if (!code) {
      await auditTrace(p, { input: 'code', typed: typed.slice(0, 64), outcome: 'failure', reason: 'invalid_code' });
      return result;
    }
  }
  await auditTrace(p, {
    input: result.input, file: result.file,
    codes: result.results.map((r) => ({ code: formatCopyCode(r.code), source: r.source, found: r.found })),
    // The copies found name their documents; the event is filed under the first, so the document's own trail shows the trace.
    documentId: result.results.find((r) => r.found)?.chain?.document.id ?? null,
    outcome: 'success',
  });
  return result;
}

async function auditTrace(p: Principal, d: { input: 'code' | 'file'; file?: unknown; typed?: string; codes?: unknown; documentId?: string | null; outcome: 'success' | 'failure'; reason?: string }) {
  await recordAudit({
    orgId: p.orgId, type: 'copy.trace', actor: actorOf(p), request: p.request, documentId: d.documentId ?? null,
    outcome: d.outcome, reason: d.reason ?? null,
    details: { input: d.input, ...(d.file ? { file: d.file } : {}), ...(d.typed !== undefined ? { typed: d.typed } : {}), ...(d.codes ? { codes: d.codes } : {}) },
  });
}

/** Each code looked up in the caller's organisation only: elsewhere it simply does not exist. */
async function lookUp(orgId: string, codes: Array<{ code: string; source: CodeSource }>): Promise<TracedCode[]> {
  if (codes.length === 0) return [];
  const rows = await prisma().copyRecord.findMany({ where: { orgId, code: { in: codes.map((c) => c.code) } } });
  const out: TracedCode[] = [];
  for (const c of codes) {
    const row = rows.find((r) => r.code === c.code);
    out.push(row ? { ...c, found: true, chain: await custodyChain(orgId, row) } : { ...c, found: false });
  }
  return out;
}

type CopyRow = Awaited<ReturnType<ReturnType<typeof prisma>['copyRecord']['findMany']>>[number];

/** The copy record, with what still exists of its share or portal grants, guest, session and document. */
async function custodyChain(orgId: string, r: CopyRow): Promise<CustodyChain> {
  const db = prisma();
  const [session, guest, document, share, portal, grants, events] = await Promise.all([
    db.guestSession.findFirst({ where: { id: r.sessionId, guest: { orgId } } }),
    r.guestId ? db.guest.findFirst({ where: { id: r.guestId, orgId } }) : null,
    db.document.findFirst({ where: { id: r.documentId, orgId }, select: { id: true } }),
    r.shareId ? db.share.findFirst({ where: { id: r.shareId, orgId }, include: { createdBy: { select: { email: true } } } }) : null,
    r.portalId ? db.portal.findFirst({ where: { id: r.portalId, orgId }, select: { name: true, slug: true } }) : null,
    r.portalId && r.grantIds.length ? db.portalGrant.findMany({ where: { id: { in: r.grantIds }, orgId }, select: { id: true, state: true } }) : [],
    db.$queryRaw<Array<{ id: string; seq: number; at: Date; type: string; actor: string; ip: string | null; hash: string }>>`
      SELECT "id", "seq", "at", "type", "actor", "ip", "hash" FROM "AuditEvent"
      WHERE "orgId" = ${orgId} AND "documentId" = ${r.documentId} AND "details"->>'copyCode' = ${r.code}
      ORDER BY "seq" LIMIT 20`,
  ]);
  return {
    copy: {
      code: r.code, kind: r.kind as 'download' | 'page_image', page: r.page, releasedAt: r.createdAt, lastReleasedAt: r.lastAt, releases: r.releases,
      ip: r.ip, lastIp: r.lastIp, userAgent: r.userAgent, watermarked: r.watermarked, codeEmbedded: r.codeEmbedded,
    },
    document: { id: r.documentId, title: r.documentTitle, versionId: r.versionId, versionNumber: r.versionNumber, exists: !!document },
    grant: r.shareId
      ? { kind: 'share', shareId: r.shareId, exists: !!share, state: share?.state ?? null, createdBy: share?.createdBy?.email ?? null, expiresAt: share?.expiresAt ?? null }
      : {
        kind: 'portal', portalId: r.portalId, portalName: portal?.name ?? null, portalSlug: portal?.slug ?? null,
        grants: r.grantIds.map((id) => { const g = grants.find((x) => x.id === id); return { id, exists: !!g, state: g?.state ?? null }; }),
      },
    guest: {
      id: r.guestId, email: r.guestEmail, identity: r.identity, displayName: guest?.displayName ?? null, kind: guest?.kind ?? null,
      disabled: guest ? guest.disabledAt !== null : null,
    },
    session: {
      id: r.sessionId, exists: !!session, openedAt: session?.createdAt ?? null, openedFromIp: session?.ip ?? null, country: session?.country ?? null,
      device: session?.device ?? null, authMethod: session?.authMethod ?? null, expiresAt: session?.expiresAt ?? null, revokedAt: session?.revokedAt ?? null,
    },
    events: events.map((e) => ({ ...e, seq: Number(e.seq) })),
  };
}
