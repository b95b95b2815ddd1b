'use client';

import { useEffect, useState } from 'react';
import { Icon } from './ui/icons';
import { button } from './ui/styles';

async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch { /* fall through to the legacy path */ }
  // Plain-HTTP deployments have no Clipboard API; a selected off-screen textarea still copies.
  const ta = document.createElement('textarea');
  ta.value = text;
  ta.setAttribute('readonly', '');
  ta.style.position = 'fixed';
  ta.style.opacity = '0';
  document.body.appendChild(ta);
  ta.select();
  let ok = false;
  try { ok = document.execCommand('copy'); } catch { ok = false; }
  ta.remove();
  return ok;
}

export function CopyButton({ value, label = 'Copy', size = 'sm', variant = 'secondary', iconOnly = false }: { value: string; label?: string; size?: 'sm' | 'md'; variant?: 'secondary' | 'ghost' | 'primary'; iconOnly?: boolean }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const t = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(t);
  }, [state]);
  const text = state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : label;
  return (
    <button
      type="button"
      onClick={async () => setState((await copyText(value)) ? 'copied' : 'failed')}
      className={button(variant, size, iconOnly ? 'px-2' : '')}
      aria-label={iconOnly ? label : undefined}
      title={iconOnly ? label : undefined}
    >
      <Icon name={state === 'copied' ? 'check' : 'copy'} className={`size-4 ${state === 'copied' ? 'text-emerald-600' : ''}`} />
      {iconOnly ? <span className="sr-only" aria-live="polite">{state === 'idle' ? '' : text}</span> : <span aria-live="polite">{text}</span>}
    </button>
  );
}
