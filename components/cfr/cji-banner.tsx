import Link from 'next/link';
import { Icon } from '../ui/icons';
import { formatDateTime } from '../ui/format';
import { RELIABILITY_LABEL, REVIEW_LABEL, VALIDITY_LABEL } from './labels';
import { Badge } from '../ui/badge';

export interface CjiSummary {
  documentId: string;
  submittingAgency: string; sourceReliability: string; contentValidity: string; criminalActivity: string;
  submittedAt: Date; submittedBy: string; lastValidatedAt: Date | null; lastValidatedBy: string | null; reviewDueAt: Date;
  reviewState: string; purgedAt: Date | null; purgedBy: string | null; purgeReason: string | null;
}

/**
 * The prominent marking of a criminal-intelligence document (document page, share page): what it is,
 * who submitted it, its grades and basis, and when it is due for review or when it was purged.
 */
export function CjiBanner({ r, children, logHref }: { r: CjiSummary; children?: React.ReactNode; logHref?: string }) {
  const review = REVIEW_LABEL[r.reviewState] ?? REVIEW_LABEL.current;
  const purged = r.purgedAt != null;
  return (
    <section aria-labelledby="cji-title" data-testid="cji-banner"
      className={`mb-6 overflow-hidden rounded-lg ring-1 ${purged ? 'bg-slate-50 ring-slate-300' : 'bg-rose-50 ring-rose-300'}`}>
      <div className={`flex flex-wrap items-center justify-between gap-3 px-5 py-3 ${purged ? 'bg-slate-700' : 'bg-rose-700'} text-white`}>
        <h2 id="cji-title" className="flex items-center gap-2 text-sm font-semibold tracking-wide uppercase">
          <Icon name="shieldAlert" className="size-5" />
          {purged ? 'Criminal intelligence — purged' : 'Criminal intelligence · 28 CFR Part 23'}
        </h2>
        <div className="flex items-center gap-3 text-sm">
          {logHref ? <Link href={logHref} className="font-medium underline decoration-white/50 underline-offset-2 hover:decoration-white">Dissemination log</Link> : null}
        </div>
      </div>
      <div className="px-5 py-4 text-sm text-slate-800">
        {purged ? (
          <p className="mb-3 font-medium text-slate-900">
            The content of every version was removed on {formatDateTime(r.purgedAt!)} by {r.purgedBy ?? 'an administrator'}. Reason: {r.purgeReason?.replace(/[.\s]+$/, '')}. This record is kept as proof that it existed and was purged.
          </p>
        ) : (
          <p className="mb-3 text-rose-900">Released only to law-enforcement partners, under a need-to-know and right-to-know statement. Every release is logged.</p>
        )}
        <dl className="grid gap-x-8 gap-y-3 sm:grid-cols-2 lg:grid-cols-4">
          <div><dt className="text-xs font-medium tracking-wide text-slate-500 uppercase">Submitting agency</dt><dd className="mt-1 break-words">{r.submittingAgency}</dd></div>
          <div><dt className="text-xs font-medium tracking-wide text-slate-500 uppercase">Source reliability</dt><dd className="mt-1">{RELIABILITY_LABEL[r.sourceReliability] ?? r.sourceReliability}</dd></div>
          <div><dt className="text-xs font-medium tracking-wide text-slate-500 uppercase">Content validity</dt><dd className="mt-1">{VALIDITY_LABEL[r.contentValidity] ?? r.contentValidity}</dd></div>
          <div>
            <dt className="text-xs font-medium tracking-wide text-slate-500 uppercase">Review</dt>
            <dd className="mt-1 flex flex-wrap items-center gap-2">
              <Badge tone={review.tone}>{review.text}</Badge>
              {purged ? null : <span className="tabular text-slate-700">due {formatDateTime(r.reviewDueAt)}</span>}
            </dd>
          </div>
          <div className="sm:col-span-2 lg:col-span-4"><dt className="text-xs font-medium tracking-wide text-slate-500 uppercase">Criminal-activity basis</dt><dd className="mt-1 break-words whitespace-pre-line">{r.criminalActivity}</dd></div>
          <div className="sm:col-span-2"><dt className="text-xs font-medium tracking-wide text-slate-500 uppercase">Submitted</dt><dd className="mt-1 tabular">{formatDateTime(r.submittedAt)} · {r.submittedBy}</dd></div>
          <div className="sm:col-span-2"><dt className="text-xs font-medium tracking-wide text-slate-500 uppercase">Last validated</dt><dd className="mt-1 tabular">{r.lastValidatedAt ? `${formatDateTime(r.lastValidatedAt)} · ${r.lastValidatedBy ?? ''}` : 'Not yet re-validated'}</dd></div>
        </dl>
        {children && !purged ? <div className="mt-4 flex flex-wrap gap-2 border-t border-rose-200/70 pt-4">{children}</div> : null}
      </div>
    </section>
  );
}
