'use client';

import Link from 'next/link';
import { useCallback, useId, useRef, useState, useTransition } from 'react';
import { createShareAction, searchDocumentsAction, type CreatedShare } from '@/app/(console)/shares/new/actions';
import { Icon } from '../ui/icons';
import { Notice } from '../ui/notice';
import { button, card, input, select } from '../ui/styles';
import { AudienceFields } from './audience-fields';
import { DocumentPicker, type PickerDoc } from './document-picker';
import { fieldErrors, formLevelError, type ActionError } from './field-errors';
import { DeviceChoice, Field, FormSection, PasswordInput, PermissionChoice, textarea, ToggleCard } from './fields';
import { fromUtcInput, splitCodes, splitLines } from './format';
import { KEEP_APART_HINT, KEEP_APART_LABEL, REQUIRE_DEVICE_HINT, REQUIRE_DEVICE_LABEL, SHOW_PRESENCE_HINT, SHOW_PRESENCE_LABEL, type AudienceValue } from './labels';
import { ShareCreatedPanel } from './share-created-panel';

export interface TermsOption { id: string; label: string }
export interface ExpiryPolicy { defaultValue: string; min: string; max: string; defaultDays: number; maxDays: number }

export function CreateShareForm({ documents, complete, ceiling, preselected, terms, expiry }: {
  documents: PickerDoc[]; complete: boolean; ceiling: string; preselected: PickerDoc[]; terms: TermsOption[]; expiry: ExpiryPolicy;
}) {
  const id = useId();
  const topRef = useRef<HTMLDivElement>(null);
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<ActionError | null>(null);
  const [lists, setLists] = useState<Record<string, string[]>>({});
  const [created, setCreated] = useState<CreatedShare | null>(null);
  // Remounting the form after "Create another" clears every field back to the secure defaults.
  const [round, setRound] = useState(0);

  const onSearch = useCallback(async (q: string) => {
    const r = await searchDocumentsAction(q);
    return r.ok ? r.data : null;
  }, []);

  // method="post" on the form: a submit before hydration must never put the password in a URL.
  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const text = (k: string) => String(f.get(k) ?? '');
    const expiresRaw = text('expiresAt');
    const expiresAt = expiresRaw ? fromUtcInput(expiresRaw) : null;
    if (expiresRaw && !expiresAt) { setError({ code: 'validation_failed', message: 'Check the highlighted fields.', fields: { expiresAt: 'Enter a date and time.' } }); return; }
    const input = {
      documentIds: f.getAll('documentIds').map(String),
      permission: text('permission') as 'VIEW' | 'COMMENT' | 'EDIT',
      allowDownload: f.get('allowDownload') === 'on',
      allowPrint: f.get('allowPrint') === 'on',
      watermark: f.get('watermark') === 'on',
      expiresAt: expiresAt?.toISOString(),
      password: text('password') || undefined,
      termsVersionId: text('termsVersionId') || undefined,
      allowedIpRanges: splitLines(text('allowedIpRanges')),
      allowedCountries: splitCodes(text('allowedCountries')),
      allowedDevices: f.getAll('allowedDevices').map(String) as ('desktop' | 'mobile' | 'tablet')[],
      requireDevice: f.get('requireDevice') === 'on',
      showGuestPresence: f.get('showGuestPresence') === 'on',
      keepPartiesApart: f.get('keepPartiesApart') === 'on',
      audience: (text('audience') || 'ANYONE_WITH_LINK') as AudienceValue,
      recipients: splitLines(text('recipients')).flatMap((l) => l.split(/[,;\s]+/)).filter(Boolean),
      allowedDomains: splitLines(text('allowedDomains')).flatMap((l) => l.split(/[,;\s]+/)).filter(Boolean).map((d) => d.replace(/^@/, '').toLowerCase()),
      message: text('message').trim() || undefined,
      needToKnow: text('needToKnow').trim() || undefined,
    };
    setLists({ allowedIpRanges: input.allowedIpRanges, allowedCountries: input.allowedCountries, recipients: input.recipients, allowedDomains: input.allowedDomains });
    startTransition(async () => {
      setError(null);
      const r = await createShareAction(input);
      if (!r.ok) { setError(r.error); topRef.current?.scrollIntoView({ block: 'start' }); return; }
      setCreated(r.data);
      window.scrollTo({ top: 0 });
    });
  }

  if (created) {
    return <ShareCreatedPanel created={created} termsLabel={terms.find((t) => t.id === created.termsVersionId)?.label ?? null}
      onAnother={() => { setCreated(null); setError(null); setRound((n) => n + 1); }} />;
  }

  const fe = fieldErrors(error, lists);
  const top = formLevelError(error, fe);
  const err = (k: string) => fe[k];
  const described = (k: string) => ({ 'aria-invalid': Boolean(err(k)) || undefined, 'aria-describedby': `${id}-${k}-hint` });

  return (
    <div ref={topRef} className="scroll-mt-8">
      {top ? <Notice tone="error" title="The share was not created" className="mb-4">{top}</Notice> : null}
      <form key={round} method="post" onSubmit={onSubmit} noValidate className={`${card} divide-y divide-slate-200 px-6 py-4 sm:px-8`}>
        <FormSection title="Documents" description="What the guest will see. Documents marked above your organisation's TLP ceiling cannot leave it.">
          <DocumentPicker initial={documents} complete={complete} ceiling={ceiling} preselected={preselected} error={err('documentIds')} onSearch={onSearch} />
        </FormSection>

        <FormSection title="Audience" description="Who may open the link. A verified or invited guest is named on the watermark and in the access log, and can be found under Guests.">
          <AudienceFields errors={{ audience: err('audience'), recipients: err('recipients'), allowedDomains: err('allowedDomains') }} />
        </FormSection>

        <FormSection title="What the guest may do" description="Secure by default: view only, no printing, watermarked. Loosen only what the recipient needs.">
          <PermissionChoice />
          <div className="grid gap-2 lg:grid-cols-3">
            <ToggleCard name="allowDownload" icon="download" title="Allow download" description="Guests may save a copy. When off, they read in the browser viewer only." />
            <ToggleCard name="allowPrint" icon="file" title="Allow printing" description="When off, the viewer blocks printing and downloaded PDFs are marked print-disabled." />
            <ToggleCard name="watermark" icon="shield" defaultChecked title="Watermark" description="Every page shown or downloaded carries the guest's identity, IP address and the UTC time, tiled across the page, so a leaked copy names its source." />
          </div>
        </FormSection>

        <FormSection title="Expiry and protection" description="Every share ends. A password and terms of use are checked before any document is shown.">
          <Field htmlFor={`${id}-expiresAt`} label="Expires at (UTC)" error={err('expiresAt')}
            hint={<>Defaults to {expiry.defaultDays} days from now. Your organisation allows at most {expiry.maxDays} days (until {expiry.max.replace('T', ' ')} UTC).</>}>
            <input id={`${id}-expiresAt`} name="expiresAt" type="datetime-local" defaultValue={expiry.defaultValue} min={expiry.min} max={expiry.max} required
              className={`${input} tabular sm:w-64`} {...described('expiresAt')} />
          </Field>
          <Field htmlFor={`${id}-password`} label="Password" optional error={err('password')}
            hint="At least 8 characters. Send it to the recipient through another channel than the link.">
            <div className="sm:max-w-md"><PasswordInput id={`${id}-password`} invalid={Boolean(err('password'))} describedBy={`${id}-password-hint`} /></div>
          </Field>
          <Field htmlFor={`${id}-terms`} label="Terms of use" optional error={err('termsVersionId')}
            hint={<>The guest must accept this text before seeing anything; each acceptance is recorded. <Link href="/terms" className="font-medium text-indigo-600 hover:text-indigo-500">Manage terms</Link></>}>
            <select id={`${id}-terms`} name="termsVersionId" defaultValue="" className={`${select} sm:max-w-md`} {...described('termsVersionId')}>
              <option value="">None</option>
              {terms.map((t) => <option key={t.id} value={t.id}>{t.label}</option>)}
            </select>
          </Field>
        </FormSection>

        <FormSection title="Access conditions" description="Optional limits checked on every request. A guest outside them is refused and the attempt is logged.">
          <Field htmlFor={`${id}-ips`} label="Allowed IP ranges" optional error={err('allowedIpRanges')}
            hint="One address or CIDR range a line, IPv4 or IPv6, e.g. 203.0.113.0/24. Empty allows any network.">
            <textarea id={`${id}-ips`} name="allowedIpRanges" rows={3} spellCheck={false} placeholder={'203.0.113.0/24\n2001:db8::/32'} className={`${textarea} sm:max-w-md`} {...described('allowedIpRanges')} />
          </Field>
          <Field htmlFor={`${id}-countries`} label="Allowed countries" optional error={err('allowedCountries')}
            hint="ISO 3166-1 two-letter codes, separated by commas or spaces, e.g. GB, IE, NL. Empty allows any country.">
            <input id={`${id}-countries`} name="allowedCountries" type="text" spellCheck={false} autoCapitalize="characters" placeholder="GB, IE, NL" className={`${input} font-mono uppercase sm:max-w-md`} {...described('allowedCountries')} />
          </Field>
          <DeviceChoice error={err('allowedDevices')} />
          <div className="sm:max-w-2xl"><ToggleCard name="requireDevice" icon="key" title={REQUIRE_DEVICE_LABEL} description={REQUIRE_DEVICE_HINT} /></div>
        </FormSection>

        <FormSection title="Real time" description="What guests of this share see of each other while they comment, ask and view. Staff see everyone.">
          <div className="grid gap-2 sm:max-w-2xl sm:grid-cols-2">
            <ToggleCard name="showGuestPresence" icon="users" title={SHOW_PRESENCE_LABEL} description={SHOW_PRESENCE_HINT} />
            <ToggleCard name="keepPartiesApart" icon="shield" title={KEEP_APART_LABEL} description={KEEP_APART_HINT} />
          </div>
        </FormSection>

        <FormSection title="Message" description="Shown to the guest above the documents, as plain text, and added to invitation mails.">
          <Field htmlFor={`${id}-message`} label="Message" optional error={err('message')} hint="Up to 2,000 characters.">
            <textarea id={`${id}-message`} name="message" rows={4} maxLength={2000} placeholder="Please review before Thursday's call." className={`${input} min-h-[6rem] resize-y`} {...described('message')} />
          </Field>
        </FormSection>

        <FormSection title="Criminal intelligence" description="Documents marked as criminal intelligence (28 CFR Part 23) are shared only with people of partner organisations marked as law-enforcement agencies, named one by one (invited or verified email), and only with a need-to-know and right-to-know statement. Each release is logged with it.">
          <Field htmlFor={`${id}-needToKnow`} label="Need-to-know and right-to-know statement" optional error={err('needToKnow')} hint="Required when a chosen document is criminal intelligence. Up to 2,000 characters.">
            <textarea id={`${id}-needToKnow`} name="needToKnow" rows={3} maxLength={2000} placeholder="Joint investigation 24-117: the assigned detectives need this report to plan the operation." className={`${input} min-h-[5rem] resize-y`} {...described('needToKnow')} />
          </Field>
        </FormSection>

        <div className="flex flex-col-reverse gap-3 pt-6 sm:flex-row sm:items-center sm:justify-end">
          <Link href="/shares" className={button('ghost')}>Cancel</Link>
          <button type="submit" disabled={pending} className={button('primary')} data-testid="create-share">
            <Icon name="link" className="size-4" />{pending ? 'Creating share…' : 'Create share'}
          </button>
        </div>
      </form>
    </div>
  );
}
