'use client';

import { useRouter } from 'next/navigation';
import { useId, useRef, useState } from 'react';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { UploadPanel } from '@/components/documents/upload-panel';
import { Icon } from '@/components/ui/icons';
import { button } from '@/components/ui/styles';
import { deleteDocumentAction } from './actions';

export function UploadVersionButton({ documentId, title, maxBytes, currentTlp }: { documentId: string; title: string; maxBytes: number; currentTlp: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  // Remounting the panel on each opening clears the previous file and messages.
  const [session, setSession] = useState(0);
  return (
    <>
      <button type="button" className={button('secondary')} onClick={() => { setSession((n) => n + 1); ref.current?.showModal(); }}>
        <Icon name="layers" className="size-4" />Upload new version
      </button>
      <dialog ref={ref} aria-labelledby={titleId} onClick={(e) => { if (e.target === ref.current) ref.current?.close(); }}
        className="m-auto w-[calc(100%-2rem)] max-w-xl rounded-xl bg-white p-0 shadow-2xl ring-1 ring-slate-900/10">
        <div className="flex items-start justify-between gap-4 border-b border-slate-200 px-6 py-4">
          <div className="min-w-0">
            <h2 id={titleId} className="text-base font-semibold text-slate-900">Upload a new version</h2>
            <p className="mt-0.5 text-sm break-words text-slate-500">of “{title}”. Earlier versions are kept and stay downloadable.</p>
          </div>
          <button type="button" onClick={() => ref.current?.close()} className={button('ghost', 'sm', 'px-2')} aria-label="Close"><Icon name="x" className="size-4" /></button>
        </div>
        <div className="p-6">
          <UploadPanel key={session} compact mode={{ kind: 'version', documentId }} maxBytes={maxBytes} defaultTlp={currentTlp}
            onUploaded={() => setTimeout(() => ref.current?.close(), 900)} />
        </div>
      </dialog>
    </>
  );
}

export function DeleteDocumentButton({ documentId, title, versions }: { documentId: string; title: string; versions: number }) {
  const router = useRouter();
  return (
    <ConfirmDialog
      triggerLabel="Delete"
      triggerIcon="trash"
      triggerClassName={button('secondary', 'md', 'text-red-700 hover:bg-red-50')}
      title="Delete this document?"
      confirmLabel="Delete document"
      pendingLabel="Deleting…"
      onConfirm={async () => {
        const r = await deleteDocumentAction({ id: documentId });
        if (!r.ok) return { ok: false, message: r.error.message };
        router.replace('/documents?deleted=1');
        return { ok: true };
      }}
    >
      <p>“<span className="font-medium text-slate-900">{title}</span>” and {versions === 1 ? 'its only version' : `all ${versions} versions`} will be permanently removed, and shares that include it will no longer offer it.</p>
      <p className="mt-2">The audit trail keeps a record of the document and of this deletion. This cannot be undone.</p>
    </ConfirmDialog>
  );
}
