import { resolvePrincipal } from '../auth/resolve';
import type { Principal } from '../auth/principal';
import { errorResponse } from './error-response';
import { factsFromHeaders } from './request-facts';

type Ctx<P> = { params: Promise<P> };

/** Wraps a staff API route handler: authenticate (Bearer API key or session cookie), run, map errors. */
export function staffRoute<P = Record<string, string>>(fn: (req: Request, p: Principal, params: P) => Promise<Response>) {
  return async (req: Request, ctx: Ctx<P>): Promise<Response> => {
    try {
      const principal = await resolvePrincipal(
        { authorization: req.headers.get('authorization'), cookie: req.headers.get('cookie') },
        factsFromHeaders(req.headers),
      );
      return await fn(req, principal, await ctx.params);
    } catch (e) {
      return errorResponse(e);
    }
  };
}
