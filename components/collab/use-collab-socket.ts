'use client';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { CommentAnchor, CommentDto, Participant, ParticipantId, QuestionDto } from '@/lib/collab/types';
import { createProof, tokenHash } from '../device/device-key';
import { isComment, isParticipant, isQuestion, toActivity, type ActivityEvent } from './collab-wire';

/**
 * Who the socket speaks for. A guest's session cookie is scoped to the link or portal path, which
 * /socket.io does not receive, so the page first asks `<base>/realtime-token` (same origin, cookie
 * authenticated) for a short-lived token to hand over in the handshake. Staff send the console cookie.
 */
export type CollabAuth = { kind: 'guest'; base: string; deviceBound?: boolean } | { kind: 'staff' };

export type ConnectionState =
  | { state: 'connecting' }
  | { state: 'connected' }
  | { state: 'reconnecting'; attempt: number }
  /** Access ended (revoked, expired, signed out…): nothing reconnects. */
  | { state: 'ended'; reason: string }
  /** The server keeps refusing for a reason that is not the end of access; retrying slowly. */
  | { state: 'unavailable'; reason: string };

/** Every acknowledgement is `{ok: true, ...}` or `{error: "<policy reason or code>"}`. */
export type Ack = { ok?: boolean; error?: string; [field: string]: unknown };

/** The refusal code of an acknowledgement, or null when it succeeded. */
export const ackError = (ack: Ack): string | null => (typeof ack.error === 'string' ? ack.error : ack.ok === true ? null : 'invalid_response');

export interface NewComment {
  page?: number | null;
  anchor?: CommentAnchor | null;
  body: string;
  parentId?: string | null;
  mentions?: ParticipantId[];
  /** Staff starting a thread: the grant it lives in (absent: staff only). */
  grantKey?: string | null;
}

/** A participant typing, until `until` (ms since epoch). */
export interface Typing { participant: Participant; threadId: string | null; until: number }

const ACK_TIMEOUT_MS = 10_000;
const TYPING_SHOWN_MS = 4_000;
const TYPING_SENT_EVERY_MS = 2_500;
const ACTIVITY_KEPT = 100;

// Reasons a token request or a handshake refusal gives that mean access has ended for good.
const ENDED = new Set(['revoked', 'expired', 'invalid_token', 'guest_disabled', 'device_denied', 'ip_denied', 'geo_denied',
  'password_required', 'terms_required', 'email_required', 'invitation_required', 'sso_required', 'not_found', 'forbidden', 'tlp_denied', 'cji_not_permitted', 'approval_pending', 'unauthorized']);

type TokenResult = { token: string } | { ended: string } | { retry: string };

async function requestToken(base: string): Promise<TokenResult> {
  let res: Response;
  try {
    res = await fetch(`${base}/realtime-token`, { method: 'POST', credentials: 'same-origin', cache: 'no-store', headers: { 'content-type': 'application/json' }, body: '{}' });
  } catch {
    return { retry: 'network' };
  }
  const body = await res.json().catch(() => null) as { token?: unknown; error?: unknown } | null;
  if (res.ok && typeof body?.token === 'string') return { token: body.token };
  const code = typeof body?.error === 'string' ? body.error : `http_${res.status}`;
  if (res.status === 429 || res.status >= 500) return { retry: code };
  return ENDED.has(code) || res.status === 401 || res.status === 403 || res.status === 410 ? { ended: code } : { retry: code };
}

function upsert<T extends { id: string }>(list: T[], item: T): T[] {
  const i = list.findIndex((x) => x.id === item.id);
  if (i < 0) return [...list, item];
  const next = list.slice();
  next[i] = item;
  return next;
}

/** A list read from the server, with the items events changed since it was asked for taken from what is shown. */
export function mergeListed<T extends { id: string }>(listed: T[], shown: T[] | null, changed: Set<string>): T[] {
  const out = new Map(listed.map((x) => [x.id, x]));
  for (const x of shown ?? []) if (changed.has(x.id)) out.set(x.id, x);
  return [...out.values()];
}

