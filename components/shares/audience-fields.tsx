'use client';

import { useId, useState } from 'react';
import { Icon, type IconName } from '../ui/icons';
import { label } from '../ui/styles';
import { Field, textarea } from './fields';
import { AUDIENCES, type AudienceValue } from './labels';

const ICONS: Record<AudienceValue, IconName> = { ANYONE_WITH_LINK: 'link', VERIFIED_EMAIL: 'mail', INVITED: 'userCheck' };

const RECIPIENT_HINT: Record<AudienceValue, string> = {
  ANYONE_WITH_LINK: 'Recorded with the share and told when it is revoked. Email addresses, one a line.',
  VERIFIED_EMAIL: 'These addresses may ask for a one-time code, as may any address in the domains below. One a line.',
  INVITED: 'Each address gets an invitation mail with a link to set a password. Only they can open the share. One a line.',
};

/**
 * Who may open the link, the recipients, and (for verified email) the allowed domains. Stateful so the
 * fields that matter for the chosen audience are the ones shown; all of them are plain form fields.
 */
export function AudienceFields({ defaultAudience = 'ANYONE_WITH_LINK', defaultRecipients = [], defaultDomains = [], errors, compact }: {
  defaultAudience?: AudienceValue; defaultRecipients?: string[]; defaultDomains?: string[];
  errors: { audience?: string; recipients?: string; allowedDomains?: string }; compact?: boolean;
}) {
  const id = useId();
  const [audience, setAudience] = useState<AudienceValue>(defaultAudience);
  const aria = (k: 'recipients' | 'allowedDomains') => ({ 'aria-invalid': Boolean(errors[k]) || undefined, 'aria-describedby': `${id}-${k}-hint` });
  return (
    <>
      <fieldset data-testid="audience-choice">
        <legend className={label}>Who can open it</legend>
        <div className={`mt-1.5 grid gap-2 ${compact ? '' : 'lg:grid-cols-3'}`}>
          {AUDIENCES.map((a) => (
            <label key={a.value} className="flex cursor-pointer gap-3 rounded-md p-3.5 ring-1 ring-slate-200 ring-inset hover:bg-slate-50 has-[:checked]:bg-indigo-50/60 has-[:checked]:ring-2 has-[:checked]:ring-indigo-500 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-indigo-600">
              <input type="radio" name="audience" value={a.value} checked={audience === a.value} onChange={() => setAudience(a.value)}
                className="mt-0.5 size-4 shrink-0 accent-indigo-600 focus-visible:outline-none" />
              <span className="min-w-0">
                <span className="flex items-center gap-1.5 text-sm font-medium text-slate-900"><Icon name={ICONS[a.value]} className="size-4 text-slate-500" />{a.label}</span>
                <span className="mt-0.5 block text-xs leading-relaxed text-slate-600">{a.hint}</span>
              </span>
            </label>
          ))}
        </div>
        {errors.audience ? <p className="mt-1.5 text-xs text-red-700">{errors.audience}</p> : null}
      </fieldset>

      <div className={audience === 'VERIFIED_EMAIL' && !compact ? 'grid gap-5 lg:grid-cols-2' : 'space-y-5'}>
        <Field htmlFor={`${id}-recipients`} label={audience === 'INVITED' ? 'People to invite' : 'Recipients'} optional={audience !== 'INVITED'} error={errors.recipients} hint={RECIPIENT_HINT[audience]}>
          <textarea id={`${id}-recipients`} name="recipients" rows={3} spellCheck={false} defaultValue={defaultRecipients.join('\n')} placeholder="counsel@example.com"
            className={`${textarea} ${compact ? '' : 'sm:max-w-md'}`} {...aria('recipients')} />
        </Field>
        {audience === 'VERIFIED_EMAIL' ? (
          <Field htmlFor={`${id}-allowedDomains`} label="Allowed domains" optional error={errors.allowedDomains}
            hint="Anyone with an address in these domains may ask for a code, e.g. partner.example. One a line.">
            <textarea id={`${id}-allowedDomains`} name="allowedDomains" rows={3} spellCheck={false} defaultValue={defaultDomains.join('\n')} placeholder="partner.example"
              className={`${textarea} ${compact ? '' : 'sm:max-w-md'}`} {...aria('allowedDomains')} />
          </Field>
        ) : <input type="hidden" name="allowedDomains" value={defaultDomains.join('\n')} />}
      </div>
    </>
  );
}
