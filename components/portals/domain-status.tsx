import { Badge } from '@/components/ui/badge';
import type { DomainItem } from './domain-types';

const LABELS = {
  VERIFIED: { tone: 'green', text: 'Verified', title: 'Serves the portal; the TXT record is re-checked daily.' },
  PENDING: { tone: 'amber', text: 'Pending', title: 'Waiting for its TXT record.' },
  LOST: { tone: 'red', text: 'Lost', title: 'Served, then its TXT record disappeared: it no longer serves the portal.' },
} as const;

export function DomainStatusBadge({ status }: { status: DomainItem['status'] }) {
  const l = LABELS[status];
  return <Badge tone={l.tone} title={l.title}>{l.text}</Badge>;
}
