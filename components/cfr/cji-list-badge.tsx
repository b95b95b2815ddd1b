import { Badge } from '../ui/badge';
import { Icon } from '../ui/icons';
import { formatDateTime } from '../ui/format';

/**
 * The criminal-intelligence marking in a list of documents: a "CJI · 28 CFR Part 23" label (text, not
 * colour alone), and a hint when the record's five-year review is due, overdue, or it was purged.
 */
export function CjiListBadge({ reviewState, reviewDueAt }: { reviewState: string; reviewDueAt: Date }) {
  const due = formatDateTime(reviewDueAt).slice(0, 10);
  return (
    <span className="inline-flex flex-wrap items-center gap-1" data-testid="cji-badge">
      <span title="Criminal intelligence (28 CFR Part 23): released only to law-enforcement partners under a need-to-know statement; every release is logged."
        className="inline-flex items-center gap-1 rounded-[3px] bg-rose-700 px-1.5 py-0.5 text-[11px] leading-4 font-bold whitespace-nowrap text-white">
        <Icon name="shieldAlert" className="size-3.5" />CJI · 28 CFR Part 23
      </span>
      {reviewState === 'overdue' ? <Badge tone="red" title={`The five-year review fell due on ${due}: re-validate or purge it.`}>Review overdue</Badge>
        : reviewState === 'due_soon' ? <Badge tone="amber" title="Re-validate or purge it before then.">Review due {due}</Badge>
        : reviewState === 'purged' ? <Badge tone="slate">Purged</Badge> : null}
    </span>
  );
}
