import Link from 'next/link';
import type { ProposalView } from '@/lib/collab/proposals';
import { Badge } from '../ui/badge';
import { EmptyState } from '../ui/empty-state';
import { formatBytes, formatDateTime, mediaTypeLabel, shortHash } from '../ui/format';
import { Icon } from '../ui/icons';
import { button, cx, td, th } from '../ui/styles';
import { ProposalDecision, type ProposalDecisionActions } from './proposal-decision';

const STATE_TONE = { PENDING: 'amber', ACCEPTED: 'green', REJECTED: 'slate' } as const;
const STATE_LABEL = { PENDING: 'Waiting for decision', ACCEPTED: 'Accepted', REJECTED: 'Rejected' } as const;

/**
 * Versions proposed by guests with EDIT: who, which file, from which version, and the decision. With
 * `decide` (document page, documents:write), pending rows can be accepted or rejected; `showDocument`
 * names the document (share page, where one share holds several).
 */
export function ProposalsTable({ proposals, decide, baseTlp, showDocument = false, emptyHint }: {
  proposals: ProposalView[];
  decide?: ProposalDecisionActions | null;
  /** The marking each pending proposal's accept dialog starts from, by base version id. */
  baseTlp?: Map<string, string>;
  showDocument?: boolean;
  emptyHint: string;
}) {
  if (!proposals.length) return <EmptyState icon="layers" title="No proposed versions">{emptyHint}</EmptyState>;
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full border-separate border-spacing-0" data-testid="proposals-table">
        <thead>
          <tr>
            {showDocument ? <th scope="col" className={th}>Document</th> : null}
            <th scope="col" className={th}>Proposed by</th>
            <th scope="col" className={th}>File</th>
            <th scope="col" className={th}>Based on</th>
            <th scope="col" className={th}>State</th>
            <th scope="col" className={th}>Submitted</th>
            <th scope="col" className={th}><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody className="[&>tr:last-child>td]:border-b-0">
          {proposals.map((p) => (
            <tr key={p.id} className="hover:bg-slate-50/80" data-testid={`proposal-${p.id}`}>
              {showDocument ? (
                <td className={cx(td, 'max-w-[14rem] border-b border-slate-100')}>
                  <Link href={`/documents/${p.documentId}#proposals`} className="block truncate font-medium text-slate-900 hover:text-indigo-600" title={p.documentTitle}>{p.documentTitle}</Link>
                </td>
              ) : null}
              <td className={cx(td, 'max-w-[14rem] border-b border-slate-100')}>
                <span className="block truncate font-medium text-slate-900" title={p.guestName}>{p.guestName}</span>
                <span className="block text-xs text-slate-500">{p.shareId ? <Link href={`/shares/${p.shareId}`} className="hover:text-indigo-600">via share</Link> : p.portalId ? <Link href={`/portals/${p.portalId}`} className="hover:text-indigo-600">via portal</Link> : null}</span>
              </td>
              <td className={cx(td, 'max-w-[18rem] border-b border-slate-100')}>
                <span className="block truncate" title={p.fileName}>{p.fileName}</span>
                <span className="block text-xs text-slate-500">{mediaTypeLabel(p.mediaType)} · {formatBytes(p.size)} · <code className="font-mono" title={p.sha256}>{shortHash(p.sha256)}</code></span>
                {p.note ? <p className="mt-1 text-xs whitespace-pre-wrap text-slate-600 [overflow-wrap:anywhere]"><span className="sr-only">Guest&rsquo;s note: </span>“{p.note}”</p> : null}
              </td>
              <td className={cx(td, 'tabular border-b border-slate-100 whitespace-nowrap')}>{p.baseVersionNumber ? `v${p.baseVersionNumber}` : '—'}</td>
              <td className={cx(td, 'border-b border-slate-100')}>
                <Badge tone={STATE_TONE[p.state]}>{STATE_LABEL[p.state]}</Badge>
                {p.state !== 'PENDING' ? (
                  <span className="mt-1 block text-xs text-slate-500">
                    {p.state === 'ACCEPTED' && p.acceptedVersionNumber ? `as v${p.acceptedVersionNumber} · ` : ''}{p.decidedBy ? `by ${p.decidedBy.name} · ` : ''}{formatDateTime(p.decidedAt)}
                  </span>
                ) : null}
                {p.decisionNote ? <p className="mt-1 text-xs whitespace-pre-wrap text-slate-600 [overflow-wrap:anywhere]">{p.decisionNote}</p> : null}
              </td>
              <td className={cx(td, 'tabular border-b border-slate-100 whitespace-nowrap text-slate-500')}>{formatDateTime(p.createdAt)}</td>
              <td className={cx(td, 'border-b border-slate-100 py-2')}>
                <span className="flex flex-wrap items-center justify-end gap-2">
                  <a href={`/api/v1/proposals/${encodeURIComponent(p.id)}/content`} download className={button('ghost', 'sm')} aria-label={`Download ${p.fileName} proposed by ${p.guestName}`}>
                    <Icon name="download" className="size-4" /><span className="hidden sm:inline">Download</span>
                  </a>
                  {decide && p.state === 'PENDING' ? (
                    <ProposalDecision id={p.id} fileName={p.fileName} guestName={p.guestName} actions={decide}
                      baseTlp={(p.baseVersionId && baseTlp?.get(p.baseVersionId)) || 'AMBER'} />
                  ) : null}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
