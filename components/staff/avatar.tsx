import { initials } from './labels';

export function Avatar({ name, email, muted = false }: { name: string; email: string; muted?: boolean }) {
  return (
    <span aria-hidden="true" className={`flex size-9 shrink-0 items-center justify-center rounded-full text-xs font-semibold ring-1 ring-inset ${muted ? 'bg-slate-100 text-slate-400 ring-slate-200' : 'bg-indigo-50 text-indigo-700 ring-indigo-200'}`}>
      {initials(name, email)}
    </span>
  );
}
