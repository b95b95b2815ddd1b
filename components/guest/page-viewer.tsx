'use client';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Icon } from '../ui/icons';
import { cx } from '../ui/styles';

export interface PageSize { width: number; height: number }

// Widths the server renders (lib/render/pages.ts PAGE_WIDTHS); asking for one of them avoids rescaling.
const WIDTHS = [800, 1200, 1600, 2000, 2400];
const THUMB_WIDTH = 160;
// "100%" shows a page at its printed size: PDF points are 1/72 inch, CSS pixels 1/96.
const PT_TO_PX = 96 / 72;
const ZOOMS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3];

type Load = { state: 'loading' } | { state: 'ready' } | { state: 'error'; message: string; ended: boolean };

/**
 * The secure viewer: pages arrive as images rendered (and watermarked) on the server, one request per
 * page, so no file or PDF ever reaches the browser. Thumbnails on the left, one page at a time in the
 * middle, keyboard navigation, zoom, and a crisp image on high-DPI screens (the requested width follows
 * the displayed width times devicePixelRatio).
 */
export function PageViewer({ pagesUrl, sizes, title, shareUrl, protect, unit = 'pt', onPageChange, pageRequest, overlay, toolbarExtra, sidebar }: {
  /** Base URL of the page images: `${pagesUrl}/${n}?w=…`. */
  pagesUrl: string;
  sizes: PageSize[];
  title: string;
  /** Where to go when access has ended. */
  shareUrl: string;
  /** No download: discourage saving the image (context menu, dragging). */
  protect: boolean;
  /** Page sizes are PDF points, or pixels for an image. */
  unit?: 'pt' | 'px';
  /** Told whenever the page shown changes (presence, annotations). */
  onPageChange?(page: number): void;
  /** Turns to a page from outside (a comment thread was picked); seq makes the same page a new request. */
  pageRequest?: { page: number; seq: number } | null;
  /** Drawn over the page image, in the image's box (annotations). */
  overlay?: (page: number) => ReactNode;
  /** More controls at the end of the toolbar. */
  toolbarExtra?: ReactNode;
  /** A panel on the right of the page, inside the viewer's frame. */
  sidebar?: ReactNode;
}) {
  const count = sizes.length;
  const [page, setPage] = useState(1);
  const [zoom, setZoom] = useState<number | 'fit'>('fit');
  const [thumbs, setThumbs] = useState(count > 1);
  // The outcome of loading one image URL: a cached image can fire its load event before an effect
  // that reset the state on a new URL would run, so the state names its URL and any other is loading.
  const [loaded, setLoad] = useState<Load & { src?: string | null }>({ state: 'loading' });
  const [frameWidth, setFrameWidth] = useState(0);
  const [dpr, setDpr] = useState(1);
  const [pageInput, setPageInput] = useState('1');
  const frame = useRef<HTMLDivElement>(null);
  // Sizes are set from script once mounted: the page's Content-Security-Policy refuses style attributes
  // in server-rendered markup, while styles set through the DOM are not governed by it.
  const [mounted, setMounted] = useState(false);

  useEffect(() => {
    setMounted(true);
    setDpr(window.devicePixelRatio || 1);
    const el = frame.current;
    if (!el) return;
    const ro = new ResizeObserver(([e]) => setFrameWidth(e.contentRect.width));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const size = sizes[page - 1] ?? sizes[0];
  const natural = size.width * (unit === 'pt' ? PT_TO_PX : 1);
  const fitScale = frameWidth > 0 ? Math.min(1.75, (frameWidth - 48) / natural) : 1;
  const scale = zoom === 'fit' ? fitScale : zoom;
  const cssWidth = Math.max(120, Math.round(natural * scale));
  const cssHeight = Math.round(cssWidth * (size.height / size.width));
  const want = cssWidth * dpr;
  const requestWidth = WIDTHS.find((w) => w >= want) ?? WIDTHS[WIDTHS.length - 1];
  // Every page turn is a request of its own (browsers would otherwise reuse an image already shown in
  // this document), so each turn is decided again: a revoked share stops the very next one.
  const [turn, setTurn] = useState(0);
  const src = frameWidth > 0 ? `${pagesUrl}/${page}?w=${requestWidth}&turn=${turn}` : null;

  const go = useCallback((n: number) => {
    const next = Math.min(Math.max(1, n), count);
    setPage(next);
    setPageInput(String(next));
    setTurn((t) => t + 1);
  }, [count]);

  const load: Load = loaded.src === src ? loaded : { state: 'loading' };
  useEffect(() => { onPageChange?.(page); }, [page, onPageChange]);
  useEffect(() => { if (pageRequest) go(pageRequest.page); }, [pageRequest, go]);

  const stepZoom = useCallback((dir: 1 | -1) => {
    setZoom((z) => {
      const cur = z === 'fit' ? fitScale : z;
      const next = dir > 0 ? ZOOMS.find((v) => v > cur + 0.01) : [...ZOOMS].reverse().find((v) => v < cur - 0.01);
      return next ?? cur;
    });
  }, [fitScale]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // Keys typed into a field (a comment, a search) or handled by a widget (tabs) are not page turns.
      const t = e.target instanceof Element ? e.target : null;
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || t?.closest('input, textarea, select, [contenteditable="true"], [role="tablist"], [role="listbox"], [role="dialog"]')) return;
      if (e.key === 'ArrowRight' || e.key === 'PageDown' || e.key === 'j') { e.preventDefault(); go(page + 1); }
      else if (e.key === 'ArrowLeft' || e.key === 'PageUp' || e.key === 'k') { e.preventDefault(); go(page - 1); }
      else if (e.key === 'Home') { e.preventDefault(); go(1); }
      else if (e.key === 'End') { e.preventDefault(); go(count); }
      else if (e.key === '+' || e.key === '=') stepZoom(1);
      else if (e.key === '-') stepZoom(-1);
      else if (e.key === '0') setZoom('fit');
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go, page, count, stepZoom]);

  // A failed image says nothing about why; ask the same URL for its JSON refusal.
  const onError = useCallback(async () => {
    if (!src) return;
    let message = 'This page could not be loaded. Try again.';
    let ended = false;
    try {
      const res = await fetch(src, { cache: 'no-store', credentials: 'same-origin' });
      const body = await res.json().catch(() => null) as { error?: string; error_description?: string } | null;
      if (body?.error_description) message = body.error_description;
      ended = res.status === 401 || res.status === 410 || body?.error === 'invalid_token';
    } catch { /* keep the generic message */ }
    setLoad({ state: 'error', message, ended, src });
  }, [src]);

  const percent = Math.round(scale * 100);
  const guard = protect ? { onContextMenu: (e: React.MouseEvent) => e.preventDefault(), draggable: false } : {};

  return (
    <div className="overflow-hidden rounded-xl bg-white shadow-sm ring-1 ring-slate-200">
      <div role="toolbar" aria-label="Viewer controls" className="flex flex-wrap items-center gap-2 border-b border-slate-200 bg-white px-3 py-2">
        <ToolButton label={thumbs ? 'Hide page thumbnails' : 'Show page thumbnails'} pressed={thumbs} onClick={() => setThumbs((t) => !t)} icon="panelLeft" disabled={count < 2} />
        <span className="mx-1 h-6 w-px bg-slate-200" aria-hidden />
        <ToolButton label="Previous page" onClick={() => go(page - 1)} icon="chevronLeft" disabled={page <= 1} />
        <form className="flex items-center gap-1.5 text-sm text-slate-600" onSubmit={(e) => {
          e.preventDefault();
          const n = Number(pageInput);
          if (pageInput && Number.isInteger(n)) go(n); else setPageInput(String(page));
          // Back to the page, so the arrow keys turn pages again.
          (document.activeElement as HTMLElement | null)?.blur();
        }}>
          <label htmlFor="viewer-page" className="sr-only">Page number</label>
          <input id="viewer-page" inputMode="numeric" value={pageInput} onChange={(e) => setPageInput(e.target.value.replace(/\D/g, '').slice(0, 5))}
            onBlur={() => setPageInput(String(page))}
            className="tabular h-8 w-12 rounded-md border-0 text-center text-sm font-medium text-slate-900 ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-indigo-600 focus:outline-none" />
          <span className="tabular whitespace-nowrap">of {count}</span>
        </form>
        <ToolButton label="Next page" onClick={() => go(page + 1)} icon="chevronRight" disabled={page >= count} />
        <span className="mx-1 h-6 w-px bg-slate-200" aria-hidden />
        <ToolButton label="Zoom out" onClick={() => stepZoom(-1)} icon="zoomOut" disabled={scale <= ZOOMS[0] + 0.01} />
        <span className="tabular w-12 text-center text-sm font-medium text-slate-700" aria-live="polite">{percent}%</span>
        <ToolButton label="Zoom in" onClick={() => stepZoom(1)} icon="zoomIn" disabled={scale >= ZOOMS[ZOOMS.length - 1] - 0.01} />
        <ToolButton label="Fit to width" pressed={zoom === 'fit'} onClick={() => setZoom('fit')} icon="fitWidth" />
        {toolbarExtra ? <><span className="mx-1 h-6 w-px bg-slate-200" aria-hidden />{toolbarExtra}</> : null}
        <p className="ml-auto hidden text-xs text-slate-500 xl:block">Arrow keys turn pages · + and − zoom · 0 fits the width</p>
      </div>
      <div className="flex h-[calc(100vh-15rem)] min-h-[28rem]">
        {mounted && thumbs && count > 1 ? <Thumbnails pagesUrl={pagesUrl} sizes={sizes} current={page} onPick={go} guard={guard} /> : null}
        <div ref={frame} className="relative flex-1 overflow-auto bg-slate-100" tabIndex={0} aria-label={`${title}, page ${page} of ${count}`}>
          <div className="flex min-h-full items-start justify-center p-6">
            {load.state === 'error' ? (
              <div role="alert" className="mt-16 max-w-md rounded-xl bg-white p-6 text-center shadow-sm ring-1 ring-slate-200">
                <div className="mx-auto mb-3 grid size-10 place-items-center rounded-full bg-red-50 text-red-600"><Icon name={load.ended ? 'ban' : 'alert'} className="size-5" /></div>
                <p className="text-sm font-medium text-slate-900">{load.ended ? 'Your access to this document has ended' : 'Page unavailable'}</p>
                <p className="mt-1 text-sm text-slate-600">{load.message}</p>
                {load.ended
                  ? <a href={shareUrl} className="mt-4 inline-block text-sm font-medium text-indigo-700 hover:underline">Back to the share</a>
                  : <button type="button" onClick={() => { setLoad({ state: 'loading' }); setTurn((t) => t + 1); }} className="mt-4 text-sm font-medium text-indigo-700 hover:underline">Try again</button>}
              </div>
            ) : !mounted ? (
              <div className="mt-16 size-6 animate-spin rounded-full border-2 border-slate-300 border-t-indigo-600" aria-label="Loading the document" />
            ) : (
              <div className="relative shrink-0 bg-white shadow-md ring-1 ring-slate-900/10" style={{ width: cssWidth, height: cssHeight }}>
                {load.state === 'loading' ? (
                  <div className="absolute inset-0 grid place-items-center" aria-hidden>
                    <span className="size-6 animate-spin rounded-full border-2 border-slate-300 border-t-indigo-600" />
                  </div>
                ) : null}
                {src ? (
                  // eslint-disable-next-line @next/next/no-img-element
                  <img key={src} src={src} alt={`Page ${page} of ${count}`} width={cssWidth} height={cssHeight} data-testid="page-image"
                    onLoad={() => setLoad({ state: 'ready', src })} onError={() => void onError()} {...guard}
                    className={cx('block h-full w-full select-none', load.state === 'ready' ? 'opacity-100' : 'opacity-0')} />
                ) : null}
                {overlay && load.state === 'ready' ? overlay(page) : null}
              </div>
            )}
          </div>
        </div>
        {sidebar}
      </div>
    </div>
  );
}

