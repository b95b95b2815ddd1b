'use client';
import { useId, useRef, type ReactNode } from 'react';
import { cx } from '../ui/styles';
import { CollabIcon, type CollabIconName } from './collab-icons';

export interface TabSpec { id: string; label: string; icon: CollabIconName; count?: number; content: ReactNode }

/**
 * WAI-ARIA tabs with a roving tabindex: Tab reaches the selected tab, arrow keys, Home and End move
 * between tabs (and select them), Tab again enters the panel.
 */
export function CollabTabs({ tabs, selected, onSelect }: { tabs: TabSpec[]; selected: string; onSelect(id: string): void }) {
  const base = useId();
  const refs = useRef(new Map<string, HTMLButtonElement>());
  const current = tabs.find((t) => t.id === selected) ?? tabs[0];
  const move = (to: number) => {
    const t = tabs[(to + tabs.length) % tabs.length];
    onSelect(t.id);
    refs.current.get(t.id)?.focus();
  };
  return (
    <>
      <div role="tablist" aria-label="Collaboration" className="flex shrink-0 border-b border-slate-200 bg-white px-1"
        onKeyDown={(e) => {
          const i = tabs.findIndex((t) => t.id === current.id);
          if (e.key === 'ArrowRight') { e.preventDefault(); move(i + 1); }
          else if (e.key === 'ArrowLeft') { e.preventDefault(); move(i - 1); }
          else if (e.key === 'Home') { e.preventDefault(); move(0); }
          else if (e.key === 'End') { e.preventDefault(); move(tabs.length - 1); }
        }}>
        {tabs.map((t) => {
          const on = t.id === current.id;
          return (
            <button key={t.id} ref={(el) => { if (el) refs.current.set(t.id, el); else refs.current.delete(t.id); }}
              type="button" role="tab" id={`${base}-tab-${t.id}`} aria-selected={on} aria-controls={`${base}-panel-${t.id}`} tabIndex={on ? 0 : -1}
              onClick={() => onSelect(t.id)}
              className={cx('relative -mb-px flex min-w-0 flex-1 flex-col items-center justify-center gap-0.5 border-b-2 px-1 pt-2 pb-1.5 text-xs font-medium whitespace-nowrap transition-colors focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-600',
                on ? 'border-indigo-600 text-indigo-700' : 'border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900')}>
              <span className="relative">
                <CollabIcon name={t.icon} className="size-[18px]" />
                {t.count ? (
                  <span className={cx('tabular absolute -top-1.5 left-3 min-w-4 rounded-full px-1 text-center text-[10px] leading-4 font-semibold ring-2 ring-white', on ? 'bg-indigo-600 text-white' : 'bg-slate-600 text-white')}>
                    {t.count > 99 ? '99+' : t.count}
                  </span>
                ) : null}
              </span>
              {t.label}
              {t.count ? <span className="sr-only"> ({t.count})</span> : null}
            </button>
          );
        })}
      </div>
      <div role="tabpanel" id={`${base}-panel-${current.id}`} aria-labelledby={`${base}-tab-${current.id}`} tabIndex={0}
        className="flex min-h-0 flex-1 flex-col focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-600">
        {current.content}
      </div>
    </>
  );
}
