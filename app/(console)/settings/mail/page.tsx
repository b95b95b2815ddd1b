import type { Metadata } from 'next';
import Link from 'next/link';
import { can } from '@/lib/auth/principal';
import { listMailMessages, mailCounts, mailDelivery } from '@/lib/mail/messages';
import { MAIL_STATUSES, type MailStatus } from '@/lib/mail/status';
import { getNotificationSettings } from '@/lib/notifications/settings';
import { currentOrganization } from '@/lib/orgs/current-org';
import { MAIL_STATUS_TABS, MailStatusBadge, Recipient } from '@/components/mail/labels';
import { EmptyState } from '@/components/ui/empty-state';
import { formatDateTime, relativeTime } from '@/components/ui/format';
import { Icon } from '@/components/ui/icons';
import { Notice } from '@/components/ui/notice';
import { PageHeader } from '@/components/ui/page-header';
import { Pager } from '@/components/ui/pager';
import { Forbidden } from '@/components/ui/status-page';
import { card, cx, td, th } from '@/components/ui/styles';
import { load, LoadError } from '../../_shared/load';
import { consolePrincipal } from '../../_shared/principal';
import { BrandingForm } from './branding-form';
import { RetryMailButton } from './retry-button';

export const metadata: Metadata = { title: 'Mail' };

type Search = Promise<{ status?: string; after?: string }>;