function ToolButton({ label, icon, onClick, disabled, pressed }: { label: string; icon: Parameters<typeof Icon>[0]['name']; onClick(): void; disabled?: boolean; pressed?: boolean }) {
  return (
    <button type="button" onClick={onClick} disabled={disabled} aria-label={label} title={label} aria-pressed={pressed}
      className={cx('grid size-8 place-items-center rounded-md text-slate-600 transition-colors hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-indigo-600 disabled:cursor-not-allowed disabled:opacity-40', pressed ? 'bg-indigo-50 text-indigo-700' : '')}>
      <Icon name={icon} className="size-4.5" />
    </button>
  );
}

/** The page strip: small images, requested only when scrolled into view. */
function Thumbnails({ pagesUrl, sizes, current, onPick, guard }: { pagesUrl: string; sizes: PageSize[]; current: number; onPick(n: number): void; guard: object }) {
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    list.current?.querySelector(`[data-page="${current}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [current]);
  const items = useMemo(() => sizes.map((s, i) => ({ n: i + 1, ratio: s.height / s.width })), [sizes]);
  return (
    <nav aria-label="Pages" className="w-40 shrink-0 overflow-y-auto border-r border-slate-200 bg-slate-50">
      <ol ref={list} className="space-y-3 p-3">
        {items.map(({ n, ratio }) => (
          <li key={n} data-page={n}>
            <button type="button" onClick={() => onPick(n)} aria-current={n === current ? 'page' : undefined} aria-label={`Page ${n}`}
              className={cx('group block w-full rounded-md p-1.5 text-center focus-visible:outline-2 focus-visible:outline-indigo-600', n === current ? 'bg-indigo-100/70 ring-2 ring-indigo-500' : 'hover:bg-slate-200/60')}>
              <span className="block overflow-hidden bg-white shadow-sm ring-1 ring-slate-900/10" style={{ aspectRatio: `1 / ${ratio}` }}>
                {/* eslint-disable-next-line @next/next/no-img-element */}
                <img src={`${pagesUrl}/${n}?w=${THUMB_WIDTH}`} alt="" loading="lazy" className="h-full w-full select-none" {...guard} />
              </span>
              <span className={cx('tabular mt-1 block text-xs', n === current ? 'font-semibold text-indigo-800' : 'text-slate-600')}>{n}</span>
            </button>
          </li>
        ))}
      </ol>
    </nav>
  );
}
