import { ROLE_OPTIONS, type Role } from './labels';

/** Roles as radio cards, each saying what it allows. */
export function RoleFieldset({ name, defaultValue, legend = 'Role' }: { name: string; defaultValue: Role; legend?: string }) {
  return (
    <fieldset>
      <legend className="block text-sm font-medium text-slate-700">{legend}</legend>
      <div className="mt-2 grid gap-2">
        {ROLE_OPTIONS.map((o) => (
          <label key={o.value} className="flex cursor-pointer gap-3 rounded-md p-3 ring-1 ring-slate-200 transition-colors ring-inset hover:bg-slate-50 has-[:checked]:bg-indigo-50/60 has-[:checked]:ring-indigo-300 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-indigo-500">
            <input type="radio" name={name} value={o.value} defaultChecked={o.value === defaultValue} className="mt-0.5 size-4 shrink-0 accent-indigo-600" />
            <span className="min-w-0">
              <span className="block text-sm font-medium text-slate-900">{o.label}</span>
              <span className="block text-xs text-slate-600">{o.description}</span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
