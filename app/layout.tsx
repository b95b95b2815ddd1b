import type { Metadata, Viewport } from 'next';
import { Providers } from '@/components/providers';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Liaison', template: '%s · Liaison' },
  description: 'Secure external sharing',
  robots: { index: false, follow: false },
};

export const viewport: Viewport = { themeColor: '#0f172a' };

// Every page, the not-found page included, renders per request: the Content-Security-Policy nonce
// that proxy.ts draws for each response must be on the page's scripts, and a page built ahead of
// time would carry none (its scripts would be blocked).
export const dynamic = 'force-dynamic';

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
