import { authorizeGuest } from '../../lib/guest/access';
import { authorizePortalGuest } from '../../lib/portals/guest-access';
import { findPortalById } from '../../lib/portals/portal-lookup';
import { guestActorFromPortal, guestActorFromShare } from '../../lib/collab/actor';
import type { Action } from '../../lib/policy';
import { apiToken, DESKTOP_UA } from './guest';

let ipSeq = 1;
/** A fresh client address per sign-in, so the sign-in throttles never see two tests as one client. */
export const freshIp = () => `198.51.100.${(ipSeq++ % 250) + 1}`;

const request = (ip: string) => ({ ip, userAgent: DESKTOP_UA, host: 'localhost' });

/** A new guest session on a share link, authorised by the policy for `action` on `documentId`: its collaboration actor. */
export async function shareGuest(link: string, documentId: string, action: Action = 'comment') {
  const ip = freshIp();
  const token = await apiToken(link, {}, ip);
  const ctx = await authorizeGuest(token, request(ip), action, { documentId });
  return { token, ip, ctx, actor: guestActorFromShare(ctx) };
}

/** A portal guest's actor, from a portal access token, authorised for `action` on `documentId`. */
export async function portalGuest(token: string, portalId: string, documentId: string, action: Action = 'comment') {
  const portal = await findPortalById(portalId);
  if (!portal) throw new Error('no such portal');
  const ip = freshIp();
  const ctx = await authorizePortalGuest(token, request(ip), action, portal, { documentId });
  return { ctx, actor: guestActorFromPortal(ctx) };
}
