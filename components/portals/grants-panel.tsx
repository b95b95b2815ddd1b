'use client';

import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import type { ActionResult } from '@/lib/http/action';
import { ConfirmDialog } from '../confirm-dialog';
import { fromNow } from '../shares/format';
import { ShareStatusBadge } from '../shares/status-badge';
import { ApprovalBadge } from '../governance/approval-badge';
import type { ExpiryPolicy, TermsOption } from '../shares/create-share-form';
import { Badge } from '../ui/badge';
import { EmptyState } from '../ui/empty-state';
import { formatDateTime } from '../ui/format';
import { Icon } from '../ui/icons';
import { button, card, cx, input, label, td, th } from '../ui/styles';
import { GrantForm, type GrantAction, type PartnerOption } from './grant-form';
import { KEEP_APART_HINT, SHOW_PRESENCE_HINT } from '../shares/labels';

export interface GrantRow {
  id: string; status: 'ACTIVE' | 'EXPIRED' | 'REVOKED'; emails: string[]; domains: string[]; partner: string | null; groups: string[];
  allSections: boolean; sections: string[]; permission: string; allowDownload: boolean; allowPrint: boolean; watermark: boolean;
  requireDevice: boolean; expiresAt: string; revokedAt: string | null; conditions: number;
  showGuestPresence: boolean; keepPartiesApart: boolean;
  /** Two-person approval: PENDING serves nothing until a second administrator approves it. */
  approvalState: 'NONE' | 'PENDING' | 'APPROVED' | 'REFUSED' | 'WITHDRAWN';
}

export type CollabFlagsAction = (grantId: string, flags: { showGuestPresence?: boolean; keepPartiesApart?: boolean }) => Promise<ActionResult<{ id: string }>>;

/** The grant's real-time flags, changed in place (each change is audited as portal.grant.update). */
function CollabFlags({ grant, setFlags, editable }: { grant: GrantRow; setFlags: CollabFlagsAction; editable: boolean }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const change = async (flags: { showGuestPresence?: boolean; keepPartiesApart?: boolean }) => {
    setPending(true);
    const r = await setFlags(grant.id, flags);
    setPending(false);
    if (!r.ok) setError(r.error.message); else { setError(null); router.refresh(); }
  };
  const box = 'size-3.5 rounded border-slate-300 accent-indigo-600 disabled:opacity-50';
  return (
    <ul role="list" className="mt-1 space-y-0.5 text-xs whitespace-nowrap">
      <li>
        <label className="inline-flex items-center gap-1.5" title={KEEP_APART_HINT}>
          <input type="checkbox" className={box} checked={grant.keepPartiesApart} disabled={!editable || pending} onChange={(e) => change({ keepPartiesApart: e.target.checked })} />
          {grant.keepPartiesApart ? <span className="font-medium text-red-700">Parties kept apart</span> : 'Keep parties apart'}
        </label>
      </li>
      <li>
        <label className="inline-flex items-center gap-1.5" title={SHOW_PRESENCE_HINT}>
          <input type="checkbox" className={box} checked={grant.showGuestPresence} disabled={!editable || pending || grant.keepPartiesApart} onChange={(e) => change({ showGuestPresence: e.target.checked })} />
          Guests see each other&rsquo;s presence
        </label>
      </li>
      {error ? <li role="alert" className="whitespace-normal text-red-700">{error}</li> : null}
    </ul>
  );
}

const PERMISSION: Record<string, string> = { VIEW: 'View', COMMENT: 'Comment', EDIT: 'Edit' };

function Chip({ children, tone = 'slate', icon }: { children: React.ReactNode; tone?: 'slate' | 'indigo'; icon?: 'mail' | 'globe' | 'link' | 'users' }) {
  return (
    <span className={`inline-flex max-w-full items-center gap-1 rounded-md px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${tone === 'indigo' ? 'bg-indigo-50 text-indigo-800 ring-indigo-200' : 'bg-slate-100 text-slate-700 ring-slate-200'}`}>
      {icon ? <Icon name={icon} className="size-3 shrink-0 opacity-70" /> : null}<span className="truncate">{children}</span>
    </span>
  );
}

