import { AppError } from '../errors';
import { authorize, type Principal } from '../auth/principal';
import { BULK_ALL_MAX, bulkAllMatchingInput } from './input';
import { countGrantRows, queryGrantRows } from './grants';
import { runBulkBatch, summarize, type BulkResult, type ItemResult } from './actions';

/** Grants acted on per batch: one keyset page of the review's query, then one review.bulk event. */
const BATCH = 200;

export interface BulkAllResult extends BulkResult { total: number; batches: number }

/**
 * "Select all N matching": a bulk action on every grant the access-review filters match, found again
 * here from the filters (never from ids the client sends). The count is taken first: beyond
 * BULK_ALL_MAX the action is refused (narrow the filters), and when it differs from the count the admin
 * confirmed it is refused too (the list changed under them: look again). The grants are then walked in
 * keyset-paged batches of the page's own query, as of that moment (grants created afterwards are left
 * alone), each item through applyToGrant and its own audit event, each batch recorded as one
 * review.bulk event naming the filters, the total and the batch's items.
 */
export async function bulkActionAllMatching(p: Principal, raw: unknown): Promise<BulkAllResult> {
  authorize(p, 'admin');
  const input = bulkAllMatchingInput.parse(raw);
  const now = new Date();
  const total = await countGrantRows(p.orgId, input.filters, now);
  if (total > BULK_ALL_MAX) {
    throw new AppError('validation_failed', `These filters match ${total.toLocaleString('en-US')} grants; one action on all matching grants covers at most ${BULK_ALL_MAX.toLocaleString('en-US')}. Narrow the filters (kind, classification, domain, partner, owner) and act in parts.`);
  }
  if (total !== input.expectedCount) {
    throw new AppError('conflict', `The filters now match ${total.toLocaleString('en-US')} ${total === 1 ? 'grant' : 'grants'}, not the ${input.expectedCount.toLocaleString('en-US')} you confirmed: review the list and confirm again.`);
  }
  // Start just after `now` in the page's order (newest first), so a grant created meanwhile is not swept in.
  let cursor = { at: new Date(now.getTime() + 1), kind: '', id: '' };
  const results: ItemResult[] = [];
  let noticesQueued = 0;
  let batches = 0;
  while (results.length < total) {
    const rows = await queryGrantRows(p.orgId, input.filters, { limit: Math.min(BATCH, total - results.length), cursor, now });
    if (!rows.length) break;
    const last = rows[rows.length - 1];
    cursor = { at: last.createdAt, kind: last.kind, id: last.id };
    batches++;
    const batch = await runBulkBatch(p, input, rows.map((r) => ({ kind: r.kind, id: r.id })), { allMatching: { filters: input.filters, total, batch: batches } });
    results.push(...batch.results);
    noticesQueued += batch.noticesQueued;
  }
  return { ...summarize(input.action, results, noticesQueued), total, batches };
}
