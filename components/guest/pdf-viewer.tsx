'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { PDFDocumentProxy } from 'pdfjs-dist';
import { Icon } from '../ui/icons';
import { button } from '../ui/styles';

type State = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; doc: PDFDocumentProxy };

/** Renders the (already watermarked, when required) preview one page at a time with pdf.js. */
export function PdfViewer({ src, overlay }: { src: string; overlay?: React.ReactNode }) {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [page, setPage] = useState(1);
  const canvas = useRef<HTMLCanvasElement>(null);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let cancelled = false;
    (async () => {
      try {
        const res = await fetch(src, { credentials: 'same-origin', cache: 'no-store' });
        if (!res.ok) {
          const body = await res.json().catch(() => null) as { error_description?: string } | null;
          throw new Error(body?.error_description ?? `The document could not be loaded (${res.status}).`);
        }
        const data = new Uint8Array(await res.arrayBuffer());
        const pdfjs = await import('pdfjs-dist');
        pdfjs.GlobalWorkerOptions.workerSrc = '/vendor/pdf.worker.min.mjs';
        const doc = await pdfjs.getDocument({ data, isEvalSupported: false }).promise;
        if (!cancelled) setState({ kind: 'ready', doc });
      } catch (e) {
        if (!cancelled) setState({ kind: 'error', message: (e as Error).message });
      }
    })();
    return () => { cancelled = true; };
  }, [src]);

  useEffect(() => {
    if (state.kind !== 'ready' || !canvas.current || !box.current) return;
    let task: { cancel(): void; promise: Promise<void> } | null = null;
    (async () => {
      const p = await state.doc.getPage(page);
      const base = p.getViewport({ scale: 1 });
      // clientWidth includes the frame's padding; the page must fit inside it.
      const cs = getComputedStyle(box.current!);
      const room = box.current!.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
      const scale = Math.min(2, room / base.width);
      const vp = p.getViewport({ scale: scale * (window.devicePixelRatio || 1) });
      const c = canvas.current!;
      c.width = vp.width;
      c.height = vp.height;
      c.style.width = `${vp.width / (window.devicePixelRatio || 1)}px`;
      task = p.render({ canvasContext: c.getContext('2d')!, viewport: vp, canvas: c } as never);
      await task.promise.catch(() => undefined);
    })();
    return () => task?.cancel();
  }, [state, page]);

  const pages = state.kind === 'ready' ? state.doc.numPages : 0;
  const go = useCallback((n: number) => setPage((cur) => Math.min(Math.max(1, n === 0 ? cur : n), pages || 1)), [pages]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLInputElement) return;
      if (e.key === 'ArrowRight' || e.key === 'PageDown') setPage((c) => Math.min(c + 1, pages || 1));
      if (e.key === 'ArrowLeft' || e.key === 'PageUp') setPage((c) => Math.max(c - 1, 1));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [pages]);

  return (
    <div className="space-y-3">
      <div className="flex items-center justify-between rounded-lg bg-white px-3 py-2 text-sm shadow-sm ring-1 ring-slate-200">
        <button type="button" onClick={() => go(page - 1)} disabled={page <= 1} className={button('secondary', 'sm')}><Icon name="chevronLeft" className="size-4" />Previous</button>
        <span aria-live="polite" className="tabular font-medium text-slate-700">{state.kind === 'ready' ? `Page ${page} of ${pages}` : state.kind === 'loading' ? 'Loading…' : 'Unavailable'}</span>
        <button type="button" onClick={() => go(page + 1)} disabled={page >= pages} className={button('secondary', 'sm')}>Next<Icon name="chevronRight" className="size-4" /></button>
      </div>
      <div ref={box} className="relative grid min-h-96 place-items-center overflow-hidden rounded-lg bg-slate-200/70 p-4 ring-1 ring-slate-200">
        {state.kind === 'error' ? <p role="alert" className="text-sm text-red-800">{state.message}</p> : null}
        {state.kind === 'loading' ? <p className="animate-pulse text-sm text-slate-600">Preparing your copy…</p> : null}
        <canvas ref={canvas} data-testid="pdf-page" aria-label={`Page ${page}`} className={state.kind === 'ready' ? 'bg-white shadow-md ring-1 ring-slate-900/5' : 'hidden'} />
        {overlay}
      </div>
    </div>
  );
}
