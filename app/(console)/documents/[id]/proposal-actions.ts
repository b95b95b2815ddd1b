'use server';

import { z } from 'zod';
import { acceptProposal, rejectProposal } from '@/lib/collab/proposals';
import { staffAction } from '@/lib/http/action';
import { idSchema } from '@/lib/http/ids';

const accept = staffAction(z.object({ id: idSchema, tlp: z.string().max(20).optional(), note: z.string().max(2000).optional() }),
  (p, { id, tlp, note }) => acceptProposal(p, id, { tlp: tlp || undefined, note: note || undefined }),
  { where: 'action acceptProposal', ids: (i) => ({ proposalId: i.id }) });

const reject = staffAction(z.object({ id: idSchema, note: z.string().max(2000).optional() }),
  (p, { id, note }) => rejectProposal(p, id, { note: note || undefined }),
  { where: 'action rejectProposal', ids: (i) => ({ proposalId: i.id }) });

export async function acceptProposalAction(input: { id: string; tlp?: string; note?: string }) {
  return accept(input);
}

export async function rejectProposalAction(input: { id: string; note?: string }) {
  return reject(input);
}
