import type { CommentDto, Participant, QuestionDto } from '@/lib/collab/types';

// What arrives over the socket is checked for shape before it reaches state: a malformed event is
// dropped rather than breaking the panel. Content is still rendered as text only.

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const str = (v: unknown): v is string => typeof v === 'string';

export function isParticipant(v: unknown): v is Participant {
  return isObj(v) && str(v.id) && str(v.name) && (v.kind === 'staff' || v.kind === 'guest') && (v.page == null || typeof v.page === 'number');
}

export function isComment(v: unknown): v is CommentDto {
  return isObj(v) && str(v.id) && str(v.documentId) && str(v.threadId) && str(v.body) && str(v.createdAt) && isParticipant(v.author)
    && (v.page == null || typeof v.page === 'number') && (v.anchor == null || isAnchor(v.anchor));
}

function isAnchor(v: unknown): boolean {
  return isObj(v) && (v.kind === 'rect' || v.kind === 'highlight') && ['x', 'y', 'w', 'h'].every((k) => typeof v[k] === 'number' && Number.isFinite(v[k]));
}

export function isQuestion(v: unknown): v is QuestionDto {
  return isObj(v) && str(v.id) && str(v.body) && str(v.createdAt) && isParticipant(v.asker);
}

/** One line of the live activity feed, as `activity {event}` carries it. */
export interface ActivityEvent {
  id: string;
  type: string;
  at: string;
  actorName: string | null;
  actorKind: 'staff' | 'guest' | null;
  documentId: string | null;
  documentTitle: string | null;
  page: number | null;
  /** Short text the server wrote for the event, if any (shown as text). */
  summary: string | null;
  /** A refusal (staff see them): the policy's reason. */
  denied: string | null;
}

let seq = 0;

export function toActivity(v: unknown): ActivityEvent | null {
  if (!isObj(v) || !str(v.type)) return null;
  const actor = isObj(v.actor) ? v.actor : null;
  return {
    id: str(v.id) ? v.id : `local-${++seq}`,
    type: v.type,
    at: str(v.at) && !Number.isNaN(Date.parse(v.at)) ? v.at : new Date().toISOString(),
    actorName: actor && str(actor.name) ? actor.name : str(v.actor) ? v.actor : str(v.actorName) ? v.actorName : null,
    actorKind: actor && (actor.kind === 'staff' || actor.kind === 'guest') ? actor.kind : null,
    documentId: str(v.documentId) ? v.documentId : null,
    documentTitle: str(v.documentTitle) ? v.documentTitle : null,
    page: typeof v.page === 'number' ? v.page : null,
    summary: str(v.summary) ? v.summary : str(v.text) ? v.text : null,
    denied: v.outcome === 'denied' || v.outcome === 'failure' ? (str(v.reason) ? v.reason : 'refused') : null,
  };
}

const ACTIVITY_VERBS: Record<string, string> = {
  'comment.create': 'commented on', 'comment.reply': 'replied on', 'comment.resolve': 'resolved a thread on', 'comment.reopen': 'reopened a thread on',
  'question.create': 'asked a question about', 'question.answer': 'answered a question about', 'question.publish': 'published an answer about',
  'guest.view': 'opened', 'guest.view.page': 'is reading', 'guest.download': 'downloaded', 'presence.join': 'opened', 'presence.leave': 'closed',
  'proposal.create': 'proposed a new version of', 'proposal.accept': 'accepted a proposed version of', 'proposal.reject': 'declined a proposed version of',
  'note.update': 'edited the shared notes of',
  // The audit trail's names for the same events.
  'comment.created': 'commented on', 'comment.resolved': 'resolved a thread on', 'comment.reopened': 'reopened a thread on',
  'question.asked': 'asked a question about', 'question.answered': 'answered a question about',
  'proposal.submitted': 'proposed a new version of', 'proposal.accepted': 'accepted a proposed version of', 'proposal.rejected': 'declined a proposed version of',
  'note.updated': 'edited the shared notes of', 'guest.session': 'signed in to', 'guest.list': 'opened the list of documents of',
};

/** "commented on" for a known event type; the type itself otherwise. */
export const activityVerb = (type: string) => ACTIVITY_VERBS[type] ?? type.replace(/[._]/g, ' ');

/** What a refusal or an end of access means, in words a guest understands. */
export const REASON_TEXT: Record<string, string> = {
  revoked: 'The sender has withdrawn access to this share.',
  expired: 'The period during which these documents were available has ended.',
  invalid_token: 'Your session has ended: you signed out, the session was ended, or the link’s password changed.',
  unauthorized: 'Your session has ended. Sign in again to continue.',
  guest_disabled: 'Your access has been ended by the sender.',
  device_denied: 'This device is no longer approved for these documents.',
  ip_denied: 'These documents are not available from your current network.',
  geo_denied: 'These documents are not available in your current country.',
  password_required: 'The password of this share has changed. Enter the new password to continue.',
  terms_required: 'New terms of use must be accepted before you continue.',
  email_required: 'This share now requires a verified email address.',
  invitation_required: 'This share is now limited to invited people.',
  sso_required: 'Sign in through your organisation to continue.',
  not_found: 'This document is no longer part of what is shared with you.',
  forbidden: 'Your permissions on this share have changed.',
  tlp_denied: 'This document’s marking no longer allows it to be shared with you.',
  cji_not_permitted: 'This document is criminal intelligence and may no longer be released to you.',
  approval_pending: 'This share is waiting for an administrator’s approval.',
  rate_limited: 'Too many actions in a short time. Wait a moment and try again.',
  timeout: 'The server did not answer in time. Try again.',
  not_connected: 'You are offline. Wait for the connection to come back and try again.',
};

export const reasonText = (code: string) => REASON_TEXT[code] ?? 'The action could not be completed.';

/** Short refusal messages for a failed comment, question or resolve, where a whole sentence is too much. */
export function actionError(code: string): string {
  if (code === 'forbidden') return 'Your permission on this share does not allow this.';
  if (code === 'body_too_long' || code === 'too_long') return 'The text is too long (at most 4,000 characters).';
  if (code === 'validation_failed' || code === 'invalid_input' || code === 'bad_request' || code === 'validation') return 'This could not be saved: check the text and try again.';
  return reasonText(code);
}
