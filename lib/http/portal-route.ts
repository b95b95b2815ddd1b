import { AppError, isAppError } from '../errors';
import type { Action } from '../policy';
import { openGuestDownload } from '../guest/content';
import { authorizePortalGuest, type PortalGuestContext } from '../portals/guest-access';
import { describeError, errorResponse } from './error-response';
import { fileResponse, parsePage } from './guest-route';
import { isId } from './ids';
import { pageImageResponse } from './page-image-response';
import { portalRouteContext, type PortalPageContext } from './portal-page';

type Params = { slug: string; docId: string; page?: string };

const notFound = () => new AppError('not_found', 'This portal or document does not exist, or is not shared with you.');

/**
 * A browser route under /p/<slug>/d/<docId>/…: the portal (served on this host), the ids, then the
 * portal session cookie through the policy for `action` on that document.
 */
export function portalDocumentRoute(action: Action, fn: (req: Request, ctx: PortalGuestContext, p: Params) => Promise<Response>) {
  return async (req: Request, { params }: { params: Promise<Params> }): Promise<Response> => {
    try {
      const p = await params;
      const pc = await portalRouteContext(req, p.slug);
      if (!pc || !isId(p.docId)) throw notFound();
      const page = p.page !== undefined ? parsePage(p.page) : undefined;
      if (page === null) throw notFound();
      const ctx = await authorizePortalGuest(pc.sessionToken, pc.request, action, pc.portal, { documentId: p.docId, hosts: pc.hosts, ...(page != null ? { page } : {}) });
      return await fn(req, ctx, p);
    } catch (e) {
      return errorResponse(e);
    }
  };
}

export const portalPageImageRoute = () => portalDocumentRoute('view', (req, ctx, p) => pageImageResponse(req, ctx, parsePage(p.page)!));
export const portalDownloadRoute = () => portalDocumentRoute('download', async (_req, ctx) => fileResponse(await openGuestDownload(ctx), 'attachment'));

/** A sign-in form of a portal: the step runs, and the browser goes back to the portal with the outcome. */
export function portalFormRoute(fn: (req: Request, pc: PortalPageContext) => Promise<{ location?: string; cookies?: string[] }>) {
  return async (req: Request, { params }: { params: Promise<{ slug: string }> }): Promise<Response> => {
    const { slug } = await params;
    const pc = await portalRouteContext(req, slug).catch(() => null);
    if (!pc) return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    const home = pc.base || '/';
    try {
      const r = await fn(req, pc);
      const headers = new Headers({ location: r.location ?? home, 'cache-control': 'no-store' });
      for (const c of r.cookies ?? []) headers.append('set-cookie', c);
      return new Response(null, { status: 303, headers });
    } catch (e) {
      if (isAppError(e) && e.code === 'sso_required' && e.extra?.sso_url) {
        return new Response(null, { status: 303, headers: { location: e.extra.sso_url, 'cache-control': 'no-store' } });
      }
      const d = describeError(e);
      const url = new URL(home, 'http://x');
      url.searchParams.set('error', isAppError(e) ? d.body.error : 'internal');
      if (d.headers['retry-after']) url.searchParams.set('retry', d.headers['retry-after']);
      const method = new URL(req.url).searchParams.get('method');
      if (method === 'password') url.searchParams.set('method', 'password');
      return new Response(null, { status: 303, headers: { location: url.pathname + url.search, 'cache-control': 'no-store' } });
    }
  };
}
