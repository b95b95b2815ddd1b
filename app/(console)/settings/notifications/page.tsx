import type { Metadata } from 'next';
import Link from 'next/link';
import { can } from '@/lib/auth/principal';
import { mailDelivery } from '@/lib/mail/messages';
import { getNotificationSettings } from '@/lib/notifications/settings';
import { Icon } from '@/components/ui/icons';
import { PageHeader } from '@/components/ui/page-header';
import { Forbidden } from '@/components/ui/status-page';
import { card } from '@/components/ui/styles';
import { load, LoadError } from '../../_shared/load';
import { consolePrincipal } from '../../_shared/principal';
import { NotificationSettingsForm } from './settings-form';

export const metadata: Metadata = { title: 'Notifications' };

const ALWAYS = [
  ['Verification codes', 'When a guest asks for one to open a share for verified addresses.'],
  ['Invitations', 'When staff invite someone to a share.'],
] as const;

export default async function NotificationsPage() {
  const p = await consolePrincipal();
  if (!can(p, 'admin')) return <Forbidden what="Notification settings are set by administrators." scope="admin" />;
  const res = await load(() => getNotificationSettings(p));
  if (!res.ok) return <LoadError error={res} />;
  const s = res.data;
  const outbox = mailDelivery().mode === 'outbox';

  return (
    <>
      <PageHeader title="Notifications" description={`What Liaison tells people on behalf of ${s.name}, by mail. Webhooks can tell your team's chat as well.`} />
      <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_22rem]">
        <section aria-labelledby="n-title" className={`${card} px-6 pt-4 pb-6`}>
          <h2 id="n-title" className="sr-only">Settings</h2>
          <NotificationSettingsForm settings={{ notifyFirstAccess: s.notifyFirstAccess, reminderDays: s.reminderDays, notifyGuestOnRevoke: s.notifyGuestOnRevoke }} />
        </section>
        <aside className="space-y-6">
          <section aria-labelledby="always-title" className={card}>
            <h2 id="always-title" className="border-b border-slate-200 px-5 py-4 text-sm font-semibold text-slate-900">Always sent</h2>
            <ul className="divide-y divide-slate-100 px-5" role="list">
              {ALWAYS.map(([t, d]) => (
                <li key={t} className="py-3 text-sm"><p className="font-medium text-slate-900">{t}</p><p className="text-slate-500">{d}</p></li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="where-title" className={`${card} p-5 text-sm`}>
            <h2 id="where-title" className="font-semibold text-slate-900">Where mail goes</h2>
            <p className="mt-1 text-slate-600">{outbox ? 'SMTP_URL is not set: mail stays in the development outbox and is not delivered.' : 'Mail is sent through your SMTP server, from a durable queue that retries when it is down.'}</p>
            <div className="mt-3 flex flex-wrap gap-x-4 gap-y-1">
              <Link href="/settings/mail" className="inline-flex items-center gap-1 font-medium text-indigo-700 hover:underline">Mail and branding<Icon name="chevronRight" className="size-4" /></Link>
              <Link href="/settings/webhooks" className="inline-flex items-center gap-1 font-medium text-indigo-700 hover:underline">Webhooks<Icon name="chevronRight" className="size-4" /></Link>
            </div>
          </section>
        </aside>
      </div>
    </>
  );
}
