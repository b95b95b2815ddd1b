import { cx, td, th } from '../../ui/styles';

export interface Column { label: string; numeric?: boolean }

/**
 * The numbers behind a chart, for screen readers and for anyone who wants them exact. Folded away
 * under a disclosure (details/summary: keyboard and screen-reader operable without script).
 */
export function ChartDataTable({ caption, columns, rows, testId }: { caption: string; columns: Column[]; rows: (string | number)[][]; testId?: string }) {
  return (
    <details className="group border-t border-slate-100" data-testid={testId}>
      <summary className="flex cursor-pointer list-none items-center gap-1.5 px-5 py-2.5 text-xs font-medium text-slate-600 select-none hover:text-slate-900 [&::-webkit-details-marker]:hidden">
        <svg viewBox="0 0 24 24" className="size-3.5 transition-transform group-open:rotate-90" fill="none" stroke="currentColor" strokeWidth={2} aria-hidden="true"><path d="m9 18 6-6-6-6" /></svg>
        <span className="group-open:hidden">Show data table</span><span className="hidden group-open:inline">Hide data table</span>
      </summary>
      <div className="max-h-80 overflow-auto border-t border-slate-100">
        <table className="min-w-full">
          <caption className="sr-only">{caption}</caption>
          <thead><tr>{columns.map((c) => <th key={c.label} scope="col" className={c.numeric ? cx(th, 'text-right') : th}>{c.label}</th>)}</tr></thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((r, i) => (
              <tr key={i}>{r.map((v, j) => <td key={j} className={columns[j]?.numeric ? cx(td, 'tabular py-2 text-right') : cx(td, 'py-2')}>{v}</td>)}</tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
