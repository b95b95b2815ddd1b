import type { Metadata } from 'next';
import Link from 'next/link';
import { cache } from 'react';
import { can, type Principal } from '@/lib/auth/principal';
import { listAuditEvents } from '@/lib/audit/query';
import { config } from '@/lib/config';
import { getDocument } from '@/lib/documents/service';
import { participantId } from '@/lib/collab/types';
import { StaffDocumentLive } from '@/components/collab/staff-document-live';
import { listProposals } from '@/lib/collab/proposals';
import { ProposalsTable } from '@/components/collab/proposals-table';
import { isId } from '@/lib/http/ids';
import { CopyButton } from '@/components/copy-button';
import { auditTypeLabel } from '@/components/ui/audit-labels';
import { Badge, OutcomeBadge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { formatBytes, formatDateTime, formatTimestamp, mediaTypeLabel, shortHash } from '@/components/ui/format';
import { Icon } from '@/components/ui/icons';
import { PageHeader } from '@/components/ui/page-header';
import { Forbidden } from '@/components/ui/status-page';
import { button, card, td, th, cx } from '@/components/ui/styles';
import { TlpBadge } from '@/components/ui/tlp-badge';
import { pathSegment, requirePageIds } from '../../_shared/ids';
import { load, LoadError } from '../../_shared/load';
import { consolePrincipal } from '../../_shared/principal';
import { DeleteDocumentButton, UploadVersionButton } from './document-actions';
import { listQuestionsForStaff, threadGrantOptions } from '@/lib/collab/staff';
import { QuestionList } from '@/components/discussions/question-list';
import { answerQuestionAction, commentAction, setResolvedAction } from '../../_shared/discussion-actions';
import { acceptProposalAction, rejectProposalAction } from './proposal-actions';
import { getCriminalIntel } from '@/lib/cfr/records';
import { CjiBanner } from '@/components/cfr/cji-banner';
import { MarkCriminalIntelButton } from '@/components/cfr/mark-form';
import { CjiRecordActions, markDefaults } from '@/components/cfr/record-actions';
import { markCriminalIntelAction, purgeCriminalIntelAction, revalidateCriminalIntelAction, unmarkCriminalIntelAction } from '../../criminal-intelligence/actions';

type Props = { params: Promise<{ id: string }> };

// Shared by generateMetadata and the page, so the document is read once per request.
const documentFor = cache((p: Principal, id: string) => getDocument(p, id));

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  // The page itself audits a malformed id and answers 404; nothing is looked up with it here.
  if (!isId(id)) return { title: 'Not found' };
  try {
    const doc = await documentFor(await consolePrincipal(), id);
    return { title: doc.title };
  } catch {
    return { title: 'Document' };
  }
}

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium tracking-wide text-slate-500 uppercase">{label}</dt>
      <dd className="mt-1.5 text-sm text-slate-900">{children}</dd>
    </div>
  );
}

