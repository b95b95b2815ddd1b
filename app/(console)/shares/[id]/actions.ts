'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { staffAction } from '@/lib/http/action';
import { idSchema } from '@/lib/http/ids';
import { updateShareInput, type UpdateShareInput } from '@/lib/shares/input';
import { revokeShare, updateShare } from '@/lib/shares/service';

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
