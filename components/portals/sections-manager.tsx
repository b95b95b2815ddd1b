'use client';

import { useRouter } from 'next/navigation';
import { useCallback, useId, useRef, useState, useTransition } from 'react';
import type { ActionResult } from '@/lib/http/action';
import { ConfirmDialog } from '../confirm-dialog';
import { DocumentPicker, type PickerDoc } from '../shares/document-picker';
import { Modal, ModalActions } from '../shares/modal';
import { EmptyState } from '../ui/empty-state';
import { formatDateTime } from '../ui/format';
import { Icon } from '../ui/icons';
import { Notice } from '../ui/notice';
import { button, card, input } from '../ui/styles';
import { TlpBadge } from '../ui/tlp-badge';

type Result = ActionResult<unknown>;
export interface SectionItem { id: string; name: string; documents: (PickerDoc & { addedAt: string })[] }
export interface SectionActions {
  create: (portalId: string, name: string) => Promise<Result>;
  rename: (sectionId: string, name: string) => Promise<Result>;
  move: (sectionId: string, direction: 'up' | 'down') => Promise<Result>;
  remove: (sectionId: string) => Promise<Result>;
  add: (sectionId: string, documentIds: string[]) => Promise<Result>;
  unlink: (sectionId: string, documentId: string) => Promise<Result>;
  search: (q: string) => Promise<ActionResult<PickerDoc[]>>;
}

const errorOf = (r: Result) => (r.ok ? null : r.error.fields ? Object.values(r.error.fields)[0] : r.error.message);

