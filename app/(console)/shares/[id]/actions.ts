'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { staffAction } from '@/lib/http/action';
import { updateShareInput, type UpdateShareInput } from '@/lib/shares/input';
import { revokeShare, updateShare } from '@/lib/shares/service';

const id = z.string().min(1).max(64);

// Only the id and status go back: the share row holds the password and token hashes.
const update = staffAction(updateShareInput.extend({ id }), async (p, { id: shareId, ...input }) => {
  const s = await updateShare(p, shareId, input);
  return { id: s.id, status: s.status, expiresAt: s.expiresAt.toISOString() };
});

const revoke = staffAction(z.object({ id, reason: z.string().max(500).optional() }), async (p, { id: shareId, reason }) => {
  const s = await revokeShare(p, shareId, reason);
  return { id: s.id, status: s.status };
});

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
