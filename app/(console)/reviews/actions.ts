'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { staffAction } from '@/lib/http/action';
import { bulkAction } from '@/lib/reviews/actions';
import { bulkActionAllMatching } from '@/lib/reviews/bulk-all';
import { decideItem, startCampaign } from '@/lib/reviews/campaigns';

// The shapes are checked again, fully, by the lib functions; these only keep the edge's ids in view.
const bulk = staffAction(z.object({ action: z.string(), items: z.array(z.object({ kind: z.string(), id: z.string() })).max(500) }).passthrough(), async (p, input) => {
  const r = await bulkAction(p, input);
  return { done: r.done, failed: r.failed, notApplicable: r.notApplicable, noticesQueued: r.noticesQueued, errors: r.results.filter((x) => x.error).slice(0, 5).map((x) => x.error!) };
}, { where: 'action accessReviewBulk', ids: (i) => ({ grantId: Array.isArray(i?.items) ? i.items.map((x) => x?.id) : undefined }) });

// "All matching": the filters, never ids; the lib function finds the grants again and checks the count.
const bulkAll = staffAction(z.object({ action: z.string(), filters: z.record(z.string(), z.unknown()), expectedCount: z.number() }).passthrough(), async (p, input) => {
  const r = await bulkActionAllMatching(p, input);
  return { done: r.done, failed: r.failed, notApplicable: r.notApplicable, noticesQueued: r.noticesQueued, errors: r.results.filter((x) => x.error).slice(0, 5).map((x) => x.error!) };
}, { where: 'action accessReviewBulkAllMatching', ids: (i) => ({ partnerOrgId: (i?.filters as { partnerOrgId?: unknown } | undefined)?.partnerOrgId ?? undefined }) });

const start = staffAction(z.object({ name: z.string() }).passthrough(), async (p, input) => {
  const c = await startCampaign(p, input);
  return { id: c.id, itemCount: c.itemCount };
}, { where: 'action startAccessReviewCampaign', ids: (i) => ({ sponsorId: (i as { sponsorId?: unknown }).sponsorId ?? undefined }) });

const decide = staffAction(z.object({ id: z.string() }).passthrough(), async (p, { id, ...rest }) => {
  const i = await decideItem(p, id, rest);
  return { id: i.id, decision: i.decision };
}, { where: 'action decideAccessReviewItem', ids: (i) => ({ itemId: i.id }) });

export async function bulkReviewAction(input: Record<string, unknown> & { action: string; items: { kind: string; id: string }[] }) {
  const r = await bulk(input);
  if (r.ok) revalidatePath('/reviews');
  return r;
}

export async function bulkAllMatchingReviewAction(input: Record<string, unknown> & { action: string; filters: Record<string, unknown>; expectedCount: number }) {
  const r = await bulkAll(input);
  if (r.ok) revalidatePath('/reviews');
  return r;
}

export async function startCampaignAction(input: Record<string, unknown> & { name: string }) {
  const r = await start(input);
  if (r.ok) revalidatePath('/reviews/campaigns');
  return r;
}

export async function decideItemAction(input: Record<string, unknown> & { id: string }) {
  const r = await decide(input);
  if (r.ok) revalidatePath('/reviews/campaigns');
  return r;
}
