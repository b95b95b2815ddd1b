import { notFound } from 'next/navigation';
import { cache } from 'react';
import type { Principal } from '@/lib/auth/principal';
import { auditInvalidId, firstInvalidId, type IdFields } from '@/lib/http/staff-ids';

/** A query value as the console pages read it: the first one, trimmed; empty means absent. */
export const queryValue = (v: string | string[] | null | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;

/**
 * Every console page that takes an id from its path or query, with what the id is. A new page with a
 * [param] segment or an id in its query must be added here (tests/unit/console-ids.test.ts fails
 * otherwise), and check the same ids itself with requirePageIds.
 */
export const CONSOLE_ID_ROUTES: { path: RegExp; where: string; segment?: string; segment2?: string; query?: Record<string, string> }[] = [
  { path: /^\/documents\/([^/]+)$/, where: 'page /documents/[id]', segment: 'documentId' },
  { path: /^\/documents\/([^/]+)\/dissemination$/, where: 'page /documents/[id]/dissemination', segment: 'documentId' },
  { path: /^\/shares\/(?!new$)([^/]+)$/, where: 'page /shares/[id]', segment: 'shareId' },
  { path: /^\/shares\/new$/, where: 'page /shares/new', query: { documentId: 'documentId' } },
  // /portals/[id] and its tabs (sections, access, domains, analytics); the preview tab, which also takes
  // ids in its query, has a rule of its own.
  { path: /^\/portals\/(?!new$)([^/]+)(?:\/(?!preview$)[a-z-]+)?$/, where: 'page /portals/[id]', segment: 'portalId' },
  { path: /^\/portals$/, where: 'page /portals', query: { after: 'cursor' } },
  { path: /^\/audit$/, where: 'page /audit', query: { document: 'documentId', share: 'shareId' } },
  { path: /^\/documents$/, where: 'page /documents', query: { cursor: 'cursor' } },
  { path: /^\/shares$/, where: 'page /shares', query: { after: 'cursor' } },
  { path: /^\/guests\/([^/]+)$/, where: 'page /guests/[id]', segment: 'guestId' },
  { path: /^\/guests$/, where: 'page /guests', query: { after: 'cursor', share: 'shareId' } },
  { path: /^\/settings\/mail\/([^/]+)$/, where: 'page /settings/mail/[id]', segment: 'mailId' },
  { path: /^\/settings\/webhooks\/([^/]+)$/, where: 'page /settings/webhooks/[id]', segment: 'webhookId', query: { after: 'cursor' } },
  { path: /^\/settings\/partners\/(?!new$)([^/]+)$/, where: 'page /settings/partners/[id]', segment: 'partnerOrgId' },
  { path: /^\/portals\/([^/]+)\/preview$/, where: 'page /portals/[id]/preview', segment: 'portalId', query: { guest: 'guestId', partner: 'partnerOrgId' } },
  { path: /^\/portals\/([^/]+)\/preview\/d\/([^/]+)$/, where: 'page /portals/[id]/preview/d/[docId]', segment: 'portalId', segment2: 'documentId', query: { guest: 'guestId', partner: 'partnerOrgId' } },
  { path: /^\/portals\/([^/]+)\/domains$/, where: 'page /portals/[id]/domains', segment: 'portalId' },
  { path: /^\/portals\/([^/]+)\/analytics$/, where: 'page /portals/[id]/analytics', segment: 'portalId' },
  { path: /^\/alerts$/, where: 'page /alerts', query: { after: 'cursor', alert: 'alertId' } },
  // The review page's cursor is a keyset position (time, kind, id), not an id: checked by lib/reviews.
  { path: /^\/reviews$/, where: 'page /reviews', query: { partner: 'partnerOrgId' } },
  { path: /^\/reviews\/campaigns\/([^/]+)$/, where: 'page /reviews/campaigns/[id]', segment: 'campaignId', query: { after: 'cursor' } },
];

/**
 * A path segment as the page means it. Next hands pages their [param] segments still percent-encoded
 * ("%00", "..%2Fetc"), so the check and the audit trail see the decoded value; a segment that does not
 * decode stays as it is (and is no id).
 */
export function pathSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The ids a console URL carries, named as the page names them, or null for a page that takes none. */
export function consoleUrlIds(url: string): { where: string; ids: IdFields } | null {
  const u = new URL(url, 'http://console.invalid');
  for (const r of CONSOLE_ID_ROUTES) {
    const m = r.path.exec(u.pathname);
    if (!m) continue;
    const ids: IdFields = {};
    if (r.segment) ids[r.segment] = pathSegment(m[1]);
    if (r.segment2) ids[r.segment2] = pathSegment(m[2]);
    for (const [param, field] of Object.entries(r.query ?? {})) ids[field] = queryValue(u.searchParams.getAll(param));
    return { where: r.where, ids };
  }
  return null;
}

// Next renders the layout and the page of a request side by side, and both check the same URL: the
// first refusal is recorded, once per request and page.
const refusals = cache(() => new Map<string, Promise<void>>());
function auditOnce(p: Principal, where: string, field: string, raw: unknown): Promise<void> {
  const seen = refusals();
  let done = seen.get(where);
  if (!done) seen.set(where, (done = auditInvalidId(p, where, field, raw)));
  return done;
}

/**
 * The edge check for console pages: every id the page takes from its path or query must be
 * well-formed before anything uses it. A malformed one is audited (lib/http/staff-ids.ts) and the
 * page answers 404, as for an id that does not exist.
 *
 * The console layout runs it first, from the URL, so that the refusal comes before any part of the
 * page streams and the status is a real 404; each page runs it again for client-side navigations,
 * which render the page without the layout.
 */
export async function requirePageIds(p: Principal, where: string, ids: IdFields): Promise<void> {
  const bad = firstInvalidId(ids);
  if (!bad) return;
  await auditOnce(p, where, bad.field, bad.raw);
  notFound();
}
