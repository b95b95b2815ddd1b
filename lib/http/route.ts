import { resolvePrincipal } from '../auth/resolve';
import type { Principal } from '../auth/principal';
import { errorResponse } from './error-response';
import { factsFromHeaders } from './request-facts';
import { requireIds, type IdFields } from './staff-ids';

type Ctx<P> = { params: Promise<P> };

export interface StaffRouteOptions<P> {
  /** A fixed label for the audit trail, e.g. "GET /api/v1/documents/{id}/content". */
  where: string;
  /** Every id the route takes from its path or query, by name; checked before the handler runs. */
  ids?: (params: P, url: URL) => IdFields;
}

/**
 * Wraps a staff API route handler: authenticate (Bearer API key or session cookie), check the ids it
 * takes (a malformed one is audited and answered 404 not_found), run, map errors.
 */
export function staffRoute<P = Record<string, string>>(fn: (req: Request, p: Principal, params: P) => Promise<Response>, opts?: StaffRouteOptions<P>) {
  return async (req: Request, ctx: Ctx<P>): Promise<Response> => {
    try {
      const principal = await resolvePrincipal(
        { authorization: req.headers.get('authorization'), cookie: req.headers.get('cookie') },
        factsFromHeaders(req.headers),
      );
      const params = await ctx.params;
      if (opts?.ids) await requireIds(principal, opts.where, opts.ids(params, new URL(req.url)));
      return await fn(req, principal, params);
    } catch (e) {
      return errorResponse(e);
    }
  };
}
