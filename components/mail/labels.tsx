import { Badge } from '../ui/badge';
import { Icon } from '../ui/icons';

const MAIL_STATUS: Record<string, { tone: 'slate' | 'green' | 'red' | 'amber' | 'indigo' | 'blue'; label: string; title: string }> = {
  QUEUED: { tone: 'blue', label: 'Queued', title: 'Waiting to be sent, or to be tried again' },
  SENDING: { tone: 'indigo', label: 'Sending', title: 'A worker is sending it now' },
  SENT: { tone: 'green', label: 'Sent', title: 'Accepted by the SMTP server' },
  FAILED: { tone: 'red', label: 'Failed', title: 'Not delivered; no more attempts will be made unless retried' },
  OUTBOX: { tone: 'amber', label: 'Not delivered', title: 'Development outbox: SMTP_URL is not set, nobody received this' },
};

export function MailStatusBadge({ status, attempts = 0 }: { status: string; attempts?: number }) {
  if (status === 'QUEUED' && attempts > 0) return <Badge tone="amber" title="The last attempt failed; it will be tried again">Retrying</Badge>;
  const s = MAIL_STATUS[status] ?? { tone: 'slate' as const, label: status, title: '' };
  return <Badge tone={s.tone} title={s.title}>{s.label}</Badge>;
}

export const MAIL_STATUS_TABS = [
  { value: 'ALL', label: 'All' },
  { value: 'QUEUED', label: 'Queued' },
  { value: 'SENT', label: 'Sent' },
  { value: 'FAILED', label: 'Failed' },
  { value: 'OUTBOX', label: 'Outbox' },
] as const;

/** A recipient as people read it, with the punycode form and a warning when the domain is a possible look-alike. */
export function Recipient({ display, ascii, name, lookalike, wrap = false }: { display: string; ascii: string; name?: string | null; lookalike: boolean; wrap?: boolean }) {
  const fit = wrap ? 'break-words' : 'truncate';
  return (
    <span className="block min-w-0">
      {name ? <span className={`block ${fit} font-medium text-slate-900`} title={name}>{name}</span> : null}
      <span className={`block ${fit} ${name ? 'text-xs text-slate-500' : 'font-medium text-slate-900'}`} title={ascii}>{display}</span>
      {lookalike ? (
        <>
          <span className="mt-1 inline-flex items-center gap-1 rounded bg-amber-50 px-1.5 py-0.5 text-[11px] font-medium whitespace-nowrap text-amber-800 ring-1 ring-amber-600/25 ring-inset" title={`The domain mixes writing systems or imitates Latin letters. Sent to ${ascii}.`}>
            <Icon name="alert" className="size-3" />Look-alike domain
          </span>
          <span className="block truncate font-mono text-[11px] text-amber-800" title="The domain as sent">{ascii.split('@')[1]}</span>
        </>
      ) : display !== ascii ? <span className="block truncate font-mono text-[11px] text-slate-400" title="Internationalised domain, as sent">{ascii}</span> : null}
    </span>
  );
}

const DELIVERY: Record<string, { tone: 'slate' | 'green' | 'red' | 'amber' | 'indigo' | 'blue'; label: string }> = {
  PENDING: { tone: 'blue', label: 'Queued' },
  RUNNING: { tone: 'indigo', label: 'Sending' },
  DONE: { tone: 'green', label: 'Delivered' },
  FAILED: { tone: 'red', label: 'Failed' },
};

export function DeliveryBadge({ status, attempts }: { status: string; attempts: number }) {
  const d = DELIVERY[status] ?? { tone: 'slate' as const, label: status };
  const retrying = status === 'PENDING' && attempts > 0;
  return <Badge tone={retrying ? 'amber' : d.tone}>{retrying ? 'Retrying' : d.label}</Badge>;
}
