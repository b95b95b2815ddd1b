'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { listDocuments } from '@/lib/documents/service';
import { staffAction } from '@/lib/http/action';
import { createShare } from '@/lib/shares/service';
import { createShareInput, type CreateShareInput } from '@/lib/shares/input';

// The share row carries the password and token hashes: only what the success panel shows goes back.
const create = staffAction(createShareInput, async (p, input) => {
  const { share, url } = await createShare(p, input);
  return {
    id: share.id, url, status: share.status, expiresAt: share.expiresAt.toISOString(),
    permission: share.permission, allowDownload: share.allowDownload, allowPrint: share.allowPrint, watermark: share.watermark,
    password: Boolean(share.passwordHash), termsVersionId: share.termsVersionId,
    allowedIpRanges: share.allowedIpRanges, allowedCountries: share.allowedCountries, allowedDevices: share.allowedDevices,
    requireDevice: share.requireDevice,
    audience: share.audience, allowedDomains: share.allowedDomains,
    recipients: input.recipients, documentCount: new Set(input.documentIds).size,
  };
}, { where: 'action createShare', ids: (i) => ({ documentIds: i.documentIds, termsVersionId: i.termsVersionId }) });

export type CreatedShare = Extract<Awaited<ReturnType<typeof create>>, { ok: true }>['data'];

export async function createShareAction(input: CreateShareInput) {
  const result = await create(input);
  if (result.ok) revalidatePath('/shares');
  return result;
}

const search = staffAction(z.object({ q: z.string().trim().max(200) }), async (p, { q }) => {
  const res = await listDocuments(p, { q: q || undefined, take: 50 });
  return res.items.map((d) => ({ id: d.id, title: d.title, fileName: d.latest?.fileName ?? null, tlp: d.latest?.tlp ?? null }));
});

/** Finds documents beyond the ones the page loaded, for large libraries. */
export async function searchDocumentsAction(q: string) {
  return search({ q });
}
