'use client';

import { useRouter } from 'next/navigation';
import { useId, useRef, useState, useTransition } from 'react';
import { updateShareAction } from '@/app/(console)/shares/[id]/actions';
import type { UpdateShareInput } from '@/lib/shares/input';
import { Icon } from '../ui/icons';
import { button, input, label, select } from '../ui/styles';
import { fieldErrors, type ActionError } from './field-errors';
import { DeviceChoice, Field, PasswordInput, PermissionChoice, textarea, ToggleCard } from './fields';
import { splitCodes, splitLines } from './format';
import { Modal, ModalActions } from './modal';
import { AudienceFields } from './audience-fields';
import { KEEP_APART_HINT, KEEP_APART_LABEL, REQUIRE_DEVICE_HINT, REQUIRE_DEVICE_LABEL, SHOW_PRESENCE_HINT, SHOW_PRESENCE_LABEL, type AudienceValue } from './labels';

export interface EditableShare {
  permission: string; allowDownload: boolean; allowPrint: boolean; watermark: boolean; hasPassword: boolean;
  termsVersionId: string | null; allowedIpRanges: string[]; allowedCountries: string[]; allowedDevices: string[]; requireDevice: boolean;
  recipients: string[]; message: string | null; audience: AudienceValue; allowedDomains: string[];
  showGuestPresence: boolean; keepPartiesApart: boolean;
  /** 28 CFR Part 23: the statement the share's criminal intelligence is released under, and whether it holds any. */
  needToKnow: string | null; criminalIntel: boolean;
}

