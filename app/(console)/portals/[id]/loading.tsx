import { Bar } from '@/components/ui/skeleton';

/** Below the portal's header and tabs, while a tab's data loads. */
export default function Loading() {
  return (
    <div aria-busy="true" aria-live="polite" className="rounded-lg bg-white p-6 ring-1 ring-slate-200">
      <span className="sr-only">Loading…</span>
      {Array.from({ length: 4 }, (_, i) => (
        <div key={i} className="grid gap-6 border-b border-slate-100 py-6 last:border-0 md:grid-cols-[16rem_minmax(0,1fr)]">
          <div><Bar className="h-4 w-32" /><Bar className="mt-3 h-3 w-48" /></div>
          <div className="space-y-3"><Bar className="h-9 w-full max-w-md" /><Bar className="h-9 w-full max-w-sm" /></div>
        </div>
      ))}
    </div>
  );
}
