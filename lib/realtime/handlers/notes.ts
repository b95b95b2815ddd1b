import { z } from 'zod';
import { AppError } from '../../errors';
import { applyNoteUpdate, MAX_NOTE_UPDATE_BYTES, MAX_STATE_VECTOR_BYTES, noteRoom, syncNote } from '../../collab/notes';
import { participantId, type CollabActor, type Participant } from '../../collab/types';
import { onEvent } from '../registry';

/**
 * Shared notes over the socket (docs/EDITING.md). Binary Yjs data travels as base64 strings; their
 * length is checked before they are decoded. `note:sync` needs `list` (reading the grant), and joins the
 * socket to the note's room `note:<key>`; `note:update` needs `edit`, is kept, and goes to the rest of
 * that room (never back to the sender).
 */

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const b64Max = (bytes: number) => 4 * Math.ceil(bytes / 3);

/** A base64 string of at most `maxBytes` decoded bytes: the length is checked on the string first. */
const base64 = (maxBytes: number, what: string) => z.string()
  .max(b64Max(maxBytes), `${what} is too large`)
  .refine((s) => BASE64.test(s), `${what} is not base64`)
  .transform((s) => new Uint8Array(Buffer.from(s, 'base64')));

const grantKey = z.string().max(200).nullish();

export const noteSyncPayload = z.object({ grantKey, stateVector: base64(MAX_STATE_VECTOR_BYTES, 'stateVector').optional() }).strict();
export const noteUpdatePayload = z.object({ grantKey, update: base64(MAX_NOTE_UPDATE_BYTES, 'update') }).strict();

/** Zod refusals become the acknowledgement's code: too large, or malformed. */
function parse<T>(schema: z.ZodType<T>, payload: unknown): T {
  const r = schema.safeParse(payload);
  if (r.success) return r.data;
  const tooLarge = r.error.issues.some((i) => i.code === 'too_big');
  throw new AppError(tooLarge ? 'payload_too_large' : 'bad_request', r.error.issues[0]?.message ?? 'Malformed payload.');
}

const b64 = (u: Uint8Array) => Buffer.from(u).toString('base64');

const authorOf = (a: CollabActor): Participant => a.kind === 'staff'
  ? { id: participantId('staff', a.staffId), name: a.name, kind: 'staff' }
  : { id: participantId('guest', a.guestId), name: a.name, kind: 'guest' };

onEvent('note:sync', async (ctx, payload) => {
  const p = parse(noteSyncPayload, payload);
  const actor = await ctx.authorize('list');
  const r = await syncNote(actor, p.grantKey ?? null, p.stateVector ?? new Uint8Array());
  await ctx.socket.join(noteRoom(r.grantKey));
  return { grantKey: r.grantKey, update: b64(r.update), seq: r.seq };
});

onEvent('note:update', async (ctx, payload) => {
  const p = parse(noteUpdatePayload, payload);
  const actor = await ctx.authorize('edit');
  const r = await applyNoteUpdate(actor, p.grantKey ?? null, p.update);
  if (r.applied) {
    // Editors of this note on every instance, except this socket (its replica already has the change).
    ctx.socket.to(noteRoom(r.grantKey)).emit('note:update', { grantKey: r.grantKey, update: b64(r.update), author: authorOf(actor), seq: r.seq });
  }
  return { grantKey: r.grantKey, seq: r.seq };
});
