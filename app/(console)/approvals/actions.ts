'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { idSchema } from '@/lib/http/ids';
import { staffAction } from '@/lib/http/action';
import { decideApproval } from '@/lib/governance/approval';

const decide = staffAction(z.object({ id: idSchema, decision: z.enum(['approve', 'refuse']), note: z.string().max(1000, 'Keep it under 1000 characters').optional() }),
  async (p, { id, decision, note }) => {
    const r = await decideApproval(p, id, { decision, note });
    return { id: r.id, state: r.state };
  }, { where: 'action decideApproval', ids: (i) => ({ approvalId: i.id }) });

export async function decideApprovalAction(input: { id: string; decision: 'approve' | 'refuse'; note?: string }) {
  const r = await decide(input);
  if (r.ok) {
    revalidatePath('/approvals');
    revalidatePath('/shares');
  }
  return r;
}
