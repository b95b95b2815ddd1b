import { Icon, type IconName } from './icons';

type Tone = 'info' | 'success' | 'warning' | 'error';
const STYLE: Record<Tone, { box: string; icon: IconName; iconColor: string }> = {
  info: { box: 'bg-sky-50 text-sky-900 ring-sky-200', icon: 'info', iconColor: 'text-sky-600' },
  success: { box: 'bg-emerald-50 text-emerald-900 ring-emerald-200', icon: 'check', iconColor: 'text-emerald-600' },
  warning: { box: 'bg-amber-50 text-amber-900 ring-amber-200', icon: 'alert', iconColor: 'text-amber-600' },
  error: { box: 'bg-red-50 text-red-900 ring-red-200', icon: 'alert', iconColor: 'text-red-600' },
};

/** An inline message. Errors are announced to screen readers as they appear. */
export function Notice({ tone = 'info', title, children, className = '' }: { tone?: Tone; title?: React.ReactNode; children?: React.ReactNode; className?: string }) {
  const s = STYLE[tone];
  return (
    <div role={tone === 'error' ? 'alert' : 'status'} className={`flex gap-3 rounded-md px-4 py-3 text-sm ring-1 ring-inset ${s.box} ${className}`}>
      <Icon name={s.icon} className={`mt-0.5 size-4 shrink-0 ${s.iconColor}`} />
      <div className="min-w-0 break-words">
        {title ? <p className="font-medium">{title}</p> : null}
        {children ? <div className={title ? 'mt-0.5 opacity-90' : ''}>{children}</div> : null}
      </div>
    </div>
  );
}
