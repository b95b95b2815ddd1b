'use client';

import { useRouter } from 'next/navigation';
import { useId, useRef, useState, useTransition } from 'react';
import { createTermsAction, reviseTermsAction } from '@/app/(console)/terms/actions';
import { Icon } from '../ui/icons';
import { Notice } from '../ui/notice';
import { button, input } from '../ui/styles';
import type { ActionError } from './field-errors';
import { Field } from './fields';
import { Modal, ModalActions } from './modal';

function TermsFields({ idPrefix, error, title, body }: { idPrefix: string; error: ActionError | null; title?: string; body?: string }) {
  const f = error?.fields ?? {};
  return (
    <>
      <Field htmlFor={`${idPrefix}-title`} label="Title" error={f.title} hint="Shown to the guest above the text.">
        <input id={`${idPrefix}-title`} name="title" type="text" required maxLength={200} defaultValue={title} placeholder="e.g. Confidentiality undertaking"
          className={input} aria-invalid={Boolean(f.title) || undefined} aria-describedby={`${idPrefix}-title-hint`} />
      </Field>
      <Field htmlFor={`${idPrefix}-body`} label="Text" error={f.body} hint="Plain text; line breaks are kept. Guests must tick that they accept it.">
        <textarea id={`${idPrefix}-body`} name="body" required rows={10} maxLength={50_000} defaultValue={body}
          placeholder="By opening these documents you agree to keep them confidential…"
          className={`${input} resize-y leading-relaxed`} aria-invalid={Boolean(f.body) || undefined} aria-describedby={`${idPrefix}-body-hint`} />
      </Field>
    </>
  );
}

const read = (form: HTMLFormElement) => {
  const f = new FormData(form);
  return { title: String(f.get('title') ?? ''), body: String(f.get('body') ?? '') };
};

export function CreateTermsForm() {
  const id = useId();
  const router = useRouter();
  const [round, setRound] = useState(0);
  const [error, setError] = useState<ActionError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const values = read(e.currentTarget);
    startTransition(async () => {
      setError(null);
      setDone(null);
      const r = await createTermsAction(values);
      if (!r.ok) { setError(r.error); return; }
      setDone(values.title.trim());
      setRound((n) => n + 1);
      router.refresh();
    });
  }

  return (
    <form key={round} method="post" onSubmit={submit} noValidate className="space-y-4">
      {done ? <Notice tone="success" title="Terms created">“{done}” is version 1 and can now be chosen for a share.</Notice> : null}
      {error && !error.fields ? <Notice tone="error" title="The terms were not created">{error.message}</Notice> : null}
      <TermsFields idPrefix={id} error={error} />
      <button type="submit" disabled={pending} className={button('primary')}><Icon name="plus" className="size-4" />{pending ? 'Creating…' : 'Create terms'}</button>
    </form>
  );
}

/** Revising adds a version: what guests already accepted stays recorded against the text they saw. */
export function ReviseTermsButton({ termsId, title, body, nextVersion }: { termsId: string; title: string; body: string; nextVersion: number }) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const router = useRouter();
  const [round, setRound] = useState(0);
  const [error, setError] = useState<ActionError | null>(null);
  const [pending, startTransition] = useTransition();

  function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const values = read(e.currentTarget);
    startTransition(async () => {
      setError(null);
      const r = await reviseTermsAction(termsId, values);
      if (!r.ok) { setError(r.error); return; }
      ref.current?.close();
      router.refresh();
    });
  }

  return (
    <>
      <button type="button" className={button('secondary', 'sm')} onClick={() => { setError(null); setRound((n) => n + 1); ref.current?.showModal(); }}>
        <Icon name="layers" className="size-4" />Revise<span className="sr-only"> “{title}”</span>
      </button>
      <Modal ref={ref} wide title={`Revise “${title}”`} busy={pending} description={`Saving creates version ${nextVersion}. Earlier versions are kept unchanged.`}>
        <form key={round} method="post" onSubmit={submit} noValidate className="flex min-h-0 flex-1 flex-col">
          <div className="min-h-0 flex-1 space-y-4 overflow-y-auto px-6 py-5">
            <Notice tone="info">Guests who accepted an earlier version keep that acceptance, tied to the exact text they saw. Existing shares keep their version until you move them to the new one from the share&apos;s page; new shares get the latest.</Notice>
            <TermsFields idPrefix={id} error={error} title={title} body={body} />
          </div>
          <ModalActions error={error && !error.fields ? error.message : null}>
            <button type="button" onClick={() => ref.current?.close()} disabled={pending} className={button('secondary')}>Cancel</button>
            <button type="submit" disabled={pending} className={button('primary')}>{pending ? 'Saving…' : `Save version ${nextVersion}`}</button>
          </ModalActions>
        </form>
      </Modal>
    </>
  );
}
