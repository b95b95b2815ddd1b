'use server';

import { z } from 'zod';
import { markCriminalIntel, revalidateCriminalIntel, unmarkCriminalIntel } from '@/lib/cfr/records';
import { purgeCriminalIntel } from '@/lib/cfr/purge';
import { staffAction } from '@/lib/http/action';
import { idSchema } from '@/lib/http/ids';

// The domain functions parse the fields themselves (lib/cfr/input.ts); here only the id is taken apart.
const withId = z.object({ documentId: idSchema, fields: z.unknown() });

const mark = staffAction(withId, async (p, i) => { await markCriminalIntel(p, i.documentId, i.fields); return true; }, {
  where: 'action markCriminalIntel', ids: (i) => ({ documentId: i.documentId }),
});
const unmark = staffAction(withId, async (p, i) => { await unmarkCriminalIntel(p, i.documentId, i.fields); return true; }, {
  where: 'action unmarkCriminalIntel', ids: (i) => ({ documentId: i.documentId }),
});
const revalidate = staffAction(withId, async (p, i) => { await revalidateCriminalIntel(p, i.documentId, i.fields); return true; }, {
  where: 'action revalidateCriminalIntel', ids: (i) => ({ documentId: i.documentId }),
});
const purge = staffAction(withId, async (p, i) => { await purgeCriminalIntel(p, i.documentId, i.fields); return true; }, {
  where: 'action purgeCriminalIntel', ids: (i) => ({ documentId: i.documentId }),
});

export async function markCriminalIntelAction(input: { documentId: string; fields: Record<string, unknown> }) { return mark(input); }
export async function unmarkCriminalIntelAction(input: { documentId: string; fields: Record<string, string> }) { return unmark(input); }
export async function revalidateCriminalIntelAction(input: { documentId: string; fields: Record<string, string> }) { return revalidate(input); }
export async function purgeCriminalIntelAction(input: { documentId: string; fields: Record<string, string> }) { return purge(input); }
