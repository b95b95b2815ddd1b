'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { staffAction } from '@/lib/http/action';
import { createPartnerOrg, deletePartnerOrg, updatePartnerOrg } from '@/lib/sso/partners';

const PAGE = '/settings/partners';

const form = z.object({
  name: z.string(),
  domains: z.array(z.string()).max(100),
  tlpCeiling: z.string(),
  lawEnforcement: z.boolean(),
  kind: z.enum(['OIDC', 'SAML']),
  issuer: z.string().max(4096).default(''),
  clientId: z.string().max(1024).default(''),
  clientSecret: z.string().max(4096).default(''),
  requireMfa: z.boolean().default(false),
  metadataXml: z.string().max(300 * 1024).default(''),
});
export type PartnerForm = z.input<typeof form>;

/** The console form as the domain's input; on an edit, empty SAML metadata keeps the provider as it is. */
const toInput = (f: z.infer<typeof form>, editing: boolean) => ({
  name: f.name,
  domains: f.domains,
  tlpCeiling: f.tlpCeiling ? f.tlpCeiling : null,
  lawEnforcement: f.lawEnforcement,
  ...(f.kind === 'OIDC'
    ? { oidc: { issuer: f.issuer, clientId: f.clientId, clientSecret: f.clientSecret || undefined, requireMfa: f.requireMfa } }
    : editing && !f.metadataXml.trim() ? {} : { saml: { metadataXml: f.metadataXml } }),
});

const create = staffAction(form, async (p, f) => ({ id: (await createPartnerOrg(p, toInput(f, false))).id }));
const update = staffAction(form.extend({ id: z.string() }), async (p, f) => ({ id: (await updatePartnerOrg(p, f.id, toInput(f, true))).id }),
  { where: 'action updatePartnerOrg', ids: (i) => ({ partnerOrgId: i.id }) });
const remove = staffAction(z.object({ id: z.string() }), (p, { id }) => deletePartnerOrg(p, id), { where: 'action deletePartnerOrg', ids: (i) => ({ partnerOrgId: i.id }) });

export async function createPartnerAction(input: PartnerForm) {
  const r = await create(input);
  if (r.ok) revalidatePath(PAGE);
  return r;
}
export async function updatePartnerAction(input: PartnerForm & { id: string }) {
  const r = await update(input);
  if (r.ok) { revalidatePath(PAGE); revalidatePath(`${PAGE}/${input.id}`); }
  return r;
}
export async function deletePartnerAction(input: { id: string }) {
  const r = await remove(input);
  if (r.ok) revalidatePath(PAGE);
  return r;
}
