'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useId, useMemo, useState } from 'react';
import type { Act } from '../staff/types';
import { ConfirmDialog } from '../confirm-dialog';
import { Badge } from '../ui/badge';
import { Icon } from '../ui/icons';
import { Notice } from '../ui/notice';
import { TlpBadge } from '../ui/tlp-badge';
import { formatDateTime, relativeTime } from '../ui/format';
import { button, cx, input, label, select, td, th } from '../ui/styles';
import { KIND_ICONS, KIND_LABELS, PERMISSION_LABELS } from './labels';
import { SelectAllBanner } from './select-all-banner';

export interface GrantRow {
  kind: keyof typeof KIND_ICONS; id: string; label: string; who: string; ownerName: string | null; classification: string | null;
  createdAt: string; expiresAt: string | null; lastActivityAt: string | null; accessCount: number | null;
}
type BulkResult = { done: number; failed: number; notApplicable: number; noticesQueued: number; errors: string[] };
type BulkOptions = { action: string; expiresAt?: string; permission?: string; reason?: string; notice?: string };
type BulkInput = BulkOptions & { items: { kind: string; id: string }[] };
type BulkAllInput = BulkOptions & { filters: Record<string, unknown>; expectedCount: number };
/** "All matching": the page's filters and total, the server action that acts on them, and its cap. */
export interface AllMatching { filters: Record<string, unknown>; total: number; cap: number; action: Act<BulkAllInput, BulkResult> }

/** A future instant in words: "in 5 h", "in 3 d", or the date beyond a month. */
export function untilText(d: string, now: number): string {
  const h = Math.round((new Date(d).getTime() - now) / 3_600_000);
  if (h < 1) return 'within the hour';
  if (h < 48) return `in ${h} h`;
  const days = Math.round(h / 24);
  return days <= 31 ? `in ${days} d` : formatDateTime(d).slice(0, 10);
}

const href = (g: GrantRow) => (g.kind === 'share' ? `/shares/${g.id}` : g.kind === 'guest' ? `/guests/${g.id}` : null);

