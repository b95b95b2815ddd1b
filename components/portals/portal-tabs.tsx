'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { Icon, type IconName } from '../ui/icons';

const TABS: { slug: string; label: string; icon: IconName }[] = [
  { slug: '', label: 'Overview & branding', icon: 'palette' },
  { slug: 'sections', label: 'Sections', icon: 'folder' },
  { slug: 'access', label: 'Access', icon: 'userCheck' },
  { slug: 'domains', label: 'Domains', icon: 'globe' },
  { slug: 'analytics', label: 'Analytics', icon: 'barChart' },
  { slug: 'preview', label: 'Preview', icon: 'eye' },
];

/** The portal's pages as links; the current one carries aria-current="page". */
export function PortalTabs({ portalId }: { portalId: string }) {
  const path = usePathname();
  const base = `/portals/${portalId}`;
  return (
    <nav aria-label="Portal" className="-mb-px overflow-x-auto">
      <ul role="list" className="flex gap-1">
        {TABS.map((t) => {
          const href = t.slug ? `${base}/${t.slug}` : base;
          const active = t.slug ? path === href || path.startsWith(`${href}/`) : path === base;
          return (
            <li key={t.slug || 'overview'}>
              <Link href={href} aria-current={active ? 'page' : undefined}
                className={`flex items-center gap-2 border-b-2 px-3 py-2.5 text-sm font-medium whitespace-nowrap transition-colors focus-visible:outline-offset-[-2px] ${active ? 'border-indigo-600 text-indigo-700' : 'border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900'}`}>
                <Icon name={t.icon} className="size-4" />{t.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
