import { card } from '../../ui/styles';

/** A titled panel around a chart; the chart's data table goes in `table`. */
export function ChartCard({ id, title, description, children, table, className = '', actions }: {
  id: string; title: string; description?: React.ReactNode; children: React.ReactNode; table?: React.ReactNode; className?: string; actions?: React.ReactNode;
}) {
  return (
    <section aria-labelledby={id} className={`${card} flex min-w-0 flex-col ${className}`}>
      <div className="flex flex-wrap items-start justify-between gap-3 px-5 pt-4">
        <div className="min-w-0">
          <h3 id={id} className="text-sm font-semibold text-slate-900">{title}</h3>
          {description ? <p className="mt-0.5 text-xs text-slate-500">{description}</p> : null}
        </div>
        {actions}
      </div>
      <div className="flex-1 px-3 pt-3 pb-2">{children}</div>
      {table}
    </section>
  );
}

/** Shown in place of a chart whose series are all zero in the range. */
export function NoData({ children, className = 'h-56' }: { children: React.ReactNode; className?: string }) {
  return (
    <div className={`flex items-center justify-center rounded-md border border-dashed border-slate-200 bg-slate-50/60 px-6 text-center text-sm text-slate-500 ${className}`}>
      {children}
    </div>
  );
}
