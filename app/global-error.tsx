'use client';

import './globals.css';
import { ErrorView } from '@/components/error-view';

// Replaces the root layout when that layout itself fails, so it brings its own <html> and styles.
export default function GlobalError({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">
        <title>Error · Liaison</title>
        <ErrorView error={error} retry={retry} fullPage />
      </body>
    </html>
  );
}
