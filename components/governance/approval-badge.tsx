import Link from 'next/link';
import { Badge } from '../ui/badge';

const STATE = {
  PENDING: { label: 'Awaiting approval', tone: 'amber', hint: 'Serves nothing until a second administrator approves it.' },
  APPROVED: { label: 'Approved', tone: 'green', hint: 'A second administrator approved it.' },
  REFUSED: { label: 'Approval refused', tone: 'red', hint: 'A second administrator refused it; it was revoked and never serves.' },
  WITHDRAWN: { label: 'Withdrawn', tone: 'slate', hint: 'The grant was revoked while it waited for approval; the request was closed undecided.' },
} as const;

/** A grant's two-person approval state; nothing for a grant that never needed one (NONE). */
export function ApprovalBadge({ state, href }: { state: string | null | undefined; href?: string }) {
  const s = state && state in STATE ? STATE[state as keyof typeof STATE] : null;
  if (!s) return null;
  const badge = <Badge tone={s.tone} title={s.hint}>{s.label}</Badge>;
  return href ? <Link href={href} className="rounded-md focus-visible:outline-2 focus-visible:outline-indigo-600" data-testid="approval-badge">{badge}</Link> : <span data-testid="approval-badge">{badge}</span>;
}
