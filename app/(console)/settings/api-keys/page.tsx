import type { Metadata } from 'next';
import { can } from '@/lib/auth/principal';
import { listApiKeys } from '@/lib/auth/api-keys';
import { SCOPE_LABELS, SCOPES } from '@/lib/auth/scopes';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { formatDateTime, relativeTime } from '@/components/ui/format';
import { PageHeader } from '@/components/ui/page-header';
import { Forbidden } from '@/components/ui/status-page';
import { card, td, th, cx } from '@/components/ui/styles';
import { load, LoadError } from '../../_shared/load';
import { consolePrincipal } from '../../_shared/principal';
import { CreateKeyForm } from './create-key-form';
import { RevokeKeyButton } from './revoke-key-button';

export const metadata: Metadata = { title: 'API keys' };

export default async function ApiKeysPage() {
  const p = await consolePrincipal();
  if (!can(p, 'admin')) return <Forbidden what="API keys are managed by administrators." scope="admin" />;
  const res = await load(() => listApiKeys(p));
  const scopes = SCOPES.map((s) => ({ value: s, label: SCOPE_LABELS[s] }));

  return (
    <>
      <PageHeader
        title="API keys"
        description={<>Keys let scripts and integrations call the GraphQL and upload APIs with <code className="rounded bg-slate-100 px-1 py-0.5 font-mono text-xs">Authorization: Bearer &lt;key&gt;</code>. A key is shown once, when it is created; Liaison stores only its hash.</>}
      />

      <section aria-labelledby="create-title" className={`${card} mb-8 p-5`}>
        <h2 id="create-title" className="mb-4 text-sm font-semibold text-slate-900">Create a key</h2>
        <CreateKeyForm scopes={scopes} />
      </section>

      <section aria-labelledby="keys-title" className={card}>
        <div className="border-b border-slate-200 px-5 py-4">
          <h2 id="keys-title" className="text-sm font-semibold text-slate-900">Keys</h2>
        </div>
        {!res.ok ? (
          <div className="p-4"><LoadError error={res} /></div>
        ) : res.data.length === 0 ? (
          <EmptyState icon="key" title="No API keys yet">Create one above when an integration needs to reach Liaison. Keys can be revoked at any time.</EmptyState>
        ) : (
          <div className="max-h-[70vh] overflow-auto">
            <table className="min-w-full border-separate border-spacing-0" data-testid="keys-table">
              <thead>
                <tr>
                  <th scope="col" className={th}>Name</th>
                  <th scope="col" className={th}>Key</th>
                  <th scope="col" className={th}>Permissions</th>
                  <th scope="col" className={th}>Created</th>
                  <th scope="col" className={th}>Last used</th>
                  <th scope="col" className={th}>Status</th>
                  <th scope="col" className={th}><span className="sr-only">Actions</span></th>
                </tr>
              </thead>
              <tbody className="[&>tr:last-child>td]:border-b-0">
                {res.data.map((k) => (
                  <tr key={k.id} className={k.revokedAt ? 'bg-slate-50/60 text-slate-500' : 'hover:bg-slate-50/80'}>
                    <td className={cx(td, 'max-w-[14rem] border-b border-slate-100')}><span className={`block truncate font-medium ${k.revokedAt ? 'text-slate-500' : 'text-slate-900'}`} title={k.name}>{k.name}</span></td>
                    <td className={cx(td, 'border-b border-slate-100')}><code className="font-mono text-xs whitespace-nowrap">{k.prefix}_…</code></td>
                    <td className={cx(td, 'border-b border-slate-100')}>
                      <div className="flex max-w-sm flex-wrap gap-1">
                        {k.scopes.length === SCOPES.length ? <Badge tone="indigo" title={k.scopes.join(', ')}>All permissions</Badge>
                          : k.scopes.map((s) => <Badge key={s} tone="slate" title={SCOPE_LABELS[s as keyof typeof SCOPE_LABELS]}><span className="font-mono">{s}</span></Badge>)}
                      </div>
                    </td>
                    <td className={cx(td, 'border-b border-slate-100 whitespace-nowrap')}>
                      <span className="tabular block">{formatDateTime(k.createdAt)}</span>
                      <span className="block max-w-[12rem] truncate text-xs text-slate-500">{k.createdBy?.email ?? 'command line'}</span>
                    </td>
                    <td className={cx(td, 'border-b border-slate-100 whitespace-nowrap')} title={k.lastUsedAt ? formatDateTime(k.lastUsedAt) : undefined}>{k.lastUsedAt ? relativeTime(k.lastUsedAt) : <span className="text-slate-400">Never</span>}</td>
                    <td className={cx(td, 'border-b border-slate-100')}>
                      {k.revokedAt ? <Badge tone="red" title={`Revoked ${formatDateTime(k.revokedAt)}`}>Revoked</Badge> : <Badge tone="green">Active</Badge>}
                    </td>
                    <td className={cx(td, 'border-b border-slate-100 text-right')}>
                      {k.revokedAt ? <span className="text-xs whitespace-nowrap text-slate-400">{formatDateTime(k.revokedAt).slice(0, 10)}</span> : <RevokeKeyButton id={k.id} name={k.name} prefix={k.prefix} />}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
