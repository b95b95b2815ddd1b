'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { staffAction } from '@/lib/http/action';
import { removeStaffIdentityProvider, setStaffIdentityProvider } from '@/lib/sso/staff-idp';

const PAGE = '/settings/sign-in';

const form = z.object({
  name: z.string(),
  domains: z.array(z.string()).max(100),
  enabled: z.boolean(),
  kind: z.enum(['OIDC', 'SAML']),
  issuer: z.string().max(4096).default(''),
  clientId: z.string().max(1024).default(''),
  clientSecret: z.string().max(4096).default(''),
  requireMfa: z.boolean().default(false),
  metadataXml: z.string().max(300 * 1024).default(''),
});
export type StaffIdpForm = z.input<typeof form>;

const set = staffAction(form, async (p, f) => {
  const idp = await setStaffIdentityProvider(p, {
    name: f.name, domains: f.domains, enabled: f.enabled,
    ...(f.kind === 'OIDC'
      ? { oidc: { issuer: f.issuer, clientId: f.clientId, clientSecret: f.clientSecret || undefined, requireMfa: f.requireMfa } }
      : f.metadataXml.trim() ? { saml: { metadataXml: f.metadataXml } } : {}),
  });
  return { id: idp.id };
});
const remove = staffAction(z.object({}), async (p) => removeStaffIdentityProvider(p));

export async function setStaffIdpAction(input: StaffIdpForm) {
  const r = await set(input);
  if (r.ok) revalidatePath(PAGE);
  return r;
}
export async function removeStaffIdpAction() {
  const r = await remove({});
  if (r.ok) revalidatePath(PAGE);
  return r;
}
