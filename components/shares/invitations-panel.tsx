'use client';

import { useRouter } from 'next/navigation';
import { useId, useRef, useState, useTransition } from 'react';
import { ConfirmDialog } from '../confirm-dialog';
import type { Act } from '../staff/types';
import { Badge } from '../ui/badge';
import { EmptyState } from '../ui/empty-state';
import { formatDateTime, relativeTime } from '../ui/format';
import { Icon } from '../ui/icons';
import { button, cx, input, td, th } from '../ui/styles';
import { fieldErrors, type ActionError } from './field-errors';
import { Field, textarea } from './fields';
import { fromNow, splitLines } from './format';
import { Modal, ModalActions } from './modal';

export interface InvitationRow {
  id: string; email: string; state: 'PENDING' | 'ACCEPTED' | 'REVOKED' | 'EXPIRED';
  sentCount: number; lastSentAt: string; expiresAt: string; acceptedAt: string | null; revokedAt: string | null; createdAt: string;
}

const STATE = {
  PENDING: { label: 'Pending', tone: 'amber' },
  ACCEPTED: { label: 'Accepted', tone: 'green' },
  REVOKED: { label: 'Revoked', tone: 'red' },
  EXPIRED: { label: 'Expired', tone: 'slate' },
} as const;

export interface InvitationActions {
  invite: Act<{ shareId: string; emails: string[]; message?: string }, { count: number }>;
  resend: Act<{ id: string }, unknown>;
  revoke: Act<{ id: string }, unknown>;
}