/** The portal's sections in order, each with its documents; staff add, rename, move and delete them here. */
export function SectionsManager({ portalId, sections, library, libraryComplete, ceiling, readOnly, actions }: {
  portalId: string; sections: SectionItem[]; library: PickerDoc[]; libraryComplete: boolean; ceiling: string; readOnly: boolean; actions: SectionActions;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const run = (fn: () => Promise<Result>) => start(async () => {
    setError(null);
    const r = await fn();
    if (!r.ok) setError(errorOf(r));
    router.refresh();
  });

  return (
    <div className="space-y-6">
      {error ? <Notice tone="error" title="That did not work">{error}</Notice> : null}
      {readOnly ? null : <NewSection onCreate={(name) => actions.create(portalId, name)} />}
      {sections.length === 0 ? (
        <div className={card}>
          <EmptyState icon="folder" title="No sections yet">
            Sections are the folders guests see on the portal, such as “Pleadings” or “Evidence”. {readOnly ? '' : 'Create the first one above, then add documents to it.'}
          </EmptyState>
        </div>
      ) : (
        <ol role="list" className="space-y-4" aria-busy={pending || undefined} data-testid="sections">
          {sections.map((s, i) => (
            <li key={s.id}>
              <SectionCard section={s} first={i === 0} last={i === sections.length - 1} readOnly={readOnly} pending={pending} run={run}
                actions={actions} library={library} libraryComplete={libraryComplete} ceiling={ceiling} />
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

function NewSection({ onCreate }: { onCreate: (name: string) => Promise<Result> }) {
  const id = useId();
  const router = useRouter();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    start(async () => {
      const r = await onCreate(name);
      if (!r.ok) { setError(errorOf(r)); return; }
      setName(''); setError(null); router.refresh();
    });
  };
  return (
    <form onSubmit={submit} className={`${card} flex flex-col gap-3 p-4 sm:flex-row sm:items-start`}>
      <div className="min-w-0 flex-1">
        <label htmlFor={id} className="sr-only">New section name</label>
        <input id={id} value={name} onChange={(e) => setName(e.target.value)} maxLength={120} placeholder="New section name, e.g. Pleadings"
          className={input} aria-invalid={Boolean(error) || undefined} aria-describedby={error ? `${id}-err` : undefined} data-testid="new-section-name" />
        {error ? <p id={`${id}-err`} className="mt-1.5 text-xs text-red-700">{error}</p> : null}
      </div>
      <button type="submit" disabled={pending || !name.trim()} className={button('primary')} data-testid="create-section"><Icon name="plus" className="size-4" />{pending ? 'Adding…' : 'Add section'}</button>
    </form>
  );
}

function SectionCard({ section, first, last, readOnly, pending, run, actions, library, libraryComplete, ceiling }: {
  section: SectionItem; first: boolean; last: boolean; readOnly: boolean; pending: boolean; run: (fn: () => Promise<Result>) => void;
  actions: SectionActions; library: PickerDoc[]; libraryComplete: boolean; ceiling: string;
}) {
  const id = useId();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(section.name);
  const titleId = `${id}-title`;
  return (
    <section aria-labelledby={titleId} className={card} data-testid="section">
      <header className="flex flex-col gap-3 border-b border-slate-200 px-4 py-3 sm:flex-row sm:items-center sm:justify-between">
        {editing ? (
          <form className="flex min-w-0 flex-1 items-center gap-2" onSubmit={(e) => { e.preventDefault(); run(async () => { const r = await actions.rename(section.id, name); if (r.ok) setEditing(false); return r; }); }}>
            <label htmlFor={`${id}-name`} className="sr-only">Section name</label>
            <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} maxLength={120} autoFocus className={`${input} max-w-sm`}
              onKeyDown={(e) => { if (e.key === 'Escape') { setEditing(false); setName(section.name); } }} />
            <button type="submit" disabled={pending} className={button('primary', 'sm')}>Save</button>
            <button type="button" onClick={() => { setEditing(false); setName(section.name); }} className={button('ghost', 'sm')}>Cancel</button>
          </form>
        ) : (
          <div className="flex min-w-0 items-center gap-2.5">
            <span className="flex size-8 shrink-0 items-center justify-center rounded-md bg-indigo-50 text-indigo-600"><Icon name="folder" className="size-4" /></span>
            <div className="min-w-0">
              <h2 id={titleId} className="truncate text-sm font-semibold text-slate-900">{section.name}</h2>
              <p className="text-xs text-slate-500">{section.documents.length} document{section.documents.length === 1 ? '' : 's'}</p>
            </div>
          </div>
        )}
        {readOnly || editing ? null : (
          <div className="flex shrink-0 flex-wrap items-center gap-1">
            <button type="button" onClick={() => run(() => actions.move(section.id, 'up'))} disabled={first || pending} className={button('ghost', 'sm', 'px-2')} aria-label={`Move ${section.name} up`}><Icon name="arrowUp" className="size-4" /></button>
            <button type="button" onClick={() => run(() => actions.move(section.id, 'down'))} disabled={last || pending} className={button('ghost', 'sm', 'px-2')} aria-label={`Move ${section.name} down`}><Icon name="arrowDown" className="size-4" /></button>
            <button type="button" onClick={() => setEditing(true)} className={button('ghost', 'sm')}><Icon name="pencil" className="size-4" />Rename<span className="sr-only"> {section.name}</span></button>
            <AddDocuments section={section} library={library} complete={libraryComplete} ceiling={ceiling} actions={actions} />
            <ConfirmDialog triggerLabel={<>Delete<span className="sr-only"> {section.name}</span></>} triggerIcon="trash" title={`Delete “${section.name}”?`} confirmLabel="Delete section" pendingLabel="Deleting…"
              onConfirm={async () => { const r = await actions.remove(section.id); if (!r.ok) return { ok: false, message: errorOf(r) ?? 'Failed.' }; run(async () => r); return { ok: true }; }}>
              <p>Guests no longer see this section. Its {section.documents.length === 1 ? 'document stays' : `${section.documents.length} documents stay`} in your library, and grants limited to this section lose it.</p>
            </ConfirmDialog>
          </div>
        )}
      </header>
      {section.documents.length === 0 ? (
        <p className="px-4 py-6 text-center text-sm text-slate-500">No documents in this section yet.{readOnly ? '' : ' Use “Add documents” to choose some from your library.'}</p>
      ) : (
        <ul role="list" className="divide-y divide-slate-100">
          {section.documents.map((d) => (
            <li key={d.id} className="flex items-center gap-3 px-4 py-2.5">
              <Icon name="file" className="size-4 shrink-0 text-slate-400" />
              <div className="min-w-0 flex-1">
                <p className="truncate text-sm font-medium text-slate-900">{d.title}</p>
                <p className="truncate text-xs text-slate-500">{d.fileName && d.fileName !== d.title ? `${d.fileName} · ` : ''}added {formatDateTime(d.addedAt)}</p>
              </div>
              <TlpBadge tlp={d.tlp} />
              {readOnly ? null : (
                <button type="button" onClick={() => run(() => actions.unlink(section.id, d.id))} disabled={pending} className={button('ghost', 'sm', 'px-2 text-slate-500')} aria-label={`Remove ${d.title} from ${section.name}`}>
                  <Icon name="x" className="size-4" />
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function AddDocuments({ section, library, complete, ceiling, actions }: { section: SectionItem; library: PickerDoc[]; complete: boolean; ceiling: string; actions: SectionActions }) {
  const ref = useRef<HTMLDialogElement>(null);
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  const [pending, start] = useTransition();
  const onSearch = useCallback(async (q: string) => { const r = await actions.search(q); return r.ok ? r.data : null; }, [actions]);
  const present = new Set(section.documents.map((d) => d.id));
  const submit = (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const ids = new FormData(e.currentTarget).getAll('documentIds').map(String).filter((x) => !present.has(x));
    if (!ids.length) { setError('Choose at least one document that is not already in this section.'); return; }
    start(async () => {
      const r = await actions.add(section.id, ids);
      if (!r.ok) { setError(errorOf(r)); return; }
      ref.current?.close(); setRound((n) => n + 1); router.refresh();
    });
  };
  return (
    <>
      <button type="button" onClick={() => { setError(null); ref.current?.showModal(); }} className={button('secondary', 'sm')} data-testid="add-documents">
        <Icon name="plus" className="size-4" />Add documents<span className="sr-only"> to {section.name}</span>
      </button>
      <Modal ref={ref} wide busy={pending} title={`Add documents to “${section.name}”`} description="Documents stay in your library; the section shows them to guests whose grant covers it.">
        <form key={round} onSubmit={submit} className="flex min-h-0 flex-1 flex-col">
          <div className="min-h-0 flex-1 overflow-y-auto px-6 py-4">
            <DocumentPicker initial={library.filter((d) => !present.has(d.id))} complete={complete} ceiling={ceiling} preselected={[]} onSearch={onSearch} />
          </div>
          <ModalActions error={error}>
            <button type="button" onClick={() => ref.current?.close()} disabled={pending} className={button('secondary')}>Cancel</button>
            <button type="submit" disabled={pending} className={button('primary')} data-testid="confirm-add-documents">{pending ? 'Adding…' : 'Add to section'}</button>
          </ModalActions>
        </form>
      </Modal>
    </>
  );
}
