import Link from 'next/link';
import { StatusPanel } from '@/components/ui/status-page';
import { button } from '@/components/ui/styles';

export default function ConsoleNotFound() {
  return (
    <StatusPanel icon="search" code="404 · Not found" title="Not found" actions={<Link href="/documents" className={button('secondary')}>Back to documents</Link>}>
      It may have been deleted, or it belongs to another organisation. Deletions remain visible in the audit trail.
    </StatusPanel>
  );
}
