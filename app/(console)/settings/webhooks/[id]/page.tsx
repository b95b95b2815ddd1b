import type { Metadata } from 'next';
import Link from 'next/link';
import { can } from '@/lib/auth/principal';
import { listDeliveries } from '@/lib/webhooks/service';
import { DeliveryBadge } from '@/components/mail/labels';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { formatDateTime, relativeTime } from '@/components/ui/format';
import { Icon } from '@/components/ui/icons';
import { PageHeader } from '@/components/ui/page-header';
import { Pager } from '@/components/ui/pager';
import { Forbidden } from '@/components/ui/status-page';
import { card, cx, td, th } from '@/components/ui/styles';
import { load, LoadError } from '../../../_shared/load';
import { consolePrincipal } from '../../../_shared/principal';
import { pathSegment, queryValue, requirePageIds } from '../../../_shared/ids';
import { WebhookActions } from '../row-actions';

export const metadata: Metadata = { title: 'Webhook deliveries' };

const FORMAT_LABELS: Record<string, string> = { JSON: 'JSON, signed', SLACK: 'Slack', TEAMS: 'Microsoft Teams' };

export default async function WebhookPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ after?: string }> }) {
  const p = await consolePrincipal();
  if (!can(p, 'admin')) return <Forbidden what="Webhooks are managed by administrators." scope="admin" />;
  const { id } = await params;
  const after = queryValue((await searchParams).after);
  await requirePageIds(p, 'page /settings/webhooks/[id]', { webhookId: pathSegment(id), ...(after ? { cursor: after } : {}) });
  const res = await load(() => listDeliveries(p, id, { first: 25, after }));
  if (!res.ok) return <LoadError error={res} />;
  const { webhook: w, nodes, hasNextPage, endCursor } = res.data;

  return (
    <>
      <PageHeader
        eyebrow={<Link href="/settings/webhooks" className="inline-flex items-center gap-1 hover:text-slate-900"><Icon name="chevronLeft" className="size-4" />Webhooks</Link>}
        title={<span className="font-mono text-xl break-all">{w.url}</span>}
        description={<span className="flex flex-wrap items-center gap-2">{w.enabled ? <Badge tone="green">Enabled</Badge> : <Badge tone="slate">Disabled</Badge>}<Badge tone="slate">{FORMAT_LABELS[w.format]}</Badge>{w.events.map((e) => <Badge key={e} tone="indigo"><span className="font-mono">{e}</span></Badge>)}</span>}
        actions={<WebhookActions id={w.id} url={w.url} enabled={w.enabled} afterDelete="/settings/webhooks" />}
      />
      <section aria-labelledby="d-title" className={card}>
        <div className="border-b border-slate-200 px-5 py-4"><h2 id="d-title" className="text-sm font-semibold text-slate-900">Deliveries</h2></div>
        {nodes.length === 0 ? <EmptyState icon="send" title="No deliveries yet">Events this webhook subscribes to, and test events, appear here.</EmptyState> : (
          <div className="overflow-x-auto">
            <table className="min-w-full border-separate border-spacing-0" data-testid="deliveries-table">
              <thead><tr>
                <th scope="col" className={th}>Event</th>
                <th scope="col" className={th}>Status</th>
                <th scope="col" className={cx(th, 'text-right')}>Attempts</th>
                <th scope="col" className={th}>Answer</th>
                <th scope="col" className={th}>Queued</th>
                <th scope="col" className={th}>Delivered</th>
              </tr></thead>
              <tbody className="[&>tr:last-child>td]:border-b-0">
                {nodes.map((d) => (
                  <tr key={d.id} className="hover:bg-slate-50/80">
                    <td className={cx(td, 'border-b border-slate-100')}><span className="font-mono text-[13px] text-slate-900">{d.eventType}</span><span className="block font-mono text-[11px] text-slate-400">{d.eventId}</span></td>
                    <td className={cx(td, 'border-b border-slate-100 whitespace-nowrap')}><DeliveryBadge status={d.job.status} attempts={d.job.attempts} />{d.job.status === 'PENDING' && d.job.attempts > 0 ? <span className="mt-1 block text-xs text-slate-500">next {formatDateTime(d.job.nextAttemptAt).slice(11)}</span> : null}</td>
                    <td className={cx(td, 'tabular border-b border-slate-100 text-right')}>{d.job.attempts}</td>
                    <td className={cx(td, 'max-w-[22rem] border-b border-slate-100')}>
                      {d.responseStatus ? <span className="font-mono text-xs text-slate-700">HTTP {d.responseStatus}{d.durationMs !== null ? ` · ${d.durationMs} ms` : ''}</span> : null}
                      {d.job.lastError && d.job.status !== 'DONE' ? <span className="block truncate text-xs text-red-700" title={d.job.lastError}>{d.job.lastError}</span> : null}
                      {!d.responseStatus && !d.job.lastError ? <span className="text-slate-400">—</span> : null}
                    </td>
                    <td className={cx(td, 'border-b border-slate-100 whitespace-nowrap')} title={formatDateTime(d.createdAt)}>{relativeTime(d.createdAt)}</td>
                    <td className={cx(td, 'border-b border-slate-100 whitespace-nowrap')}>{d.deliveredAt ? formatDateTime(d.deliveredAt) : <span className="text-slate-400">—</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {nodes.length ? <Pager prevHref={after ? `/settings/webhooks/${w.id}` : null} prevLabel="Newest" nextHref={hasNextPage && endCursor ? `/settings/webhooks/${w.id}?after=${endCursor}` : null} nextLabel="Older" summary={`${nodes.length} shown`} /> : null}
      </section>
    </>
  );
}
