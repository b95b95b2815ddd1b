'use client';
import { useRef, useState, type ReactNode } from 'react';
import type { CommentAnchor, CommentDto } from '@/lib/collab/types';
import { cx } from '../ui/styles';

export type AnnotateTool = 'rect' | 'highlight';

/** A region smaller than this (of the page's width or height) is a click, not a drawing. */
const MIN_SIZE = 0.01;

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));
const round4 = (v: number) => Math.round(v * 10_000) / 10_000;
const pct = (v: number) => `${(v * 100).toFixed(3)}%`;

function box(a: { x: number; y: number; w: number; h: number }) {
  return { left: pct(a.x), top: pct(a.y), width: pct(a.w), height: pct(a.h) };
}

/**
 * Drawn over one page image, in its box: the annotations of that page (outlined boxes and translucent
 * highlights, numbered like their threads; picking one picks its thread), and, with a tool chosen, a
 * drag that draws a new region in fractions of the page. Styles are set on the client only (the page's
 * Content-Security-Policy refuses style attributes in server markup; this layer exists after mount).
 */
export function AnnotationLayer({ threads, numbers, activeThreadId, onPick, tool, draft, onDraw, composer }: {
  /** Root comments with an anchor on this page. */
  threads: CommentDto[];
  numbers: Map<string, number>;
  activeThreadId: string | null;
  onPick(threadId: string): void;
  tool: AnnotateTool | null;
  /** The region being commented on, when a drawing has just ended on this page. */
  draft: CommentAnchor | null;
  onDraw(anchor: CommentAnchor): void;
  /** The small composer shown next to the draft. */
  composer: ReactNode;
}) {
  const layer = useRef<HTMLDivElement>(null);
  const [drag, setDrag] = useState<{ x0: number; y0: number; x: number; y: number } | null>(null);

  const at = (e: React.PointerEvent) => {
    const r = layer.current!.getBoundingClientRect();
    return { x: clamp01((e.clientX - r.left) / r.width), y: clamp01((e.clientY - r.top) / r.height) };
  };
  const region = drag ? { x: Math.min(drag.x0, drag.x), y: Math.min(drag.y0, drag.y), w: Math.abs(drag.x - drag.x0), h: Math.abs(drag.y - drag.y0) } : null;

  return (
    <div ref={layer} data-testid="annotation-layer" className={cx('absolute inset-0', tool ? 'cursor-crosshair touch-none' : 'pointer-events-none')}
      onPointerDown={tool ? (e) => {
        if (e.button !== 0 || e.target !== layer.current) return;
        e.preventDefault();
        layer.current!.setPointerCapture(e.pointerId);
        const p = at(e);
        setDrag({ x0: p.x, y0: p.y, x: p.x, y: p.y });
      } : undefined}
      onPointerMove={drag ? (e) => { const p = at(e); setDrag((d) => (d ? { ...d, x: p.x, y: p.y } : d)); } : undefined}
      onPointerUp={drag ? () => {
        if (region && tool && region.w >= MIN_SIZE && region.h >= MIN_SIZE) {
          onDraw({ kind: tool, x: round4(region.x), y: round4(region.y), w: round4(region.w), h: round4(region.h) });
        }
        setDrag(null);
      } : undefined}
      onPointerCancel={() => setDrag(null)}>
      {threads.map((t) => {
        const a = t.anchor!;
        const n = numbers.get(t.id);
        const active = t.id === activeThreadId;
        const resolved = t.resolvedAt != null;
        return (
          <button key={t.id} type="button" style={box(a)} onClick={() => onPick(t.id)} data-testid="annotation" data-thread={t.id}
            aria-label={`Comment ${n ?? ''} by ${t.author.name}${resolved ? ' (resolved)' : ''}: ${t.body.slice(0, 80)}`} aria-pressed={active}
            className={cx('absolute rounded-[2px] transition-shadow focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600',
              tool ? 'pointer-events-none' : 'pointer-events-auto',
              a.kind === 'highlight'
                ? cx('bg-amber-300/40 mix-blend-multiply hover:bg-amber-300/55', active ? 'ring-2 ring-amber-600' : '')
                : cx('bg-indigo-500/[0.04] ring-2 hover:bg-indigo-500/10', active ? 'ring-indigo-700 shadow-[0_0_0_4px_rgba(79,70,229,0.25)]' : 'ring-indigo-500/80'),
              resolved ? 'opacity-45' : '')}>
            {n ? (
              <span aria-hidden className={cx('absolute -top-2.5 -left-2.5 grid size-5 place-items-center rounded-full text-[11px] font-semibold text-white shadow ring-2 ring-white',
                resolved ? 'bg-slate-500' : a.kind === 'highlight' ? 'bg-amber-600' : 'bg-indigo-600', active ? 'scale-110' : '')}>{n}</span>
            ) : null}
          </button>
        );
      })}
      {region ? <div aria-hidden style={box(region)} className={cx('absolute', tool === 'highlight' ? 'bg-amber-300/45 mix-blend-multiply' : 'border-2 border-dashed border-indigo-600 bg-indigo-500/5')} /> : null}
      {draft ? (
        <>
          <div aria-hidden style={box(draft)} className={cx('absolute', draft.kind === 'highlight' ? 'bg-amber-300/45 mix-blend-multiply ring-2 ring-amber-500' : 'border-2 border-dashed border-indigo-600 bg-indigo-500/5')} />
          <div style={composerPlace(draft)} className="pointer-events-auto absolute z-20 w-80 max-w-[calc(100%-1rem)] cursor-auto">{composer}</div>
        </>
      ) : null}
    </div>
  );
}

/** Below the region, or above it near the bottom of the page; aligned to its right edge near the right side. */
function composerPlace(a: CommentAnchor): React.CSSProperties {
  const vertical = a.y + a.h > 0.7 ? { bottom: `calc(${pct(1 - a.y)} + 8px)` } : { top: `calc(${pct(a.y + a.h)} + 8px)` };
  const horizontal = a.x > 0.5 ? { right: pct(Math.max(0, 1 - (a.x + a.w))) } : { left: pct(a.x) };
  return { ...vertical, ...horizontal };
}
