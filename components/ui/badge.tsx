type Tone = 'slate' | 'green' | 'red' | 'amber' | 'indigo' | 'blue';

const TONES: Record<Tone, string> = {
  slate: 'bg-slate-100 text-slate-700 ring-slate-500/20',
  green: 'bg-emerald-50 text-emerald-700 ring-emerald-600/20',
  red: 'bg-red-50 text-red-700 ring-red-600/20',
  amber: 'bg-amber-50 text-amber-800 ring-amber-600/25',
  indigo: 'bg-indigo-50 text-indigo-700 ring-indigo-600/20',
  blue: 'bg-sky-50 text-sky-700 ring-sky-600/20',
};

export function Badge({ tone = 'slate', children, title }: { tone?: Tone; children: React.ReactNode; title?: string }) {
  return (
    <span title={title} className={`inline-flex items-center gap-1 rounded-md px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset ${TONES[tone]}`}>
      {children}
    </span>
  );
}

export function OutcomeBadge({ outcome }: { outcome: string }) {
  const tone: Tone = outcome === 'success' ? 'green' : outcome === 'denied' ? 'amber' : outcome === 'failure' ? 'red' : 'slate';
  const text = outcome === 'success' ? 'Success' : outcome === 'denied' ? 'Denied' : outcome === 'failure' ? 'Failure' : outcome;
  return <Badge tone={tone}>{text}</Badge>;
}
