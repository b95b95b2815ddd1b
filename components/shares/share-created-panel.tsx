'use client';

import Link from 'next/link';
import { useEffect, useRef } from 'react';
import type { CreatedShare } from '@/app/(console)/shares/new/actions';
import { CopyButton } from '../copy-button';
import { formatDateTime } from '../ui/format';
import { Icon } from '../ui/icons';
import { button, card } from '../ui/styles';
import { fromNow, plural } from './format';
import { audienceLabel, deviceLabel, permissionLabel } from './labels';
import { Condition } from './condition-list';

/** The link's secret exists only in this answer: it is shown once, here, and never again. */
export function ShareCreatedPanel({ created: s, termsLabel, onAnother }: { created: CreatedShare; termsLabel: string | null; onAnother: () => void }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => { headingRef.current?.focus(); }, []);
  const limits = [
    s.allowedIpRanges.length ? plural(s.allowedIpRanges.length, 'IP range') : null,
    s.allowedCountries.length ? s.allowedCountries.join(', ') : null,
    s.allowedDevices.length ? `${s.allowedDevices.map(deviceLabel).join(', ')} (device type, advisory)` : null,
    s.requireDevice ? 'Approved device required' : null,
  ].filter(Boolean);

  return (
    <section className={`${card} overflow-hidden`} aria-labelledby="created-title" data-testid="share-created">
      <div className="flex items-start gap-4 border-b border-emerald-200 bg-emerald-50 px-6 py-5">
        <span className="flex size-10 shrink-0 items-center justify-center rounded-full bg-emerald-100 text-emerald-700 ring-4 ring-emerald-50"><Icon name="check" className="size-5" /></span>
        <div className="min-w-0">
          <h2 id="created-title" ref={headingRef} tabIndex={-1} className="text-lg font-semibold text-emerald-950 focus:outline-none">Share created</h2>
          <p className="mt-0.5 text-sm text-emerald-900">{plural(s.documentCount, 'document')} shared until {formatDateTime(s.expiresAt)} ({fromNow(s.expiresAt)}).</p>
        </div>
      </div>

      <div className="space-y-6 p-6">
        <div className="rounded-lg bg-amber-50 p-4 ring-1 ring-amber-200 ring-inset" role="status">
          <p className="flex items-center gap-2 text-sm font-semibold text-amber-900"><Icon name="alert" className="size-4 text-amber-600" />Copy this link now. It will not be shown again.</p>
          <p className="mt-1 text-sm text-amber-900/90">Liaison keeps only a hash of the link&apos;s secret. If it is lost, revoke this share and create a new one.{s.password ? ' Send the password separately, not in the same message as the link.' : ''}</p>
        </div>

        <div>
          <p className="text-sm font-medium text-slate-700" id="share-link-label">Share link</p>
          <div className="mt-1.5 flex flex-col gap-2 sm:flex-row sm:items-center">
            <code aria-labelledby="share-link-label" className="block min-w-0 flex-1 rounded-md bg-slate-900 px-4 py-2 font-mono leading-5 text-sm break-all text-emerald-300 select-all" data-testid="share-link">{s.url}</code>
            <CopyButton value={s.url} label="Copy link" size="md" variant="primary" />
          </div>
        </div>

        <dl className="grid gap-x-6 gap-y-4 rounded-lg bg-slate-50 p-4 ring-1 ring-slate-200 ring-inset sm:grid-cols-2 lg:grid-cols-4">
          <Condition label="Audience">{audienceLabel(s.audience)}{s.audience === 'VERIFIED_EMAIL' && s.allowedDomains.length ? ` (${s.allowedDomains.join(', ')})` : ''}</Condition>
          <Condition label="Permission">{permissionLabel(s.permission)}</Condition>
          <Condition label="Download" on={s.allowDownload}>{s.allowDownload ? 'Allowed' : 'Not allowed'}</Condition>
          <Condition label="Printing" on={s.allowPrint}>{s.allowPrint ? 'Allowed' : 'Not allowed'}</Condition>
          <Condition label="Watermark" on={s.watermark} good={s.watermark}>{s.watermark ? 'On' : 'Off'}</Condition>
          <Condition label="Password" on={s.password} good={s.password}>{s.password ? 'Required' : 'None'}</Condition>
          <Condition label="Terms">{termsLabel ?? 'None'}</Condition>
          <Condition label="Restrictions">{limits.length ? limits.join(' · ') : 'None'}</Condition>
          <Condition label={s.audience === 'INVITED' ? 'Invited' : 'Recipients'}>{s.recipients.length ? s.recipients.join(', ') : s.audience === 'ANYONE_WITH_LINK' ? 'Anyone with the link' : 'Nobody yet'}</Condition>
        </dl>

        <div className="flex flex-wrap gap-2 border-t border-slate-200 pt-5">
          <Link href={`/shares/${s.id}`} className={button('primary')} data-testid="open-share"><Icon name="eye" className="size-4" />Open share details</Link>
          <button type="button" onClick={onAnother} className={button('secondary')}><Icon name="plus" className="size-4" />Create another share</button>
          <Link href="/shares" className={button('ghost')}>Back to shares</Link>
        </div>
      </div>
    </section>
  );
}
