import { notFound, unstable_rethrow } from 'next/navigation';
import { describeError } from '@/lib/http/error-response';
import { DatabaseUnavailable } from '@/components/database-unavailable';
import { Notice } from '@/components/ui/notice';
import { Forbidden, StatusPanel } from '@/components/ui/status-page';

export type Loaded<T> = { ok: true; data: T } | { ok: false; code: string; message: string };

/**
 * Runs a page's domain calls and turns a failure into a value the page can render: error.tsx only
 * receives an opaque digest in production, so outages and refusals are told apart here, on the server.
 */
export async function load<T>(fn: () => Promise<T>): Promise<Loaded<T>> {
  try {
    return { ok: true, data: await fn() };
  } catch (e) {
    unstable_rethrow(e); // redirect() and notFound() are control flow, not failures
    const d = describeError(e);
    return { ok: false, code: d.body.error, message: d.body.error_description };
  }
}

export function LoadError({ error, what = 'Your role does not allow this.' }: { error: { code: string; message: string }; what?: string }) {
  switch (error.code) {
    case 'database_unavailable':
      return <DatabaseUnavailable />;
    case 'forbidden':
    case 'insufficient_scope':
      return <Forbidden what={what} />;
    case 'not_found':
      notFound();
    case 'validation_failed':
    case 'bad_request':
      return <Notice tone="error" title="Some of the filters are not valid">{error.message}</Notice>;
    case 'unauthenticated':
      return <StatusPanel icon="lock" title="Your session has ended">Sign in again to continue.</StatusPanel>;
    default:
      return (
        <StatusPanel icon="alert" code="500 · Error" title="This page could not be loaded">
          {error.message} If it keeps happening, contact your administrator.
        </StatusPanel>
      );
  }
}
