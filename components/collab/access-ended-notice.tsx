'use client';
import { Icon } from '../ui/icons';
import { reasonText } from './collab-wire';

/**
 * Shown in place of the viewer the moment the server says access has ended (`access:revoked`): the page
 * images are gone from the screen, the reason is said in words, and the socket does not reconnect.
 */
export function AccessEndedNotice({ reason, href, label }: { reason: string; href: string; label: string }) {
  return (
    <section role="alert" data-testid="access-ended" data-reason={reason}
      className="flex w-full flex-col items-center rounded-xl bg-white px-8 py-14 text-center shadow-sm ring-1 ring-red-200">
      <span aria-hidden className="mb-5 grid size-12 place-items-center rounded-full bg-red-50 text-red-600 ring-8 ring-red-50/60"><Icon name="ban" className="size-6" /></span>
      <h2 className="text-xl font-semibold tracking-tight text-slate-900">Your access to this document has ended</h2>
      <p className="mt-2 max-w-xl text-sm leading-6 text-slate-600">{reasonText(reason)} The document has been closed. If you still need it, contact the person who shared it.</p>
      <a href={href} className="mt-6 inline-flex items-center gap-1 text-sm font-medium text-indigo-700 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600">
        <Icon name="chevronLeft" className="size-4" />{label}
      </a>
    </section>
  );
}
