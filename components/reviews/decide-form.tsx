'use client';

import { useRouter } from 'next/navigation';
import { useId, useState, useTransition } from 'react';
import type { Act } from '../staff/types';
import { button, input, select } from '../ui/styles';
import { PERMISSION_LABELS } from './labels';

type DecideInput = { id: string; decision: string; reason: string; expiresAt?: string; permission?: string };

/** One item's decision: keep, revoke or change, always with a reason. */
export function DecideForm({ itemId, changeable, what, action }: { itemId: string; changeable: boolean; what: string; action: Act<DecideInput, { id: string; decision: string | null }> }) {
  const router = useRouter();
  const ids = useId();
  const [decision, setDecision] = useState('KEEP');
  const [reason, setReason] = useState('');
  const [until, setUntil] = useState('');
  const [permission, setPermission] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const submit = () => start(async () => {
    setError(null);
    const r = await action({
      id: itemId, decision, reason,
      ...(decision === 'CHANGE' && until ? { expiresAt: new Date(until).toISOString() } : {}),
      ...(decision === 'CHANGE' && permission ? { permission } : {}),
    });
    if (!r.ok) { setError(r.error.fields ? Object.values(r.error.fields).join(' ') : r.error.message); return; }
    router.refresh();
  });
  return (
    <form action={submit} className="flex flex-wrap items-start gap-2" aria-label={`Decide ${what}`}>
      <label htmlFor={`${ids}-d`} className="sr-only">Decision</label>
      <select id={`${ids}-d`} value={decision} onChange={(e) => setDecision(e.target.value)} className={`${select} w-28`}>
        <option value="KEEP">Keep</option>
        <option value="REVOKE">Revoke</option>
        {changeable ? <option value="CHANGE">Change</option> : null}
      </select>
      {decision === 'CHANGE' ? (
        <>
          <label htmlFor={`${ids}-u`} className="sr-only">New expiry</label>
          <input id={`${ids}-u`} type="datetime-local" value={until} onChange={(e) => setUntil(e.target.value)} className={`${input} w-52`} />
          <label htmlFor={`${ids}-p`} className="sr-only">New permission</label>
          <select id={`${ids}-p`} value={permission} onChange={(e) => setPermission(e.target.value)} className={`${select} w-44`}>
            <option value="">Same permission</option>
            {Object.entries(PERMISSION_LABELS).map(([v, l]) => <option key={v} value={v}>{l}</option>)}
          </select>
        </>
      ) : null}
      <label htmlFor={`${ids}-r`} className="sr-only">Reason</label>
      <input id={`${ids}-r`} value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={500} placeholder="Reason (required)" className={`${input} w-48`} />
      <button type="submit" className={button(decision === 'REVOKE' ? 'danger' : 'primary', 'md')} disabled={pending}>{pending ? 'Saving…' : 'Decide'}</button>
      {error ? <p role="alert" className="basis-full text-sm text-red-700">{error}</p> : null}
    </form>
  );
}
