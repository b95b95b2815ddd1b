'use client';

import { useId, useState } from 'react';
import { Icon } from '../ui/icons';
import { button, input, label } from '../ui/styles';
import { DEVICE_RULE_HINT, DEVICE_RULE_LABEL, DEVICES, PERMISSIONS } from './labels';

/** A labelled control with its hint, or its error in the hint's place. */
export function Field({ label: text, hint, error, children, htmlFor, optional }: {
  label: string; hint?: React.ReactNode; error?: string; children: React.ReactNode; htmlFor: string; optional?: boolean;
}) {
  return (
    <div>
      <label htmlFor={htmlFor} className={label}>{text}{optional ? <>{' '}<OptionalTag /></> : null}</label>
      <div className="mt-1.5">{children}</div>
      {error ? <p id={`${htmlFor}-hint`} className="mt-1.5 text-xs text-red-700">{error}</p>
        : hint ? <p id={`${htmlFor}-hint`} className="mt-1.5 text-xs text-slate-500">{hint}</p> : null}
    </div>
  );
}

/** Read as "(optional)" by screen readers, shown as a quiet tag. */
const OptionalTag = () => <span className="ml-1 font-normal text-slate-400"><span className="sr-only">(</span>Optional<span className="sr-only">)</span></span>;

/** A form section: what it is about on the left, its controls on the right. */
export function FormSection({ title, description, children }: { title: string; description?: React.ReactNode; children: React.ReactNode }) {
  const id = useId();
  return (
    <section aria-labelledby={id} className="grid gap-x-8 gap-y-4 py-8 first:pt-2 md:grid-cols-[16rem_minmax(0,1fr)]">
      <div>
        <h2 id={id} className="text-sm font-semibold text-slate-900">{title}</h2>
        {description ? <p className="mt-1 text-sm leading-relaxed text-slate-500">{description}</p> : null}
      </div>
      <div className="min-w-0 space-y-5">{children}</div>
    </section>
  );
}

export function ToggleCard({ name, title, description, defaultChecked, icon }: { name: string; title: string; description: React.ReactNode; defaultChecked?: boolean; icon?: React.ComponentProps<typeof Icon>['name'] }) {
  const id = useId();
  return (
    <label htmlFor={id} className="flex cursor-pointer gap-3 rounded-md p-3.5 ring-1 ring-slate-200 transition-colors ring-inset hover:bg-slate-50 has-[:checked]:bg-indigo-50/60 has-[:checked]:ring-indigo-300 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-indigo-600">
      <input id={id} type="checkbox" name={name} defaultChecked={defaultChecked} className="mt-0.5 size-4 shrink-0 rounded border-slate-300 accent-indigo-600 focus-visible:outline-none" />
      <span className="min-w-0">
        <span className="flex items-center gap-1.5 text-sm font-medium text-slate-900">{icon ? <Icon name={icon} className="size-4 text-slate-500" /> : null}{title}</span>
        <span className="mt-0.5 block text-xs leading-relaxed text-slate-600">{description}</span>
      </span>
    </label>
  );
}

export function PermissionChoice({ defaultValue = 'VIEW' }: { defaultValue?: string }) {
  return (
    <fieldset>
      <legend className={label}>Permission</legend>
      <div className="mt-1.5 grid gap-2 sm:grid-cols-3">
        {PERMISSIONS.map((p) => (
          <label key={p.value} className="flex cursor-pointer gap-3 rounded-md p-3 ring-1 ring-slate-200 ring-inset hover:bg-slate-50 has-[:checked]:bg-indigo-50/60 has-[:checked]:ring-2 has-[:checked]:ring-indigo-500 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-indigo-600">
            <input type="radio" name="permission" value={p.value} defaultChecked={p.value === defaultValue} className="mt-0.5 size-4 shrink-0 accent-indigo-600 focus-visible:outline-none" />
            <span>
              <span className="block text-sm font-medium text-slate-900">{p.label}</span>
              <span className="block text-xs text-slate-600">{p.hint}</span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** The advisory User-Agent device condition (see DEVICE_RULE_HINT): labelled and explained as such. */
export function DeviceChoice({ defaultValue = [], error }: { defaultValue?: string[]; error?: string }) {
  const hintId = useId();
  return (
    <fieldset aria-describedby={hintId}>
      <legend className={label}>{DEVICE_RULE_LABEL} <OptionalTag /></legend>
      <div className="mt-1.5 flex flex-wrap gap-2">
        {DEVICES.map((d) => (
          <label key={d.value} className="inline-flex cursor-pointer items-center gap-2 rounded-md px-3 py-2 text-sm text-slate-800 ring-1 ring-slate-300 ring-inset hover:bg-slate-50 has-[:checked]:bg-indigo-50/60 has-[:checked]:ring-indigo-400 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-indigo-600">
            <input type="checkbox" name="allowedDevices" value={d.value} defaultChecked={defaultValue.includes(d.value)} className="size-4 rounded border-slate-300 accent-indigo-600 focus-visible:outline-none" />
            {d.label}
          </label>
        ))}
      </div>
      <p id={hintId} className={`mt-1.5 max-w-2xl text-xs leading-relaxed ${error ? 'text-red-700' : 'text-slate-500'}`} data-testid="device-rule-hint">
        {error ?? <>{DEVICE_RULE_HINT} Leave all unticked to allow any device.</>}
      </p>
    </fieldset>
  );
}

/** A password field with show/hide. Never prefilled: the stored password is only a hash. */
export function PasswordInput({ id, name = 'password', invalid, describedBy, placeholder, autoFocus }: { id: string; name?: string; invalid?: boolean; describedBy?: string; placeholder?: string; autoFocus?: boolean }) {
  const [shown, setShown] = useState(false);
  return (
    <div className="flex gap-2">
      <input id={id} name={name} type={shown ? 'text' : 'password'} autoComplete="new-password" spellCheck={false} minLength={8} maxLength={256}
        placeholder={placeholder} autoFocus={autoFocus} className={`${input} font-mono`} aria-invalid={invalid || undefined} aria-describedby={describedBy} />
      <button type="button" onClick={() => setShown((s) => !s)} className={button('secondary', 'md', 'shrink-0 px-3')} aria-controls={id} aria-pressed={shown}>
        <Icon name="eye" className="size-4" />{shown ? 'Hide' : 'Show'}
      </button>
    </div>
  );
}

export const textarea = `${input} min-h-[5.5rem] resize-y font-mono text-[13px] leading-relaxed`;
