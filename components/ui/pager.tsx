import Link from 'next/link';
import { Icon } from './icons';
import { button } from './styles';

/** Previous / next links for cursor pagination; disabled ends render as inert text, not dead links. */
export function Pager({ prevHref, nextHref, summary, prevLabel = 'Previous', nextLabel = 'Next' }: { prevHref: string | null; nextHref: string | null; summary?: React.ReactNode; prevLabel?: string; nextLabel?: string }) {
  const off = `${button('secondary', 'sm')} pointer-events-none opacity-50`;
  return (
    <nav aria-label="Pagination" className="flex items-center justify-between gap-4 border-t border-slate-200 px-4 py-3">
      <p className="text-sm text-slate-500">{summary}</p>
      <div className="flex gap-2">
        {prevHref ? <Link href={prevHref} className={button('secondary', 'sm')} rel="prev"><Icon name="chevronLeft" className="size-4" />{prevLabel}</Link>
          : <span className={off} aria-disabled="true"><Icon name="chevronLeft" className="size-4" />{prevLabel}</span>}
        {nextHref ? <Link href={nextHref} className={button('secondary', 'sm')} rel="next">{nextLabel}<Icon name="chevronRight" className="size-4" /></Link>
          : <span className={off} aria-disabled="true">{nextLabel}<Icon name="chevronRight" className="size-4" /></span>}
      </div>
    </nav>
  );
}
