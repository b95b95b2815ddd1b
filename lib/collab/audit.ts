import crypto from 'node:crypto';
import { recordAudit } from '../audit/record';
import type { Actor } from '../audit/record';
import type { Tx } from '../db/client';
import { guestLabel } from '../guest/audit';
import type { CollabActor } from './types';

/** The trail's name for a participant: the staff member, the API key, or the guest as every guest event names them. */
export function auditActor(a: CollabActor): Actor {
  if (a.kind === 'guest') return { type: 'guest', id: a.guestId, label: guestLabel({ email: a.email, shareId: a.shareId, guestId: a.guestId }) };
  return a.apiKey ? { type: 'apikey', id: a.staffId, label: a.name } : { type: 'staff', id: a.staffId, label: a.name };
}

/**
 * What the trail holds of a text: its SHA-256 and length, not the text. The text itself is in its row
 * and in the document's export beside the trail, where the hash proves it is what was said then.
 */
export const textDigest = (text: string) => ({ sha256: crypto.createHash('sha256').update(text, 'utf8').digest('hex'), length: [...text].length });

export function auditCollab(a: CollabActor, type: string, at: { shareId?: string | null; documentId?: string | null; portalId?: string | null }, details: Record<string, unknown>, tx?: Tx) {
  return recordAudit({
    orgId: a.orgId, type, actor: auditActor(a), request: { ip: a.ip, userAgent: a.userAgent },
    shareId: at.shareId ?? null, documentId: at.documentId ?? null,
    // Portal events carry the portal in their details, as every portal guest event does (lib/guest/audit.ts).
    details: { ...(at.portalId ? { portalId: at.portalId } : {}), ...details },
  }, tx);
}
