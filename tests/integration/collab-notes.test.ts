import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { prisma } from '../../lib/db/client';
import { authorizeGuest } from '../../lib/guest/access';
import { applyNoteUpdate, MAX_NOTE_BYTES, NOTE_TEXT, resolveNote, syncNote } from '../../lib/collab/notes';
import { listShareNotes, noteHistory, noteTextAt } from '../../lib/collab/notes-history';
import type { GuestCollabActor, StaffCollabActor } from '../../lib/collab/types';
import { apiToken, sharedPdf, DESKTOP_UA } from '../helpers/guest';
import { createOrg, createStaff } from '../helpers/factory';

const request = (ip = '198.51.100.10') => ({ ip, userAgent: DESKTOP_UA, host: 'localhost', proof: null });

/** A guest actor built from an allowed `edit` decision, as lib/collab/actor.ts does. */
async function guestActor(token: string, opts: { apart?: boolean; ip?: string } = {}): Promise<GuestCollabActor> {
  const ctx = await authorizeGuest(token, request(opts.ip), 'edit');
  const key = `share:${ctx.share.id}`;
  return {
    kind: 'guest', orgId: ctx.orgId, guestId: ctx.guestId, sessionId: ctx.sessionId, name: ctx.identity, email: ctx.email,
    ip: ctx.request.ip, userAgent: ctx.request.userAgent, shareId: ctx.share.id, portalId: null,
    grantKeys: [key], openGrantKeys: opts.apart ? [] : [key], presenceGrantKeys: [],
  };
}

function staffActor(p: { orgId: string; userId: string; name: string }): StaffCollabActor {
  return { kind: 'staff', orgId: p.orgId, staffId: p.userId, name: p.name, ip: '203.0.113.7', userAgent: 'vitest' };
}

/** A client's replica: edits produce updates exactly as a browser's Y.Doc would. */
class Replica {
  doc = new Y.Doc();
  private pending: Uint8Array[] = [];
  constructor() { this.doc.on('update', (u: Uint8Array, origin: unknown) => { if (origin !== 'remote') this.pending.push(u); }); }
  edit(fn: (t: Y.Text) => void): Uint8Array {
    this.pending = [];
    this.doc.transact(() => fn(this.doc.getText(NOTE_TEXT)));
    return Y.mergeUpdates(this.pending);
  }
  receive(u: Uint8Array) { Y.applyUpdate(this.doc, u, 'remote'); }
  get text() { return this.doc.getText(NOTE_TEXT).toString(); }
  get sv() { return Y.encodeStateVector(this.doc); }
}

