import type { GuestRequest } from '../guest/facts';
import { REQUEST_URL_HEADER } from './request-host';

type HeaderBag = { get(name: string): string | null };

// server.ts writes the URL the client addressed (before any rewrite to /p/<slug>/…) and drops a client's
// copy, so a proof is always compared with the URL that was really asked for. Without it, nothing matches.
const target = (h: HeaderBag) => h.get(REQUEST_URL_HEADER) ?? 'http://invalid/';

/** The device proof of a route handler's request: the DPoP header (or the sign-in form's field). */
export function proofOfRequest(req: Request, formValue?: string | null): GuestRequest['proof'] {
  return { value: formValue ?? req.headers.get('dpop'), method: req.method, url: target(req.headers), bearer: req.headers.has('authorization') };
}

/** The same for a page: a GET navigation. */
export function proofOfPage(h: HeaderBag): GuestRequest['proof'] {
  return { value: h.get('dpop'), method: 'GET', url: target(h), bearer: false };
}