/** The access-review table: every row selectable, and a bulk action bar for admins. */
export function GrantTable({ rows, canAct, action, matching, empty }: { rows: GrantRow[]; canAct: boolean; action: Act<BulkInput, BulkResult>; matching?: AllMatching; empty: React.ReactNode }) {
  const router = useRouter();
  const ids = useId();
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [verb, setVerb] = useState<'revoke' | 'extend' | 'permission'>('revoke');
  const [until, setUntil] = useState('');
  const [permission, setPermission] = useState('VIEW');
  const [reason, setReason] = useState('');
  const [notify, setNotify] = useState(false);
  const [message, setMessage] = useState('');
  const [result, setResult] = useState<BulkResult | null>(null);
  const [allMatching, setAllMatching] = useState(false);
  const key = (g: GrantRow) => `${g.kind}:${g.id}`;
  const all = rows.length > 0 && rows.every((g) => picked.has(key(g)));
  const chosen = useMemo(() => rows.filter((g) => picked.has(key(g))), [rows, picked]);
  // Every grant the filters match, not only this page's rows: only while the whole page stays picked.
  const everyMatch = Boolean(matching && allMatching && all && matching.total <= matching.cap);
  const count = everyMatch ? matching!.total : chosen.length;
  const pick = (next: Set<string>) => { setPicked(next); setAllMatching(false); };
  const toggle = (k: string) => { const n = new Set(picked); if (n.has(k)) n.delete(k); else n.add(k); pick(n); };
  const now = Date.now();
  const cell = cx(td, 'border-b border-slate-100 align-middle');
  const verbLabel = verb === 'revoke' ? 'Revoke' : verb === 'extend' ? 'Extend' : 'Change permission';

  const outcome = result ? (
    <Notice tone={result.failed ? 'warning' : 'success'} title={`${result.done} changed${result.notApplicable ? `, ${result.notApplicable} not applicable` : ''}${result.failed ? `, ${result.failed} failed` : ''}`}>
      <span data-testid="bulk-result">
        {result.noticesQueued ? `${result.noticesQueued} notice${result.noticesQueued === 1 ? '' : 's'} queued. ` : ''}
        {result.errors.length ? result.errors.join(' · ') : 'Done.'}
      </span>
    </Notice>
  ) : null;
  // Mounted whatever the rows, so the outcome of an action that emptied the list stays in view.
  if (!rows.length) return <>{outcome ? <div className="p-4 pb-0">{outcome}</div> : null}{empty}</>;

  return (
    <>
      {canAct ? (
        <div className="flex flex-col gap-3 border-b border-slate-200 bg-slate-50/70 p-4" aria-label="Bulk action" role="region">
          <div className="flex flex-wrap items-end gap-3">
            <p className="self-center pt-5 text-sm font-medium text-slate-700" aria-live="polite" data-testid="selected-count">{count.toLocaleString('en-US')} selected{everyMatch ? ' (all matching)' : ''}</p>
            <div>
              <label htmlFor={`${ids}-verb`} className={label}>Action</label>
              <select id={`${ids}-verb`} value={verb} onChange={(e) => setVerb(e.target.value as typeof verb)} className={`${select} mt-1 w-48`}>
                <option value="revoke">Revoke</option>
                <option value="extend">Extend (shares, portal grants, guest accounts)</option>
                <option value="permission">Change permission (shares, portal grants)</option>
              </select>
            </div>
            {verb === 'extend' ? (
              <div>
                <label htmlFor={`${ids}-until`} className={label}>New expiry</label>
                <input id={`${ids}-until`} type="datetime-local" value={until} onChange={(e) => setUntil(e.target.value)} className={`${input} mt-1 w-56`} required />
              </div>
            ) : null}
            {verb === 'permission' ? (
              <div>
                <label htmlFor={`${ids}-perm`} className={label}>Permission</label>
                <select id={`${ids}-perm`} value={permission} onChange={(e) => setPermission(e.target.value)} className={`${select} mt-1 w-52`}>
                  {Object.entries(PERMISSION_LABELS).map(([v, l]) => <option key={v} value={v}>{l}</option>)}
                </select>
              </div>
            ) : null}
            <div className="min-w-[14rem] flex-1">
              <label htmlFor={`${ids}-reason`} className={label}>Reason <span className="font-normal text-slate-500">(kept in the audit trail)</span></label>
              <input id={`${ids}-reason`} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} className={`${input} mt-1`} placeholder="e.g. quarterly review" />
            </div>
          </div>
          <div className="flex flex-wrap items-start gap-3">
            <label className="flex items-center gap-2 text-sm text-slate-700">
              <input type="checkbox" checked={notify} onChange={(e) => setNotify(e.target.checked)} className="size-4 rounded border-slate-300 text-indigo-600" />
              Tell the affected guests by mail
            </label>
            {notify ? (
              <div className="min-w-[18rem] flex-1">
                <label htmlFor={`${ids}-msg`} className="sr-only">Message to the guests</label>
                <textarea id={`${ids}-msg`} value={message} maxLength={2000} rows={2} onChange={(e) => setMessage(e.target.value)} className={input} placeholder="Optional message added to the notice" />
              </div>
            ) : null}
            <div className="ml-auto">
              {count ? (
                <ConfirmDialog
                  triggerLabel={everyMatch ? `${verbLabel} all ${count.toLocaleString('en-US')} matching` : `${verbLabel} ${count} selected`}
                  triggerIcon={verb === 'revoke' ? 'ban' : 'clock'}
                  triggerClassName={button(verb === 'revoke' ? 'danger' : 'primary')}
                  tone={verb === 'revoke' ? 'danger' : 'primary'}
                  title={everyMatch ? `${verbLabel} all ${count.toLocaleString('en-US')} grants matching these filters?` : `${verbLabel} ${count} ${count === 1 ? 'grant' : 'grants'}?`}
                  confirmLabel={everyMatch ? `${verbLabel} ${count.toLocaleString('en-US')} grants` : verbLabel}
                  pendingLabel="Working…"
                  onConfirm={async () => {
                    const options = {
                      action: verb, reason: reason.trim() || undefined,
                      ...(verb === 'extend' ? { expiresAt: until ? new Date(until).toISOString() : undefined } : {}),
                      ...(verb === 'permission' ? { permission } : {}),
                      ...(notify ? { notice: message.trim() } : {}),
                    };
                    const r = everyMatch
                      ? await matching!.action({ ...options, filters: matching!.filters, expectedCount: matching!.total })
                      : await action({ ...options, items: chosen.map((g) => ({ kind: g.kind, id: g.id })) });
                    if (!r.ok) return { ok: false, message: r.error.fields ? Object.values(r.error.fields).join(' ') || r.error.message : r.error.message };
                    setResult(r.data);
                    pick(new Set());
                    router.refresh();
                    return { ok: true };
                  }}
                >
                  <p>
                    {verb === 'revoke' ? 'Each grant ends at once: shares and portal grants are revoked, guest accounts disabled, sessions ended and devices refused; open viewers are cut.' : verb === 'extend' ? 'Each share, portal grant or guest account gets the new expiry at once and open viewers are decided again; other kinds are left as they are.' : 'Each share or portal grant is changed at once and open viewers are decided again; other kinds are left as they are.'}
                    {notify ? ' The affected guests are told by mail.' : ''} Every change is recorded in the audit trail.
                  </p>
                  {everyMatch ? (
                    <p className="mt-2" data-testid="all-matching-note">
                      This acts on every one of the {count.toLocaleString('en-US')} grants the current filters match, not only those on this page.
                      They are found again on the server; if the number has changed since, nothing is done and you are asked to look again.
                    </p>
                  ) : null}
                </ConfirmDialog>
              ) : <button type="button" className={button('secondary')} disabled>Select grants to act on</button>}
            </div>
          </div>
          {outcome}
        </div>
      ) : null}
      {canAct && matching && all && matching.total > rows.length ? (
        <SelectAllBanner pageCount={rows.length} total={matching.total} cap={matching.cap} allMatching={everyMatch} onChange={setAllMatching} />
      ) : null}
      <div className="max-h-[70vh] overflow-auto">
        <table className="min-w-full border-separate border-spacing-0" data-testid="review-grants-table">
          <thead>
            <tr>
              {canAct ? (
                <th scope="col" className={cx(th, 'w-10')}>
                  <input type="checkbox" aria-label="Select every row on this page" checked={all} onChange={() => pick(all ? new Set() : new Set(rows.map(key)))} className="size-4 rounded border-slate-300 text-indigo-600" />
                </th>
              ) : null}
              <th scope="col" className={th}>Grant</th>
              <th scope="col" className={th}>Reaches</th>
              <th scope="col" className={th}>Owner</th>
              <th scope="col" className={th}>Classification</th>
              <th scope="col" className={cx(th, 'whitespace-nowrap')}>Expires</th>
              <th scope="col" className={cx(th, 'whitespace-nowrap')}>Last activity</th>
              <th scope="col" className={cx(th, 'text-right')}>Accesses</th>
            </tr>
          </thead>
          <tbody className="[&>tr:last-child>td]:border-b-0">
            {rows.map((g) => {
              const link = href(g);
              const soon = g.expiresAt && new Date(g.expiresAt).getTime() - now < 7 * 86_400_000;
              return (
                <tr key={key(g)} className={picked.has(key(g)) ? 'bg-indigo-50/60' : 'hover:bg-slate-50/80'} data-testid={`grant-row-${g.id}`}>
                  {canAct ? (
                    <td className={cell}>
                      <input type="checkbox" aria-label={`Select ${KIND_LABELS[g.kind]} ${g.label}`} checked={picked.has(key(g))} onChange={() => toggle(key(g))} className="size-4 rounded border-slate-300 text-indigo-600" />
                    </td>
                  ) : null}
                  <td className={cell}>
                    <div className="flex min-w-0 items-center gap-3">
                      <span aria-hidden="true" className="flex size-8 shrink-0 items-center justify-center rounded-full bg-slate-100 text-slate-600 ring-1 ring-slate-200 ring-inset">
                        <Icon name={KIND_ICONS[g.kind]} className="size-4" />
                      </span>
                      <div className="min-w-0">
                        {link ? <Link href={link} className="block max-w-[15rem] truncate font-medium text-slate-900 hover:text-indigo-600" title={g.label}>{g.label}</Link>
                          : <span className="block max-w-[15rem] truncate font-medium text-slate-900" title={g.label}>{g.label}</span>}
                        <span className="flex items-center gap-2"><Badge tone="slate">{KIND_LABELS[g.kind]}</Badge><time dateTime={g.createdAt} className="text-xs text-slate-500" title="Created">since {formatDateTime(g.createdAt).slice(0, 10)}</time></span>
                      </div>
                    </div>
                  </td>
                  <td className={cx(cell, 'max-w-[12rem]')}><span className="block max-w-[12rem] truncate" title={g.who}>{g.who}</span></td>
                  <td className={cx(cell, 'max-w-[9rem]')}>{g.ownerName ? <span className="block max-w-[9rem] truncate" title={g.ownerName}>{g.ownerName}</span> : <span className="text-slate-400">No owner</span>}</td>
                  <td className={cell}><TlpBadge tlp={g.classification} /></td>
                  <td className={cx(cell, 'whitespace-nowrap')}>
                    {g.expiresAt ? <time dateTime={g.expiresAt} title={formatDateTime(g.expiresAt)} className={soon ? 'font-medium text-amber-700' : ''}>{untilText(g.expiresAt, now)}</time> : <Badge tone="amber">No expiry</Badge>}
                  </td>
                  <td className={cx(cell, 'whitespace-nowrap')}>
                    {g.lastActivityAt ? <time dateTime={g.lastActivityAt}>{relativeTime(g.lastActivityAt, now)}</time> : <span className="text-slate-500">Never used</span>}
                  </td>
                  <td className={cx(cell, 'text-right tabular-nums')}>{g.accessCount == null ? <span className="text-slate-400">—</span> : g.accessCount.toLocaleString('en-US')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}
