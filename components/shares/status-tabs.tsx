import Link from 'next/link';
import { STATUS_OPTIONS } from './labels';

/** Status filter as tabs: plain links, so the filter is in the URL and works without JavaScript. */
export function StatusTabs({ current, hrefFor }: { current: string; hrefFor: (status: string) => string }) {
  return (
    <nav aria-label="Filter by status">
      <ul role="list" className="flex gap-1 rounded-lg bg-slate-100 p-1">
        {STATUS_OPTIONS.map((o) => {
          const active = o.value === current;
          return (
            <li key={o.value}>
              <Link href={hrefFor(o.value)} aria-current={active ? 'page' : undefined}
                className={`block rounded-md px-3 py-1.5 text-sm font-medium transition-colors ${active ? 'bg-white text-slate-900 shadow-sm ring-1 ring-slate-200' : 'text-slate-600 hover:text-slate-900'}`}>
                {o.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
