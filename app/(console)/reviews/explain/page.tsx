import type { Metadata } from 'next';
import { can } from '@/lib/auth/principal';
import { explainGuestAccess, resolveExplainTarget } from '@/lib/reviews/explain';
import { Badge } from '@/components/ui/badge';
import { Icon } from '@/components/ui/icons';
import { Notice } from '@/components/ui/notice';
import { PageHeader } from '@/components/ui/page-header';
import { Forbidden } from '@/components/ui/status-page';
import { TlpBadge } from '@/components/ui/tlp-badge';
import { button, card, input, label, select } from '@/components/ui/styles';
import { ReviewTabs } from '@/components/reviews/tabs';
import { CHECK_LABELS } from '@/components/reviews/labels';
import { queryValue } from '../../_shared/ids';
import { load } from '../../_shared/load';
import { consolePrincipal } from '../../_shared/principal';

export const metadata: Metadata = { title: 'Why can this guest see this?' };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };
const ACTIONS = [{ v: 'view', l: 'View' }, { v: 'download', l: 'Download' }, { v: 'comment', l: 'Comment' }, { v: 'edit', l: 'Edit' }];

export default async function ExplainPage({ searchParams }: Props) {
  const p = await consolePrincipal();
  if (!can(p, 'admin') && !can(p, 'audit:read')) return <Forbidden what="Explaining a guest's access is for administrators and auditors." scope="admin" />;
  const sp = await searchParams;
  const guest = queryValue(sp.guest)?.slice(0, 320);
  const document = queryValue(sp.document)?.slice(0, 300);
  const action = ACTIONS.find((a) => a.v === queryValue(sp.action))?.v ?? 'view';
  const res = guest && document ? await load(async () => explainGuestAccess(p, { ...(await resolveExplainTarget(p, { guest, document })), action })) : null;

  return (
    <>
      <PageHeader title="Access reviews" description="For a guest and a document: every share and portal grant that could let them in, and each check of the access policy, passed or failed, exactly as it decides a request." />
      <ReviewTabs current="explain" />
      <section aria-labelledby="explain-form" className={`${card} mb-6`}>
        <h2 id="explain-form" className="sr-only">Guest and document</h2>
        <form method="get" action="/reviews/explain" className="grid grid-cols-1 gap-4 p-4 md:grid-cols-[1fr_1fr_10rem_auto] md:items-end">
          <div>
            <label htmlFor="x-guest" className={label}>Guest</label>
            <input id="x-guest" name="guest" required defaultValue={guest ?? ''} maxLength={320} className={`${input} mt-1`} placeholder="Email address or guest id" />
          </div>
          <div>
            <label htmlFor="x-doc" className={label}>Document</label>
            <input id="x-doc" name="document" required defaultValue={document ?? ''} maxLength={300} className={`${input} mt-1`} placeholder="Title or document id" />
          </div>
          <div>
            <label htmlFor="x-action" className={label}>To</label>
            <select id="x-action" name="action" defaultValue={action} className={`${select} mt-1`}>
              {ACTIONS.map((a) => <option key={a.v} value={a.v}>{a.l}</option>)}
            </select>
          </div>
          <button type="submit" className={button('primary')}><Icon name="search" className="size-4" />Explain</button>
        </form>
      </section>

      {!res ? (
        <Notice tone="info" title="Choose a guest and a document">The answer uses the guest as they stand now: their latest session on each share or portal, the address and browser it came from, and their approved device.</Notice>
      ) : !res.ok ? (
        <Notice tone={res.code === 'not_found' ? 'warning' : 'error'} title={res.code === 'not_found' ? 'Not found' : 'Could not explain'}>{res.message}</Notice>
      ) : (
        <div className="space-y-6" data-testid="explanation">
          <Notice tone={res.data.allowed ? 'success' : 'warning'} title={res.data.allowed ? `${res.data.guest.email ?? 'This guest'} can ${action} “${res.data.document.title}”` : `${res.data.guest.email ?? 'This guest'} cannot ${action} “${res.data.document.title}”`}>
            <span className="inline-flex items-center gap-2">Current version <TlpBadge tlp={res.data.document.tlp} />. Network conditions evaluated from {res.data.conditionsFrom}.</span>
          </Notice>
          {res.data.grants.length === 0 ? (
            <Notice tone="info" title="No grant reaches this guest with this document">No share holding the document names or was opened by this guest, and no portal grant names them for a section that holds it.</Notice>
          ) : res.data.grants.map((g) => (
            <section key={`${g.kind}:${g.id}`} aria-labelledby={`g-${g.id}`} className={card}>
              <div className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 px-4 py-3">
                <h2 id={`g-${g.id}`} className="text-sm font-semibold text-slate-900">{g.label} <span className="font-mono text-xs font-normal text-slate-500">{g.id}</span></h2>
                {g.decision.allow ? <Badge tone="green">Allowed</Badge> : <Badge tone="red">Refused: {g.decision.reason.replace(/_/g, ' ')}</Badge>}
              </div>
              <ol className="divide-y divide-slate-100">
                {g.checks.map((c, n) => (
                  <li key={c.name} className={`flex items-center gap-3 px-4 py-2 text-sm ${c.decisive ? 'bg-red-50' : ''}`}>
                    <span className="w-6 text-right text-xs tabular-nums text-slate-400">{n + 1}</span>
                    {c.passed ? <Icon name="check" className="size-4 text-emerald-600" aria-label="passed" /> : <Icon name="x" className="size-4 text-red-600" aria-label="failed" />}
                    <span className={c.passed ? 'text-slate-700' : 'font-medium text-slate-900'}>{CHECK_LABELS[c.name] ?? c.name}</span>
                    {!c.passed ? <span className="font-mono text-xs text-red-700">{c.reason}</span> : null}
                    {c.decisive ? <Badge tone="red">Decides the answer</Badge> : null}
                  </li>
                ))}
              </ol>
              {g.sessionId ? null : <p className="border-t border-slate-100 px-4 py-2 text-xs text-slate-500">The guest has no session here yet: they would have to open it (sign in) first.</p>}
            </section>
          ))}
        </div>
      )}
    </>
  );
}
