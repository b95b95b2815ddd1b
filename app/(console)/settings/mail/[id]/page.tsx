import type { Metadata } from 'next';
import Link from 'next/link';
import { can } from '@/lib/auth/principal';
import { getMailMessage } from '@/lib/mail/messages';
import { MailStatusBadge, Recipient } from '@/components/mail/labels';
import { formatDateTime } from '@/components/ui/format';
import { Icon } from '@/components/ui/icons';
import { Notice } from '@/components/ui/notice';
import { PageHeader } from '@/components/ui/page-header';
import { Forbidden } from '@/components/ui/status-page';
import { card } from '@/components/ui/styles';
import { load, LoadError } from '../../../_shared/load';
import { consolePrincipal } from '../../../_shared/principal';
import { pathSegment, requirePageIds } from '../../../_shared/ids';
import { RetryMailButton } from '../retry-button';
import { BodyViewer } from './body-viewer';

export const metadata: Metadata = { title: 'Mail' };

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-[8rem_minmax(0,1fr)] gap-3 py-2.5 text-sm">
      <dt className="text-slate-500">{label}</dt>
      <dd className="min-w-0 break-words text-slate-900">{children}</dd>
    </div>
  );
}

export default async function MailMessagePage({ params }: { params: Promise<{ id: string }> }) {
  const p = await consolePrincipal();
  if (!can(p, 'admin')) return <Forbidden what="Mail is for administrators." scope="admin" />;
  const { id } = await params;
  await requirePageIds(p, 'page /settings/mail/[id]', { mailId: pathSegment(id) });
  const res = await load(() => getMailMessage(p, id));
  if (!res.ok) return <LoadError error={res} />;
  const m = res.data;

  return (
    <>
      <PageHeader
        eyebrow={<Link href="/settings/mail" className="inline-flex items-center gap-1 hover:text-slate-900"><Icon name="chevronLeft" className="size-4" />Mail</Link>}
        title={m.subject}
        actions={m.status === 'FAILED' ? <RetryMailButton id={m.id} to={m.toDisplay} size="md" /> : null}
      />
      <div className="space-y-4">
        {m.status === 'OUTBOX' ? <Notice tone="warning" title="Not delivered — development outbox">SMTP_URL is not set: this mail was kept here and nobody received it. It is shown exactly as it would have been sent.</Notice> : null}
        {m.masked ? <Notice tone="info" title="Codes and links are hidden">This mail carries a code or a personal link that only its recipient may see. They are masked here{m.status === 'SENT' ? ', and the unmasked copy was erased once the mail was sent' : ''}.</Notice> : null}
        {m.toMixedScript ? <Notice tone="warning" title="Possible look-alike domain">The address {m.toDisplay} mixes writing systems or imitates Latin letters. It was sent to <code className="font-mono">{m.to}</code>, which is not the same domain as the one it resembles.</Notice> : null}
      </div>
      <div className="mt-6 grid gap-6 xl:grid-cols-[22rem_minmax(0,1fr)]">
        <section aria-labelledby="meta-title" className={`${card} h-fit`}>
          <h2 id="meta-title" className="border-b border-slate-200 px-5 py-4 text-sm font-semibold text-slate-900">Details</h2>
          <dl className="divide-y divide-slate-100 px-5" data-testid="mail-details">
            <Row label="Status"><MailStatusBadge status={m.status} attempts={m.attempts} /></Row>
            <Row label="To"><Recipient display={m.toDisplay} ascii={m.to} name={m.toName} lookalike={m.toMixedScript} wrap /></Row>
            <Row label="From">{m.fromAddress}</Row>
            <Row label="Template">{m.templateLabel} <code className="ml-1 font-mono text-xs text-slate-500">{m.template}</code></Row>
            <Row label="Created">{formatDateTime(m.createdAt)}</Row>
            <Row label="Sent">{m.sentAt ? formatDateTime(m.sentAt) : <span className="text-slate-400">{m.status === 'OUTBOX' ? 'Not delivered' : '—'}</span>}</Row>
            {m.status !== 'OUTBOX' ? <Row label="Attempts"><span className="tabular">{m.attempts}</span>{m.nextAttemptAt ? <span className="text-slate-500"> · next {formatDateTime(m.nextAttemptAt)}</span> : null}</Row> : null}
            {m.lastError ? <Row label="Last error"><span className="text-red-700">{m.lastError}</span></Row> : null}
            {m.messageId ? <Row label="Message-ID"><code className="font-mono text-xs break-all">{m.messageId}</code></Row> : null}
          </dl>
        </section>
        <section aria-label="Message" className={`${card} min-w-0 overflow-hidden`}>
          <BodyViewer text={m.text} html={m.html} />
        </section>
      </div>
    </>
  );
}
