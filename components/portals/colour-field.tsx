'use client';

import { input, label as labelClass } from '../ui/styles';

/** A colour as a swatch picker and its hex value, kept in step; either can be used from the keyboard. */
export function ColourField({ id, name, label, hint, value, onChange, invalid }: {
  id: string; name: string; label: string; hint: string; value: string; onChange: (v: string) => void; invalid?: boolean;
}) {
  const hex = /^#[0-9a-f]{6}$/i.test(value) ? value : '#000000';
  return (
    <div>
      <label htmlFor={id} className={labelClass}>{label}</label>
      <div className="mt-1.5 flex items-center gap-2">
        <input type="color" value={hex.toLowerCase()} onChange={(e) => onChange(e.target.value)} aria-label={`${label}: colour picker`}
          className="h-9 w-11 shrink-0 cursor-pointer rounded-md border-0 bg-white p-1 shadow-sm ring-1 ring-slate-300 ring-inset" />
        <input id={id} name={name} type="text" value={value} onChange={(e) => onChange(e.target.value)} spellCheck={false} maxLength={7}
          className={`${input} w-32 font-mono uppercase`} aria-invalid={invalid || undefined} aria-describedby={`${id}-hint`} />
      </div>
      <p id={`${id}-hint`} className="mt-1.5 text-xs text-slate-500">{hint}</p>
    </div>
  );
}
