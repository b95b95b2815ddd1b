import { Readable } from 'node:stream';
import type { Action } from '../policy';
import { authorizeGuest, bearerToken, type GuestContext } from '../guest/access';
import { openGuestContent, type GuestFile } from '../guest/content';
import { isLinkToken } from '../guest/link';
import { findShareByToken } from '../guest/session';
import { guestRouteContext } from './guest-page';
import type { GuestRequest } from '../guest/facts';
import { AppError } from '../errors';
import { errorResponse } from './error-response';
import { contentDisposition } from './content-disposition';
import { CONTENT_LENGTH_HEADER } from './content-length';
import { factsFromHeaders } from './request-facts';

export const guestRequest = (req: Request): GuestRequest => {
  const f = factsFromHeaders(req.headers);
  return { ip: f.ip ?? null, userAgent: f.userAgent ?? null };
};

type Ctx<P> = { params: Promise<P> };

/**
 * Wraps a guest API route: bearer token (never the query string), the policy decision for `action`
 * on the document in the path (if any), and the one error mapping.
 */
export function guestRoute<P extends { id?: string }>(action: Action, fn: (req: Request, ctx: GuestContext, params: P) => Promise<Response>) {
  return async (req: Request, c?: Ctx<P>): Promise<Response> => {
    try {
      // Next passes no params to routes without dynamic segments.
      const params = ((await c?.params) ?? {}) as P;
      const token = bearerToken(req.headers, req.url);
      const ctx = await authorizeGuest(token, guestRequest(req), action, { documentId: params.id });
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
 * A browser file route under /s/<token>/d/<docId>/…: the session cookie, bound to the link's share,
 * through the policy for `preview` (viewer, inline) or `download` (attachment).
 */
export function guestLinkFileRoute(mode: 'preview' | 'download') {
  return async (req: Request, { params }: { params: Promise<{ token: string; docId: string }> }): Promise<Response> => {
    try {
      const { token, docId } = await params;
      const share = isLinkToken(token) ? await findShareByToken(token) : null;
      if (!share) throw new AppError('not_found', 'This link or document does not exist, or is not shared with you.');
      const { request, sessionToken } = guestRouteContext(req);
      const ctx = await authorizeGuest(sessionToken, request, mode, { documentId: docId, share });
      return fileResponse(await openGuestContent(ctx, docId, mode), mode === 'preview' ? 'inline' : 'attachment');
    } catch (e) {
      return errorResponse(e);
    }
  };
}
