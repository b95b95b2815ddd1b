import { headers } from 'next/headers';
import Link from 'next/link';
import { can } from '@/lib/auth/principal';
import { isDatabaseDown } from '@/lib/errors';
import { currentOrganization } from '@/lib/orgs/current-org';
import { DatabaseUnavailable } from '@/components/database-unavailable';
import { SidebarNav, TopNav, type NavItem } from '@/components/shell/nav-links';
import { SignOutButton } from '@/components/shell/sign-out-button';
import { Icon } from '@/components/ui/icons';
import { ROLE_LABELS } from '@/components/ui/format';
import { CONSOLE_URL_HEADER } from '@/lib/http/console-url';
import { consoleUrlIds, requirePageIds } from './_shared/ids';
import { consolePrincipal } from './_shared/principal';
import { ChooseOwnPassword } from './settings/account/choose-own-password';

export const dynamic = 'force-dynamic';

function initials(name: string, email: string) {
  const parts = (name || email).split(/[\s@._-]+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '') + (parts[1]?.[0] ?? '')).toUpperCase() || '?';
}

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  let p, org;
  try {
    p = await consolePrincipal();
    org = await currentOrganization(p);
  } catch (e) {
    // error.tsx would only get a digest; the outage is recognised here, where the error is whole.
    if (isDatabaseDown(e)) return <DatabaseUnavailable fullPage />;
    throw e;
  }
  // Ids in the URL are checked here, before anything streams, so a malformed one is a real 404.
  const url = consoleUrlIds((await headers()).get(CONSOLE_URL_HEADER) ?? '/');
  if (url) await requirePageIds(p, url.where, url.ids);

  const workspace: NavItem[] = [
    { href: '/', label: 'Dashboard', icon: 'home' },
    ...(can(p, 'documents:read') ? [{ href: '/documents', label: 'Documents', icon: 'file' } as const] : []),
    ...(can(p, 'shares:read') ? [{ href: '/shares', label: 'Shares', icon: 'share' } as const, { href: '/terms', label: 'Terms of use', icon: 'list' } as const] : []),
    ...(can(p, 'portals:read') ? [{ href: '/portals', label: 'Portals', icon: 'globe' } as const] : []),
    ...(can(p, 'shares:read') || can(p, 'audit:read') ? [{ href: '/guests', label: 'Guests', icon: 'userCheck' } as const] : []),
    ...(can(p, 'admin') || can(p, 'audit:read') ? [{ href: '/approvals', label: 'Approvals', icon: 'shieldCheck' } as const] : []),
    ...(can(p, 'audit:read') ? [{ href: '/audit', label: 'Audit trail', icon: 'history' } as const, { href: '/trace', label: 'Trace a leak', icon: 'search' } as const] : []),
    ...(can(p, 'audit:read') ? [{ href: '/alerts', label: 'Alerts', icon: 'alert' } as const] : []),
    ...(can(p, 'audit:read') ? [{ href: '/criminal-intelligence', label: 'Criminal intelligence', icon: 'shieldAlert' } as const] : []),
    // Everyone may have items to decide in a review; admins and auditors also see every grant.
    { href: can(p, 'admin') || can(p, 'audit:read') ? '/reviews' : '/reviews/campaigns', label: 'Access reviews', icon: 'eye' } as const,
  ];
  const settings: NavItem[] = [
    ...(can(p, 'admin') ? [
      { href: '/settings/staff', label: 'Staff', icon: 'users' } as const,
      { href: '/settings/sessions', label: 'Sessions', icon: 'monitor' } as const,
      { href: '/settings/api-keys', label: 'API keys', icon: 'key' } as const,
      { href: '/settings/sharing', label: 'Sharing policy', icon: 'clock' } as const,
      { href: '/settings/notifications', label: 'Notifications', icon: 'bell' } as const,
      { href: '/settings/mail', label: 'Mail', icon: 'mail' } as const,
      { href: '/settings/webhooks', label: 'Webhooks', icon: 'webhook' } as const,
      { href: '/settings/partners', label: 'Partner organisations', icon: 'link' } as const,
      { href: '/settings/sign-in', label: 'Sign-in', icon: 'shield' } as const,
      { href: '/settings/retention', label: 'Retention', icon: 'archive' } as const,
      { href: '/settings/alerts', label: 'Alert rules', icon: 'bell' } as const,
    ] : []),
    ...(p.kind === 'staff' ? [{ href: '/settings/account', label: 'Your account', icon: 'lock' } as const] : []),
  ];
  const nav = [...workspace, ...settings];
  // A one-time password from an administrator opens nothing until its owner chooses their own.
  const content = p.kind === 'staff' && p.mustChangePassword ? <ChooseOwnPassword /> : children;
  const name = p.name;
  const email = p.kind === 'staff' ? p.email : p.prefix;
  const role = p.kind === 'staff' ? ROLE_LABELS[p.role] ?? p.role : 'API key';

  return (
    <div className="min-h-screen">
      <a href="#main" className="sr-only z-50 rounded-md bg-white px-3 py-2 text-sm font-medium text-indigo-700 shadow focus:not-sr-only focus:fixed focus:top-3 focus:left-3">Skip to content</a>


      <header className="sticky top-0 z-30 bg-slate-900 lg:hidden">
        <div className="flex h-14 items-center justify-between px-4">
          <Link href="/" className="flex items-center gap-2 text-white">
            <span className="flex size-7 items-center justify-center rounded-md bg-indigo-500"><Icon name="shield" className="size-4" /></span>
            <span className="font-semibold tracking-tight">Liaison</span>
          </Link>
          <div className="flex items-center gap-2 text-xs text-slate-300">
            <span className="max-w-[10rem] truncate">{name} · {role}</span>
            <SignOutButton compact />
          </div>
        </div>
        <nav className="px-2 pb-2" aria-label="Main"><TopNav items={nav} /></nav>
      </header>

      <div className="lg:flex lg:min-h-screen">
      <aside className="hidden w-60 shrink-0 bg-slate-900 lg:block" aria-label="Console">
        <div className="sticky top-0 flex h-screen flex-col">
        <div className="flex h-16 items-center gap-2.5 px-5">
          <span className="flex size-8 items-center justify-center rounded-lg bg-indigo-500 text-white shadow-sm ring-1 ring-white/20"><Icon name="shield" className="size-[18px]" /></span>
          <div className="min-w-0 leading-tight">
            <Link href="/" className="block text-[15px] font-semibold tracking-tight text-white">Liaison</Link>
            {org ? <p className="truncate text-xs text-slate-400" title={org.name}>{org.name}</p> : null}
          </div>
        </div>
        <nav className="flex-1 overflow-y-auto px-3 py-4" aria-label="Main">
          <p className="px-3 pb-2 text-[11px] font-semibold tracking-wider text-slate-500 uppercase">Workspace</p>
          <SidebarNav items={workspace} />
          {settings.length ? (
            <>
              <p className="px-3 pt-6 pb-2 text-[11px] font-semibold tracking-wider text-slate-500 uppercase">Settings</p>
              <SidebarNav items={settings} />
            </>
          ) : null}
        </nav>
        <div className="border-t border-white/10 p-3">
          <div className="flex items-center gap-3 px-2 py-2">
            <span className="flex size-9 shrink-0 items-center justify-center rounded-full bg-indigo-500/20 text-sm font-semibold text-indigo-200 ring-1 ring-indigo-400/30" aria-hidden="true">{initials(name, email)}</span>
            <div className="min-w-0">
              <p className="truncate text-sm font-medium text-white" data-testid="current-user">{name}</p>
              <p className="truncate text-xs text-slate-400" title={email}>{role} · {email}</p>
            </div>
          </div>
          <SignOutButton />
        </div>
        </div>
      </aside>
        <main id="main" className="mx-auto w-full max-w-[88rem] min-w-0 flex-1 px-4 py-8 sm:px-6 lg:px-8">{content}</main>
      </div>
    </div>
  );
}
