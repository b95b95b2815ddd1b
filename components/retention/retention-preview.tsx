import Link from 'next/link';
import type { RetentionPlan } from '@/lib/retention/plan';
import { EmptyState } from '@/components/ui/empty-state';
import { formatBytes, formatDateTime } from '@/components/ui/format';
import { Notice } from '@/components/ui/notice';
import { TlpBadge } from '@/components/ui/tlp-badge';
import { cx, td, th } from '@/components/ui/styles';

const day = (d: Date) => formatDateTime(d).slice(0, 10);
const n = (count: number, one: string) => `${count} ${one}${count === 1 ? '' : 's'}`;
const cell = cx(td, 'border-b border-slate-100');

function Group({ id, title, count, note, children }: { id: string; title: string; count: number; note: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="border-b border-slate-200 last:border-b-0">
      <div className="flex items-baseline justify-between gap-4 px-5 pt-4 pb-2">
        <h3 id={id} className="text-sm font-semibold text-slate-900">{title} <span className="tabular ml-1 rounded bg-slate-100 px-1.5 text-xs font-medium text-slate-700">{count}</span></h3>
        <p className="text-xs text-slate-500">{note}</p>
      </div>
      {count ? <div className="overflow-x-auto">{children}</div> : <p className="px-5 pb-4 text-sm text-slate-500">None.</p>}
    </section>
  );
}

/** A dry run's result: every object the next run would purge or anonymise, and what it holds back. */
export function RetentionPreview({ plan }: { plan: RetentionPlan }) {
  const total = plan.documents.length + plan.shares.length + plan.guests.length + plan.sessions.length;
  return (
    <div data-testid="retention-preview">
      <div className="space-y-3 px-5 pt-4">
        {!plan.policy.enabled ? <Notice tone="warning" title="The policy is off">Automatic runs are off: this is what a run would do if it were on.</Notice> : null}
        {plan.truncated ? <Notice tone="info" title="More than one run's worth">A run handles up to 500 objects of each kind; the following runs continue.</Notice> : null}
        <p className="text-sm text-slate-600" role="status">Dry run at {formatDateTime(plan.at)}: {total === 0 ? 'nothing is due.' : `${n(plan.documents.length, 'document')} and ${n(plan.shares.length, 'share')} would be purged, ${n(plan.guests.length, 'guest')} and ${n(plan.sessions.length, 'session')} anonymised.`}</p>
      </div>
      {total === 0 && !plan.heldDocuments.length ? <EmptyState icon="check" title="Nothing is past its retention period">Documents, shares and guests are all inside the periods of the saved policy.</EmptyState> : (
        <div className="mt-2">
          <Group id="pv-docs" title="Documents to purge" count={plan.documents.length} note="Rows, versions and encrypted files are deleted">
            <table className="min-w-full border-separate border-spacing-0">
              <thead><tr><th scope="col" className={cx(th, 'static')}>Document</th><th scope="col" className={cx(th, 'static')}>Marking</th><th scope="col" className={cx(th, 'static')}>Last upload</th><th scope="col" className={cx(th, 'static text-right')}>Versions</th><th scope="col" className={cx(th, 'static text-right')}>Size</th><th scope="col" className={cx(th, 'static text-right')}>Period</th></tr></thead>
              <tbody>{plan.documents.map((d) => (
                <tr key={d.id}><td className={cell}><Link href={`/documents/${d.id}`} className="font-medium text-slate-900 hover:text-indigo-700 hover:underline">{d.title}</Link></td><td className={cell}><TlpBadge tlp={d.tlp} /></td><td className={cell}>{day(d.lastUploadAt)}</td><td className={cx(cell, 'tabular text-right')}>{d.versions}</td><td className={cx(cell, 'tabular text-right')}>{formatBytes(d.bytes)}</td><td className={cx(cell, 'tabular text-right')}>{d.days} days</td></tr>
              ))}</tbody>
            </table>
          </Group>
          {plan.heldDocuments.length ? (
            <Group id="pv-held" title="Documents held back" count={plan.heldDocuments.length} note="Past their period, but still exposed">
              <table className="min-w-full border-separate border-spacing-0">
                <thead><tr><th scope="col" className={cx(th, 'static')}>Document</th><th scope="col" className={cx(th, 'static')}>Marking</th><th scope="col" className={cx(th, 'static')}>Last upload</th><th scope="col" className={cx(th, 'static')}>Why it stays</th></tr></thead>
                <tbody>{plan.heldDocuments.map((d) => (
                  <tr key={d.id}><td className={cell}><Link href={`/documents/${d.id}`} className="font-medium text-slate-900 hover:text-indigo-700 hover:underline">{d.title}</Link></td><td className={cell}><TlpBadge tlp={d.tlp} /></td><td className={cell}>{day(d.lastUploadAt)}</td><td className={cell}>{d.reason === 'in_active_share' ? 'In an active share' : 'Listed in a portal'}</td></tr>
                ))}</tbody>
              </table>
            </Group>
          ) : null}
          <Group id="pv-shares" title="Ended shares to purge" count={plan.shares.length} note="With their sessions, recipients and invitations">
            <table className="min-w-full border-separate border-spacing-0">
              <thead><tr><th scope="col" className={cx(th, 'static')}>Share</th><th scope="col" className={cx(th, 'static')}>Marking</th><th scope="col" className={cx(th, 'static')}>Ended</th><th scope="col" className={cx(th, 'static text-right')}>Period</th></tr></thead>
              <tbody>{plan.shares.map((s) => (
                <tr key={s.id}><td className={cell}><Link href={`/shares/${s.id}`} className="font-medium text-slate-900 hover:text-indigo-700 hover:underline">{s.title}</Link></td><td className={cell}><TlpBadge tlp={s.tlp} /></td><td className={cell}>{s.state === 'REVOKED' ? 'Revoked' : 'Expired'} {day(s.endedAt)}</td><td className={cx(cell, 'tabular text-right')}>{s.days} days</td></tr>
              ))}</tbody>
            </table>
          </Group>
          <Group id="pv-guests" title="Guests to anonymise" count={plan.guests.length} note="Replaced by a pseudonym and disabled">
            <table className="min-w-full border-separate border-spacing-0">
              <thead><tr><th scope="col" className={cx(th, 'static')}>Guest</th><th scope="col" className={cx(th, 'static')}>Kind</th><th scope="col" className={cx(th, 'static')}>Last activity</th></tr></thead>
              <tbody>{plan.guests.map((g) => (
                <tr key={g.id}><td className={cell}><Link href={`/guests/${g.id}`} className="font-medium text-slate-900 hover:text-indigo-700 hover:underline">{g.label}</Link></td><td className={cell}>{g.kind.replace('_', ' ').toLowerCase()}</td><td className={cell}>{day(g.lastActivityAt)}</td></tr>
              ))}</tbody>
            </table>
          </Group>
          <Group id="pv-sessions" title="Guest sessions to anonymise" count={plan.sessions.length} note="IP address and browser replaced">
            <p className="px-5 pb-4 text-sm text-slate-600">{plan.sessions.length} session{plan.sessions.length === 1 ? '' : 's'} last used before {day(new Date(plan.at.getTime() - (plan.policy.sessionDays ?? 0) * 86_400_000))}.</p>
          </Group>
        </div>
      )}
    </div>
  );
}