export default async function DocumentPage({ params }: Props) {
  const { id } = await params;
  const p = await consolePrincipal();
  await requirePageIds(p, 'page /documents/[id]', { documentId: pathSegment(id) });
  if (!can(p, 'documents:read')) return <Forbidden what="Reading documents is not part of your role." scope="documents:read" />;
  const canAudit = can(p, 'audit:read');
  const canDiscuss = can(p, 'shares:read');
  const canWriteDiscussion = can(p, 'shares:write');
  const res = await load(async () => {
    const [doc, activity, questions, grants, proposals, cji] = await Promise.all([
      documentFor(p, id),
      canAudit ? listAuditEvents(p, { documentId: id, first: 10 }) : null,
      canDiscuss ? listQuestionsForStaff(p, { documentId: id }) : null,
      canWriteDiscussion ? threadGrantOptions(p, id) : [],
      listProposals(p, { documentId: id }),
      getCriminalIntel(p, id),
    ]);
    return { doc, activity, questions, grants, proposals, cji };
  });
  if (!res.ok) return <LoadError error={res} />;
  const { doc, activity, questions, grants, proposals, cji } = res.data;
  const isAdmin = can(p, 'admin');
  const discussionActions = { comment: commentAction, setResolved: setResolvedAction, answer: answerQuestionAction };
  const pending = proposals.filter((x) => x.state === 'PENDING').length;
  // A version accepted from a guest's proposal was written by that guest, not by the staff member who accepted it.
  const fromGuest = new Map(proposals.filter((x) => x.acceptedVersionId).map((x) => [x.acceptedVersionId!, x]));
  const latest = doc.versions[0];
  const canWrite = can(p, 'documents:write');
  const contentUrl = `/api/v1/documents/${encodeURIComponent(doc.id)}/content`;

  return (
    <>
      <PageHeader
        eyebrow={<nav aria-label="Breadcrumb"><Link href="/documents" className="inline-flex items-center gap-1 hover:text-slate-700"><Icon name="chevronLeft" className="size-4" />Documents</Link></nav>}
        title={<span className="flex flex-wrap items-center gap-3"><span data-testid="document-title">{doc.title}</span>{latest ? <TlpBadge tlp={latest.tlp} size="md" /> : null}</span>}
        description={latest ? <>Version {latest.number} · {mediaTypeLabel(latest.mediaType)} · {formatBytes(latest.size)} · uploaded {formatDateTime(latest.createdAt)}</> : undefined}
        actions={<>
          {latest ? <a href={contentUrl} download className={button('primary')} data-testid="download-latest"><Icon name="download" className="size-4" />Download</a> : null}
          {latest && can(p, 'shares:write') ? <Link href={`/shares/new?documentId=${encodeURIComponent(doc.id)}`} className={button('secondary')} data-testid="share-document"><Icon name="share" className="size-4" />Share</Link> : null}
          {/* A purged record takes no new content (lib/cfr/records.ts assertNotPurged). */}
          {canWrite && !cji?.purgedAt ? <UploadVersionButton documentId={doc.id} title={doc.title} maxBytes={config().LIAISON_MAX_UPLOAD_BYTES} currentTlp={latest?.tlp ?? 'AMBER'} /> : null}
          {canWrite && !cji ? <MarkCriminalIntelButton documentId={doc.id} title={doc.title} action={markCriminalIntelAction} /> : null}
          {/* A marked document is purged (which keeps its record) or unmarked first, never simply deleted. */}
          {canWrite && !cji ? <DeleteDocumentButton documentId={doc.id} title={doc.title} versions={doc.versions.length} /> : null}
        </>}
      />

      {cji ? (
        <CjiBanner r={cji} logHref={canAudit ? `/documents/${encodeURIComponent(doc.id)}/dissemination` : undefined}>
          {canWrite || isAdmin ? (
            <CjiRecordActions documentId={doc.id} title={doc.title} purged={cji.purgedAt != null} current={markDefaults(cji)}
              actions={{ mark: canWrite ? markCriminalIntelAction : undefined, revalidate: isAdmin ? revalidateCriminalIntelAction : undefined, purge: isAdmin ? purgeCriminalIntelAction : undefined, unmark: isAdmin ? unmarkCriminalIntelAction : undefined }} />
          ) : null}
        </CjiBanner>
      ) : null}

      <section aria-labelledby="details-title" className={`${card} mb-6`}>
        <h2 id="details-title" className="border-b border-slate-200 px-5 py-4 text-sm font-semibold text-slate-900">Details</h2>
        <dl className="grid gap-x-8 gap-y-5 px-5 py-5 sm:grid-cols-2 lg:grid-cols-4">
          <Field label="Marking">{latest ? <TlpBadge tlp={latest.tlp} /> : '—'}</Field>
          <Field label="Type">{mediaTypeLabel(latest?.mediaType)}{latest ? <span className="block font-mono text-xs text-slate-500">{latest.mediaType}</span> : null}</Field>
          <Field label="Size"><span className="tabular">{formatBytes(latest?.size)}</span>{latest ? <span className="tabular block text-xs text-slate-500">{Number(latest.size).toLocaleString('en-US')} bytes</span> : null}</Field>
          <Field label="File name"><span className="break-all">{latest?.fileName ?? '—'}</span></Field>
          <Field label="Uploaded by">
            {doc.createdBy ? <><span className="block">{doc.createdBy.name}</span><span className="block text-xs break-all text-slate-500">{doc.createdBy.email}</span></> : 'API key'}
          </Field>
          <Field label="Uploaded"><span className="tabular">{formatDateTime(doc.createdAt)}</span></Field>
          <Field label="Last change"><span className="tabular">{formatDateTime(doc.updatedAt)}</span></Field>
          <Field label="Shares">{doc._count.shares === 0 ? <span className="text-slate-500">Not shared</span> : `${doc._count.shares} share${doc._count.shares === 1 ? '' : 's'}`}</Field>
          <div className="sm:col-span-2 lg:col-span-4">
            <dt className="text-xs font-medium tracking-wide text-slate-500 uppercase">SHA-256 of version {latest?.number ?? '—'}</dt>
            <dd className="mt-1.5 flex flex-col gap-2 sm:flex-row sm:items-center">
              {latest ? (
                <>
                  <code className="block rounded-md bg-slate-50 px-3 py-2 font-mono text-[13px] break-all text-slate-800 ring-1 ring-slate-200 ring-inset" data-testid="sha256">{latest.sha256}</code>
                  <CopyButton value={latest.sha256} label="Copy hash" />
                </>
              ) : '—'}
            </dd>
          </div>
        </dl>
      </section>

      <div className="space-y-6">
        {latest && p.kind === 'staff' && canDiscuss ? <StaffDocumentLive documentId={doc.id} selfId={participantId('staff', p.userId)} grants={grants} /> : null}

        <section aria-labelledby="versions-title" className={card}>
          <div className="flex items-center justify-between border-b border-slate-200 px-5 py-4">
            <h2 id="versions-title" className="text-sm font-semibold text-slate-900">Versions</h2>
            <span className="text-xs text-slate-500">{doc.versions.length} in total · newest first</span>
          </div>
          <div className="max-h-[28rem] overflow-auto">
            <table className="min-w-full border-separate border-spacing-0" data-testid="versions-table">
              <thead>
                <tr>
                  <th scope="col" className={th}>Version</th>
                  <th scope="col" className={th}>File name</th>
                  <th scope="col" className={cx(th, 'text-right')}>Size</th>
                  <th scope="col" className={th}>SHA-256</th>
                  <th scope="col" className={th}>TLP</th>
                  <th scope="col" className={th}>Uploaded by</th>
                  <th scope="col" className={th}>Uploaded</th>
                  <th scope="col" className={th}><span className="sr-only">Download</span></th>
                </tr>
              </thead>
              <tbody className="[&>tr:last-child>td]:border-b-0">
                {doc.versions.length === 0 ? (
                  <tr><td colSpan={8} className={cx(td, 'py-8 text-center text-slate-500')}>{cji?.purgedAt ? 'The content of every version was purged.' : 'No versions.'}</td></tr>
                ) : null}
                {doc.versions.map((v, i) => (
                  <tr key={v.id} className="hover:bg-slate-50/80">
                    <td className={cx(td, 'tabular border-b border-slate-100 font-medium whitespace-nowrap text-slate-900')}>
                      <span className="flex items-center gap-2">v{v.number}{i === 0 ? <Badge tone="indigo">Latest</Badge> : null}</span>
                    </td>
                    <td className={cx(td, 'max-w-[18rem] truncate border-b border-slate-100')} title={v.fileName}>{v.fileName}</td>
                    <td className={cx(td, 'tabular border-b border-slate-100 text-right whitespace-nowrap')}>{formatBytes(v.size)}</td>
                    <td className={cx(td, 'border-b border-slate-100')}><code className="font-mono text-xs text-slate-600" title={v.sha256}>{shortHash(v.sha256)}</code></td>
                    <td className={cx(td, 'border-b border-slate-100')}><TlpBadge tlp={v.tlp} /></td>
                    {fromGuest.get(v.id) ? (
                      <td className={cx(td, 'max-w-[14rem] border-b border-slate-100')}>
                        <span className="block truncate" title={fromGuest.get(v.id)!.guestName}>{fromGuest.get(v.id)!.guestName}</span>
                        <span className="block truncate text-xs text-slate-500" title={`Proposed by the guest; accepted by ${v.createdBy?.email ?? 'an API key'}`}>proposed by the guest; accepted by {v.createdBy?.email ?? 'an API key'}</span>
                      </td>
                    ) : (
                      <td className={cx(td, 'max-w-[14rem] truncate border-b border-slate-100')} title={v.createdBy?.email}>{v.createdBy?.email ?? 'API key'}</td>
                    )}
                    <td className={cx(td, 'tabular border-b border-slate-100 whitespace-nowrap text-slate-500')}>{formatDateTime(v.createdAt)}</td>
                    <td className={cx(td, 'border-b border-slate-100 py-2 text-right')}>
                      <a href={`${contentUrl}?version=${encodeURIComponent(v.id)}`} download className={button('ghost', 'sm')} aria-label={`Download version ${v.number}`}>
                        <Icon name="download" className="size-4" /><span className="hidden sm:inline">Download</span>
                      </a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>

        {questions ? (
          <section id="questions" aria-labelledby="questions-title" className={`${card} scroll-mt-6`}>
            <div className="flex items-center justify-between border-b border-slate-200 px-5 py-4">
              <h2 id="questions-title" className="text-sm font-semibold text-slate-900">Questions</h2>
              <span className="text-xs text-slate-500">From guests of every share and portal · newest first</span>
            </div>
            <QuestionList questions={questions} canWrite={canWriteDiscussion} actions={discussionActions} />
          </section>
        ) : null}

        <section id="proposals" aria-labelledby="proposals-title" className={`${card} scroll-mt-6`}>
          <div className="flex items-center justify-between gap-4 border-b border-slate-200 px-5 py-4">
            <h2 id="proposals-title" className="flex items-center gap-2 text-sm font-semibold text-slate-900">
              Proposed versions{pending ? <Badge tone="amber">{pending} waiting</Badge> : null}
            </h2>
            <span className="text-xs text-slate-500">From guests with edit permission · only you see them until accepted</span>
          </div>
          <ProposalsTable proposals={proposals} decide={canWrite ? { accept: acceptProposalAction, reject: rejectProposalAction } : null}
            baseTlp={new Map(doc.versions.map((v) => [v.id, v.tlp]))}
            emptyHint="Guests of a share or portal with edit permission can upload a marked-up version of this document. It waits here for your decision." />
        </section>

        {activity ? (
          <section aria-labelledby="activity-title" className={card}>
            <div className="flex items-center justify-between border-b border-slate-200 px-5 py-4">
              <h2 id="activity-title" className="text-sm font-semibold text-slate-900">Recent activity</h2>
              <span className="flex items-center gap-4">
                <a href={`/documents/${encodeURIComponent(doc.id)}/audit-export`} download className="text-sm font-medium text-indigo-600 hover:text-indigo-500" data-testid="audit-export">Export with discussions<span className="sr-only"> (JSON: this document&rsquo;s audit trail, comments and questions)</span></a>
                <Link href={`/audit?document=${encodeURIComponent(doc.id)}`} className="text-sm font-medium text-indigo-600 hover:text-indigo-500">Full history<span className="sr-only"> of this document in the audit trail</span></Link>
              </span>
            </div>
            {activity.nodes.length === 0 ? (
              <EmptyState icon="history" title="No activity yet">Downloads, new versions and shares of this document will appear here.</EmptyState>
            ) : (
              <ol role="list" className="divide-y divide-slate-100">
                {activity.nodes.map((e) => (
                  <li key={e.id} className="flex flex-wrap items-center gap-x-4 gap-y-1 px-5 py-3">
                    <time dateTime={e.at.toISOString()} className="tabular w-44 shrink-0 font-mono text-xs text-slate-500">{formatTimestamp(e.at)}</time>
                    <span className="min-w-0 flex-1 text-sm">
                      <span className="font-medium text-slate-900">{auditTypeLabel(e.type)}</span>
                      <span className="text-slate-500"> by {e.actor}{e.ip ? ` from ${e.ip}` : ''}</span>
                    </span>
                    <OutcomeBadge outcome={e.outcome} />
                  </li>
                ))}
              </ol>
            )}
          </section>
        ) : null}
      </div>
    </>
  );
}
