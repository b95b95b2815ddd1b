import type { IncomingMessage, ServerResponse } from 'node:http';
import { config } from '../config';
import { AppError } from '../errors';
import { authorizeGuest, bearerToken } from '../guest/access';
import { isLinkToken } from '../guest/link';
import { findShareByToken } from '../guest/session';
import { auditInvalidId } from '../guest/bad-id';
import { authorizePortalGuest } from '../portals/guest-access';
import { decodeSite, SITE_HEADER } from '../portals/site';
import { proposalUploadsPerGuest, submitProposal, type ProposalGuestContext } from '../collab/proposals';
import { takeAttempt } from '../auth/throttle';
import type { GuestRequest } from '../guest/facts';
import { findPortalBySlug } from '../portals/portal-lookup';
import { portalHosts } from '../portals/hosts';
import { sendError, sendJson } from './error-response';
import { cookieFrom, GUEST_COOKIE } from './guest-cookie';
import { PORTAL_COOKIE } from './portal-cookie';
import { authorizePortalApi, portalOfToken } from './portal-api';
import { assertSameOrigin } from './same-origin';
import { isId } from './ids';
import { factsFromHeaders, hostFromHeaders } from './request-facts';
import { proofOfRequest } from './request-proof';
import { parseAndStore } from './upload-handler';

// This module is loaded by the custom server before Next, so it must not reach next/headers (through
// lib/http/guest-page.ts, portal-page.ts or guest-route.ts): it reads the same facts from the headers itself.
const NOT_SHARED = 'This link or document does not exist, or is not shared with you.';

const guestRequest = (req: Request): GuestRequest => {
  const f = factsFromHeaders(req.headers);
  return { ip: f.ip ?? null, userAgent: f.userAgent ?? null, host: hostFromHeaders(req.headers), proof: proofOfRequest(req) };
};

// The guest API (Bearer, share or portal token), the share viewer (link cookie), the portal viewer on
// the console host (/p/<slug>/…) and on a portal's own domain (/d/…, the portal taken from the host).
const ROUTES = [
  { re: /^\/api\/portal\/v1\/documents\/([^/]+)\/proposals\/?$/, kind: 'api' as const },
  { re: /^\/s\/([^/]+)\/d\/([^/]+)\/proposals\/?$/, kind: 'link' as const },
  { re: /^\/p\/([^/]+)\/d\/([^/]+)\/proposals\/?$/, kind: 'portal' as const },
  { re: /^\/d\/([^/]+)\/proposals\/?$/, kind: 'portal-domain' as const },
];

const MULTIPART_OVERHEAD = 64 * 1024;

function decodeSegment(raw: string): string {
  try { return decodeURIComponent(raw); } catch { return raw; }
}

/**
 * Guest uploads of a proposed version, on the raw Node request like staff uploads (lib/http/
 * upload-handler.ts): the policy decides `edit` on the document before a byte of the body is read, an
 * oversized body is refused from its declared length, and the file streams into encrypted storage.
 * Returns false for requests that are not proposal uploads.
 */
export function handleProposalUpload(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'POST') return false;
  const path = (req.url ?? '').split('?')[0];
  const route = ROUTES.map((r) => ({ ...r, m: r.re.exec(path) })).find((r) => r.m);
  if (!route?.m) return false;
  const segments = route.m.slice(1).map(decodeSegment);
  void run(req, res, route.kind, segments).catch((e) => {
    sendError(res, e);
    req.resume();
  });
  return true;
}

/** The request's headers (no body) as a fetch Request, so the guest routes' own readers apply unchanged. */
function headersOnly(req: IncomingMessage): Request {
  const h = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (typeof v === 'string') h.set(k, v);
    else if (Array.isArray(v)) for (const x of v) h.append(k, x);
  }
  return new Request(new URL(req.url ?? '/', 'http://liaison.invalid'), { method: 'POST', headers: h });
}

const notFound = () => new AppError('not_found', NOT_SHARED);

async function authorizeUpload(req: IncomingMessage, kind: (typeof ROUTES)[number]['kind'], segments: string[]): Promise<ProposalGuestContext> {
  const web = headersOnly(req);
  if (kind === 'api') {
    const [documentId] = segments;
    const token = bearerToken(web.headers, web.url);
    const request = guestRequest(web);
    if (token && portalOfToken(token)) {
      if (!isId(documentId)) { await authorizePortalApi(token, request, 'list', {}); throw notFound(); }
      return authorizePortalApi(token, request, 'edit', { documentId });
    }
    if (!isId(documentId)) {
      const ctx = await authorizeGuest(token, request, 'list');
      await auditInvalidId(ctx.share, { guestId: ctx.guestId, email: ctx.email }, request, 'documentId', documentId);
      throw notFound();
    }
    return authorizeGuest(token, request, 'edit', { documentId });
  }
  // Browser twins: the session is a cookie, so the write must come from our own pages.
  assertSameOrigin(req.headers.origin, [req.headers.host, hostFromHeaders(web.headers)]);
  if (kind === 'link') {
    const [linkToken, documentId] = segments;
    const share = isLinkToken(linkToken) ? await findShareByToken(linkToken) : null;
    if (!share) throw notFound();
    const request = guestRequest(web);
    const sessionToken = cookieFrom(web.headers.get('cookie'), GUEST_COOKIE);
    if (!isId(documentId)) { await auditInvalidId(share, { guestId: null, email: null }, request, 'documentId', documentId); throw notFound(); }
    return authorizeGuest(sessionToken, request, 'edit', { documentId, share });
  }
  let slug: string;
  let documentId: string;
  if (kind === 'portal') [slug, documentId] = segments;
  else {
    const site = decodeSite(typeof req.headers[SITE_HEADER] === 'string' ? req.headers[SITE_HEADER] : null, hostFromHeaders(web.headers));
    if (site?.kind !== 'portal') throw notFound();
    slug = site.slug;
    [documentId] = segments;
  }
  // As lib/http/portal-page.ts decides it: a live portal, served on this request's host.
  const request = guestRequest(web);
  const portal = await findPortalBySlug(slug);
  const hosts = portal ? await portalHosts(portal.id) : [];
  if (!portal || !request.host || !hosts.includes(request.host) || !isId(documentId)) {
    throw new AppError('not_found', 'This portal or document does not exist, or is not shared with you.');
  }
  return authorizePortalGuest(cookieFrom(web.headers.get('cookie'), PORTAL_COOKIE), request, 'edit', portal, { documentId, hosts });
}

async function run(req: IncomingMessage, res: ServerResponse, kind: (typeof ROUTES)[number]['kind'], segments: string[]) {
  const max = config().LIAISON_MAX_UPLOAD_BYTES;
  // The policy first: a guest without EDIT (or without this document) is refused, and audited, unread.
  const ctx = await authorizeUpload(req, kind, segments);
  // Before a byte is stored: a guest may propose at most so many files an hour, whatever the route.
  await takeAttempt([[proposalUploadsPerGuest(), ctx.guestId]]);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max + MULTIPART_OVERHEAD) {
    throw new AppError('payload_too_large', `The file exceeds the ${Math.round(max / 1048576)} MB limit.`);
  }
  if (!/^multipart\/form-data/i.test(req.headers['content-type'] ?? '')) {
    throw new AppError('unsupported_media_type', 'Send multipart/form-data with a "file" field.');
  }
  const proposal = await parseAndStore(req, max, (file, fields) => submitProposal(ctx, file, fields, max));
  sendJson(res, 201, proposal);
}
