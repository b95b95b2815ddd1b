'use client';

import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import { revokeShareAction } from '@/app/(console)/shares/[id]/actions';
import { ConfirmDialog } from '../confirm-dialog';
import { button, input, label } from '../ui/styles';

export function RevokeShareButton({ shareId, sessions }: { shareId: string; sessions: number }) {
  const router = useRouter();
  const reasonId = useId();
  const [reason, setReason] = useState('');
  return (
    <ConfirmDialog
      triggerLabel="Revoke"
      triggerIcon="ban"
      triggerClassName={button('secondary', 'md', 'text-red-700 hover:bg-red-50')}
      title="Revoke this share?"
      confirmLabel="Revoke share"
      pendingLabel="Revoking…"
      onConfirm={async () => {
        const r = await revokeShareAction(shareId, reason);
        if (!r.ok) return { ok: false, message: r.error.message };
        router.refresh();
        return { ok: true };
      }}
    >
      <p>The link stops working at once{sessions ? `, and ${sessions === 1 ? 'the open guest session is' : `all ${sessions} open guest sessions are`} ended` : ''}. A guest who tries again is told the share was revoked.</p>
      <p className="mt-2">This cannot be undone: to share again, create a new share.</p>
      <div className="mt-4">
        <label htmlFor={reasonId} className={label}>Reason <span className="font-normal text-slate-400">Optional, recorded in the audit trail</span></label>
        <textarea id={reasonId} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} rows={2}
          placeholder="e.g. Engagement ended" className={`${input} mt-1.5 resize-y`} />
      </div>
    </ConfirmDialog>
  );
}
