import { Icon } from '../ui/icons';

/** Shown for a portal that does not exist, or is not served on this host: names nothing and nobody. */
export function PortalNotFound() {
  return (
    <div className="grid min-h-screen place-items-center bg-slate-50 px-6">
      <section className="max-w-md rounded-xl bg-white p-8 text-center shadow-sm ring-1 ring-slate-200">
        <Icon name="link" className="mx-auto size-8 text-slate-400" />
        <h1 className="mt-4 text-xl font-semibold tracking-tight text-slate-900">Page not found</h1>
        <p className="mt-2 text-sm leading-6 text-slate-600">There is nothing at this address. Check the link you were given, or ask your contact for a new one.</p>
      </section>
    </div>
  );
}
