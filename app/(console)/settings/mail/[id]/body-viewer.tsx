'use client';

import { useId, useState } from 'react';

/**
 * The mail's two parts. The HTML is shown in an iframe with an empty `sandbox` (no scripts, no forms,
 * no same-origin access, no navigation of the console) and a CSP that blocks every remote load, so a
 * mail can never act inside the console; the text part is shown as text.
 */
export function BodyViewer({ text, html }: { text: string; html: string }) {
  const [tab, setTab] = useState<'html' | 'text'>('html');
  const id = useId();
  const csp = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`;
  const tabs = [{ key: 'html', label: 'HTML' }, { key: 'text', label: 'Plain text' }] as const;
  return (
    <div>
      <div role="tablist" aria-label="Mail part" className="flex gap-1 border-b border-slate-200 px-4">
        {tabs.map((t) => (
          <button key={t.key} type="button" role="tab" id={`${id}-${t.key}`} aria-selected={tab === t.key} aria-controls={`${id}-${t.key}-panel`}
            tabIndex={tab === t.key ? 0 : -1}
            onKeyDown={(e) => { if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') { e.preventDefault(); setTab(tab === 'html' ? 'text' : 'html'); document.getElementById(`${id}-${tab === 'html' ? 'text' : 'html'}`)?.focus(); } }}
            onClick={() => setTab(t.key)}
            className={`-mb-px border-b-2 px-3 py-2.5 text-sm font-medium ${tab === t.key ? 'border-indigo-600 text-indigo-700' : 'border-transparent text-slate-600 hover:text-slate-900'}`}>
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${id}-html-panel`} aria-labelledby={`${id}-html`} hidden={tab !== 'html'} className="bg-slate-100 p-4">
        <iframe title="HTML part of the mail (sandboxed)" sandbox="" srcDoc={csp + html} referrerPolicy="no-referrer" data-testid="mail-html"
          className="h-[38rem] w-full rounded-md bg-white ring-1 ring-slate-200" />
      </div>
      <div role="tabpanel" id={`${id}-text-panel`} aria-labelledby={`${id}-text`} hidden={tab !== 'text'} className="p-4">
        <pre className="max-h-[38rem] overflow-auto rounded-md bg-slate-50 p-4 font-mono text-[13px] leading-relaxed whitespace-pre-wrap text-slate-800 ring-1 ring-slate-200" data-testid="mail-text">{text}</pre>
      </div>
    </div>
  );
}
