'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { staffAction } from '@/lib/http/action';
import { idSchema } from '@/lib/http/ids';
import { updateShareInput, type UpdateShareInput } from '@/lib/shares/input';
import { revokeShare, updateShare } from '@/lib/shares/service';
import { inviteGuests, resendInvitation, revokeInvitation } from '@/lib/guest/invitations';

const id = idSchema;

// Only the id and status go back: the share row holds the password and token hashes.
const update = staffAction(updateShareInput.extend({ id }), async (p, { id: shareId, ...input }) => {
  const s = await updateShare(p, shareId, input);
  return { id: s.id, status: s.status, expiresAt: s.expiresAt.toISOString() };
}, { where: 'action updateShare', ids: (i) => ({ shareId: i.id, termsVersionId: i.termsVersionId }) });

const revoke = staffAction(z.object({ id, reason: z.string().max(500).optional() }), async (p, { id: shareId, reason }) => {
  const s = await revokeShare(p, shareId, reason);
  return { id: s.id, status: s.status };
}, { where: 'action revokeShare', ids: (i) => ({ shareId: i.id }) });

function refresh(shareId: string) {
  revalidatePath(`/shares/${shareId}`);
  revalidatePath('/shares');
}

export async function updateShareAction(shareId: string, input: UpdateShareInput) {
  const result = await update({ ...input, id: shareId });
  if (result.ok) refresh(shareId);
  return result;
}

export async function revokeShareAction(shareId: string, reason?: string) {
  const result = await revoke({ id: shareId, reason: reason?.trim() || undefined });
  if (result.ok) refresh(shareId);
  return result;
}

const invite = staffAction(z.object({
  shareId: id,
  emails: z.array(z.string().max(320)).min(1, 'Enter at least one email address.').max(50, 'Invite at most 50 people at a time.'),
  message: z.string().max(2000, 'Keep the message under 2,000 characters.').optional(),
}), async (p, { shareId, emails, message }) => {
  const sent = await inviteGuests(p, shareId, emails, message ?? null);
  return { count: sent.length };
}, { where: 'action inviteGuests', ids: (i) => ({ shareId: i.shareId }) });

// Only what the panel needs goes back; the page reloads the list.
const resend = staffAction(z.object({ id }), async (p, { id: invitationId }) => {
  const i = await resendInvitation(p, invitationId);
  return { id: i.id, shareId: i.shareId, state: i.state };
}, { where: 'action resendInvitation', ids: (i) => ({ invitationId: i.id }) });

const revokeInvite = staffAction(z.object({ id }), async (p, { id: invitationId }) => {
  const i = await revokeInvitation(p, invitationId);
  return { id: i.id, shareId: i.shareId, state: i.state };
}, { where: 'action revokeInvitation', ids: (i) => ({ invitationId: i.id }) });

export async function inviteGuestsAction(input: { shareId: string; emails: string[]; message?: string }) {
  const result = await invite(input);
  if (result.ok) refresh(input.shareId);
  return result;
}

export async function resendInvitationAction(input: { id: string }) {
  const result = await resend(input);
  if (result.ok) refresh(result.data.shareId);
  return result;
}

export async function revokeInvitationAction(input: { id: string }) {
  const result = await revokeInvite(input);
  if (result.ok) refresh(result.data.shareId);
  return result;
}
