import type { Tx } from '../db/client';

export const shareFactsSelect = {
  id: true, orgId: true, state: true, expiresAt: true, createdAt: true, revokedAt: true, revokedReason: true,
  createdBy: { select: { id: true, email: true, name: true, disabledAt: true } },
  documents: { select: { document: { select: { id: true, title: true } } }, take: 3 },
  _count: { select: { documents: true } },
  recipients: { select: { email: true } },
  org: { select: { name: true, notifyFirstAccess: true, reminderDays: true, notifyGuestOnRevoke: true } },
} as const;

export async function loadShareFacts(db: Tx, shareId: string) {
  return db.share.findUnique({ where: { id: shareId }, select: shareFactsSelect });
}

export type ShareFacts = NonNullable<Awaited<ReturnType<typeof loadShareFacts>>>;

/** “Q3 incident report”, or “Q3 incident report” and 2 more documents: how mail and messages name a share. */
export function shareWhat(s: Pick<ShareFacts, 'documents' | '_count'>): string {
  const first = s.documents[0]?.document.title ?? 'a share';
  const more = s._count.documents - 1;
  return more > 0 ? `${first} and ${more} more document${more === 1 ? '' : 's'}` : first;
}

/** The share's owner, when there is one who can still read mail. */
export const liveOwner = (s: ShareFacts) => (s.createdBy && !s.createdBy.disabledAt ? s.createdBy : null);