/** The invitations of an INVITED share: who was asked, where each stands, and resend / revoke / invite more. */
export function InvitationsPanel({ shareId, invitations, canWrite, actions }: { shareId: string; invitations: InvitationRow[]; canWrite: boolean; actions: InvitationActions }) {
  const router = useRouter();
  const now = Date.now();
  const cell = cx(td, 'border-b border-slate-100 align-middle');
  const counts = invitations.reduce<Record<string, number>>((m, i) => ({ ...m, [i.state]: (m[i.state] ?? 0) + 1 }), {});
  const done = (r: { ok: true } | { ok: false; error: { message: string } }) => {
    if (r.ok) router.refresh();
    return r.ok ? { ok: true as const } : { ok: false as const, message: r.error.message };
  };

  return (
    <>
      <div className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-100 px-5 py-3">
        <p className="text-sm text-slate-600" data-testid="invitation-counts">
          {invitations.length ? (['ACCEPTED', 'PENDING', 'EXPIRED', 'REVOKED'] as const).filter((k) => counts[k]).map((k) => `${counts[k]} ${STATE[k].label.toLowerCase()}`).join(' · ') : 'Nobody has been invited yet.'}
        </p>
        {canWrite ? <InviteButton shareId={shareId} action={actions.invite} /> : null}
      </div>
      {invitations.length === 0 ? (
        <EmptyState icon="mail" title="No invitations">Each person you invite gets a mail with a link where they set a password. Only they can open this share.</EmptyState>
      ) : (
        <div className="max-h-[28rem] overflow-auto">
          <table className="min-w-full border-separate border-spacing-0" data-testid="invitations-table">
            <thead>
              <tr>
                <th scope="col" className={th}>Email</th>
                <th scope="col" className={th}>State</th>
                <th scope="col" className={cx(th, 'text-right')}>Sent</th>
                <th scope="col" className={cx(th, 'whitespace-nowrap')}>Last sent</th>
                <th scope="col" className={cx(th, 'whitespace-nowrap')}>Link expires</th>
                <th scope="col" className={th}><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody className="[&>tr:last-child>td]:border-b-0">
              {invitations.map((i) => {
                const s = STATE[i.state];
                const open = i.state === 'PENDING' || i.state === 'EXPIRED';
                const revocable = i.state !== 'REVOKED';
                return (
                  <tr key={i.id} className="hover:bg-slate-50/80" data-testid={`invitation-${i.email}`}>
                    <td className={cx(cell, 'max-w-[18rem]')}><span className="block truncate font-medium text-slate-900" title={i.email}>{i.email}</span></td>
                    <td className={cell}>
                      <Badge tone={s.tone} title={i.state === 'ACCEPTED' && i.acceptedAt ? `Accepted ${formatDateTime(i.acceptedAt)}` : i.state === 'REVOKED' && i.revokedAt ? `Revoked ${formatDateTime(i.revokedAt)}` : undefined}>{s.label}</Badge>
                    </td>
                    <td className={cx(cell, 'tabular text-right')}>{i.sentCount}&times;</td>
                    <td className={cx(cell, 'whitespace-nowrap')}>
                      <time dateTime={i.lastSentAt} className="block text-slate-900">{relativeTime(i.lastSentAt, now)}</time>
                      <span className="tabular block text-xs text-slate-500">{formatDateTime(i.lastSentAt)}</span>
                    </td>
                    <td className={cx(cell, 'whitespace-nowrap')}>
                      {i.state === 'ACCEPTED' ? <span className="text-slate-400">Used</span> : i.state === 'REVOKED' ? <span className="text-slate-400">—</span>
                        : <time dateTime={i.expiresAt} title={formatDateTime(i.expiresAt)} className={i.state === 'EXPIRED' ? 'text-slate-500' : ''}>{fromNow(i.expiresAt, now)}</time>}
                    </td>
                    <td className={cx(cell, 'text-right whitespace-nowrap')}>
                      {canWrite && revocable ? (
                        <div className="flex justify-end gap-1">
                          {open ? <ConfirmDialog triggerLabel={<>Resend<span className="sr-only"> to {i.email}</span></>} triggerIcon="send" triggerClassName={button('ghost', 'sm')} tone="primary"
                            title={`Send the invitation to ${i.email} again?`} confirmLabel="Resend" pendingLabel="Sending…"
                            onConfirm={async () => done(await actions.resend({ id: i.id }))}>
                            <p>A new mail goes out with a fresh link{i.state === 'EXPIRED' ? ', valid again from now' : ''}; the link sent before stops working. Sent so far: {i.sentCount}.</p>
                          </ConfirmDialog> : null}
                          {revocable ? (
                            <ConfirmDialog triggerLabel={<>Revoke<span className="sr-only"> the invitation of {i.email}</span></>} triggerIcon="ban" triggerClassName={button('danger-ghost', 'sm')}
                              title={`Revoke the invitation of ${i.email}?`} confirmLabel="Revoke invitation" pendingLabel="Revoking…"
                              onConfirm={async () => done(await actions.revoke({ id: i.id }))}>
                              <p>{i.state === 'ACCEPTED' ? 'They accepted it: from now on it no longer lets them in, whatever session they have.' : 'The link in their mail stops working at once.'} You can invite them again later.</p>
                            </ConfirmDialog>
                          ) : null}
                        </div>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function InviteButton({ shareId, action }: { shareId: string; action: InvitationActions['invite'] }) {
  const ref = useRef<HTMLDialogElement>(null);
  const router = useRouter();
  const id = useId();
  const [round, setRound] = useState(0);
  const [error, setError] = useState<ActionError | null>(null);
  const [emails, setEmails] = useState<string[]>([]);
  const [pending, startTransition] = useTransition();

  function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const list = splitLines(String(f.get('emails') ?? '')).flatMap((l) => l.split(/[,;\s]+/)).filter(Boolean);
    const message = String(f.get('message') ?? '').trim() || undefined;
    setEmails(list);
    if (!list.length) { setError({ code: 'validation_failed', message: 'Check the highlighted fields.', fields: { emails: 'Enter at least one email address.' } }); return; }
    startTransition(async () => {
      setError(null);
      const r = await action({ shareId, emails: list, message });
      if (!r.ok) { setError(r.error); return; }
      ref.current?.close();
      router.refresh();
    });
  }

  const fe = fieldErrors(error, { emails });
  const top = error && !Object.keys(fe).length ? error.message : null;
  return (
    <>
      <button type="button" onClick={() => { setRound((n) => n + 1); setError(null); ref.current?.showModal(); }} className={button('primary', 'sm')} data-testid="invite-more">
        <Icon name="userPlus" className="size-4" />Invite people
      </button>
      <Modal ref={ref} title="Invite people" busy={pending} description="Each address gets a mail with a link where they set a password.">
        <form key={round} method="post" onSubmit={submit} noValidate className="flex min-h-0 flex-1 flex-col">
          <div className="min-h-0 flex-1 space-y-5 overflow-y-auto px-6 py-5">
            <Field htmlFor={`${id}-emails`} label="Email addresses" error={fe.emails} hint="One a line, or separated by commas. Up to 50 at a time.">
              <textarea id={`${id}-emails`} name="emails" rows={4} spellCheck={false} autoFocus placeholder={'counsel@firm.example\npartner@agency.example'} className={textarea}
                aria-invalid={Boolean(fe.emails) || undefined} aria-describedby={`${id}-emails-hint`} />
            </Field>
            <Field htmlFor={`${id}-message`} label="Message" optional error={fe.message} hint="Added to the invitation mail as plain text. Up to 2,000 characters.">
              <textarea id={`${id}-message`} name="message" rows={3} maxLength={2000} placeholder="Here are the documents for Thursday." className={`${input} resize-y`}
                aria-invalid={Boolean(fe.message) || undefined} aria-describedby={`${id}-message-hint`} />
            </Field>
          </div>
          <ModalActions error={top}>
            <button type="button" onClick={() => ref.current?.close()} disabled={pending} className={button('secondary')}>Cancel</button>
            <button type="submit" disabled={pending} className={button('primary')} data-testid="send-invitations"><Icon name="send" className="size-4" />{pending ? 'Sending…' : 'Send invitations'}</button>
          </ModalActions>
        </form>
      </Modal>
    </>
  );
}
