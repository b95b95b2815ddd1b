import { prisma } from '../db/client';
import { findShareByToken } from './session';
import { tokenFromLink } from './link';

/** Adds the terms to a terms_required refusal, so an API client can show them and accept that version. */
export async function termsRequiredBody(res: Response, body: unknown): Promise<Response> {
  const json = await res.clone().json() as { error: string };
  if (json.error !== 'terms_required') return res;
  const link = (body as { link?: unknown } | undefined)?.link;
  const token = typeof link === 'string' ? tokenFromLink(link) : null;
  const share = token ? await findShareByToken(token) : null;
  const terms = share?.termsVersionId ? await prisma().termsVersion.findUnique({ where: { id: share.termsVersionId } }) : null;
  if (!terms) return res;
  return new Response(JSON.stringify({ ...json, terms: { id: terms.id, version: terms.version, title: terms.title, body: terms.body } }), { status: res.status, headers: res.headers });
}
