import { prisma } from '../db/client';
import { findShareByToken } from './share-lookup';
import { tokenFromLink } from './link';

/** Adds the terms to a terms_required refusal, so an API client can show them and accept that version. */
export async function termsRequiredBody<T extends { error: string }>(refusal: T, body: unknown): Promise<T | (T & { terms: { id: string; version: number; title: string; body: string } })> {
  if (refusal.error !== 'terms_required') return refusal;
  const link = (body as { link?: unknown } | undefined)?.link;
  const token = typeof link === 'string' ? tokenFromLink(link) : null;
  const share = token ? await findShareByToken(token) : null;
  const terms = share?.termsVersionId ? await prisma().termsVersion.findUnique({ where: { id: share.termsVersionId } }) : null;
  if (!terms) return refusal;
  return { ...refusal, terms: { id: terms.id, version: terms.version, title: terms.title, body: terms.body } };
}
