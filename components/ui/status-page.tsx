import Link from 'next/link';
import { Icon, type IconName } from './icons';
import { button } from './styles';

/** A full-panel message for 403, 404 and outage states, inside or outside the console shell. */
export function StatusPanel({ icon, code, title, children, actions }: { icon: IconName; code?: string; title: string; children?: React.ReactNode; actions?: React.ReactNode }) {
  return (
    <div className="mx-auto flex max-w-lg flex-col items-center px-6 py-16 text-center">
      <div className="mb-4 flex size-12 items-center justify-center rounded-full bg-slate-100 text-slate-600 ring-8 ring-slate-50">
        <Icon name={icon} className="size-6" />
      </div>
      {code ? <p className="font-mono text-xs font-semibold tracking-widest text-indigo-600 uppercase">{code}</p> : null}
      <h1 className="mt-1 text-xl font-semibold tracking-tight text-slate-900">{title}</h1>
      {children ? <div className="mt-2 text-sm text-slate-600">{children}</div> : null}
      {actions ? <div className="mt-6 flex flex-wrap justify-center gap-2">{actions}</div> : null}
    </div>
  );
}

export function Forbidden({ what, scope }: { what: string; scope?: string }) {
  return (
    <StatusPanel
      icon="lock"
      code="403 · Forbidden"
      title="You don't have access to this page"
      actions={<Link href="/" className={button('secondary')}>Back to dashboard</Link>}
    >
      <p>{what}</p>
      {scope ? <p className="mt-2 text-slate-500">Required permission: <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700">{scope}</code>. Ask an administrator if you need it.</p> : null}
    </StatusPanel>
  );
}