const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Edits a share's conditions. Only what changed is sent, so the audit trail names the real changes. */
export function EditShareButton({ shareId, current, terms }: { shareId: string; current: EditableShare; terms: { id: string; label: string }[] }) {
  const ref = useRef<HTMLDialogElement>(null);
  const router = useRouter();
  const id = useId();
  const [round, setRound] = useState(0);
  const [passwordMode, setPasswordMode] = useState<'keep' | 'set' | 'remove'>('keep');
  const [error, setError] = useState<ActionError | null>(null);
  const [lists, setLists] = useState<Record<string, string[]>>({});
  const [pending, startTransition] = useTransition();
  const showNeedToKnow = current.criminalIntel || Boolean(current.needToKnow);

  function open() {
    setRound((n) => n + 1);
    setPasswordMode('keep');
    setError(null);
    ref.current?.showModal();
  }

  function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const text = (k: string) => String(f.get(k) ?? '');
    const next = {
      permission: text('permission'),
      allowDownload: f.get('allowDownload') === 'on',
      allowPrint: f.get('allowPrint') === 'on',
      watermark: f.get('watermark') === 'on',
      termsVersionId: text('termsVersionId') || null,
      allowedIpRanges: splitLines(text('allowedIpRanges')),
      allowedCountries: splitCodes(text('allowedCountries')),
      allowedDevices: f.getAll('allowedDevices').map(String),
      requireDevice: f.get('requireDevice') === 'on',
      showGuestPresence: f.get('showGuestPresence') === 'on',
      keepPartiesApart: f.get('keepPartiesApart') === 'on',
      recipients: splitLines(text('recipients')).flatMap((l) => l.split(/[,;\s]+/)).filter(Boolean).map((r) => r.toLowerCase()),
      message: text('message').trim() || null,
      needToKnow: text('needToKnow').trim() || null,
      audience: (text('audience') || current.audience) as AudienceValue,
      allowedDomains: splitLines(text('allowedDomains')).flatMap((l) => l.split(/[,;\s]+/)).filter(Boolean).map((d) => d.replace(/^@/, '').toLowerCase()),
    };
    const diff: UpdateShareInput = {};
    if (next.permission !== current.permission) diff.permission = next.permission as UpdateShareInput['permission'];
    if (next.allowDownload !== current.allowDownload) diff.allowDownload = next.allowDownload;
    if (next.allowPrint !== current.allowPrint) diff.allowPrint = next.allowPrint;
    if (next.watermark !== current.watermark) diff.watermark = next.watermark;
    if (next.termsVersionId !== current.termsVersionId) diff.termsVersionId = next.termsVersionId;
    if (!same(next.allowedIpRanges, current.allowedIpRanges)) diff.allowedIpRanges = next.allowedIpRanges;
    if (!same(next.allowedCountries, current.allowedCountries)) diff.allowedCountries = next.allowedCountries;
    if (!same([...next.allowedDevices].sort(), [...current.allowedDevices].sort())) diff.allowedDevices = next.allowedDevices as UpdateShareInput['allowedDevices'];
    if (next.requireDevice !== current.requireDevice) diff.requireDevice = next.requireDevice;
    if (next.showGuestPresence !== current.showGuestPresence) diff.showGuestPresence = next.showGuestPresence;
    if (next.keepPartiesApart !== current.keepPartiesApart) diff.keepPartiesApart = next.keepPartiesApart;
    if (!same(next.recipients, current.recipients)) diff.recipients = next.recipients;
    if (next.message !== (current.message ?? null)) diff.message = next.message;
    if (showNeedToKnow && next.needToKnow !== (current.needToKnow ?? null)) {
      // The server refuses it too (cji_not_permitted); saying so here keeps the other changes in the form.
      if (current.criminalIntel && !next.needToKnow) { setError({ code: 'validation_failed', message: 'Check the highlighted fields.', fields: { needToKnow: 'This share holds criminal intelligence: the statement cannot be emptied.' } }); return; }
      diff.needToKnow = next.needToKnow;
    }
    if (next.audience !== current.audience) diff.audience = next.audience;
    if (!same(next.allowedDomains, current.allowedDomains)) diff.allowedDomains = next.allowedDomains;
    if (passwordMode === 'remove') diff.password = null;
    if (passwordMode === 'set') {
      const pw = text('password');
      if (!pw) { setError({ code: 'validation_failed', message: 'Check the highlighted fields.', fields: { password: 'Enter the new password.' } }); return; }
      diff.password = pw;
    }
    if (!Object.keys(diff).length) { ref.current?.close(); return; }
    setLists({ allowedIpRanges: next.allowedIpRanges, allowedCountries: next.allowedCountries, recipients: next.recipients, allowedDomains: next.allowedDomains });
    startTransition(async () => {
      setError(null);
      const r = await updateShareAction(shareId, diff);
      if (!r.ok) { setError(r.error); return; }
      ref.current?.close();
      router.refresh();
    });
  }

  const fe = fieldErrors(error, lists);
  const err = (k: string) => fe[k];
  const top = error && !Object.keys(fe).length ? error.message : error ? 'Some fields need attention.' : null;
  const aria = (k: string) => ({ 'aria-invalid': Boolean(err(k)) || undefined, 'aria-describedby': `${id}-${k}-hint` });

  return (
    <>
      <button type="button" onClick={open} className={button('secondary')}><Icon name="filter" className="size-4" />Edit conditions</button>
      <Modal ref={ref} wide title="Edit share conditions" busy={pending} description="Changes apply to the guest's next request. The link itself stays the same.">
        <form key={round} method="post" onSubmit={submit} noValidate className="flex min-h-0 flex-1 flex-col">
          <div className="min-h-0 flex-1 space-y-6 overflow-y-auto px-6 py-5">
            <AudienceFields compact defaultAudience={current.audience} defaultRecipients={current.recipients} defaultDomains={current.allowedDomains}
              errors={{ audience: err('audience'), recipients: err('recipients'), allowedDomains: err('allowedDomains') }} />
            {showNeedToKnow ? (
              <Field htmlFor={`${id}-needToKnow`} label="Need-to-know and right-to-know statement" optional={!current.criminalIntel} error={err('needToKnow')}
                hint={current.criminalIntel ? 'Required: this share holds criminal intelligence (28 CFR Part 23). A change is recorded in the audit trail; later releases are logged under the new statement.' : 'Used when the share holds criminal intelligence. Up to 2,000 characters.'}>
                <textarea id={`${id}-needToKnow`} name="needToKnow" rows={3} maxLength={2000} required={current.criminalIntel} defaultValue={current.needToKnow ?? ''} className={`${input} min-h-[5rem] resize-y`} {...aria('needToKnow')} />
              </Field>
            ) : null}
            <PermissionChoice defaultValue={current.permission} />
            <div className="grid gap-2 sm:grid-cols-3">
              <ToggleCard name="allowDownload" title="Allow download" defaultChecked={current.allowDownload} description="Guests may save a copy." />
              <ToggleCard name="allowPrint" title="Allow printing" defaultChecked={current.allowPrint} description="Printing from the viewer and from PDFs." />
              <ToggleCard name="watermark" title="Watermark" defaultChecked={current.watermark} description="Identity, IP and time on every page." />
            </div>

            <fieldset>
              <legend className={label}>Password</legend>
              <div className="mt-1.5 flex flex-wrap gap-x-5 gap-y-2 text-sm text-slate-800">
                {([['keep', current.hasPassword ? 'Keep the current password' : 'No password'], ['set', current.hasPassword ? 'Change it' : 'Set a password'], ...(current.hasPassword ? [['remove', 'Remove it']] : [])] as [typeof passwordMode, string][]).map(([v, text]) => (
                  <label key={v} className="inline-flex items-center gap-2">
                    <input type="radio" name="passwordMode" value={v} checked={passwordMode === v} onChange={() => setPasswordMode(v)} className="size-4 accent-indigo-600" />{text}
                  </label>
                ))}
              </div>
              {passwordMode === 'set' ? (
                <div className="mt-3 max-w-md">
                  <label htmlFor={`${id}-password`} className="sr-only">New password</label>
                  <PasswordInput id={`${id}-password`} placeholder="New password, at least 8 characters" invalid={Boolean(err('password'))} describedBy={`${id}-password-hint`} autoFocus />
                </div>
              ) : null}
              {passwordMode !== 'keep' || err('password') ? (
                <p id={`${id}-password-hint`} className={`mt-1.5 text-xs ${err('password') ? 'text-red-700' : 'text-amber-800'}`}>{err('password') ?? 'Every open guest session ends, and guests must open the link again.'}</p>
              ) : null}
            </fieldset>

            <Field htmlFor={`${id}-terms`} label="Terms of use" error={err('termsVersionId')} hint="Guests who accepted other terms must accept these before their next request.">
              <select id={`${id}-terms`} name="termsVersionId" defaultValue={current.termsVersionId ?? ''} className={select} {...aria('termsVersionId')}>
                <option value="">None</option>
                {terms.map((t) => <option key={t.id} value={t.id}>{t.label}</option>)}
              </select>
            </Field>

            <Field htmlFor={`${id}-ips`} label="Allowed IP ranges" error={err('allowedIpRanges')} hint="One CIDR range a line. Empty allows any network.">
              <textarea id={`${id}-ips`} name="allowedIpRanges" rows={3} spellCheck={false} defaultValue={current.allowedIpRanges.join('\n')} className={textarea} {...aria('allowedIpRanges')} />
            </Field>
            <Field htmlFor={`${id}-countries`} label="Allowed countries" error={err('allowedCountries')} hint="ISO codes separated by commas or spaces. Empty allows any country.">
              <input id={`${id}-countries`} name="allowedCountries" type="text" spellCheck={false} defaultValue={current.allowedCountries.join(', ')} className={`${input} font-mono uppercase`} {...aria('allowedCountries')} />
            </Field>
            <DeviceChoice defaultValue={current.allowedDevices} error={err('allowedDevices')} />
            <ToggleCard name="requireDevice" icon="key" title={REQUIRE_DEVICE_LABEL} defaultChecked={current.requireDevice} description={REQUIRE_DEVICE_HINT} />
            <div className="grid gap-2 sm:grid-cols-2">
              <ToggleCard name="showGuestPresence" icon="users" title={SHOW_PRESENCE_LABEL} defaultChecked={current.showGuestPresence} description={SHOW_PRESENCE_HINT} />
              <ToggleCard name="keepPartiesApart" icon="shield" title={KEEP_APART_LABEL} defaultChecked={current.keepPartiesApart} description={KEEP_APART_HINT} />
            </div>
            <Field htmlFor={`${id}-message`} label="Message" error={err('message')} hint="Shown to the guest as plain text.">
              <textarea id={`${id}-message`} name="message" rows={3} maxLength={2000} defaultValue={current.message ?? ''} className={`${input} resize-y`} {...aria('message')} />
            </Field>
          </div>
          <ModalActions error={top}>
            <button type="button" onClick={() => ref.current?.close()} disabled={pending} className={button('secondary')}>Cancel</button>
            <button type="submit" disabled={pending} className={button('primary')}>{pending ? 'Saving…' : 'Save changes'}</button>
          </ModalActions>
        </form>
      </Modal>
    </>
  );
}
