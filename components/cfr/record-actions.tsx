import type { MarkAction, MarkDefaults } from './mark-form';
import { MarkCriminalIntelButton } from './mark-form';
import { ReasonDialog, type ReasonAction } from './reason-dialog';

export interface RecordActions { mark?: MarkAction; revalidate?: ReasonAction; purge?: ReasonAction; unmark?: ReasonAction }

/** The decisions on a record a staff member may take: edit (documents:write), re-validate, purge, unmark (admins). */
export function CjiRecordActions({ documentId, title, purged, current, actions }: { documentId: string; title: string; purged: boolean; current: MarkDefaults; actions: RecordActions }) {
  if (purged) return null;
  return (
    <>
      {actions.revalidate ? (
        <ReasonDialog documentId={documentId} action={actions.revalidate} field="note" trigger="Re-validate" icon="shieldCheck" testId="cji-revalidate"
          title="Re-validate this record?" fieldLabel="What the review found" confirmLabel="Re-validate">
          <p>Confirms that “{title}” is still relevant and that its criminal-activity basis still holds. The next review falls due five years from today.</p>
        </ReasonDialog>
      ) : null}
      {actions.mark ? <MarkCriminalIntelButton documentId={documentId} title={title} action={actions.mark} current={current} /> : null}
      {actions.purge ? (
        <ReasonDialog documentId={documentId} action={actions.purge} field="reason" trigger="Purge" icon="trash" tone="danger" testId="cji-purge"
          title="Purge this criminal intelligence?" fieldLabel="Reason for the purge" confirmLabel="Purge content">
          <p>The content of every version of “{title}” is removed from storage and the database, with its rendered pages, comments and questions. Every share that contains it is revoked and it leaves every portal section.</p>
          <p className="mt-2">The record (agency, grades, dates, fingerprints of the versions) and the audit trail are kept. This cannot be undone.</p>
        </ReasonDialog>
      ) : null}
      {actions.unmark ? (
        <ReasonDialog documentId={documentId} action={actions.unmark} field="reason" trigger="Remove marking" icon="x" testId="cji-unmark"
          title="Remove the criminal-intelligence marking?" fieldLabel="Why it is not criminal intelligence" confirmLabel="Remove marking">
          <p>The document becomes an ordinary document again: the law-enforcement rule and the review no longer apply. The marking and its dissemination log stay in the audit trail.</p>
        </ReasonDialog>
      ) : null}
    </>
  );
}

export const markDefaults = (r: { submittingAgency: string; sourceReliability: string; contentValidity: string; criminalActivity: string; submittedAt: Date }): MarkDefaults => ({
  submittingAgency: r.submittingAgency, sourceReliability: r.sourceReliability, contentValidity: r.contentValidity,
  criminalActivity: r.criminalActivity, submittedAt: r.submittedAt.toISOString().slice(0, 10),
});