/** The portal's grants, newest first, and the form that adds one. */
export function GrantsPanel({ grants, canWrite, action, revoke, setFlags, sections, partners, terms, expiry }: {
  grants: GrantRow[]; canWrite: boolean; action: GrantAction; revoke: (id: string, reason: string) => Promise<ActionResult<{ id: string }>>; setFlags: CollabFlagsAction;
  sections: { id: string; name: string }[]; partners: PartnerOption[]; terms: TermsOption[]; expiry: ExpiryPolicy;
}) {
  const [open, setOpen] = useState(false);
  const now = Date.now();
  return (
    <div className="space-y-6">
      {open ? (
        <section aria-labelledby="grant-title" className={card}>
          <div className="border-b border-slate-200 px-6 py-4 sm:px-8">
            <h2 id="grant-title" className="text-base font-semibold text-slate-900">Grant access</h2>
            <p className="mt-0.5 text-sm text-slate-500">People who match sign in on the portal with a code sent to their address, an invitation, or their organisation's single sign-on.</p>
          </div>
          <GrantForm action={action} sections={sections} partners={partners} terms={terms} expiry={expiry} onDone={() => setOpen(false)} />
        </section>
      ) : null}

      <section aria-labelledby="grants-title" className={card}>
        <div className="flex items-center justify-between gap-4 border-b border-slate-200 px-4 py-3">
          <div>
            <h2 id="grants-title" className="text-sm font-semibold text-slate-900">Access grants</h2>
            <p className="text-xs text-slate-500">Who may enter this portal and what they see. Revoking takes effect on the guest's next request.</p>
          </div>
          {canWrite && !open ? <button type="button" onClick={() => setOpen(true)} className={button('primary', 'sm')} data-testid="new-grant"><Icon name="plus" className="size-4" />Grant access</button> : null}
        </div>
        {grants.length === 0 ? (
          <EmptyState icon="userCheck" title="Nobody has access yet">
            Grant access to people by address or email domain, or to a partner organisation and its SSO groups.
          </EmptyState>
        ) : (
          <div className="overflow-x-auto">
            <table className="min-w-full border-separate border-spacing-0" data-testid="grants-table">
              <thead>
                <tr>
                  <th scope="col" className={th}>Who</th>
                  <th scope="col" className={th}>Sections</th>
                  <th scope="col" className={th}>Permission</th>
                  <th scope="col" className={th}>Protection</th>
                  <th scope="col" className={th}>Expires</th>
                  <th scope="col" className={th}>Status</th>
                  {canWrite ? <th scope="col" className={cx(th, 'text-right')}><span className="sr-only">Actions</span></th> : null}
                </tr>
              </thead>
              <tbody className="[&>tr:last-child>td]:border-b-0">
                {grants.map((g) => {
                  const cell = `${td} border-b border-slate-100`;
                  return (
                    <tr key={g.id} className={g.status === 'ACTIVE' ? '' : 'text-slate-500'}>
                      <td className={cell}>
                        <div className="flex max-w-xs flex-wrap gap-1">
                          {g.emails.map((e) => <Chip key={e} icon="mail">{e}</Chip>)}
                          {g.domains.map((d) => <Chip key={d} icon="globe">@{d}</Chip>)}
                          {g.partner ? <Chip tone="indigo" icon="link">{g.partner}</Chip> : null}
                          {g.groups.map((x) => <Chip key={x} tone="indigo" icon="users">{x}</Chip>)}
                        </div>
                      </td>
                      <td className={cell}>
                        {g.allSections ? <span className="text-slate-900">All sections</span> : (
                          <div className="flex max-w-[14rem] flex-wrap gap-1">{g.sections.length ? g.sections.map((s) => <Chip key={s}>{s}</Chip>) : <span className="text-slate-400">Sections deleted</span>}</div>
                        )}
                      </td>
                      <td className={cell}>{PERMISSION[g.permission] ?? g.permission}</td>
                      <td className={cell}>
                        <ul role="list" className="space-y-0.5 text-xs whitespace-nowrap">
                          <li className="flex items-center gap-1">{g.allowDownload ? <><Icon name="download" className="size-3.5 text-amber-600" />Download allowed</> : <><Icon name="ban" className="size-3.5 text-slate-400" />No download</>}</li>
                          <li className="flex items-center gap-1">{g.allowPrint ? <><Icon name="file" className="size-3.5 text-amber-600" />Print allowed</> : <><Icon name="ban" className="size-3.5 text-slate-400" />No printing</>}</li>
                          {g.watermark ? <li className="flex items-center gap-1"><Icon name="check" className="size-3.5 text-emerald-600" />Watermarked</li> : null}
                          {g.requireDevice ? <li className="flex items-center gap-1"><Icon name="monitor" className="size-3.5 text-emerald-600" />Approved device</li> : null}
                          {g.conditions ? <li className="flex items-center gap-1"><Icon name="filter" className="size-3.5 text-slate-500" />{g.conditions} condition{g.conditions === 1 ? '' : 's'}</li> : null}
                        </ul>
                        <CollabFlags grant={g} setFlags={setFlags} editable={canWrite && g.status !== 'REVOKED'} />
                      </td>
                      <td className={`${cell} whitespace-nowrap`}>
                        {g.status === 'REVOKED' ? <span className="block">Revoked {g.revokedAt ? formatDateTime(g.revokedAt).slice(0, 10) : ''}</span> : <span className="block">{g.status === 'EXPIRED' ? `Expired ${fromNow(g.expiresAt, now)}` : fromNow(g.expiresAt, now)}</span>}
                        <time dateTime={g.expiresAt} className="tabular block text-xs text-slate-500">{formatDateTime(g.expiresAt)}</time>
                      </td>
                      <td className={cell}><span className="flex flex-col items-start gap-1">{g.approvalState === 'PENDING' && g.status === 'ACTIVE' ? null : <ShareStatusBadge status={g.status} />}<ApprovalBadge state={g.approvalState} /></span></td>
                      {canWrite ? <td className={cx(cell, 'text-right')}>{g.status === 'REVOKED' ? null : <RevokeGrant grant={g} revoke={revoke} />}</td> : null}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {!canWrite ? <p className="text-xs text-slate-500"><Badge>Read only</Badge> Granting access is not part of your role.</p> : null}
    </div>
  );
}

function RevokeGrant({ grant, revoke }: { grant: GrantRow; revoke: (id: string, reason: string) => Promise<ActionResult<{ id: string }>> }) {
  const router = useRouter();
  const reasonId = useId();
  const [reason, setReason] = useState('');
  const who = [...grant.emails, ...grant.domains.map((d) => `@${d}`), ...(grant.partner ? [grant.partner] : [])][0] ?? 'this grant';
  return (
    <ConfirmDialog triggerLabel={<>Revoke<span className="sr-only"> access for {who}</span></>} triggerIcon="ban" title="Revoke this access?" confirmLabel="Revoke access" pendingLabel="Revoking…"
      onConfirm={async () => {
        const r = await revoke(grant.id, reason);
        if (!r.ok) return { ok: false, message: r.error.message };
        router.refresh();
        return { ok: true };
      }}>
      <p>Guests who entered through this grant ({who}{grant.emails.length + grant.domains.length > 1 ? ' and others' : ''}) are refused from their next request. This cannot be undone; grant again to restore access.</p>
      <div className="mt-4">
        <label htmlFor={reasonId} className={label}>Reason <span className="font-normal text-slate-400">Optional, recorded in the audit trail</span></label>
        <textarea id={reasonId} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} rows={2} placeholder="e.g. Engagement ended" className={`${input} mt-1.5 resize-y`} />
      </div>
    </ConfirmDialog>
  );
}
