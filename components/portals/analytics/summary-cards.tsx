import { Icon, type IconName } from '../../ui/icons';
import { card } from '../../ui/styles';
import { formatCount } from './format';

function Stat({ icon, label, value, hint, tone = 'indigo', testId }: { icon: IconName; label: string; value: number; hint: string; tone?: 'indigo' | 'teal' | 'sky' | 'orange'; testId: string }) {
  const tones = { indigo: 'bg-indigo-50 text-indigo-600', teal: 'bg-teal-50 text-teal-700', sky: 'bg-sky-50 text-sky-700', orange: 'bg-orange-50 text-orange-700' };
  return (
    <div className={`${card} p-5`}>
      <div className="flex items-center justify-between">
        <p className="text-sm font-medium text-slate-500">{label}</p>
        <span className={`flex size-8 items-center justify-center rounded-md ${tones[tone]}`}><Icon name={icon} className="size-4" /></span>
      </div>
      <p className="tabular mt-2 text-3xl font-semibold tracking-tight text-slate-900" data-testid={testId}>{formatCount(value)}</p>
      <p className="mt-1 text-xs text-slate-500">{hint}</p>
    </div>
  );
}

export function SummaryCards({ totals }: { totals: { views: number; downloads: number; uniqueGuests: number; refusals: number } }) {
  return (
    <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
      <Stat icon="eye" label="Views" value={totals.views} hint="Documents opened in the viewer" testId="total-views" />
      <Stat icon="download" label="Downloads" value={totals.downloads} hint="Files released to guests" tone="teal" testId="total-downloads" />
      <Stat icon="users" label="Unique guests" value={totals.uniqueGuests} hint="Guests with allowed activity" tone="sky" testId="total-guests" />
      <Stat icon="ban" label="Refusals" value={totals.refusals} hint="Requests the policy refused" tone="orange" testId="total-refusals" />
    </div>
  );
}