export default async function MailPage({ searchParams }: { searchParams: Search }) {
  const p = await consolePrincipal();
  if (!can(p, 'admin')) return <Forbidden what="Mail and the development outbox are for administrators." scope="admin" />;
  const sp = await searchParams;
  const status = MAIL_STATUSES.includes(sp.status as MailStatus) ? (sp.status as MailStatus) : undefined;
  const delivery = mailDelivery();
  const res = await load(async () => {
    const [page, counts, settings, org] = await Promise.all([
      listMailMessages(p, { first: 25, after: sp.after || undefined, status }), mailCounts(p), getNotificationSettings(p), currentOrganization(p),
    ]);
    return { page, counts, settings, org };
  });
  if (!res.ok) return <LoadError error={res} />;
  const { page, counts, settings, org } = res.data;
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const href = (s: string, after?: string) => {
    const q = new URLSearchParams();
    if (s !== 'ALL') q.set('status', s);
    if (after) q.set('after', after);
    const qs = q.toString();
    return `/settings/mail${qs ? `?${qs}` : ''}`;
  };
  const countOf = (s: string) => (s === 'ALL' ? total : counts[s as MailStatus] ?? 0);

  return (
    <>
      <PageHeader title="Mail" description="Everything Liaison sends on your organisation's behalf: verification codes, invitations, first-access notices, expiry reminders and revocation notices." />

      {delivery.mode === 'outbox' ? (
        <div className="mb-6 flex gap-4 rounded-lg bg-amber-50 px-5 py-4 ring-1 ring-amber-300 ring-inset" role="status" data-testid="outbox-banner">
          <span className="flex size-9 shrink-0 items-center justify-center rounded-full bg-amber-100 text-amber-700"><Icon name="alert" className="size-5" /></span>
          <div className="text-sm text-amber-900">
            <p className="font-semibold">Not delivered — development outbox</p>
            <p className="mt-0.5">SMTP_URL is not set, so mail is kept here and <strong>nobody receives it</strong>. Read codes and invitations below while testing. To send mail, set <code className="rounded bg-amber-100 px-1 font-mono text-xs">SMTP_URL</code> (smtp:// or smtps://, with credentials) and restart.</p>
          </div>
        </div>
      ) : (
        <div className={`${card} mb-6 flex flex-wrap items-center gap-x-8 gap-y-2 px-5 py-4 text-sm`} data-testid="smtp-banner">
          <span className="flex items-center gap-2 font-medium text-slate-900"><span className="size-2 rounded-full bg-emerald-500" aria-hidden="true" />Sending through SMTP</span>
          <span className="text-slate-600">Server <code className="font-mono text-xs text-slate-800">{delivery.server}</code></span>
          <span className="min-w-0 truncate text-slate-600">From <span className="text-slate-800">{delivery.from}</span></span>
          <span className="text-slate-600">Retries with backoff for about 3 hours, then marks the mail failed.</span>
        </div>
      )}

      {delivery.mode === 'smtp' && counts.FAILED ? <Notice tone="warning" className="mb-6" title={`${counts.FAILED} failed ${counts.FAILED === 1 ? 'mail' : 'mails'}`}>Failed mail is not tried again by itself. Fix the cause (the error says it), then use “Retry now”.</Notice> : null}

      <section aria-labelledby="queue-title" className={card}>
        <div className="flex flex-col gap-3 border-b border-slate-200 px-5 py-4 lg:flex-row lg:items-center lg:justify-between">
          <h2 id="queue-title" className="text-sm font-semibold text-slate-900">{delivery.mode === 'outbox' ? 'Outbox' : 'Queue'}</h2>
          <nav aria-label="Filter by status">
            <ul role="list" className="flex flex-wrap gap-1 rounded-lg bg-slate-100 p-1">
              {MAIL_STATUS_TABS.map((t) => {
                const active = (status ?? 'ALL') === t.value;
                return (
                  <li key={t.value}>
                    <Link href={href(t.value)} aria-current={active ? 'page' : undefined}
                      className={`flex items-center gap-1.5 rounded-md px-3 py-1.5 text-sm font-medium transition-colors ${active ? 'bg-white text-slate-900 shadow-sm ring-1 ring-slate-200' : 'text-slate-600 hover:text-slate-900'}`}>
                      {t.label}<span className={`tabular rounded px-1.5 text-xs ${active ? 'bg-slate-100 text-slate-700' : 'text-slate-500'}`}>{countOf(t.value)}</span>
                    </Link>
                  </li>
                );
              })}
            </ul>
          </nav>
        </div>
        {page.nodes.length === 0 ? (
          <EmptyState icon="mail" title={status ? 'No mail with this status' : 'No mail yet'}>
            {status ? 'Choose another filter to see the rest.' : 'Codes, invitations and notifications will appear here as Liaison sends them.'}
          </EmptyState>
        ) : (
          <div className="overflow-x-auto">
            <table className="min-w-full border-separate border-spacing-0" data-testid="mail-table">
              <thead>
                <tr>
                  <th scope="col" className={th}>To</th>
                  <th scope="col" className={th}>Message</th>
                  <th scope="col" className={th}>Status</th>
                  <th scope="col" className={cx(th, 'text-right')}>Attempts</th>
                  <th scope="col" className={th}>When</th>
                  <th scope="col" className={th}><span className="sr-only">Actions</span></th>
                </tr>
              </thead>
              <tbody className="[&>tr:last-child>td]:border-b-0">
                {page.nodes.map((m) => (
                  <tr key={m.id} className="hover:bg-slate-50/80">
                    <td className={cx(td, 'max-w-[15rem] border-b border-slate-100')}><Recipient display={m.toDisplay} ascii={m.to} name={m.toName} lookalike={m.toMixedScript} /></td>
                    <td className={cx(td, 'max-w-[24rem] border-b border-slate-100')}>
                      <Link href={`/settings/mail/${m.id}`} className="block truncate font-medium text-slate-900 hover:text-indigo-700 hover:underline" title={m.subject}>{m.subject}</Link>
                      <span className="block text-xs text-slate-500">{m.templateLabel}</span>
                      {m.lastError && m.status !== 'SENT' ? <span className="mt-1 block truncate text-xs text-red-700" title={m.lastError}>{m.lastError}</span> : null}
                    </td>
                    <td className={cx(td, 'border-b border-slate-100 whitespace-nowrap')}>
                      <MailStatusBadge status={m.status} attempts={m.attempts} />
                      {m.status === 'QUEUED' && m.attempts > 0 && m.nextAttemptAt ? <span className="mt-1 block text-xs text-slate-500">next {formatDateTime(m.nextAttemptAt).slice(11)}</span> : null}
                    </td>
                    <td className={cx(td, 'tabular border-b border-slate-100 text-right')}>{m.status === 'OUTBOX' ? <span className="text-slate-400">—</span> : m.attempts}</td>
                    <td className={cx(td, 'border-b border-slate-100 whitespace-nowrap')}>
                      <span className="block" title={formatDateTime(m.createdAt)}>Created {relativeTime(m.createdAt)}</span>
                      <span className="block text-xs text-slate-500">{m.sentAt ? <span title={formatDateTime(m.sentAt)}>Sent {relativeTime(m.sentAt)}</span> : m.status === 'OUTBOX' ? 'Not delivered' : m.status === 'FAILED' ? 'Not sent' : 'Not sent yet'}</span>
                    </td>
                    <td className={cx(td, 'border-b border-slate-100 text-right whitespace-nowrap')}>
                      {m.status === 'FAILED' ? <RetryMailButton id={m.id} to={m.toDisplay} /> : <Link href={`/settings/mail/${m.id}`} className="text-sm font-medium text-indigo-700 hover:underline">View<span className="sr-only"> mail to {m.toDisplay}</span></Link>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {page.nodes.length ? (
          <Pager prevHref={sp.after ? href(status ?? 'ALL') : null} prevLabel="Newest" nextHref={page.hasNextPage && page.endCursor ? href(status ?? 'ALL', page.endCursor) : null} nextLabel="Older"
            summary={<>{page.nodes.length} shown · {countOf(status ?? 'ALL')} in all</>} />
        ) : null}
      </section>

      <section aria-labelledby="brand-title" className={`${card} mt-8 p-6`}>
        <h2 id="brand-title" className="text-sm font-semibold text-slate-900">Branding</h2>
        <p className="mt-1 mb-5 text-sm text-slate-500">Mail goes out as “{org.name} via Liaison”, with your colours. Text and HTML parts say the same thing; every value from staff or guests is escaped.</p>
        <BrandingForm orgName={org.name} brandColor={settings.brandColor} accentColor={settings.accentColor} />
      </section>
    </>
  );
}
