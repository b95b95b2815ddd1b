import Link from 'next/link';
import { button, input, label } from '../../ui/styles';

const PRESETS = [{ value: '7d', label: '7 days' }, { value: '30d', label: '30 days' }, { value: '90d', label: '90 days' }, { value: 'custom', label: 'Custom' }] as const;

/**
 * The range as links and a plain GET form: the range lives in the URL (shareable, back button, works
 * without JavaScript), and the export link carries the same query.
 */
export function RangePicker({ basePath, current, fromDay, toDay, extra }: { basePath: string; current: string; fromDay: string; toDay: string; extra?: React.ReactNode }) {
  return (
    <div className="flex shrink-0 flex-col items-stretch gap-3 lg:items-end">
      <div className="flex flex-wrap items-center gap-2 lg:flex-nowrap">
      <nav aria-label="Date range">
        <ul role="list" className="flex gap-1 rounded-lg bg-slate-100 p-1">
          {PRESETS.map((o) => {
            const active = o.value === current;
            const href = o.value === 'custom' ? `${basePath}?range=custom&from=${fromDay}&to=${toDay}` : `${basePath}?range=${o.value}`;
            return (
              <li key={o.value}>
                <Link href={href} aria-current={active ? 'page' : undefined} data-testid={`range-${o.value}`}
                  className={`block rounded-md px-3 py-1.5 text-sm font-medium whitespace-nowrap transition-colors ${active ? 'bg-white text-slate-900 shadow-sm ring-1 ring-slate-200' : 'text-slate-600 hover:text-slate-900'}`}>
                  {o.value === 'custom' ? o.label : `Last ${o.label}`}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      {extra}
      </div>
      {current === 'custom' ? (
        <form method="get" action={basePath} className="flex flex-wrap items-end gap-2" aria-label="Custom date range">
          <input type="hidden" name="range" value="custom" />
          <div>
            <label htmlFor="range-from" className={`${label} text-xs`}>From</label>
            <input id="range-from" name="from" type="date" required defaultValue={fromDay} className={`${input} mt-1 w-40 py-1.5`} />
          </div>
          <div>
            <label htmlFor="range-to" className={`${label} text-xs`}>To (inclusive)</label>
            <input id="range-to" name="to" type="date" required defaultValue={toDay} className={`${input} mt-1 w-40 py-1.5`} />
          </div>
          <button type="submit" className={button('primary', 'md')}>Apply</button>
        </form>
      ) : null}
    </div>
  );
}