const uniqueParticipants = (list: Participant[]) => [...new Map(list.map((p) => [p.id, p])).values()];

/**
 * The live connection of one viewer: joins the document's room, keeps presence, comments, questions,
 * typing and the activity feed current, and rejoins after a reconnect (presence is the server's full
 * list each time, so nobody appears twice). On `access:revoked` it stops for good and says why.
 */
export function useCollabSocket({ auth, documentId, selfId }: { auth: CollabAuth; documentId: string | null; selfId: ParticipantId | null }) {
  const [connection, setConnection] = useState<ConnectionState>({ state: 'connecting' });
  const [participants, setParticipants] = useState<Participant[]>([]);
  const [comments, setComments] = useState<CommentDto[] | null>(null);
  const [questions, setQuestions] = useState<QuestionDto[] | null>(null);
  const [typing, setTyping] = useState<Typing[]>([]);
  const [activity, setActivity] = useState<ActivityEvent[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [socket, setSocket] = useState<Socket | null>(null);
  const pageRef = useRef<number | null>(null);
  const lastTypingSent = useRef(new Map<string, number>());
  // Ids of comments and questions that events or own actions changed since the lists were last asked for.
  const changedRef = useRef(new Set<string>());
  const authKey = auth.kind === 'guest' ? `guest:${auth.base}:${auth.deviceBound ? 1 : 0}` : 'staff';

  useEffect(() => {
    let ended = false;
    let retryTimer: ReturnType<typeof setTimeout> | null = null;
    let refusals = 0;
    const changedSinceList = changedRef.current;
    const end = (reason: string) => {
      ended = true;
      setConnection({ state: 'ended', reason });
      setTyping([]);
      s.io.reconnection(false);
      s.disconnect();
    };
    // Called by socket.io before every connection attempt, so each reconnect carries a fresh token.
    const handshake = (cb: (data: object) => void) => {
      if (auth.kind === 'staff') { cb({}); return; }
      void (async () => {
        const t = await requestToken(auth.base);
        if (ended) return;
        if ('ended' in t) { end(t.ended); return; }
        if ('retry' in t) { cb({}); return; } // refused without a token; connect_error schedules the next try
        const proof = auth.deviceBound
          ? await createProof({ method: 'GET', url: new URL('/socket.io/', window.location.href), ath: await tokenHash(t.token) }).catch(() => undefined)
          : undefined;
        cb(proof ? { token: t.token, proof } : { token: t.token });
      })();
    };
    const s: Socket = io({ path: '/socket.io', auth: handshake, autoConnect: false, reconnectionDelay: 500, reconnectionDelayMax: 5_000, transports: ['websocket', 'polling'] });
    setSocket(s);

    const ask = async (event: string, payload: unknown): Promise<Ack> => {
      try {
        return await s.timeout(ACK_TIMEOUT_MS).emitWithAck(event, payload) as Ack;
      } catch {
        return { error: 'timeout' };
      }
    };

    s.on('connect', () => {
      refusals = 0;
      setConnection({ state: 'connected' });
      setLoadError(null);
      if (!documentId) return;
      void (async () => {
        const joined = await ask('join', { documentId });
        const refused = ackError(joined);
        if (refused) { setLoadError(refused); return; }
        if (Array.isArray(joined.participants)) setParticipants(uniqueParticipants(joined.participants.filter(isParticipant)));
        if (pageRef.current != null) s.emit('page', { documentId, page: pageRef.current });
        // After a reconnect the lists are read again: events sent while away are not replayed. Each list
        // is applied when it arrives, and what events brought since it was asked for is kept over it.
        changedSinceList.clear();
        void ask('comments:list', { documentId }).then((c) => {
          const err = ackError(c);
          if (err) { setLoadError(err); return; }
          const listed = Array.isArray(c.comments) ? c.comments.filter(isComment) : [];
          setComments((prev) => mergeListed(listed, prev, changedSinceList));
        });
        void ask('questions:list', { documentId }).then((q) => {
          const listed = ackError(q) ? [] : Array.isArray(q.questions) ? q.questions.filter(isQuestion) : [];
          setQuestions((prev) => mergeListed(listed, prev, changedSinceList));
        });
      })();
    });
    s.on('disconnect', (reason) => {
      setTyping([]);
      if (ended) return;
      setConnection({ state: 'reconnecting', attempt: 0 });
      // The server closed this socket without saying access ended (a restart, a rate limit): try again;
      // if access did end, the token request says so.
      if (reason === 'io server disconnect') retryTimer = setTimeout(() => { if (!ended) s.connect(); }, 1_000);
    });
    s.on('connect_error', (err: Error) => {
      if (ended) return;
      if (s.active) { setConnection((c) => ({ state: 'reconnecting', attempt: c.state === 'reconnecting' ? c.attempt + 1 : 1 })); return; }
      // Refused by the server's handshake check (the message is the policy's reason): socket.io does not
      // retry these by itself. A reason that ends access ends it; a token that went stale in between is
      // fetched again a couple of times first.
      refusals++;
      const reason = err.message || 'unauthorized';
      if (ENDED.has(reason) && (reason !== 'invalid_token' || refusals >= 3)) { end(reason); return; }
      setConnection(refusals >= 3 ? { state: 'unavailable', reason: err.message } : { state: 'reconnecting', attempt: refusals });
      retryTimer = setTimeout(() => { if (!ended) s.connect(); }, Math.min(30_000, 1_000 * 2 ** refusals));
    });
    s.on('access:revoked', (p: { reason?: unknown }) => end(typeof p?.reason === 'string' ? p.reason : 'revoked'));
    s.on('presence', (p: { documentId?: unknown; participants?: unknown }) => {
      if (p?.documentId !== documentId || !Array.isArray(p.participants)) return;
      setParticipants(uniqueParticipants(p.participants.filter(isParticipant)));
    });
    s.on('comment:created', (p: { comment?: unknown }) => {
      if (!isComment(p?.comment) || p.comment.documentId !== documentId) return;
      const c = p.comment;
      changedSinceList.add(c.id);
      setComments((list) => upsert(list ?? [], c));
      // Their comment is sent: they are no longer typing it.
      setTyping((list) => list.filter((t) => t.participant.id !== c.author.id));
    });
    const setResolved = (commentId: unknown, resolved: boolean, by?: unknown) => {
      if (typeof commentId !== 'string') return;
      changedSinceList.add(commentId);
      setComments((list) => list?.map((c) => c.id !== commentId ? c
        : { ...c, resolvedAt: resolved ? new Date().toISOString() : null, resolvedBy: resolved ? (typeof by === 'string' ? by : c.resolvedBy) : null }) ?? list);
    };
    s.on('comment:resolved', (p: { commentId?: unknown; resolvedBy?: unknown }) => setResolved(p?.commentId, true, p?.resolvedBy));
    s.on('comment:reopened', (p: { commentId?: unknown }) => setResolved(p?.commentId, false));
    s.on('typing', (p: { documentId?: unknown; participant?: unknown; threadId?: unknown }) => {
      if (p?.documentId !== documentId || !isParticipant(p.participant) || p.participant.id === selfId) return;
      const who = p.participant;
      const threadId = typeof p.threadId === 'string' ? p.threadId : null;
      setTyping((list) => [...list.filter((t) => !(t.participant.id === who.id && t.threadId === threadId)), { participant: who, threadId, until: Date.now() + TYPING_SHOWN_MS }]);
    });
    s.on('activity', (p: { event?: unknown }) => {
      const e = toActivity(p?.event);
      if (e) setActivity((list) => [e, ...list].slice(0, ACTIVITY_KEPT));
    });
    const onQuestion = (p: { question?: unknown }) => {
      if (!isQuestion(p?.question)) return;
      const q = p.question;
      if (documentId && q.documentId && q.documentId !== documentId) return;
      changedSinceList.add(q.id);
      setQuestions((list) => upsert(list ?? [], q));
    };
    s.on('question:created', onQuestion);
    s.on('question:answered', onQuestion);

    s.connect();
    return () => {
      ended = true;
      if (retryTimer) clearTimeout(retryTimer);
      s.removeAllListeners();
      s.disconnect();
      setSocket(null);
    };
    // authKey stands for auth; selfId only filters typing.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [authKey, documentId, selfId]);

  // Typing indicators fade on their own: the sender stops sending, nobody sends "stopped".
  useEffect(() => {
    if (!typing.length) return;
    const next = Math.min(...typing.map((t) => t.until)) - Date.now();
    const timer = setTimeout(() => setTyping((list) => list.filter((t) => t.until > Date.now())), Math.max(50, next));
    return () => clearTimeout(timer);
  }, [typing]);

  const emit = useCallback(async (event: string, payload: unknown): Promise<Ack> => {
    if (!socket?.connected) return { error: 'not_connected' };
    try {
      return await socket.timeout(ACK_TIMEOUT_MS).emitWithAck(event, payload) as Ack;
    } catch {
      return { error: 'timeout' };
    }
  }, [socket]);

  const createComment = useCallback(async (c: NewComment): Promise<Ack> => {
    if (!documentId) return { error: 'not_found' };
    const payload: Record<string, unknown> = { documentId, body: c.body };
    if (c.page != null) payload.page = c.page;
    if (c.anchor) payload.anchor = c.anchor;
    if (c.parentId) payload.parentId = c.parentId;
    if (c.mentions?.length) payload.mentions = c.mentions;
    if (c.grantKey) payload.grantKey = c.grantKey;
    const ack = await emit('comment:create', payload);
    const made = ackError(ack) ? null : ack.comment;
    if (isComment(made)) { changedRef.current.add(made.id); setComments((list) => upsert(list ?? [], made)); }
    return ack;
  }, [documentId, emit]);

  const setCommentResolved = useCallback(async (commentId: string, resolved: boolean): Promise<Ack> => {
    const ack = await emit(resolved ? 'comment:resolve' : 'comment:reopen', { commentId });
    if (!ackError(ack)) {
      changedRef.current.add(commentId);
      setComments((list) => list?.map((c) => c.id !== commentId ? c : { ...c, resolvedAt: resolved ? c.resolvedAt ?? new Date().toISOString() : null, resolvedBy: resolved ? c.resolvedBy : null }) ?? list);
    }
    return ack;
  }, [emit]);

  const askQuestion = useCallback(async (body: string): Promise<Ack> => {
    const ack = await emit('question:create', documentId ? { documentId, body } : { body });
    const made = ackError(ack) ? null : ack.question;
    if (isQuestion(made)) { changedRef.current.add(made.id); setQuestions((list) => upsert(list ?? [], made)); }
    return ack;
  }, [documentId, emit]);

  /** Says "typing" at most every few seconds per thread while the person types. */
  const sendTyping = useCallback((threadId: string | null) => {
    if (!socket?.connected || !documentId) return;
    const key = threadId ?? '';
    const now = Date.now();
    if (now - (lastTypingSent.current.get(key) ?? 0) < TYPING_SENT_EVERY_MS) return;
    lastTypingSent.current.set(key, now);
    socket.emit('typing', threadId ? { documentId, threadId } : { documentId });
  }, [socket, documentId]);

  const setPage = useCallback((page: number) => {
    pageRef.current = page;
    if (socket?.connected && documentId) socket.emit('page', { documentId, page });
  }, [socket, documentId]);

  return useMemo(() => ({
    connection, participants, comments, questions, typing, activity, loadError, socket,
    createComment, setCommentResolved, askQuestion, sendTyping, setPage,
  }), [connection, participants, comments, questions, typing, activity, loadError, socket, createComment, setCommentResolved, askQuestion, sendTyping, setPage]);
}

export type CollabState = ReturnType<typeof useCollabSocket>;