describe('shared notes (Yjs)', () => {
  it('a guest with EDIT writes, staff sync the diff, every update is kept with its author, history replays', async () => {
    const s = await sharedPdf({ permission: 'EDIT' });
    const guest = await guestActor(await apiToken(s.url));
    const staff = staffActor(s.principal as never);
    const g = new Replica();
    const r1 = await applyNoteUpdate(guest, null, g.edit((t) => t.insert(0, 'Clause 4: strike the indemnity.')));
    expect(r1).toMatchObject({ grantKey: `share:${s.share.id}`, seq: 1, applied: true });

    const st = new Replica();
    const first = await syncNote(staff, `share:${s.share.id}`, st.sv);
    st.receive(first.update);
    expect(st.text).toBe('Clause 4: strike the indemnity.');
    const r2 = await applyNoteUpdate(staff, `share:${s.share.id}`, st.edit((t) => t.insert(t.length, ' Agreed, subject to cap.')));
    expect(r2.seq).toBe(2);

    // The guest's sync brings only what it lacks.
    const diff = await syncNote(guest, null, g.sv);
    g.receive(diff.update);
    expect(g.text).toBe('Clause 4: strike the indemnity. Agreed, subject to cap.');
    expect(diff.update.length).toBeLessThan(first.update.length + 40);

    // A resent update changes nothing and is not kept twice.
    const again = await applyNoteUpdate(staff, `share:${s.share.id}`, Y.encodeStateAsUpdate(st.doc));
    expect(again).toMatchObject({ applied: false, seq: 2 });

    const [note] = await listShareNotes(s.principal, s.share.id);
    expect(note).toMatchObject({ key: `share:${s.share.id}`, seq: 2, partyGuest: null, text: 'Clause 4: strike the indemnity. Agreed, subject to cap.' });
    const h = await noteHistory(s.principal, note.id);
    expect(h.updates.map((u) => [u.seq, u.authorKind, u.authorName])).toEqual([[2, 'staff', staff.name], [1, 'guest', guest.name]]);
    expect(await noteTextAt(s.principal, note.id, 1)).toBe('Clause 4: strike the indemnity.');
    expect(await noteTextAt(s.principal, note.id, 0)).toBe('');
    await expect(noteTextAt(s.principal, note.id, 3)).rejects.toMatchObject({ code: 'not_found' });

    // Audited: one note.updated per author (throttled to one a minute), in the share's trail.
    const events = await prisma().auditEvent.findMany({ where: { shareId: s.share.id, type: 'note.updated' }, orderBy: { seq: 'asc' } });
    expect(events.map((e) => [e.actorType, (e.details as any).seq, (e.details as any).updates])).toEqual([['guest', 1, 1], ['staff', 2, 1]]);
    await applyNoteUpdate(guest, null, g.edit((t) => t.insert(0, '! ')));
    expect(await prisma().auditEvent.count({ where: { shareId: s.share.id, type: 'note.updated' } })).toBe(2);
    expect(await prisma().noteUpdate.count({ where: { noteId: note.id, authorGuestId: guest.guestId } })).toBe(2);
  });

  it('malformed updates and state vectors are refused and nothing is stored', async () => {
    const s = await sharedPdf({ permission: 'EDIT' });
    const guest = await guestActor(await apiToken(s.url));
    for (const bad of [new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff]), new Uint8Array([1, 200, 3]), Buffer.from('<script>alert(1)</script>')]) {
      await expect(applyNoteUpdate(guest, null, bad)).rejects.toMatchObject({ code: 'bad_request' });
    }
    await expect(applyNoteUpdate(guest, null, new Uint8Array())).rejects.toMatchObject({ code: 'bad_request' });
    await expect(syncNote(guest, null, new Uint8Array([0xff, 0xff, 0xff]))).rejects.toMatchObject({ code: 'bad_request' });
    // An update that depends on changes the note does not have would sit unapplied: refused.
    const r = new Replica();
    r.edit((t) => t.insert(0, 'first'));
    const second = r.edit((t) => t.insert(5, ' second'));
    await expect(applyNoteUpdate(guest, null, second)).rejects.toMatchObject({ code: 'bad_request' });
    expect(await prisma().sharedNote.count({ where: { shareId: s.share.id } })).toBe(0);
    expect(await prisma().noteUpdate.count({ where: { note: { shareId: s.share.id } } })).toBe(0);
  });

  it('an update over 64 KB is refused before decoding; a note may not grow beyond 1 MB', async () => {
    const s = await sharedPdf({ permission: 'EDIT' });
    const guest = await guestActor(await apiToken(s.url));
    const big = new Replica().edit((t) => t.insert(0, 'x'.repeat(70 * 1024)));
    await expect(applyNoteUpdate(guest, null, big)).rejects.toMatchObject({ code: 'payload_too_large' });
    const r = new Replica();
    const chunk = 'y'.repeat(60 * 1024);
    let refused: unknown = null;
    for (let i = 0; i < Math.ceil(MAX_NOTE_BYTES / chunk.length) + 2 && !refused; i++) {
      try { await applyNoteUpdate(guest, null, r.edit((t) => t.insert(t.length, chunk))); } catch (e) { refused = e; }
    }
    expect(refused).toMatchObject({ code: 'payload_too_large' });
    const note = await prisma().sharedNote.findUniqueOrThrow({ where: { grantKey: `share:${s.share.id}` } });
    expect(note.state.length).toBeLessThanOrEqual(MAX_NOTE_BYTES);
    expect(await prisma().noteUpdate.count({ where: { noteId: note.id } })).toBe(note.seq);
  });

  it('two concurrent updates from two editors both land, each with its own seq', async () => {
    const s = await sharedPdf({ permission: 'EDIT' });
    const guest = await guestActor(await apiToken(s.url));
    const staff = staffActor(s.principal as never);
    const a = new Replica();
    const b = new Replica();
    const [ra, rb] = await Promise.all([
      applyNoteUpdate(guest, null, a.edit((t) => t.insert(0, 'Guest line.'))),
      applyNoteUpdate(staff, `share:${s.share.id}`, b.edit((t) => t.insert(0, 'Staff line.'))),
    ]);
    expect([ra.seq, rb.seq].sort()).toEqual([1, 2]);
    const fresh = new Replica();
    fresh.receive((await syncNote(staff, `share:${s.share.id}`, fresh.sv)).update);
    expect(fresh.text).toContain('Guest line.');
    expect(fresh.text).toContain('Staff line.');
    const rows = await prisma().noteUpdate.findMany({ where: { note: { grantKey: `share:${s.share.id}` } }, orderBy: { seq: 'asc' } });
    expect(rows.map((x) => x.seq)).toEqual([1, 2]);
    expect(new Set(rows.map((x) => x.authorName))).toEqual(new Set([guest.name, staff.name]));
  });

  it('behind a barrier each guest has a note of their own with staff; parties never share one', async () => {
    const s = await sharedPdf({ permission: 'EDIT' });
    await prisma().share.update({ where: { id: s.share.id }, data: { keepPartiesApart: true } });
    const partyA = await guestActor(await apiToken(s.url, {}, '198.51.100.41'), { apart: true, ip: '198.51.100.41' });
    const partyB = await guestActor(await apiToken(s.url, {}, '198.51.100.42'), { apart: true, ip: '198.51.100.42' });
    expect(partyA.guestId).not.toBe(partyB.guestId);
    const ra = await applyNoteUpdate(partyA, null, new Replica().edit((t) => t.insert(0, 'Party A position')));
    const rb = await applyNoteUpdate(partyB, null, new Replica().edit((t) => t.insert(0, 'Party B position')));
    expect(ra.grantKey).toBe(`share:${s.share.id}#guest:${partyA.guestId}`);
    expect(rb.grantKey).toBe(`share:${s.share.id}#guest:${partyB.guestId}`);

    const readB = new Replica();
    readB.receive((await syncNote(partyB, null, readB.sv)).update);
    expect(readB.text).toBe('Party B position');
    // Naming the other party's note, or asking for the grant's shared note, never reaches it.
    await expect(syncNote(partyB, ra.grantKey, new Uint8Array())).rejects.toMatchObject({ code: 'forbidden' });
    expect((await syncNote(partyB, `share:${s.share.id}`, new Uint8Array())).grantKey).toBe(rb.grantKey);

    // Staff reach each party's note by its key, and the console lists both with their guest.
    const staff = staffActor(s.principal as never);
    const readA = new Replica();
    readA.receive((await syncNote(staff, ra.grantKey, readA.sv)).update);
    expect(readA.text).toBe('Party A position');
    const notes = await listShareNotes(s.principal, s.share.id);
    expect(notes.map((n) => n.partyGuest?.id).sort()).toEqual([partyA.guestId, partyB.guestId].sort());
  });

  it('grants not held, other organisations and malformed keys are refused', async () => {
    const s = await sharedPdf({ permission: 'EDIT' });
    const other = await sharedPdf({ permission: 'EDIT' });
    const guest = await guestActor(await apiToken(s.url));
    await expect(syncNote(guest, `share:${other.share.id}`, new Uint8Array())).rejects.toMatchObject({ code: 'forbidden' });
    await expect(applyNoteUpdate(guest, `portal-grant:${other.share.id}`, new Replica().edit((t) => t.insert(0, 'x')))).rejects.toMatchObject({ code: 'forbidden' });
    await expect(syncNote(guest, 'share:../../etc', new Uint8Array())).rejects.toMatchObject({ code: 'bad_request' });
    const outsider = await createOrg();
    const { user } = await createStaff(outsider.id, 'ADMIN');
    const foreign = staffActor({ orgId: outsider.id, userId: user.id, name: user.name });
    await expect(syncNote(foreign, `share:${s.share.id}`, new Uint8Array())).rejects.toMatchObject({ code: 'not_found' });
    await expect(applyNoteUpdate(foreign, `share:${s.share.id}`, new Replica().edit((t) => t.insert(0, 'x')))).rejects.toMatchObject({ code: 'not_found' });
    await expect(syncNote(staffActor(s.principal as never), null, new Uint8Array())).rejects.toMatchObject({ code: 'bad_request' });
    // A per-guest key on a grant whose guests share one note is refused.
    await expect(resolveNote(staffActor(s.principal as never), `share:${s.share.id}#guest:${guest.guestId}`)).rejects.toMatchObject({ code: 'bad_request' });
    const { principal: outsiderP } = await createStaff(outsider.id, 'ADMIN');
    expect(await listShareNotes(outsiderP, s.share.id)).toEqual([]);
  });
});
