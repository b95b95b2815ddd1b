import { Readable } from 'node:stream';
import type { Action } from '../policy';
import { authorizeGuest, bearerToken, type AuthorizeOptions, type GuestContext } from '../guest/access';
import { auditInvalidId } from '../guest/bad-id';
import { openGuestDownload, type GuestFile } from '../guest/content';
import type { GuestRequest, ShareRow } from '../guest/facts';
import { isLinkToken } from '../guest/link';
import { findShareByToken } from '../guest/session';
import { guestRouteContext } from './guest-route-context';
import { AppError } from '../errors';
import { errorResponse } from './error-response';
import { contentDisposition } from './content-disposition';
import { CONTENT_LENGTH_HEADER } from './content-length';
import { factsFromHeaders, hostFromHeaders } from './request-facts';
import { proofOfRequest } from './request-proof';
import { isId } from './ids';
import { authorizePortalApi, portalOfToken } from './portal-api';
import type { PortalGuestContext } from '../portals/guest-access';

export const guestRequest = (req: Request): GuestRequest => {
  const f = factsFromHeaders(req.headers);
  return { ip: f.ip ?? null, userAgent: f.userAgent ?? null, host: hostFromHeaders(req.headers), proof: proofOfRequest(req) };
};

type Ctx<P> = { params: Promise<P> };

export const NOT_SHARED = 'This link or document does not exist, or is not shared with you.';
const notFound = () => new AppError('not_found', NOT_SHARED);

/** Page numbers in paths: 1 to 99,999, digits only (no signs, exponents or leading zeros). */
export function parsePage(raw: unknown): number | null {
  return typeof raw === 'string' && /^[1-9][0-9]{0,4}$/.test(raw) ? Number(raw) : null;
}

/**
 * A path id that failed validation, on a request whose share is known: audited in that share's
 * organisation (truncated and escaped), then answered 404 like any document that is not shared.
 */
async function refuseBadId(share: ShareRow, ctx: GuestContext | null, request: GuestRequest, field: string, raw: unknown): Promise<never> {
  await auditInvalidId(share, ctx ? { guestId: ctx.guestId, email: ctx.email } : { guestId: null, email: null }, request, field, raw);
  throw notFound();
}

/**
 * Wraps a guest API route: bearer token (never the query string), ids from the path validated first,
 * the policy decision for `action` on the document (and page) in the path, and the one error mapping.
 */
export function guestRoute<P extends { id?: string; page?: string }>(action: Action, fn: (req: Request, ctx: GuestContext, params: P) => Promise<Response>,
  portalFn?: (req: Request, ctx: PortalGuestContext, params: P) => Promise<Response>) {
  return async (req: Request, c?: Ctx<P>): Promise<Response> => {
    try {
      // Next passes no params to routes without dynamic segments.
      const params = ((await c?.params) ?? {}) as P;
      const token = bearerToken(req.headers, req.url);
      const request = guestRequest(req);
      const opts: AuthorizeOptions = {};
      const badId = params.id !== undefined && !isId(params.id);
      const page = params.page !== undefined ? parsePage(params.page) : undefined;
      // A portal session's token (aud=portal:<id>): the same routes, decided across the portal's grants.
      if (token && portalFn && portalOfToken(token)) {
        if (badId || page === null) {
          await authorizePortalApi(token, request, 'list', {});
          throw notFound();
        }
        const pctx = await authorizePortalApi(token, request, action, { documentId: params.id, ...(page != null ? { page } : {}) });
        return await portalFn(req, pctx, params);
      }
      if (badId || page === null) {
        // Authenticate first (a bad token is a 401 whatever the path), then audit the bad value.
        const ctx = await authorizeGuest(token, request, 'list');
        return await refuseBadId(ctx.share, ctx, request, badId ? 'documentId' : 'page', badId ? params.id : params.page);
      }
      if (params.id !== undefined) opts.documentId = params.id;
      if (page != null) opts.page = page;
      if (action === 'list' && params.id === undefined) opts.allVersions = true;
      const ctx = await authorizeGuest(token, request, action, opts);
      return await fn(req, ctx, params);
    } catch (e) {
      return errorResponse(e);
    }
  };
}

/** Refuses a body larger than `max` bytes from its declared length, before reading it. */
export async function readSmallJson(req: Request, max = 16 * 1024): Promise<unknown> {
  const declared = Number(req.headers.get('content-length') ?? 'NaN');
  if (Number.isFinite(declared) && declared > max) throw new AppError('payload_too_large', 'The request body is too large.');
  if (!/^application\/json\b/i.test(req.headers.get('content-type') ?? '')) throw new AppError('unsupported_media_type', 'Send application/json.');
  const text = await req.text();
  if (text.length > max) throw new AppError('payload_too_large', 'The request body is too large.');
  try { return JSON.parse(text); } catch { throw new AppError('bad_request', 'The body is not valid JSON.'); }
}

/** Sends shared bytes: never cached, never sniffed, never partial (range requests get the whole, checked file). */
export function fileResponse(file: GuestFile, disposition: 'attachment' | 'inline'): Response {
  const body = Buffer.isBuffer(file.body) ? new Uint8Array(file.body) : (Readable.toWeb(file.body) as ReadableStream);
  const headers: Record<string, string> = {
    'content-type': file.mediaType,
    'content-disposition': contentDisposition(disposition, file.fileName),
    'cache-control': 'no-store, private',
    'x-content-type-options': 'nosniff',
    'content-security-policy': "sandbox; default-src 'none'",
    'accept-ranges': 'none',
  };
  if (file.size !== null) headers[CONTENT_LENGTH_HEADER] = String(file.size);
  return new Response(body, { status: 200, headers });
}

/**
 * A browser route under /s/<token>/d/<docId>/…: the link token and ids validated first, then the
 * session cookie, bound to the link's share, through the policy for `action` on that document.
 */
export function guestLinkRoute<P extends { token: string; docId: string; page?: string }>(action: Action, fn: (req: Request, ctx: GuestContext, params: P) => Promise<Response>) {
  return async (req: Request, { params }: { params: Promise<P> }): Promise<Response> => {
    try {
      const p = await params;
      const share = isLinkToken(p.token) ? await findShareByToken(p.token) : null;
      if (!share) throw notFound();
      const { request, sessionToken } = guestRouteContext(req);
      const page = p.page !== undefined ? parsePage(p.page) : undefined;
      if (!isId(p.docId)) return await refuseBadId(share, null, request, 'documentId', p.docId);
      if (page === null) return await refuseBadId(share, null, request, 'page', p.page);
      const ctx = await authorizeGuest(sessionToken, request, action, { documentId: p.docId, share, ...(page != null ? { page } : {}) });
      return await fn(req, ctx, p);
    } catch (e) {
      return errorResponse(e);
    }
  };
}

/** The browser download: /s/<token>/d/<docId>/download. */
export const guestLinkDownloadRoute = () =>
  guestLinkRoute('download', async (_req, ctx) => fileResponse(await openGuestDownload(ctx), 'attachment'));
