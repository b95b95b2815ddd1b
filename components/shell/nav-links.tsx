'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { Icon, type IconName } from '../ui/icons';

export interface NavItem { href: string; label: string; icon: IconName }

const isActive = (path: string, href: string) => (href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`));

export function SidebarNav({ items }: { items: NavItem[] }) {
  const path = usePathname();
  return (
    <ul role="list" className="space-y-1">
      {items.map((it) => {
        const active = isActive(path, it.href);
        return (
          <li key={it.href}>
            <Link
              href={it.href}
              aria-current={active ? 'page' : undefined}
              className={`group flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium transition-colors focus-visible:outline-indigo-400 ${active ? 'bg-white/10 text-white' : 'text-slate-300 hover:bg-white/5 hover:text-white'}`}
            >
              <Icon name={it.icon} className={`size-[18px] shrink-0 ${active ? 'text-indigo-300' : 'text-slate-400 group-hover:text-slate-200'}`} />
              {it.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}

export function TopNav({ items }: { items: NavItem[] }) {
  const path = usePathname();
  return (
    <ul role="list" className="flex gap-1 overflow-x-auto">
      {items.map((it) => {
        const active = isActive(path, it.href);
        return (
          <li key={it.href}>
            <Link href={it.href} aria-current={active ? 'page' : undefined}
              className={`flex items-center gap-2 rounded-md px-3 py-1.5 text-sm font-medium whitespace-nowrap ${active ? 'bg-white/10 text-white' : 'text-slate-300 hover:text-white'}`}>
              <Icon name={it.icon} className="size-4" />
              {it.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
