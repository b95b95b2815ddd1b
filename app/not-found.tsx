import Link from 'next/link';
import { StatusPanel } from '@/components/ui/status-page';
import { button } from '@/components/ui/styles';

export default function NotFound() {
  return (
    <main className="flex min-h-screen items-center justify-center bg-slate-50">
      <StatusPanel icon="search" code="404 · Not found" title="This page does not exist" actions={<Link href="/" className={button('primary')}>Go to the console</Link>}>
        The address may be mistyped, or what it pointed to has been removed.
      </StatusPanel>
    </main>
  );
}
