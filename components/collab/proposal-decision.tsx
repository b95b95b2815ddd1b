'use client';

import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import { ConfirmDialog } from '../confirm-dialog';
import { button, input, label, select } from '../ui/styles';
import { TLP_OPTIONS } from '../ui/tlp-badge';

type Result = { ok: true } | { ok: false; error: { message: string } };

export interface ProposalDecisionActions {
  accept(input: { id: string; tlp?: string; note?: string }): Promise<Result | { ok: true; data: unknown }>;
  reject(input: { id: string; note?: string }): Promise<Result | { ok: true; data: unknown }>;
}

/**
 * Accept (with the new version's marking, the base version's by default) or reject (with a note the
 * guest sees) one pending proposal. The server decides again; a proposal decided meanwhile answers why.
 */
export function ProposalDecision({ id, fileName, guestName, baseTlp, actions }: {
  id: string; fileName: string; guestName: string; baseTlp: string; actions: ProposalDecisionActions;
}) {
  const router = useRouter();
  const [tlp, setTlp] = useState(baseTlp);
  const [acceptNote, setAcceptNote] = useState('');
  const [rejectNote, setRejectNote] = useState('');
  const ids = { tlp: useId(), acceptNote: useId(), rejectNote: useId() };
  return (
    <span className="flex flex-wrap justify-end gap-2">
      <ConfirmDialog tone="primary" triggerLabel="Accept" triggerIcon="check" triggerClassName={button('primary', 'sm')}
        title="Accept this version?" confirmLabel="Accept as new version" pendingLabel="Accepting…"
        onConfirm={async () => {
          const r = await actions.accept({ id, tlp, note: acceptNote.trim() || undefined });
          if (!r.ok) return { ok: false, message: r.error.message };
          router.refresh();
          return { ok: true };
        }}>
        <p>“<span className="font-medium text-slate-900">{fileName}</span>” from {guestName} becomes the document&rsquo;s current version, served by every share of it from now on.</p>
        <div className="mt-4 space-y-3">
          <div>
            <label htmlFor={ids.tlp} className={label}>Marking of the new version</label>
            <select id={ids.tlp} value={tlp} onChange={(e) => setTlp(e.target.value)} className={`${select} mt-1.5`}>
              {TLP_OPTIONS.map((o) => <option key={o.value} value={o.value}>{o.label}{o.value === baseTlp ? ' (unchanged)' : ''}</option>)}
            </select>
          </div>
          <div>
            <label htmlFor={ids.acceptNote} className={label}>Note to the guest <span className="font-normal text-slate-500">(optional)</span></label>
            <textarea id={ids.acceptNote} value={acceptNote} onChange={(e) => setAcceptNote(e.target.value)} maxLength={2000} rows={2} className={`${input} mt-1.5`} />
          </div>
        </div>
      </ConfirmDialog>
      <ConfirmDialog triggerLabel="Reject" triggerIcon="x" triggerClassName={button('secondary', 'sm', 'text-red-700 hover:bg-red-50')}
        title="Reject this version?" confirmLabel="Reject" pendingLabel="Rejecting…"
        onConfirm={async () => {
          const r = await actions.reject({ id, note: rejectNote.trim() || undefined });
          if (!r.ok) return { ok: false, message: r.error.message };
          router.refresh();
          return { ok: true };
        }}>
        <p>The document keeps its current version. {guestName} sees that the proposal was rejected, with your note. The file is kept for the record.</p>
        <div className="mt-4">
          <label htmlFor={ids.rejectNote} className={label}>Note to the guest <span className="font-normal text-slate-500">(optional)</span></label>
          <textarea id={ids.rejectNote} value={rejectNote} onChange={(e) => setRejectNote(e.target.value)} maxLength={2000} rows={3} className={`${input} mt-1.5`} />
        </div>
      </ConfirmDialog>
    </span>
  );
}
