import type { Metadata } from 'next';
import { previewPortal } from '@/lib/portals/preview';
import { previewAsFromQuery, previewAsQuery } from '@/lib/portals/preview-identity';
import { previewChoices } from '@/lib/portals/preview-choices';
import { PortalPreviewFrame } from '@/components/portal/portal-preview-frame';
import { PreviewBanner } from '@/components/portal/portal-preview-parts';
import { brandingOf } from '@/lib/portals/portal-lookup';
import { Notice } from '@/components/ui/notice';
import { Icon } from '@/components/ui/icons';
import { button, card, input, select } from '@/components/ui/styles';
import { pathSegment, queryValue, requirePageIds } from '../../../_shared/ids';
import { load, LoadError } from '../../../_shared/load';
import { consolePrincipal } from '../../../_shared/principal';

export const metadata: Metadata = { title: 'Portal preview' };

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

/**
 * The owner's preview: the portal exactly as one guest (or a partner's group) would see it, decided by
 * the same policy, read-only, without a guest session or a guest access event (audited as portal.preview).
 */
export default async function PortalPreviewPage({ params, searchParams }: Props) {
  const [{ id }, sp] = await Promise.all([params, searchParams]);
  const p = await consolePrincipal();
  const guest = queryValue(sp.guest);
  const partner = queryValue(sp.partner);
  const email = queryValue(sp.email);
  const group = queryValue(sp.group);
  await requirePageIds(p, 'page /portals/[id]/preview', { portalId: pathSegment(id), guestId: guest, partnerOrgId: partner });
  const as = previewAsFromQuery({ guest, partner, group, email });
  const res = await load(async () => ({ choices: await previewChoices(p, id), preview: as ? await previewPortal(p, id, as) : null }));
  if (!res.ok) return <LoadError error={res} what="Previewing portals is not part of your role." />;
  const { choices, preview } = res.data;
  const query = as ? previewAsQuery(as) : '';
  return (
    <div className="space-y-6">
      <form method="get" className={`${card} grid gap-4 p-5 lg:grid-cols-[1fr_1fr_1.4fr_auto] lg:items-end`} aria-label="Preview as">
        <div>
          <label htmlFor="guest" className="block text-sm font-medium text-slate-700">A guest of this portal</label>
          <select id="guest" name="guest" defaultValue={guest ?? ''} className={`${select} mt-1.5`}>
            <option value="">Choose a guest…</option>
            {choices.guests.map((g) => <option key={g.id} value={g.id}>{g.label}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="email" className="block text-sm font-medium text-slate-700">or an email address</label>
          <input id="email" name="email" type="email" defaultValue={email ?? ''} placeholder="name@firm.example" className={`${input} mt-1.5`} />
        </div>
        <div className="grid grid-cols-[1fr_8rem] gap-2">
          <div>
            <label htmlFor="partner" className="block text-sm font-medium text-slate-700">or a partner organisation</label>
            <select id="partner" name="partner" defaultValue={partner ?? ''} className={`${select} mt-1.5`}>
              <option value="">Choose a partner…</option>
              {choices.partners.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
            </select>
          </div>
          <div>
            <label htmlFor="group" className="block text-sm font-medium text-slate-700">IdP group</label>
            <input id="group" name="group" defaultValue={group ?? ''} placeholder="optional" className={`${input} mt-1.5`} list="groups" />
            <datalist id="groups">{choices.groups.map((g) => <option key={g} value={g} />)}</datalist>
          </div>
        </div>
        <button type="submit" className={button('primary')}><Icon name="eye" className="size-4" />Preview</button>
        <p className="text-xs text-slate-500 lg:col-span-4">Fill in one of the three. Documents open in the preview’s viewer, with the watermark they would get. A guest is previewed with their own facts (kind, groups, terms accepted, last address); an address as a guest who proved it with a code; a partner as its people signing in through their identity provider.</p>
      </form>
      {!preview ? (
        <Notice tone="info" title="Choose whom to preview as">The preview shows the portal’s home and documents exactly as that guest would see them: the same grants, conditions and classification ceilings, decided by the same policy. Nobody is signed in, and nothing is recorded as the guest’s access.</Notice>
      ) : (
        <>
          <PreviewBanner label={preview.label} />
          <section className={`${card} overflow-hidden`} aria-labelledby="grants-title">
            <h2 id="grants-title" className="border-b border-slate-200 px-5 py-3 text-sm font-semibold text-slate-900">Grants that name them</h2>
            {preview.grants.length === 0 ? <p className="px-5 py-4 text-sm text-slate-600">No grant of this portal names them: they would be told the address has no access, and see nothing.</p> : (
              <ul className="divide-y divide-slate-100">
                {preview.grants.map((g) => (
                  <li key={g.grantId} className="flex flex-wrap items-center justify-between gap-3 px-5 py-2.5 text-sm">
                    <span className="min-w-0 text-slate-700 [overflow-wrap:anywhere]">{g.who}</span>
                    <span className={`rounded-full px-2.5 py-0.5 text-xs font-medium ring-1 ring-inset ${g.decision === 'allowed' ? 'bg-emerald-50 text-emerald-800 ring-emerald-600/20' : 'bg-red-50 text-red-800 ring-red-600/20'}`}>{g.decision === 'allowed' ? 'Allowed' : `Refused: ${g.decision.replace(/_/g, ' ')}`}</span>
                  </li>
                ))}
              </ul>
            )}
            <p className="border-t border-slate-100 px-5 py-2.5 text-xs text-slate-500">Network and country conditions evaluated from {preview.conditionsFrom}.{preview.pendingTerms ? ` They would first be asked to accept ${preview.pendingTerms} set${preview.pendingTerms === 1 ? '' : 's'} of terms.` : ''}</p>
          </section>
          <PortalPreviewFrame portalId={preview.portal.id} brand={brandingOf(preview.portal)} sections={preview.sections} hidden={preview.hidden} label={preview.label}
            docHref={(documentId) => `/portals/${id}/preview/d/${documentId}?${query}`} />
        </>
      )}
    </div>
  );
}
