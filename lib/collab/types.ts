/**
 * Shapes shared by the collaboration features (comments, annotations, Q&A, proposed versions, shared
 * notes) across sockets, GraphQL, the guest API and the console. Times are ISO strings on the wire.
 */

/** "staff:<staffUserId>" or "guest:<guestId>": the one identity presence, mentions and authors use. */
export type ParticipantId = string;

export interface Participant {
  id: ParticipantId;
  name: string;
  kind: 'staff' | 'guest';
  /** The page being viewed, in presence. */
  page?: number;
}

/** A region of a page, in fractions of the page's width and height (0..1), origin top left. */
export interface CommentAnchor {
  kind: 'rect' | 'highlight';
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface CommentDto {
  id: string;
  documentId: string;
  /** The thread's root comment id (the comment's own id on a root). */
  threadId: string;
  parentId: string | null;
  page: number | null;
  anchor: CommentAnchor | null;
  body: string;
  mentions: ParticipantId[];
  author: Participant;
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
}

export interface QuestionDto {
  id: string;
  documentId: string | null;
  sectionId: string | null;
  body: string;
  asker: Participant;
  createdAt: string;
  answer: { body: string; by: string; at: string } | null;
  published: boolean;
}

/** Staff acting in the console, over GraphQL or a socket. */
export interface StaffCollabActor {
  kind: 'staff';
  orgId: string;
  staffId: string;
  name: string;
  ip: string | null;
  userAgent: string | null;
  /** An API key rather than a staff member: staffId is then the key's id (audited as an API key). */
  apiKey?: boolean;
}

/**
 * A guest whose request the policy function has just allowed for the action at hand. Built only from an
 * allowed decision (lib/collab/actor.ts), never from what a client says.
 */
export interface GuestCollabActor {
  kind: 'guest';
  orgId: string;
  guestId: string;
  sessionId: string;
  name: string;
  email: string | null;
  ip: string | null;
  userAgent: string | null;
  shareId: string | null;
  portalId: string | null;
  /** The grants that allowed the request: "share:<id>" or "portal-grant:<id>". */
  grantKeys: string[];
  /** Those of grantKeys whose guests are not kept apart (they may see each other's comments). */
  openGrantKeys: string[];
  /** Those of openGrantKeys whose guests also see each other's presence. */
  presenceGrantKeys: string[];
}

export type CollabActor = StaffCollabActor | GuestCollabActor;

/**
 * Who may receive an event about a comment or question. A guest G may see it when G holds one of
 * grantKeys and either that grant is open (parties not kept apart) or neither author nor party is
 * another guest. Staff of the organisation always may. staffOnly: no guest at all.
 */
export interface Audience {
  orgId: string;
  documentId: string | null;
  grantKeys: string[];
  authorGuestId: string | null;
  partyGuestId: string | null;
  staffOnly?: boolean;
}

export const participantId = (kind: 'staff' | 'guest', id: string): ParticipantId => `${kind}:${id}`;
export const shareGrantKey = (shareId: string) => `share:${shareId}`;
export const portalGrantKey = (grantId: string) => `portal-grant:${grantId}`;
