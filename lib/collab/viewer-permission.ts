import { decideAccess, decideAcrossGrants, type SharePermission } from '../policy';
import { toVersionFacts } from '../guest/facts';
import type { GuestContext } from '../guest/access';
import type { PortalGuestContext } from '../portals/guest-access';
import { participantId, type ParticipantId } from './types';

/** What a viewer page tells its collaboration panel about the guest who opened it. */
export interface ViewerCollabInfo {
  /** What the policy allows on this document now: EDIT, COMMENT or VIEW (neither). */
  permission: SharePermission;
  /** The guest as presence, authors and mentions name them. */
  selfId: ParticipantId;
  /** The grants this session works under need a device proof with the socket handshake. */
  deviceBound: boolean;
}

// Which controls to show is asked of the policy function with the facts of the `view` decision the page
// has just made, so the panel offers exactly what the socket will accept (every event is decided again).
const level = (edit: boolean, comment: boolean): SharePermission => (edit ? 'EDIT' : comment ? 'COMMENT' : 'VIEW');

/** For the share viewer, after authorizeGuest allowed `view` on the document. No audit: a question, not an access. */
export function shareViewerCollab(ctx: GuestContext): ViewerCollabInfo {
  const v = ctx.version;
  const ask = (action: 'comment' | 'edit') => v != null
    && decideAccess({ ...ctx.facts, action, documentId: v.documentId, version: toVersionFacts(v) }).allow;
  return { permission: level(ask('edit'), ask('comment')), selfId: participantId('guest', ctx.guestId), deviceBound: ctx.share.requireDevice === true };
}

/** For the portal viewer, after authorizePortalGuest allowed `view`: the most any grant naming the guest allows. */
export function portalViewerCollab(ctx: PortalGuestContext): ViewerCollabInfo {
  const v = ctx.version;
  const ask = (action: 'comment' | 'edit') => v != null
    && decideAcrossGrants(ctx.loaded.grants, { ...ctx.facts, action, documentId: v.documentId, version: toVersionFacts(v) }).allow;
  const allowing = new Set(ctx.grantIds);
  return {
    permission: level(ask('edit'), ask('comment')), selfId: participantId('guest', ctx.guestId),
    deviceBound: ctx.loaded.grants.some((g) => allowing.has(g.id) && g.requireDevice === true),
  };
}
