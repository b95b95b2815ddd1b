'use client';

import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import { ConfirmDialog } from '../confirm-dialog';
import { Icon } from '../ui/icons';
import { button, input, label } from '../ui/styles';
import type { Act } from '../staff/types';

export type DecideAct = Act<{ id: string; decision: 'approve' | 'refuse'; note?: string }, unknown>;

/**
 * Approve (with an optional note) or refuse (with a reason) a pending grant. Approving starts the grant
 * serving; refusing revokes it for good. Both are audited; the server refuses a decision by the grant's
 * own creator or requester, and a second decision.
 */
export function ApprovalActions({ id, what, action }: { id: string; what: string; action: DecideAct }) {
  const router = useRouter();
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const ids = { note: useId(), reason: useId() };
  return (
    <div className="flex items-center justify-end gap-2">
      <ConfirmDialog
        tone="primary"
        triggerLabel={<>Approve<span className="sr-only"> {what}</span></>}
        triggerIcon="check"
        triggerClassName={button('primary', 'sm')}
        title="Approve this grant?"
        confirmLabel="Approve"
        pendingLabel="Approving…"
        onConfirm={async () => {
          const r = await action({ id, decision: 'approve', note: note.trim() || undefined });
          if (!r.ok) return { ok: false, message: r.error.message };
          router.refresh();
          return { ok: true };
        }}
      >
        <p className="whitespace-normal">{what} starts serving its recipients at once. You are the second person: check who it reaches and why before approving.</p>
        <label htmlFor={ids.note} className={`${label} mt-4`}>Note <span className="font-normal text-slate-500">(optional, kept in the audit trail)</span></label>
        <textarea id={ids.note} value={note} onChange={(e) => setNote(e.target.value)} maxLength={1000} rows={2} className={`${input} mt-1.5`} />
      </ConfirmDialog>
      <ConfirmDialog
        triggerLabel={<>Refuse<span className="sr-only"> {what}</span></>}
        triggerIcon="ban"
        triggerClassName={button('danger-ghost', 'sm')}
        title="Refuse this grant?"
        confirmLabel="Refuse and revoke"
        pendingLabel="Refusing…"
        onConfirm={async () => {
          if (!reason.trim()) return { ok: false, message: 'Say why the grant is refused.' };
          const r = await action({ id, decision: 'refuse', note: reason.trim() });
          if (!r.ok) return { ok: false, message: r.error.fields?.note ?? r.error.message };
          router.refresh();
          return { ok: true };
        }}
      >
        <p className="whitespace-normal">{what} is revoked and never serves. Its creator sees your reason.</p>
        <label htmlFor={ids.reason} className={`${label} mt-4`}>Reason</label>
        <textarea id={ids.reason} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={1000} rows={3} required className={`${input} mt-1.5`} />
      </ConfirmDialog>
    </div>
  );
}
