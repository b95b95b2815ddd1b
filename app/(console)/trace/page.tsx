import type { Metadata } from 'next';
import { can } from '@/lib/auth/principal';
import { TraceLeak } from '@/components/copies/trace-leak';
import { PageHeader } from '@/components/ui/page-header';
import { Forbidden } from '@/components/ui/status-page';
import { consolePrincipal } from '../_shared/principal';

export const metadata: Metadata = { title: 'Trace a leak' };

/**
 * Trace a leak: a copy code, or the leaked file, to the chain of custody of that copy. The form posts to
 * POST /api/v1/copies/trace (lib/copies/trace.ts traceCopies), which authorises and audits each trace.
 */
export default async function TracePage() {
  const p = await consolePrincipal();
  if (!can(p, 'audit:read')) {
    return <Forbidden what="Tracing leaked copies is available to auditors and administrators." scope="audit:read" />;
  }
  return (
    <>
      <PageHeader
        title="Trace a leak"
        description="Every copy a guest downloads and every page image they view carries a copy code, in its watermark and in the file’s metadata. Enter the code, or upload the leaked PDF or image, to see who received that copy, through which share or portal grant, in which session, from which address, when, and which version."
      />
      <TraceLeak />
    </>
  );
}
