import { Badge } from '../ui/badge';

export function ShareStatusBadge({ status }: { status: string }) {
  if (status === 'ACTIVE') return <Badge tone="green"><Dot className="bg-emerald-500" />Active</Badge>;
  if (status === 'EXPIRED') return <Badge tone="amber"><Dot className="bg-amber-500" />Expired</Badge>;
  if (status === 'REVOKED') return <Badge tone="red"><Dot className="bg-red-500" />Revoked</Badge>;
  return <Badge>{status}</Badge>;
}

const Dot = ({ className }: { className: string }) => <span aria-hidden="true" className={`size-1.5 rounded-full ${className}`} />;
