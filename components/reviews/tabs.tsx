import Link from 'next/link';
import { Icon, type IconName } from '../ui/icons';

const TABS: { id: 'grants' | 'campaigns' | 'explain'; href: string; label: string; icon: IconName }[] = [
  { id: 'grants', href: '/reviews', label: 'Active grants', icon: 'shieldCheck' },
  { id: 'campaigns', href: '/reviews/campaigns', label: 'Campaigns', icon: 'list' },
  { id: 'explain', href: '/reviews/explain', label: 'Why can this guest see this?', icon: 'info' },
];

/** The access-review section's tabs. */
export function ReviewTabs({ current, grantsVisible = true }: { current: (typeof TABS)[number]['id']; grantsVisible?: boolean }) {
  return (
    <nav aria-label="Access reviews" className="mb-6 border-b border-slate-200">
      <ul role="list" className="-mb-px flex gap-6 overflow-x-auto">
        {TABS.filter((t) => grantsVisible || t.id === 'campaigns').map((t) => (
          <li key={t.id}>
            <Link href={t.href} aria-current={t.id === current ? 'page' : undefined}
              className={`flex items-center gap-2 border-b-2 px-1 pb-3 text-sm font-medium whitespace-nowrap ${t.id === current ? 'border-indigo-600 text-indigo-700' : 'border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900'}`}>
              <Icon name={t.icon} className="size-4" />{t.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
