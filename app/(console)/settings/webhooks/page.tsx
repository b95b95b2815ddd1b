import type { Metadata } from 'next';
import Link from 'next/link';
import { can } from '@/lib/auth/principal';
import { WEBHOOK_EVENTS } from '@/lib/webhooks/events';
import { listWebhooks } from '@/lib/webhooks/service';
import { DeliveryBadge } from '@/components/mail/labels';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { formatDateTime, relativeTime } from '@/components/ui/format';
import { PageHeader } from '@/components/ui/page-header';
import { Forbidden } from '@/components/ui/status-page';
import { card, cx, td, th } from '@/components/ui/styles';
import { load, LoadError } from '../../_shared/load';
import { consolePrincipal } from '../../_shared/principal';
import { CreateWebhookForm } from './create-webhook-form';
import { WebhookActions } from './row-actions';

export const metadata: Metadata = { title: 'Webhooks' };

const FORMAT_LABELS: Record<string, string> = { JSON: 'JSON', SLACK: 'Slack', TEAMS: 'Teams' };

export default async function WebhooksPage() {
  const p = await consolePrincipal();
  if (!can(p, 'admin')) return <Forbidden what="Webhooks are managed by administrators." scope="admin" />;
  const res = await load(() => listWebhooks(p));
  const events = Object.entries(WEBHOOK_EVENTS).map(([type, description]) => ({ type, description }));

  return (
    <>
      <PageHeader title="Webhooks" description="Tell Slack, Microsoft Teams or your own systems when shares are created, opened, refused, revoked or expire. Deliveries go through the same durable queue as mail: retried with backoff, never lost on a restart." />

      <section aria-labelledby="create-title" className={`${card} mb-8 p-5`}>
        <h2 id="create-title" className="mb-4 text-sm font-semibold text-slate-900">Add a webhook</h2>
        <CreateWebhookForm events={events} />
      </section>

      <section aria-labelledby="list-title" className={card}>
        <div className="border-b border-slate-200 px-5 py-4"><h2 id="list-title" className="text-sm font-semibold text-slate-900">Webhooks</h2></div>
        {!res.ok ? <div className="p-4"><LoadError error={res} /></div> : res.data.length === 0 ? (
          <EmptyState icon="webhook" title="No webhooks yet">Add one above to post events to a chat channel or your own endpoint.</EmptyState>
        ) : (
          <div className="overflow-x-auto">
            <table className="min-w-full border-separate border-spacing-0" data-testid="webhooks-table">
              <thead>
                <tr>
                  <th scope="col" className={th}>Endpoint</th>
                  <th scope="col" className={th}>Events</th>
                  <th scope="col" className={th}>Status</th>
                  <th scope="col" className={th}>Last delivery</th>
                  <th scope="col" className={th}><span className="sr-only">Actions</span></th>
                </tr>
              </thead>
              <tbody className="[&>tr:last-child>td]:border-b-0">
                {res.data.map((w) => {
                  const d = w.lastDelivery;
                  return (
                    <tr key={w.id} className={w.enabled ? 'hover:bg-slate-50/80' : 'bg-slate-50/60'}>
                      <td className={cx(td, 'max-w-[24rem] border-b border-slate-100')}>
                        <Link href={`/settings/webhooks/${w.id}`} className="block truncate font-mono text-[13px] font-medium text-slate-900 hover:text-indigo-700 hover:underline" title={w.url}>{w.url}</Link>
                        <span className="mt-1 flex items-center gap-2 text-xs text-slate-500"><Badge tone="slate">{FORMAT_LABELS[w.format]}</Badge>added {formatDateTime(w.createdAt).slice(0, 10)}{w.createdBy ? ` by ${w.createdBy.name}` : ''}</span>
                      </td>
                      <td className={cx(td, 'border-b border-slate-100')}>
                        <div className="flex max-w-xs flex-wrap gap-1">{w.events.map((e) => <Badge key={e} tone="indigo" title={WEBHOOK_EVENTS[e as keyof typeof WEBHOOK_EVENTS]}><span className="font-mono">{e}</span></Badge>)}</div>
                      </td>
                      <td className={cx(td, 'border-b border-slate-100')}>{w.enabled ? <Badge tone="green">Enabled</Badge> : <Badge tone="slate">Disabled</Badge>}</td>
                      <td className={cx(td, 'max-w-[18rem] border-b border-slate-100')}>
                        {d ? (
                          <>
                            <span className="flex flex-wrap items-center gap-2">
                              <DeliveryBadge status={d.job.status} attempts={d.job.attempts} />
                              {d.responseStatus ? <span className="tabular font-mono text-xs text-slate-600">HTTP {d.responseStatus}</span> : null}
                              <span className="text-xs text-slate-500" title={formatDateTime(d.createdAt)}>{relativeTime(d.createdAt)}</span>
                            </span>
                            <span className="mt-1 block truncate font-mono text-xs text-slate-500">{d.eventType}</span>
                            {d.job.lastError && d.job.status !== 'DONE' ? <span className="mt-0.5 block truncate text-xs text-red-700" title={d.job.lastError}>{d.job.lastError}</span> : null}
                          </>
                        ) : <span className="text-slate-400">None yet</span>}
                      </td>
                      <td className={cx(td, 'border-b border-slate-100 text-right')}><WebhookActions id={w.id} url={w.url} enabled={w.enabled} /></td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="verify-title" className={`${card} mt-8 p-5`}>
        <h2 id="verify-title" className="text-sm font-semibold text-slate-900">Verifying JSON deliveries</h2>
        <p className="mt-1 text-sm text-slate-600">Each delivery is a POST with the event as its body (<code className="font-mono text-xs">id</code>, <code className="font-mono text-xs">type</code>, <code className="font-mono text-xs">createdAt</code>, <code className="font-mono text-xs">organization</code>, <code className="font-mono text-xs">data</code>) and a header <code className="font-mono text-xs">Liaison-Signature: t=&lt;unix time&gt;,v1=&lt;hex&gt;</code>, where the hex is HMAC-SHA256 of <code className="font-mono text-xs">t + &quot;.&quot; + raw body</code> keyed with the secret. Compare in constant time and refuse timestamps older than five minutes.</p>
        <pre className="mt-3 overflow-x-auto rounded-md bg-slate-900 p-4 font-mono text-xs leading-relaxed text-slate-100">{`const [, t, v1] = /^t=(\\d+),v1=([0-9a-f]{64})$/.exec(req.headers['liaison-signature']);
const expected = crypto.createHmac('sha256', secret).update(\`\${t}.\${rawBody}\`).digest('hex');
const ok = crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(v1)) && Date.now() / 1000 - t < 300;`}</pre>
      </section>
    </>
  );
}
