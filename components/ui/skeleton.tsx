export function Bar({ className = '' }: { className?: string }) {
  return <div className={`animate-pulse rounded bg-slate-200/80 ${className}`} />;
}

/** Placeholder with the shape of a page header and a table, shown while a console page loads. */
export function TableSkeleton({ rows = 8, withCards = false }: { rows?: number; withCards?: boolean }) {
  return (
    <div aria-busy="true" aria-live="polite">
      <span className="sr-only">Loading…</span>
      <Bar className="h-7 w-56" />
      <Bar className="mt-3 h-4 w-96 max-w-full" />
      {withCards ? (
        <div className="mt-8 grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
          {Array.from({ length: 4 }, (_, i) => <div key={i} className="rounded-lg bg-white p-5 ring-1 ring-slate-200"><Bar className="h-4 w-24" /><Bar className="mt-4 h-8 w-16" /></div>)}
        </div>
      ) : null}
      <div className="mt-8 overflow-hidden rounded-lg bg-white ring-1 ring-slate-200">
        <div className="border-b border-slate-200 bg-slate-50 px-4 py-3"><Bar className="h-3 w-1/3" /></div>
        {Array.from({ length: rows }, (_, i) => (
          <div key={i} className="flex items-center gap-6 border-b border-slate-100 px-4 py-4 last:border-0">
            <Bar className="h-4 w-1/3" /><Bar className="h-4 w-16" /><Bar className="h-4 w-20" /><Bar className="ml-auto h-4 w-28" />
          </div>
        ))}
      </div>
    </div>
  );
}
