import { describe, expect, it } from 'vitest';
import type { CommentDto, Participant } from '@/lib/collab/types';
import { buildThreads, threadNumbers, typingText } from '@/components/collab/comments-tab';
import { isComment, toActivity } from '@/components/collab/collab-wire';
import { participantColour, participantInitials } from '@/components/collab/participant-style';
import { mergeListed } from '@/components/collab/use-collab-socket';

const anna: Participant = { id: 'guest:g1', name: 'Anna Berg', kind: 'guest' };
const sam: Participant = { id: 'staff:s1', name: 'Sam Staff', kind: 'staff' };

function comment(id: string, over: Partial<CommentDto> = {}): CommentDto {
  return {
    id, documentId: 'd1', threadId: id, parentId: null, page: null, anchor: null, body: `body ${id}`, mentions: [],
    author: anna, createdAt: '2026-12-02T09:00:00.000Z', resolvedAt: null, resolvedBy: null, ...over,
  };
}

describe('comment threads in the side panel', () => {
  it('groups replies under their root, roots in page order (document-wide first), replies by time', () => {
    const list = [
      comment('p3', { page: 3, createdAt: '2026-12-02T09:00:01.000Z' }),
      comment('r2', { threadId: 'p1', parentId: 'p1', author: sam, createdAt: '2026-12-02T09:00:05.000Z' }),
      comment('p1', { page: 1, anchor: { kind: 'rect', x: 0.1, y: 0.5, w: 0.2, h: 0.1 }, createdAt: '2026-12-02T09:00:02.000Z' }),
      comment('doc', { createdAt: '2026-12-02T09:00:03.000Z' }),
      comment('r1', { threadId: 'p1', parentId: 'p1', createdAt: '2026-12-02T09:00:04.000Z' }),
      comment('p1b', { page: 1, anchor: { kind: 'highlight', x: 0.1, y: 0.1, w: 0.2, h: 0.05 }, createdAt: '2026-12-02T09:00:06.000Z' }),
    ];
    const threads = buildThreads(list);
    expect(threads.map((t) => t.root.id)).toEqual(['doc', 'p1b', 'p1', 'p3']);
    expect(threads.find((t) => t.root.id === 'p1')!.replies.map((r) => r.id)).toEqual(['r1', 'r2']);
    // Only annotations are numbered, in the same order as the list and the page.
    expect([...threadNumbers(threads)]).toEqual([['p1b', 1], ['p1', 2]]);
  });

  it('a reply whose root is not visible is not shown on its own', () => {
    expect(buildThreads([comment('r', { threadId: 'gone', parentId: 'gone' })])).toEqual([]);
  });

  it('says who is typing in words', () => {
    const t = (p: Participant) => ({ participant: p, threadId: null, until: 0 });
    expect(typingText([])).toBeNull();
    expect(typingText([t(anna)])).toBe('Anna Berg is typing…');
    expect(typingText([t(anna), t(anna), t(sam)])).toBe('Anna Berg and Sam Staff are typing…');
    expect(typingText([t(anna), t(sam), t({ id: 'guest:g3', name: 'Cy', kind: 'guest' })])).toBe('3 people are typing…');
  });
});

describe('what the socket sends is checked before it is shown', () => {
  it('drops malformed comments and anchors', () => {
    expect(isComment(comment('a'))).toBe(true);
    expect(isComment({ ...comment('a'), author: { id: 'x', name: 'y', kind: 'admin' } })).toBe(false);
    expect(isComment({ ...comment('a'), anchor: { kind: 'rect', x: 'a', y: 0, w: 0, h: 0 } })).toBe(false);
    expect(isComment({ ...comment('a'), body: 42 })).toBe(false);
    expect(isComment(null)).toBe(false);
  });

  it('reads activity events of either shape (actor as text or as a participant) and marks refusals', () => {
    const a = toActivity({ type: 'guest.view', at: '2026-12-02T09:00:00.000Z', actor: 'anna@firm.example', documentId: 'd1', outcome: 'denied', reason: 'ip_denied' })!;
    expect(a).toMatchObject({ type: 'guest.view', actorName: 'anna@firm.example', documentId: 'd1', denied: 'ip_denied' });
    expect(toActivity({ type: 'comment.create', actor: { name: 'Sam', kind: 'staff' } })).toMatchObject({ actorName: 'Sam', actorKind: 'staff', denied: null });
    expect(toActivity({ actor: 'x' })).toBeNull();
  });
});

describe('lists read after a (re)connect', () => {
  it('keep what events changed since the list was asked for, and drop what the server no longer lists', () => {
    const shown = [comment('old'), comment('new'), comment('narrowed')];
    const listed = [comment('old', { body: 'server copy' }), comment('narrowed-not')];
    const merged = mergeListed(listed, shown, new Set(['new']));
    expect(merged.map((c) => c.id).sort()).toEqual(['narrowed-not', 'new', 'old']);
    expect(merged.find((c) => c.id === 'old')!.body).toBe('server copy');
  });
});

describe('participants', () => {
  it('have a stable colour and readable initials', () => {
    expect(participantColour('guest:g1')).toBe(participantColour('guest:g1'));
    expect(participantInitials('Anna Berg')).toBe('AB');
    expect(participantInitials('anna@firm.example')).toBe('AN');
    expect(participantInitials('Guest 7l04xp')).toBe('G7');
  });
});
