import type { Metadata } from 'next';
import { can } from '@/lib/auth/principal';
import { listTerms } from '@/lib/terms/service';
import { plural } from '@/components/shares/format';
import { CreateTermsForm, ReviseTermsButton } from '@/components/shares/terms-form';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { formatDateTime } from '@/components/ui/format';
import { PageHeader } from '@/components/ui/page-header';
import { Forbidden } from '@/components/ui/status-page';
import { card } from '@/components/ui/styles';
import { Icon } from '@/components/ui/icons';
import { load, LoadError } from '../_shared/load';
import { consolePrincipal } from '../_shared/principal';

export const metadata: Metadata = { title: 'Terms of use' };

export default async function TermsPage() {
  const p = await consolePrincipal();
  if (!can(p, 'shares:read')) return <Forbidden what="Terms of use belong to sharing, which is not part of your role." scope="shares:read" />;
  const res = await load(() => listTerms(p));
  const canWrite = can(p, 'shares:write');

  return (
    <>
      <PageHeader
        title="Terms of use"
        description="Text a guest must accept before opening a share. Terms are versioned: a revision adds a version, and every acceptance stays tied to the exact text the guest accepted."
      />
      <div className={`grid gap-6 ${canWrite ? 'xl:grid-cols-[minmax(0,1fr)_26rem]' : ''}`}>
        <div className="min-w-0 space-y-6">
          {!res.ok ? <LoadError error={res} /> : res.data.length === 0 ? (
            <div className={card}>
              <EmptyState icon="list" title="No terms yet">{canWrite ? 'Create terms with the form, then choose them when you create a share.' : 'Terms created by your colleagues will be listed here.'}</EmptyState>
            </div>
          ) : res.data.map((t) => {
            const latest = t.versions[0];
            const acceptances = t.versions.reduce((n, v) => n + v._count.acceptances, 0);
            return (
              <section key={t.id} aria-labelledby={`terms-${t.id}`} className={card} data-testid="terms-card">
                <div className="flex flex-wrap items-start justify-between gap-3 border-b border-slate-200 px-5 py-4">
                  <div className="min-w-0">
                    <h2 id={`terms-${t.id}`} className="flex flex-wrap items-center gap-2 text-base font-semibold text-slate-900">
                      <span className="break-words">{t.title}</span>
                      {latest ? <Badge tone="indigo">Version {latest.version}</Badge> : null}
                    </h2>
                    <p className="mt-0.5 text-xs text-slate-500">Created {formatDateTime(t.createdAt)} · {plural(t.versions.length, 'version')} · {plural(acceptances, 'acceptance')}</p>
                  </div>
                  {canWrite && latest ? <ReviseTermsButton termsId={t.id} title={latest.title} body={latest.body} nextVersion={latest.version + 1} /> : null}
                </div>
                <ol role="list" aria-label={`Versions of ${t.title}`} className="divide-y divide-slate-100">
                  {t.versions.map((v, i) => (
                    <li key={v.id} className="px-5 py-4">
                      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
                        <span className="tabular flex h-7 min-w-9 items-center justify-center rounded-md bg-slate-100 px-2 font-mono text-xs font-semibold text-slate-700">v{v.version}</span>
                        <div className="min-w-0 flex-1">
                          <p className="flex flex-wrap items-center gap-2 text-sm font-medium text-slate-900"><span className="break-words">{v.title}</span>{i === 0 ? <Badge tone="green">Latest</Badge> : null}</p>
                          <p className="tabular text-xs text-slate-500">Created {formatDateTime(v.createdAt)}</p>
                        </div>
                        <dl className="flex gap-6 text-right">
                          <div><dt className="text-xs text-slate-500">Acceptances</dt><dd className="tabular text-sm font-medium text-slate-900">{v._count.acceptances.toLocaleString('en-US')}</dd></div>
                          <div><dt className="text-xs text-slate-500">Shares</dt><dd className="tabular text-sm font-medium text-slate-900">{v._count.shares.toLocaleString('en-US')}</dd></div>
                        </dl>
                      </div>
                      <details className="group mt-3 sm:ml-13" open={i === 0}>
                        <summary className="inline-flex cursor-pointer list-none items-center gap-1 rounded text-sm font-medium text-indigo-600 hover:text-indigo-500 [&::-webkit-details-marker]:hidden">
                          <Icon name="chevronRight" className="size-4 transition-transform group-open:rotate-90" />
                          <span className="group-open:hidden">Show text</span><span className="hidden group-open:inline">Hide text</span>
                        </summary>
                        <div className="mt-2 max-h-72 overflow-y-auto rounded-md bg-slate-50 p-4 text-sm leading-relaxed whitespace-pre-wrap break-words text-slate-700 ring-1 ring-slate-200 ring-inset" data-testid="terms-body">{v.body}</div>
                      </details>
                    </li>
                  ))}
                </ol>
              </section>
            );
          })}
        </div>

        {canWrite ? (
          <aside aria-labelledby="new-terms-title" className={`${card} h-fit p-5`}>
            <h2 id="new-terms-title" className="text-sm font-semibold text-slate-900">New terms</h2>
            <p className="mt-1 mb-4 text-sm text-slate-500">Starts at version 1. To change existing terms, use Revise on them instead.</p>
            <CreateTermsForm />
          </aside>
        ) : null}
      </div>
    </>
  );
}
