'use client';
import { useEffect } from 'react';

/**
 * Blocks the browser's print path while mounted: print stylesheets blank the page and Ctrl/Cmd+P is
 * swallowed. A determined guest can still photograph the screen, which is what the watermark is for.
 */
export function NoPrint() {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && (e.key === 'p' || e.key === 'P')) { e.preventDefault(); e.stopPropagation(); }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
  // The print rule itself is in app/globals.css, keyed on this marker: an inline <style> element would
  // need the page's Content-Security-Policy nonce.
  return <span data-no-print hidden />;
}
