import { Icon } from '../ui/icons';

/** One condition of a share. `good` ticks a protection that is on; `on={false}` marks a control that is off. */
export function Condition({ label, children, on, good }: { label: string; children: React.ReactNode; on?: boolean; good?: boolean }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium tracking-wide text-slate-500 uppercase">{label}</dt>
      <dd className="mt-1 flex items-center gap-1.5 text-sm break-words text-slate-900">
        {good ? <Icon name="check" className="size-4 shrink-0 text-emerald-600" /> : on === false ? <Icon name="ban" className="size-3.5 shrink-0 text-slate-400" /> : null}
        <span className="min-w-0">{children}</span>
      </dd>
    </div>
  );
}
