'use client';

import { ErrorView } from '@/components/error-view';

// Renders inside the console shell, so navigation stays available while one page fails.
export default function ConsoleError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorView error={error} retry={retry} />;
}
