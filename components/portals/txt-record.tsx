import { CopyButton } from '@/components/copy-button';

/** The TXT record a domain needs, as a DNS provider's form asks for it, each value with a copy button. */
export function TxtRecord({ name, value }: { name: string; value: string }) {
  const rows = [
    { k: 'Type', v: 'TXT', copy: false },
    { k: 'Name', v: name, copy: true },
    { k: 'Value', v: value, copy: true },
  ];
  return (
    <dl className="divide-y divide-slate-200 rounded-md bg-slate-50 ring-1 ring-slate-200 ring-inset" data-testid="txt-record">
      {rows.map((r) => (
        <div key={r.k} className="flex flex-col gap-1 px-3 py-2 sm:flex-row sm:items-center sm:gap-4">
          <dt className="w-14 shrink-0 text-xs font-medium tracking-wide text-slate-500 uppercase">{r.k}</dt>
          <dd className="flex min-w-0 flex-1 items-center gap-2">
            <code className="min-w-0 flex-1 font-mono text-[13px] break-all text-slate-900 select-all">{r.v}</code>
            {r.copy ? <CopyButton value={r.v} label={`Copy ${r.k.toLowerCase()}`} variant="ghost" iconOnly /> : null}
          </dd>
        </div>
      ))}
    </dl>
  );
}
